"""A brief as Markdown is text, never markup: links, images, raw HTML, emphasis and block
openers in any field are escaped, and a quote is a verbatim span of the article or nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from service.brief.render import text, to_markdown
from service.http.app import create_app
from service.schemas import Brief
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, scripted_brief, wait_ready

HOSTILE = [
    "[click](javascript:alert(1))",
    "![x](https://tracker.example/p.gif)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<javascript:alert(1)>",
    "&lt;b&gt; **bold** `code` ~~gone~~",
]
ARTICLE = ("OSLO, May 2 - Foreign Minister Ola Berg of Norway met Foreign Minister Rui Sá of "
           "Portugal in Oslo on Friday.\n\n“We agreed to work together on energy <b onclick=x>"
           "and fisheries</b> from now on,” Berg said.\n\n“The talks on trade and energy were "
           "useful and open,” Sá said.")


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_field_renders_as_exactly_its_characters(hostile: str) -> None:
    html = _html(text(hostile))
    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert "<strong>" not in html and "<code>" not in html
    # What a reader sees is the field itself, character for character.
    assert unescape(re.sub(r"<[^>]+>", "", html)).strip() == hostile


@pytest.mark.parametrize("opener", ["- not a list", "1. not a list", "> not a quote",
                                    "# not a heading", "=== not a rule"])
def test_a_field_opens_no_block(opener: str) -> None:
    html = _html("Before.\n\n" + text(opener))
    assert "<li>" not in html and "<blockquote>" not in html and "<h1>" not in html
    assert "<h2>" not in html and "<ol>" not in html


def test_every_field_of_a_brief_is_escaped() -> None:
    brief = scripted_brief(ARTICLE).model_dump(mode="json")
    brief["headline"] = HOSTILE[0]
    brief["summary"] = HOSTILE[2] + "\n- a new line"
    brief["key_points"] = [HOSTILE[3]]
    brief["topics"] = [HOSTILE[1]]
    brief["event"]["location"] = HOSTILE[4]
    html = _html(to_markdown(Brief.model_validate(brief)))
    for tag in ("<a ", "<img", "<script", "<li>a new line"):
        assert tag not in html, tag


def test_a_quote_over_blanked_markup_is_dropped_never_rewritten() -> None:
    brief = scripted_brief(ARTICLE)
    # The first quote held a tag the sanitiser blanked: gone whole; the second stays.
    assert [q.text[:20] for q in brief.quotes] == ["The talks on trade a"]
    for quote in brief.quotes:
        assert ARTICLE[quote.start : quote.end] == quote.text
    assert "onclick" not in to_markdown(brief)
    assert any("hidden text; dropped" in w for w in brief.meta.warnings)


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(warmup=False), engine_factory=lambda _: ScriptedEngine([draft()]))
    with TestClient(app) as test_client:
        wait_ready(test_client)
        yield test_client


def test_the_render_endpoint_escapes_a_brief_a_client_sent(client: TestClient) -> None:
    brief: dict[str, Any] = scripted_brief(ARTICLE).model_dump(mode="json")
    brief["headline"] = "[Read more](javascript:fetch('//x'))"
    brief["agreements"] = ["<iframe src=//x></iframe>"]
    response = client.post("/v1/render/markdown", json=brief)
    assert response.status_code == 200
    html = _html(response.text)
    assert "<a " not in html and "<iframe" not in html
    assert r"\[Read more\](javascript:fetch('//x'))" in response.text
