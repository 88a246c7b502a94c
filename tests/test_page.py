"""The analyst page in a real browser: headless Chromium (Debian's package) driven by
Playwright against real server processes: one with a scripted engine (tests/page_server.py),
one with a key required, and one with the embedded model on the seed article."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import (
    ARTIFACTS_DIR,
    REPO,
    SAVED_ARTIFACTS,
    SEED,
    read_article,
    wait_until_serving,
)

pytestmark = [pytest.mark.browser, pytest.mark.server_process]

TEXT = read_article("santiago_readout.txt")
PAGE_HTML = read_article("santiago_page.html")
KEY = "page-test-key"
# As root in a closed network: no sandbox, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("BRIEF_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not found:
        pytest.fail("the browser tests need Chromium: apt-get install chromium "
                    "(or set BRIEF_CHROMIUM to its path); .ci/run installs it")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(self, command: list[str], port: int, log: Path, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env},
                                        stdout=log.open("ab"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout_s: float) -> None:
        wait_until_serving(self.url, self.process, self.log, timeout_s)

    def in_flight(self) -> float:
        headers = {"authorization": f"Bearer {KEY}"}
        for line in httpx.get(f"{self.url}/metrics", headers=headers, timeout=5).text.splitlines():
            if line.startswith("brief_generations_in_flight "):
                return float(line.split()[1])
        raise AssertionError("no in-flight metric")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _scripted_server(tmp: Path, *extra: str) -> ServerProcess:
    port = _free_port()
    server = ServerProcess([sys.executable, "-m", "tests.page_server", "--port", str(port),
                            *extra], port, tmp / f"page-server-{port}.log", {})
    server.wait_ready(120)
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = _scripted_server(tmp_path_factory.mktemp("page"))
    yield process
    process.stop()


class Page:
    """A browser tab with its console errors and requests recorded."""

    def __init__(self, browser: Any, base_url: str, *, enforce_csp: bool = False,
                 **context: Any) -> None:
        # The page's Content-Security-Policy forbids evaluating strings, which the test's
        # own wait_for_function needs; a tab that keeps it (enforce_csp) shows that the
        # page itself runs under it (a violation is a console error).
        self.context = browser.new_context(base_url=base_url, bypass_csp=not enforce_csp,
                                           **context)
        self.tab = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[Any] = []
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.tab.on("request", lambda r: self.requests.append(r))
        self.tab.goto("/")

    def script_errors(self) -> list[str]:
        """Console errors but the browser's own line for an HTTP error status, which a test
        of an error answer provokes on purpose."""
        return [e for e in self.errors if "Failed to load resource" not in e]

    def brief(self, text: str, *, html: bool = False) -> None:
        self.tab.fill("#article", text)
        self.tab.set_checked("#is-html", html)
        self.tab.click("#brief-it")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any, server: ServerProcess) -> Iterator[Page]:
    opened = Page(browser, server.url, permissions=["clipboard-read", "clipboard-write"],
                  accept_downloads=True, viewport={"width": 1400, "height": 1000})
    yield opened
    opened.close()


def _save_screenshot(tab: Any, name: str) -> Path:
    """The window as an analyst sees it once the brief is there: the brief beside its source."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / name
    tab.evaluate("window.scrollTo(0, document.getElementById('result').offsetTop - 8)")
    tab.screenshot(path=str(path))
    SAVED_ARTIFACTS.append(path)
    return path


