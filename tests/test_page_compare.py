"""The analyst page's compare mode in headless Chromium, against a real server process with
the scripted engine (tests/page_server.py): two texts in, both shown side by side, shared
points linked across, one-sided ones marked, a click shows a point's evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARTIFACTS_DIR, SAVED_ARTIFACTS
from tests.test_compare import CHILE, PERU
from tests.test_page import Page, ServerProcess, _scripted_server

pytestmark = [pytest.mark.browser, pytest.mark.server_process]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = _scripted_server(tmp_path_factory.mktemp("page-compare"))
    yield process
    process.stop()


def _compare(page: Page, a: str, b: str) -> Any:
    tab = page.tab
    tab.click("#mode-compare")
    assert tab.is_hidden("section.input") and tab.is_visible("#compare")
    tab.fill("#text-a", a)
    tab.fill("#text-b", b)
    tab.click("#compare-it")
    return tab


def test_two_readouts_side_by_side_with_shared_points_linked(
    browser: Any, server: ServerProcess,
) -> None:
    page = Page(browser, server.url, enforce_csp=True, viewport={"width": 1400, "height": 1000})
    try:
        tab = _compare(page, CHILE, PERU)
        tab.wait_for_selector("#comparison:not([hidden]) #verdict", timeout=60_000)
        assert tab.inner_text("#verdict") == "The same event"
        # Each text in its own column, verbatim.
        assert tab.inner_text("#side-a-text").strip() == CHILE.strip()
        assert tab.inner_text("#side-b-text").strip() == PERU.strip()
        # The lithium agreement both report: one shared point, marked in both texts.
        button = tab.locator("#shared-points button.item", has_text="lithium")
        assert button.count() == 1
        shared_id = button.get_attribute("data-point")
        a_marks = tab.locator(f'#side-a-text mark.shared[data-points~="{shared_id}"]')
        b_marks = tab.locator(f'#side-b-text mark.shared[data-points~="{shared_id}"]')
        assert "lithium export agreement" in a_marks.first.inner_text()
        assert "lithium export agreement" in b_marks.first.inner_text()
        # Pointing at it in A lights its counterpart in B.
        a_marks.first.hover()
        assert "linked" in (b_marks.first.get_attribute("class") or "")
        # One-sided points: listed under their own text and marked there only.
        only_a = tab.inner_text("#only-a")
        assert "anchovy fisheries" in only_a and "glacier" not in only_a
        assert "glacier water" in tab.inner_text("#only-b")
        assert tab.locator("#side-b-text mark.only", has_text="glacier water").count() == 1
        # A click on a one-sided point shows its evidence, in its own text only.
        tab.click("#only-b button.item >> text=glacier water")
        active = tab.locator(".side mark.active")
        assert active.count() >= 1
        assert all(m.evaluate("m => m.closest('#side-b-text') !== null")
                   for m in active.all())
        assert "glacier water" in " ".join(m.inner_text() for m in active.all())
        # The fields told differently, the tone first.
        assert "tone" in tab.inner_text("#differences")
        _save(tab, "page-compare.png")
        assert page.script_errors() == []
    finally:
        page.close()


def test_a_refused_comparison_is_said_in_words(browser: Any, server: ServerProcess) -> None:
    page = Page(browser, server.url)
    try:
        tab = _compare(page, CHILE, "   ")
        tab.wait_for_selector("#compare-error:not([hidden])")
        message = tab.inner_text("#compare-error")
        assert "422" in message and "articles[1]" in message
        assert tab.is_hidden("#comparison")
        tab.click("#mode-brief")
        assert tab.is_visible("section.input") and tab.is_hidden("#compare")
    finally:
        page.close()


def _save(tab: Any, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / name
    tab.evaluate("window.scrollTo(0, document.getElementById('comparison').offsetTop - 8)")
    tab.screenshot(path=str(path))
    SAVED_ARTIFACTS.append(path)
    return path
