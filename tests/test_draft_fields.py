"""The draft is declared once (brief/draft.py) and its sentence fields are one registry: the
schema the engine receives, the repair and merge of drafts, the public brief, its Markdown and
the page's field list (GET /v1/fields) all follow it. Texts written for the test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from service.brief.draft import SENTENCE_FIELDS, Draft, draft_json_schema
from service.brief.draft_schema import MAX_PARTICIPANTS, output_schema
from service.brief.drafts import conform, merge_drafts, parse_draft
from service.brief.render import to_markdown
from service.http.app import create_app
from service.schemas import EVENT_TYPES, TONES, Brief
from service.settings import Settings
from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import ScriptedEngine, scripted_brief

READOUT = """Readout of the Minister's Meeting with Peru's Foreign Minister

LIMA, June 3, 2031 - Foreign Minister Ana Soto of Chile met Foreign Minister Rui Lopes of Peru in Lima on Tuesday to discuss water, fisheries and the border crossings.
The two envoys agreed on a joint commission for the shared aquifers of the Atacama.
They signed a memorandum on fisheries inspections in the waters off Arica and Tacna.
The ministers disagreed on the schedule for reopening the Chacalluta crossing to freight.
They will meet again in Santiago in September to review the commission's first report.
Soto thanked Lopes for the welcome and praised the long friendship of the two nations.
"""


def _request_schema(**asked: bool) -> dict[str, Any]:
    article = prepare(READOUT)
    return output_schema(article, extract(article), range(len(article.sentences)), **asked)


def test_the_registry_is_the_drafts_sentence_fields_in_order() -> None:
    names = [f.name for f in SENTENCE_FIELDS]
    assert names == [n for n in Draft.model_fields if n in names]  # the draft's order
    assert all(Draft.model_fields[n].annotation == list[int] for n in names)
    assert all(f.cue == f.name and 0 <= f.bounds[0] <= f.bounds[1] for f in SENTENCE_FIELDS)
    by_name = {f.name: f for f in SENTENCE_FIELDS}
    assert by_name["key_points"].bounds == (4, 6) and not by_name["key_points"].outcome
    assert all(by_name[n].outcome for n in ("agreements", "disagreements", "next_steps"))
    assert (by_name["next_steps"].label, by_name["next_steps"].item,
            by_name["next_steps"].plural) == ("Next steps", "next step", "next steps")


def test_every_sentence_field_is_in_the_schema_the_brief_the_markdown_and_the_page() -> None:
    generated = draft_json_schema()["properties"]
    request = _request_schema()["properties"]
    # The pipeline fills every list (a Brief without one is no Brief); the Markdown shows each.
    brief = scripted_brief(READOUT).model_copy(
        update={f.name: [f"The {f.item} written for the test."] for f in SENTENCE_FIELDS})
    markdown = to_markdown(brief)
    with TestClient(create_app(Settings(warmup=False),
                               engine_factory=lambda _: ScriptedEngine())) as client:
        listed = client.get("/v1/fields").json()["sentence_fields"]
    assert [f["name"] for f in listed] == [f.name for f in SENTENCE_FIELDS]
    for field, shown in zip(SENTENCE_FIELDS, listed, strict=True):
        assert generated[field.name] == {"type": "array", "items": {"type": "integer"}}
        assert field.name in request
        assert get_args(Brief.model_fields[field.name].annotation) == (str,)
        assert f"## {field.label}\n- The {field.item} written for the test." in markdown
        assert shown == {"name": field.name, "label": field.label, "item": field.item,
                         "outcome": field.outcome}


def test_the_request_schema_is_the_drafts_fields_in_order_narrowed_to_the_article() -> None:
    schema = _request_schema()
    properties = schema["properties"]
    # The order the model writes in: the draft's, without the summary the lead gives.
    assert list(properties) == [n for n in Draft.model_fields if n != "summary"]
    assert list(properties)[:5] == ["headline", "event_type", "location", "participants",
                                    "key_points"]
    assert list(properties)[5:7] == ["topics", "agreements"] and list(properties)[-1] == "tone"
    assert schema["required"] == list(properties) and schema["additionalProperties"] is False
    assert list(schema) == ["type", "properties", "required", "additionalProperties"]
    assert properties["event_type"] == {"enum": list(EVENT_TYPES)}
    assert properties["tone"] == {"enum": list(TONES)}
    assert properties["headline"] == {"type": "string",
                                      "pattern": '^[^\\x00-\\x1f"\\\\]{10,100}$'}
    assert properties["topics"]["items"]["pattern"].endswith("{3,40}$")
    assert (properties["topics"]["minItems"], properties["topics"]["maxItems"]) == (1, 5)
    places, null = properties["location"]["anyOf"]
    assert "Lima" in places["enum"] and "Tacna" not in places["enum"] and null == {"type": "null"}
    people = properties["participants"]
    assert set(people["items"]["properties"]["name"]["enum"]) == {"Ana Soto", "Rui Lopes"}
    assert people["maxItems"] == min(2, MAX_PARTICIPANTS)
    total = len(prepare(READOUT).sentences)
    for field in SENTENCE_FIELDS:
        if properties[field.name] == {"type": "array", "maxItems": 0}:
            continue  # no sentence of the readout is a candidate
        numbers = properties[field.name]["items"]["enum"]
        low, high = field.bounds
        assert set(numbers) <= set(range(1, total + 1)) and numbers == sorted(numbers)
        assert properties[field.name]["minItems"] == min(low, len(numbers))
        assert properties[field.name]["maxItems"] == min(high, len(numbers))
    # The cue words pick each outcome's candidates: the disagreement, not the agreement.
    assert properties["disagreements"]["items"]["enum"] == [5]
    assert 6 in properties["next_steps"]["items"]["enum"]
    assert 3 in properties["agreements"]["items"]["enum"]
    assert len(properties["key_points"]["items"]["enum"]) >= 4
    asked = _request_schema(ask_headline=False, ask_summary=True)["properties"]
    assert list(asked)[:2] == ["summary", "event_type"]
    assert asked["summary"]["pattern"].endswith("{40,600}$")


def test_a_request_schema_is_the_callers_own_to_change() -> None:
    first = _request_schema()
    first["properties"]["topics"]["maxItems"] = 99
    first["properties"]["tone"]["enum"].append("giddy")
    again = _request_schema()["properties"]
    assert again["topics"]["maxItems"] == 5 and "giddy" not in again["tone"]["enum"]


def test_repair_cuts_every_sentence_field_to_its_bound() -> None:
    schema = _request_schema()
    too_many = {f.name: [1, 2, 3, 4, 5, 6, 6, 1] for f in SENTENCE_FIELDS}
    draft = parse_draft(json.dumps({"event_type": "meeting", **too_many}), schema)
    for field in SENTENCE_FIELDS:
        most = schema["properties"][field.name]["maxItems"]
        assert draft.numbers(field) == [1, 2, 3, 4, 5, 6][:most]


def test_a_draft_is_parsed_leniently_and_repaired_to_the_schema() -> None:
    draft = parse_draft('```json\n{"event_type": "parade", "tone": "giddy", "key_points": ["2", 3],'
                        ' "headline": "Talks\\tin Lima", "extra": 1}\n```')
    assert (draft.event_type, draft.tone, draft.key_points) == ("parade", "giddy", [2, 3])
    repaired = conform(draft, _request_schema())
    assert (repaired.event_type, repaired.tone, repaired.headline) == ("other", "neutral",
                                                                       "Talks in Lima")
    with pytest.raises(ValueError):
        parse_draft('{"tone": "neutral"}')  # no event type: not a draft


def test_merging_takes_each_parts_sentences_in_turn_for_every_field() -> None:
    parts = [
        Draft(event_type="meeting", location=None, topics=["water"],
              **{f.name: [10 * i + 1, 10 * i + 2] for i, f in enumerate(SENTENCE_FIELDS)}),
        Draft(event_type="call", location="Lima", topics=["fish"],
              **{f.name: [10 * i + 5, 10 * i + 1] for i, f in enumerate(SENTENCE_FIELDS)}),
    ]
    merged = merge_drafts(parts)
    assert (merged.event_type, merged.location, merged.topics) == ("meeting", "Lima",
                                                                   ["water", "fish"])
    for i, field in enumerate(SENTENCE_FIELDS):
        assert merged.numbers(field) == [10 * i + 1, 10 * i + 5, 10 * i + 2]


@pytest.fixture
def keyed() -> Iterator[TestClient]:
    settings = Settings(warmup=False, api_keys="fields-key")
    with TestClient(create_app(settings, engine_factory=lambda _: ScriptedEngine())) as client:
        yield client


def test_the_field_list_is_behind_the_key_like_the_briefs(keyed: TestClient) -> None:
    refused = keyed.get("/v1/fields")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    listed = keyed.get("/v1/fields", headers={"Authorization": "Bearer fields-key"})
    assert listed.status_code == 200
    assert [f["label"] for f in listed.json()["sentence_fields"]] == [
        f.label for f in SENTENCE_FIELDS]
