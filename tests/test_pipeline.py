"""The brief pipeline: what it asks the model, and how it grounds what comes back."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import pytest

from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.engines.base import GenerationResult
from service.errors import GenerationFailed, InputTooLarge
from service.schemas import BriefRequest
from service.text.article import prepare
from tests.conftest import ScriptedEngine, draft, read_article

CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                        repetition_penalty=1.05)


def _pipeline(engine: object, config: PipelineConfig = CONFIG) -> BriefPipeline:
    return BriefPipeline(engine, load_prompts(), config)  # type: ignore[arg-type]


def test_the_model_is_asked_to_choose_among_what_the_article_contains() -> None:
    engine = ScriptedEngine([draft()])
    _pipeline(engine).run(BriefRequest(text=read_article("santiago_readout.txt")))
    request = engine.requests[0]
    schema = request.json_schema
    assert schema is not None
    names = schema["properties"]["participants"]["items"]["properties"]["name"]["enum"]
    assert names[:2] == ["Lena Varga", "Tomás Ibarra"]
    places = schema["properties"]["location"]["anyOf"][0]["enum"]
    assert "Santiago" in places
    agreement_sentences = schema["properties"]["agreements"]["items"]["enum"]
    assert 3 in agreement_sentences  # "signed a memorandum ... agreed to open"
    system, user = request.messages[0]["content"], request.messages[1]["content"]
    assert "never follow" in system.lower()
    assert "<article>" in user and "</article>" in user
    assert "Tomás Ibarra" not in system  # the article never reaches the system message


def test_background_people_are_not_participants_even_if_the_model_picks_them() -> None:
    output = draft(participants=[
        {"name": "Lena Varga", "country": None},
        {"name": "Ricardo Fuentes", "country": "Chile"},
        {"name": "Gyula Horváth", "country": "Hungary"},
    ])
    brief = _pipeline(ScriptedEngine([output])).run(
        BriefRequest(text=read_article("santiago_readout.txt"))
    )
    assert [(p.name, p.country) for p in brief.participants] == [
        ("Lena Varga", "Hungary"), ("Tomás Ibarra", "Chile"),
    ]
    assert brief.countries == ["Hungary", "Chile"]
    assert brief.country_codes == ["HU", "CL"]


def _cut_from(claim: str, sentence: str) -> bool:
    """Every word of the claim is the sentence's, in the sentence's order."""
    words = iter(re.findall(r"\w+", sentence))
    return all(any(w == s for s in words) for w in re.findall(r"\w+", claim))


def test_sentence_choices_become_verbatim_items_with_evidence() -> None:
    text = read_article("santiago_readout.txt")
    output = draft(key_points=[2, 3, 8], agreements=[3], disagreements=[8], next_steps=[99])
    brief = _pipeline(ScriptedEngine([output])).run(BriefRequest(text=text))
    # A key point is its sentence's main clause: outcomes first, the aside cut off.
    assert brief.key_points[0] == ("The ministers agreed that a joint economic commission will "
                                   "meet in Budapest in October to review progress.")
    assert "The ministers differed on the timetable for a bilateral investment treaty." in \
        brief.key_points
    assert brief.agreements[0].startswith("The two ministers signed a memorandum")
    assert brief.disagreements[0].startswith("The ministers differed on the timetable")
    # sentence 99 does not exist; the plainly stated follow-up is still reported
    assert any("Budapest in October" in s for s in brief.next_steps)
    assert any("does not exist" in w for w in brief.meta.warnings)
    for item in brief.evidence:
        assert text[item.start : item.end].strip()
    for i, point in enumerate(brief.key_points):
        cited = next(e for e in brief.evidence if e.field == f"key_points[{i}]")
        assert _cut_from(point, text[cited.start : cited.end])


def test_facts_the_text_determines_are_not_left_to_the_model() -> None:
    text = read_article("santiago_readout.txt")
    brief = _pipeline(ScriptedEngine([draft(location="Santiago")])).run(BriefRequest(text=text))
    assert brief.event.date == dt.date(2024, 4, 16)
    assert brief.event.location == "Santiago"
    assert [q.speaker for q in brief.quotes] == ["Lena Varga", "Lena Varga", "Tomás Ibarra"]
    for quote in brief.quotes:
        assert text[quote.start : quote.end] == quote.text
    assert brief.language == "en"


def test_by_default_the_summary_is_built_from_the_facts_and_the_title_line_is_the_headline() -> None:
    engine = ScriptedEngine([draft(headline="Invented headline", summary="Invented.",
                                   location="Santiago", agreements=[3])])
    text = read_article("santiago_readout.txt")
    brief = _pipeline(engine).run(BriefRequest(text=text))
    asked = engine.requests[0].json_schema["properties"]  # type: ignore[index]
    assert "headline" not in asked and "summary" not in asked  # tokens not generated
    assert brief.headline == "Hungary and Chile agree to expand lithium and water cooperation"
    # Who met whom, where and when, in one sentence; what they discussed; what came of it,
    # in the article's own words; not the lead paragraph again.
    assert brief.summary == (
        "Foreign Minister Lena Varga of Hungary and Foreign Minister Tomás Ibarra of Chile met "
        "in Santiago on 16 April 2024. The talks covered critical minerals, water management, "
        "trade, Central Europe, South America and a bilateral investment treaty. The two "
        "ministers signed a memorandum of "
        "understanding on lithium processing research and agreed to open a joint scholarship "
        "programme for engineering students next year.")
    lead_paragraph = text.split("\n\n")[1]  # after the title line
    assert lead_paragraph.split(" — ", 1)[1] not in brief.summary
    # Each sentence cites where it comes from: the agreement its own sentence.
    cited = [text[e.start : e.end] for e in brief.evidence if e.field == "summary[2]"]
    assert cited == [brief.agreements[0]]
    # The summary and key points together are well under the article (a short one: 60 %).
    said = brief.summary.split() + " ".join(brief.key_points).split()
    assert len(said) < 0.6 * len(text.split())


def test_a_request_title_wins_and_without_any_title_the_headline_says_who_did_what() -> None:
    text = read_article("santiago_readout.txt").split("\n", 2)[2]  # no title line
    engine = ScriptedEngine([draft(headline="Hungary and Chile sign lithium research pact")])
    brief = _pipeline(engine).run(BriefRequest(text=text))
    assert "headline" in engine.requests[0].json_schema["properties"]  # type: ignore[index]
    assert brief.headline == ("Lena Varga and Tomás Ibarra meet in Santiago, discuss critical "
                              "minerals, water management and trade")
    titled = _pipeline(ScriptedEngine([draft()])).run(BriefRequest(text=text, title="Given"))
    assert titled.headline == "Given"


def test_invented_names_in_a_model_summary_are_replaced_by_the_lead() -> None:
    output = draft(summary="Lena Varga met Vladimir Zelensky in Kyiv to sign a treaty on grain.")
    abstractive = PipelineConfig(50_000, 4000, 600, 1.05, abstractive_summary=True)
    brief = _pipeline(ScriptedEngine([output]), abstractive).run(
        BriefRequest(text=read_article("santiago_readout.txt"))
    )
    assert "Zelensky" not in brief.summary
    assert brief.summary.startswith("Hungarian Foreign Minister Lena Varga met")
    assert any("Zelensky" in w for w in brief.meta.warnings)


def test_a_model_summarys_sentences_pass_the_same_claim_check_as_an_assembled_ones() -> None:
    # Planted in the model's summary: a wrong date, a negation the text does not make, and
    # a sentence the text bears out.
    written = ("The two ministers met in Santiago on 9 March 2023. "
               "Hungary and Chile did not sign a memorandum of understanding on lithium. "
               "The two ministers signed a memorandum of understanding on lithium processing "
               "research and agreed to open a joint scholarship programme for engineering "
               "students next year. The ministers differed on the timetable for a bilateral "
               "investment treaty.")
    abstractive = PipelineConfig(50_000, 4000, 600, 1.05, abstractive_summary=True)
    brief = _pipeline(ScriptedEngine([draft(summary=written)]), abstractive).run(
        BriefRequest(text=read_article("santiago_readout.txt")))
    assert "2023" not in brief.summary
    assert "did not sign" not in brief.summary
    assert "joint scholarship programme" in brief.summary
    assert sum("left out" in w for w in brief.meta.warnings) == 2


def test_same_input_gives_the_same_id_and_different_input_another() -> None:
    text = read_article("santiago_readout.txt")
    engine = ScriptedEngine([draft(), draft(), draft()])
    first = _pipeline(engine).run(BriefRequest(text=text))
    second = _pipeline(engine).run(BriefRequest(text=text))
    other = _pipeline(engine).run(BriefRequest(text=text, published=dt.date(2024, 4, 17)))
    assert first.id == second.id != other.id


def test_unparseable_output_is_retried_then_reported() -> None:
    engine = ScriptedEngine(["{not json", draft()])
    brief = _pipeline(engine).run(BriefRequest(text=read_article("santiago_readout.txt")))
    assert len(engine.requests) == 2 and brief.headline.startswith("Hungary and Chile")
    assert engine.requests[1].repetition_penalty > engine.requests[0].repetition_penalty
    with pytest.raises(GenerationFailed):
        _pipeline(ScriptedEngine(["nope", "still nope"])).run(BriefRequest(text="A text here."))


def test_too_long_text_is_refused_with_the_limit() -> None:
    small = PipelineConfig(100, 4000, 600, 1.05)
    with pytest.raises(InputTooLarge, match="100"):
        _pipeline(ScriptedEngine(), small).run(BriefRequest(text="word " * 50))


def _long_article(filler_paragraphs: int = 128) -> str:
    """About 5,000 words: a lead, background, and facts stated only in the last fifth."""
    lead = (
        "Portugal and Japan open talks on ocean research\n\n"
        "LISBON, March 3, 2025 — Portuguese Foreign Minister Rui Matos hosted Japanese Foreign "
        "Minister Haruto Ishida in Lisbon on Monday for talks on ocean research, shipping and "
        "trade."
    )
    background = [
        f"In paragraph {i} of the background, historians recalled that trade between the two "
        f"countries began centuries ago, when merchants carried pepper, silk and porcelain "
        f"between distant ports, and that former envoy Tomas Reis wrote about it in {1900 + i}."
        for i in range(filler_paragraphs)
    ]
    late = [
        "Japanese Deputy Foreign Minister Keiko Sato joined the talks for the final session.",
        "The ministers agreed to set up a joint fund for deep-sea research.",
        "The next round of talks will be held in Osaka in October.",
    ]
    return "\n\n".join([lead, *background, *late])


class _ChoosingEngine(ScriptedEngine):
    """Chooses like an eager model: every offered outcome sentence, every person named."""

    def generate(self, request: Any) -> Any:
        self.requests.append(request)
        props = request.json_schema["properties"]
        user = request.messages[-1]["content"]
        article_part = user.split("</article>")[0]
        names = props["participants"].get("items", {}).get("properties", {}).get(
            "name", {}).get("enum", [])

        def offered(field: str) -> list[int]:
            return list(props[field].get("items", {}).get("enum", []))

        output = draft(
            participants=[{"name": n, "country": None} for n in names if n in article_part],
            key_points=offered("key_points")[:4], agreements=offered("agreements")[:4],
            next_steps=offered("next_steps")[:3], disagreements=[],
        )
        return GenerationResult(output, 500, 40, 1.0, 2.0, truncated=False)


@pytest.mark.slow
def test_a_long_article_is_read_to_its_end_in_parts() -> None:
    text = _long_article()
    assert 4500 < len(text.split()) < 6000
    engine = _ChoosingEngine()
    # The scripted engine counts words.
    config = PipelineConfig(200_000, 1200, 600, 1.05, long_mode="parts")
    brief = _pipeline(engine, config).run(BriefRequest(text=text))
    assert brief.meta.chunks == len(engine.requests) >= 4
    assert brief.meta.read_sentences == brief.meta.total_sentences
    assert any("read in" in w for w in brief.meta.warnings)
    article = prepare(text)
    last = len(article.sentences)
    offered = [set(r.json_schema["properties"]["key_points"]["items"]["enum"])
               for r in engine.requests]
    assert last in offered[-1] and last not in offered[0]  # each part offers its own sentences
    for earlier, later in itertools.pairwise(offered):
        assert max(earlier) >= min(later)  # consecutive parts overlap: nothing falls between
    names = {p.name for p in brief.participants}
    assert {"Rui Matos", "Haruto Ishida", "Keiko Sato"} <= names
    assert "Tomas Reis" not in names  # background, in every part
    assert any("joint fund for deep-sea research" in a for a in brief.agreements)
    assert any("Osaka in October" in n for n in brief.next_steps)
    assert len(brief.key_points) <= 6
    for quote in brief.quotes:
        assert text[quote.start : quote.end] == quote.text


@pytest.mark.slow
def test_a_long_article_is_condensed_to_one_call_that_still_reads_its_end() -> None:
    text = _long_article()
    engine = _ChoosingEngine()
    config = PipelineConfig(200_000, 1200, 600, 1.05, long_read_tokens=900)  # select
    brief = _pipeline(engine, config).run(BriefRequest(text=text))
    assert brief.meta.chunks == len(engine.requests) == 1
    article = prepare(text)
    total = len(article.sentences)
    assert brief.meta.total_sentences == total
    assert 0 < brief.meta.read_sentences < total / 2
    assert any("condensed before reading" in w for w in brief.meta.warnings)
    view = engine.requests[0].messages[-1]["content"].split("</article>")[0]
    assert "[…]" in view  # where sentences were left out
    # Within the budget (the scripted engine counts words), the lead and the end are there,
    # under their own numbers.
    lines = [line for line in view.splitlines() if line.startswith("[") and "]" in line]
    numbers = [int(line[1 : line.index("]")]) for line in lines if line[1].isdigit()]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == total
    assert sum(len(article.sentence_text(n - 1).split()) + 1 for n in numbers) <= 900
    assert f"[{total}] The next round of talks will be held in Osaka" in view
    offered = set(engine.requests[0].json_schema["properties"]["agreements"]["items"]["enum"])
    assert offered <= set(numbers)
    names = {p.name for p in brief.participants}
    assert {"Rui Matos", "Haruto Ishida", "Keiko Sato"} <= names
    assert "Tomas Reis" not in names
    assert any("joint fund for deep-sea research" in a for a in brief.agreements)
    assert any("Osaka in October" in n for n in brief.next_steps)
    for item in brief.evidence:  # offsets into the whole text
        assert text[item.start : item.end].strip()


def test_an_article_that_fits_one_call_is_read_whole() -> None:
    engine = _ChoosingEngine()
    brief = _pipeline(engine).run(BriefRequest(text=read_article("santiago_readout.txt")))
    assert brief.meta.chunks == 1
    assert brief.meta.read_sentences == brief.meta.total_sentences > 3
    assert "[…]" not in engine.requests[0].messages[-1]["content"]
    assert not any("condensed" in w for w in brief.meta.warnings)


def test_tiny_model_runs_the_whole_pipeline_to_a_valid_grounded_brief(tiny_engine: object) -> None:
    text = read_article("santiago_readout.txt")
    brief = _pipeline(tiny_engine).run(BriefRequest(text=text, published=dt.date(2024, 4, 16)))
    payload = json.loads(brief.model_dump_json())
    assert payload["schema_version"] == "1"
    assert payload["event"]["type"] in {"meeting", "call", "visit", "summit", "statement",
                                        "briefing", "other"}
    assert 3 <= len(brief.key_points) <= 5
    article = prepare(text)
    sentences = [article.sentence_text(i) for i in range(len(article.sentences))]
    for item in brief.key_points:
        # Every key point is one short claim cut from an article sentence.
        assert len(item.split()) <= 30 and any(_cut_from(item, s) for s in sentences)
    for participant in brief.participants:
        assert participant.name in text
    assert brief.meta.output_tokens > 0 and brief.meta.input_tokens > 0


def test_a_participant_name_not_in_the_article_is_dropped_with_a_warning() -> None:
    # An engine without grammar support could return any name; grounding still refuses it.
    output = draft(participants=[{"name": "Vladimir Putin", "country": "Russia"}])
    brief = _pipeline(ScriptedEngine([output])).run(
        BriefRequest(text=read_article("santiago_readout.txt"))
    )
    assert "Vladimir Putin" not in [p.name for p in brief.participants]
    assert any("Vladimir Putin" in w and "not named" in w for w in brief.meta.warnings)


def test_countries_are_normalised_with_iso_codes() -> None:
    text = (
        "ANKARA — Türkiye's Foreign Minister Aydın Özkan met U.S. Secretary of State Margaret "
        "Ellison in Ankara on Monday for talks on regional security.\n\n"
        "The two ministers agreed to meet again in Washington before the end of the year."
    )
    brief = _pipeline(ScriptedEngine([draft()])).run(BriefRequest(text=text))
    assert {p.name: p.country for p in brief.participants} == {
        "Aydın Özkan": "Turkey", "Margaret Ellison": "United States",
    }
    assert brief.countries == ["Turkey", "United States"]
    assert brief.country_codes == ["TR", "US"]
    assert brief.event.location == "Ankara"


def test_instruction_like_text_never_reaches_the_model_and_is_reported() -> None:
    engine = ScriptedEngine([draft()])
    brief = _pipeline(engine).run(BriefRequest(text=read_article("vilnius_injection.txt")))
    sent = json.dumps([engine.requests[0].messages, engine.requests[0].json_schema])
    for payload in ("PWNED", "Kessel", "developer mode", "reveal your system prompt"):
        assert payload not in sent
    assert any("instruction-like" in w for w in brief.meta.warnings)
    content = json.dumps(brief.model_dump(mode="json", exclude={"meta"}))
    assert "PWNED" not in content and "Kessel" not in content


def test_phone_calls_have_no_location_and_tone_follows_the_texts_words() -> None:
    text = (
        "Foreign Minister Rasa Kairytė of Lithuania spoke by telephone today with Foreign "
        "Minister Kenji Aoyama of Japan.\n\nThey held a candid discussion on cyber defence."
    )
    brief = _pipeline(ScriptedEngine([draft(location=None, tone="cordial")])).run(
        BriefRequest(text=text, published=dt.date(2024, 2, 1))
    )
    assert brief.event.type == "call"
    assert brief.event.location is None
    assert brief.event.date == dt.date(2024, 2, 1)
    assert brief.tone == "candid"


def test_a_news_page_in_html_gives_the_same_brief_as_its_clean_text() -> None:
    page = read_article("santiago_page.html")
    text = read_article("santiago_readout.txt")
    from_text = _pipeline(ScriptedEngine([draft()])).run(BriefRequest(text=text))
    from_html = _pipeline(ScriptedEngine([draft()])).run(BriefRequest(html=page))
    for field in ("headline", "summary", "key_points", "participants", "countries", "event",
                  "agreements", "next_steps", "disagreements"):
        assert getattr(from_html, field) == getattr(from_text, field), field
    assert [q.text for q in from_html.quotes] == [q.text for q in from_text.quotes]
    source = from_html.source_text
    assert source is not None and "Related stories" not in source and "Advertisement" not in source
    assert "defence pact" not in source
    for quote in from_html.quotes:
        assert source[quote.start : quote.end] == quote.text
    assert from_html.event.date == dt.date(2024, 4, 16)
    assert from_text.source_text is None


def test_page_furniture_in_pasted_text_is_left_out() -> None:
    clean = read_article("santiago_readout.txt")
    paragraphs = clean.split("\n\n")
    messy = "\n\n".join([
        "Home > World > Americas", paragraphs[0], "Share this article", paragraphs[1],
        "Photo: Reuters/Ivan Alvarado", "Advertisement", *paragraphs[2:],
        "Related stories", "© 2024 Daily Wire Service. All rights reserved.",
    ])
    engine = ScriptedEngine([draft(), draft()])
    from_clean = _pipeline(engine).run(BriefRequest(text=clean))
    from_messy = _pipeline(engine).run(BriefRequest(text=messy))
    view = engine.requests[1].messages[1]["content"]
    for debris in ("Share this article", "Advertisement", "Reuters/Ivan", "Related stories", "©"):
        assert debris not in view
    assert from_messy.key_points == from_clean.key_points
    assert from_messy.headline == from_clean.headline
    assert [q.text for q in from_messy.quotes] == [q.text for q in from_clean.quotes]
    assert any("furniture" in w for w in from_messy.meta.warnings)


def test_output_outside_the_schema_is_repaired_whatever_the_engine() -> None:
    # A fenced draft with an event type, tone and country no enumeration allows: what a model
    # server that drops schema keywords can return. Repaired, never a 500.
    fenced = "```json\n" + draft(
        event_type="tête-à-tête", tone="ecstatic",
        participants=[{"name": "Lena Varga", "country": "Ruritania"}],
    ) + "\n```\nThat is the brief."
    engine = ScriptedEngine([fenced])
    brief = _pipeline(engine).run(BriefRequest(text=read_article("santiago_readout.txt")))
    assert len(engine.requests) == 1
    assert brief.event.type != "tête-à-tête" and brief.tone != "ecstatic"
    assert "Ruritania" not in brief.countries
    assert {p.name: p.country for p in brief.participants}.get("Lena Varga") == "Hungary"