def test_paste_an_article_watch_it_read_check_its_items_copy_and_download(page: Page) -> None:
    tab = page.tab
    tab.wait_for_selector("#model-status.ready")
    page.brief(TEXT)
    # Progress from the stream while the (scripted) model writes for 1.5 s.
    tab.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('model is writing')")
    tab.wait_for_selector("#result:not([hidden])", timeout=30_000)
    assert "Done in" in tab.inner_text("#progress-text")

    with tab.expect_download() as download_info:
        tab.click("#download-json")
    brief = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert tab.inner_text("#headline") == brief["headline"]
    assert tab.inner_text("#summary") == brief["summary"]
    names = tab.eval_on_selector_all("table.participants tbody tr td:first-child",
                                     "cells => cells.map(c => c.textContent)")
    assert names == [p["name"] for p in brief["participants"]] == ["Lena Varga", "Tomás Ibarra"]
    # The whole source is shown, every evidence span and quote marked in it.
    assert tab.inner_text("#source-text").strip() == TEXT.strip()
    marked = "".join(tab.eval_on_selector_all("#source-text mark", "ms => ms.map(m => m.textContent)"))
    for quote in brief["quotes"]:
        assert quote["text"] in marked

    # Click a key point: its sentence is highlighted and scrolled into view.
    span = next(e for e in brief["evidence"] if e["field"] == "key_points[1]")
    tab.click('#brief-body .item[data-item="key_points[1]"]')
    active = tab.eval_on_selector_all("#source-text mark.active", "ms => ms.map(m => m.textContent)")
    assert "".join(active) == TEXT[span["start"]:span["end"]]
    tab.wait_for_function("""() => {
        const mark = document.querySelector('#source-text mark.active');
        const pane = document.getElementById('source-text').getBoundingClientRect();
        const box = mark.getBoundingClientRect();
        return box.top >= pane.top - 1 && box.bottom <= pane.bottom + 1;
    }""")
    # Pointing at a highlight says what it supports and lights the item up.
    mark = tab.locator("#source-text mark.active").first
    mark.hover()
    assert "key point 2" in (mark.get_attribute("title") or "")
    assert "linked" in (tab.get_attribute('.item[data-item="key_points[1]"]', "class") or "")

    # The keyboard reaches the items too.
    tab.focus('#brief-body .item[data-item="agreements[0]"]')
    tab.keyboard.press("Enter")
    agreement = next(e for e in brief["evidence"] if e["field"] == "agreements[0]")
    active = tab.eval_on_selector_all("#source-text mark.active", "ms => ms.map(m => m.textContent)")
    assert "".join(active) == TEXT[agreement["start"]:agreement["end"]]

    tab.click("#copy-markdown")
    tab.wait_for_function(
        "document.getElementById('toolbar-status').textContent.includes('Copied')")
    markdown = tab.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith(f"# {brief['headline']}\n") and "## Participants" in markdown
    _save_screenshot(tab, "page-scripted.png")
    assert page.errors == []


def test_a_web_page_is_highlighted_in_the_text_taken_out_of_it(page: Page) -> None:
    page.brief(PAGE_HTML, html=True)
    page.tab.wait_for_selector("#result:not([hidden])", timeout=30_000)
    shown = page.tab.inner_text("#source-text")
    assert "<" not in shown and "Lena Varga" in shown
    page.tab.click('#brief-body .item[data-item="key_points[0]"]')
    assert page.tab.locator("#source-text mark.active").count() >= 1
    assert page.errors == []


def test_cancel_stops_the_generation_on_the_server(page: Page, server: ServerProcess) -> None:
    page.brief(TEXT + "\n\n[slow]")
    page.tab.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('model is writing')")
    assert server.in_flight() == 1
    page.tab.click("#cancel")
    page.tab.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('Cancelled')")
    deadline = time.monotonic() + 15  # the scripted model would have written for a minute
    while server.in_flight() != 0:
        assert time.monotonic() < deadline, "the generation went on after Cancel"
        time.sleep(0.1)
    assert page.tab.is_enabled("#brief-it") and not page.tab.is_enabled("#cancel")
    assert page.errors == []


def test_an_empty_article_gets_the_reason_in_words(page: Page) -> None:
    page.brief("   ")
    page.tab.wait_for_selector("#error:not([hidden])")
    message = page.tab.inner_text("#error")
    assert "could not use this input" in message and "empty" in message
    assert page.tab.is_hidden("#result")
    assert page.script_errors() == []


def test_every_refusal_is_said_in_words(page: Page) -> None:
    """The page's wording for the statuses a person meets (called as the page calls it)."""
    said = page.tab.evaluate("""() => ({
        large: describeError(413, {code: "input_too_large", message: "text is 250,000 characters; the limit is 200,000"}),
        busy: describeError(429, {code: "overloaded", message: "busy"}, "12"),
        loading: describeError(503, {code: "engine_unavailable", message: "the model is still loading; retry shortly"}),
        late: describeError(504, {code: "deadline_exceeded", message: "x"}),
        key: describeError(401, {code: "unauthorized", message: "x"}),
    })""")
    assert said["large"].startswith("The article is too long") and "200,000" in said["large"]
    assert said["busy"] == "The service is busy with other briefs. Try again in 12 seconds."
    assert said["loading"] == "The model is still loading. Try again in a minute."
    assert "not ready in time" in said["late"] and "API key" in said["key"]


