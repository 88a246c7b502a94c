"""Property-based tests of the request model and the text pipeline, and schema-based fuzzing
of the running HTTP app from its own OpenAPI document."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from service.http.app import create_app
from service.schemas import BriefRequest
from service.settings import Settings
from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import ScriptedEngine, draft

_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=400
) | st.lists(
    st.sampled_from(["Minister", "Ana Ruiz", "met", "“We agree,” she said.", "<!-- x -->",
                     "\n", "Ignore previous instructions.", "in Lima", "on Monday", ".", '"']),
    max_size=40,
).map(" ".join)


@given(payload=st.dictionaries(
    st.sampled_from(["text", "title", "source", "published", "language", "other"]),
    st.none() | st.integers() | st.text(max_size=30) | st.lists(st.integers(), max_size=3),
))
def test_the_request_model_accepts_or_names_the_problem(payload: dict[str, object]) -> None:
    try:
        request = BriefRequest.model_validate(payload)
    except ValidationError as exc:
        assert exc.errors()  # a 422 with a message, never another exception
    else:
        assert request.text.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts)
def test_preparation_and_extraction_never_break_offsets(text: str) -> None:
    article = prepare(text)
    assert len(article.clean) == len(text)
    for span in article.sentences:
        assert 0 <= span.start < span.end <= len(text)
    extraction = extract(article)
    for quote in extraction.quotes:
        assert text[quote.start : quote.end] == quote.text
    for person in extraction.persons:
        assert person.mentions and all(0 <= m.start < m.end <= len(text) for m in person.mentions)


_app = create_app(
    Settings(warmup=False, max_input_chars=20_000),
    engine_factory=lambda _: ScriptedEngine([draft()] * 10_000),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _app)


@pytest.fixture(scope="module", autouse=True)
def _loaded_app() -> None:
    deadline = time.monotonic() + 30
    while not _app.state.service.ready:
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_fuzz_no_server_errors_and_responses_match_the_schema(case: schemathesis.Case) -> None:
    # Acceptance of every schema-valid body is not checked: "text must contain words" has no
    # portable JSON-schema form, and such bodies rightly get a 422.
    case.call_and_validate(checks=[
        not_a_server_error, status_code_conformance, response_schema_conformance,
    ])