def test_a_phone_sees_the_brief_above_its_source(browser: Any, server: ServerProcess) -> None:
    phone = Page(browser, server.url, enforce_csp=True, viewport={"width": 390, "height": 844})
    try:
        phone.brief(TEXT)
        phone.tab.wait_for_selector("#result:not([hidden])", timeout=30_000)
        brief_box = phone.tab.locator("section.brief").bounding_box()
        source_box = phone.tab.locator("section.source").bounding_box()
        assert brief_box and source_box
        assert source_box["y"] >= brief_box["y"] + brief_box["height"]
        assert brief_box["width"] <= 390 and source_box["width"] <= 390
        assert phone.tab.evaluate("document.documentElement.scrollWidth") <= 390
        phone.tab.click('#brief-body .item[data-item="key_points[0]"]')
        assert phone.tab.locator("#source-text mark.active").count() >= 1
        assert phone.errors == []  # under the page's own Content-Security-Policy
    finally:
        phone.close()


def test_with_api_keys_the_page_asks_for_one_and_keeps_it_out_of_the_address(
    browser: Any, tmp_path: Path,
) -> None:
    keyed = _scripted_server(tmp_path, "--api-keys", KEY)
    page = Page(browser, keyed.url)
    try:
        assert httpx.get(f"{keyed.url}/").status_code == 200  # the page needs no key
        assert httpx.get(f"{keyed.url}/static/page.js").status_code == 200
        assert httpx.post(f"{keyed.url}/v1/briefs", json={"text": TEXT}).status_code == 401
        page.brief(TEXT)
        page.tab.wait_for_selector("#error:not([hidden])")
        assert "API key" in page.tab.inner_text("#error")
        assert page.tab.evaluate("document.activeElement.id") == "api-key"
        page.tab.fill("#api-key", KEY)
        page.tab.click("#brief-it")
        page.tab.wait_for_selector("#result:not([hidden])", timeout=30_000)
        assert page.tab.evaluate("sessionStorage.getItem('brief-api-key')") == KEY
        calls = [r for r in page.requests if "/v1/" in r.url]
        assert calls and all(KEY not in r.url for r in page.requests)
        assert calls[-1].headers.get("authorization") == f"Bearer {KEY}"
        page.tab.click("#copy-markdown")  # the renderer is behind the key as well
        page.tab.wait_for_function(
            "document.getElementById('toolbar-status').textContent.includes('Copied')")
        assert page.script_errors() == []
    finally:
        page.close()
        keyed.stop()


@pytest.mark.real_model
@pytest.mark.skipif(not SEED.is_dir(), reason="the shared seed article is not beside the checkout")
def test_the_seed_article_through_the_page_with_the_embedded_model(
    browser: Any, tmp_path: Path,
) -> None:
    seed = next(SEED.glob("*.txt")).read_text(encoding="utf-8")
    port = _free_port()
    real = ServerProcess([sys.executable, "-m", "service.cli", "serve"], port,
                         tmp_path / "real-server.log",
                         {"BRIEF_PORT": str(port), "BRIEF_HOST": "127.0.0.1"})
    try:
        real.wait_ready(600)
        page = Page(browser, real.url, viewport={"width": 1400, "height": 1000})
        page.brief(seed)
        page.tab.wait_for_selector("#result:not([hidden])", timeout=300_000)
        assert page.tab.inner_text("#headline").strip()
        assert page.tab.locator("table.participants tbody tr").count() >= 1
        assert page.tab.locator("#source-text mark").count() >= 1
        first_item = page.tab.locator("#brief-body .item").first
        first_item.click()
        assert page.tab.locator("#source-text mark.active").count() >= 1
        path = _save_screenshot(page.tab, "page-seed.png")
        assert path.stat().st_size > 10_000
        assert page.errors == []
        page.close()
    finally:
        real.stop()
