"""Peak RSS of a real `brief serve` process while maximum-size briefs run at once.

    python bench/memory.py                                # 4, then 1, plain-text requests
    python bench/memory.py --concurrency 4 --kind html    # the HTML variant
    python bench/memory.py --repo /tmp/brief-head         # the server of another checkout

For each (kind, concurrency) a fresh server with the embedded model (the default BRIEF_MODEL;
the first start may convert it into the cache) is started on 127.0.0.1 at a free port. Once
/readyz says ready its idle RSS is taken; then N requests of the maximum size are sent at once
and the server's RSS (VmRSS of its process and of any children) is sampled every 0.2 s for
`--seconds` (and its VmHWM, the kernel's own peak, read at the window's end). The requests'
deadline (BRIEF_REQUEST_TIMEOUT_S) is set a little past the window, so the ones still running
are cut off by the server soon after it; the server is then killed. (The window ends early
when every request has been answered.)

The articles are built here: bench/long_article.py's synthetic diplomatic article cut to the
text limit (200,000 characters by default), and the same text as a page of `<p>` paragraphs,
padded with markup a page carries around its article (wrappers, navigation, related links) up
to the HTML limit. Only loopback is used; every wait is bounded.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SAMPLE_S = 0.2
# The text limit's HTML allowance (service/schemas.py HTML_SIZE_FACTOR), restated so that the
# script does not import the service it measures.
HTML_SIZE_FACTOR = 5
# The requests' deadline, this long after the sampling window ends.
DEADLINE_AFTER_WINDOW_S = 10.0


def _long_article_module() -> ModuleType:
    # Loaded by path: bench/ is not a package, and this works however the script is run.
    spec = importlib.util.spec_from_file_location("long_article", BENCH / "long_article.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_text(limit: int) -> str:
    """The long synthetic article, exactly `limit` characters, its late facts kept at the end
    (the body is cut, not the ending that says who joined and what was agreed)."""
    long_article = _long_article_module()
    # ~6.5 characters a word: twice the words needed, then cut.
    paragraphs = long_article.article(limit // 3).rstrip("\n").split("\n\n")
    ending = "\n\n".join(long_article.LATE) + "\n"
    room = limit - len(ending)
    kept: list[str] = []
    size = 0
    for paragraph in paragraphs[:-len(long_article.LATE)]:
        if size + len(paragraph) + 2 > room:
            # The last paragraph cut at a word to fit; the few characters short of the limit
            # are spaces at its end.
            rest = room - size - 2
            cut = paragraph[:rest].rsplit(" ", 1)[0] if rest > 0 else ""
            if cut:
                kept.append(cut.ljust(rest))
            break
        kept.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(kept) + "\n\n" + ending
    assert len(text) <= limit, len(text)
    return text


def build_page(text: str, limit: int) -> str:
    """The text as a news page of `limit` characters: one `<p>` per paragraph in the article,
    wrapped like a CMS wraps blocks, then navigation and related links until the limit."""
    paragraphs = text.strip().split("\n\n")
    head = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Portugal and Japan hold talks in Lisbon</title>"
        "<meta property='article:published_time' content='2024-05-27'></head><body>"
        "<header><nav class='site-nav'><a href='/'>Home</a> <a href='/world'>World</a> "
        "<a href='/business'>Business</a></nav></header><main><article>"
    )
    blocks = [
        f"<div class='story-body__block' data-block='{n}'><p>{html.escape(p)}</p></div>\n"
        for n, p in enumerate(paragraphs)
    ]
    tail = "</article></main></body></html>\n"
    # Related-story links, the markup a page has most of around its text; trafilatura drops
    # link lists, so the extracted text stays the article's.
    aside_open, aside_close = "<aside class='related'><h2>Related stories</h2><ul>", "</ul></aside>"
    page = head + "".join(blocks)
    room = limit - len(page) - len(tail) - len(aside_open) - len(aside_close)
    links: list[str] = []
    used = 0
    for n in range(limit):  # bounded: each link is longer than one character
        link = (f"<li class='related__item'><a href='/world/story-{n:06d}'>"
                f"More coverage, story {n}</a></li>\n")
        if used + len(link) > room:
            break
        links.append(link)
        used += len(link)
    page += aside_open + "".join(links) + aside_close
    page += "<!--" + " " * max(0, limit - len(page) - len(tail) - 7) + "-->" + tail
    assert len(page) <= limit, len(page)
    return page


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status_kb(pid: int, key: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """The process's children, their children and so on (a tokenizer or worker process would
    count towards the server's memory)."""
    found: list[int] = []
    pending = [pid]
    while pending and len(found) < 1000:  # bounded
        parent = pending.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(c) for c in children.read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue
            found.extend(kids)
            pending.extend(kids)
    return found


def tree_rss_mb(pid: int) -> float:
    return sum(_status_kb(p) for p in [pid, *_descendants(pid)]) / 1024


@dataclass
class Outcome:
    """What happened to one request: its status and time, or the client error, or nothing yet."""

    status: int | None = None
    seconds: float | None = None
    error: str | None = None


@dataclass
class Result:
    kind: str
    concurrency: int
    idle_mb: float
    peak_mb: float
    final_mb: float
    after_mb: float
    peak_at_s: float
    hwm_mb: float
    """The kernel's high-water mark of the server process (VmHWM) at the window's end: a
    peak between two samples is in it, and so is start-up's."""
    in_window: list[Outcome] = field(default_factory=list)
    """The requests as they stood when the window ended."""
    later: list[Outcome] = field(default_factory=list)
    """The ones still running then, as they ended (by the deadline, as a rule)."""


def summarize(outcomes: list[Outcome]) -> str:
    """`2x 200 (<= 95 s), 2x running`: how many ended how, and the slowest of each."""
    groups: dict[str, list[float]] = {}
    for o in outcomes:
        key = str(o.status) if o.status is not None else o.error or "running"
        groups.setdefault(key, []).append(o.seconds or 0.0)
    return ", ".join(
        f"{len(times)}x {key}" + (f" (<= {max(times):.0f} s)" if key != "running" else "")
        for key, times in sorted(groups.items())
    ) or "-"


class Server:
    """`python -m service.cli serve` from `repo` (cwd first on sys.path: that checkout's
    `service` package is the one imported), on 127.0.0.1 at a free port."""

    def __init__(self, repo: Path, env: dict[str, str], log_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env, "BRIEF_HOST": "127.0.0.1", "BRIEF_PORT": str(self.port)}
        self.repo = repo
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, limit_s: float = 900) -> float:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "serve"], cwd=self.repo, env=self.env,
                stdout=log, stderr=log,
            )
        started = time.monotonic()
        while time.monotonic() - started < limit_s:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited with {self.process.returncode}:\n"
                                 + self.log_path.read_text(errors="replace")[-3000:])
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit("server never became ready")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def measure(
    repo: Path, kind: str, concurrency: int, body: str, chars: int, seconds: float,
    log_dir: Path,
) -> Result:
    deadline_s = seconds + DEADLINE_AFTER_WINDOW_S
    env = {
        "BRIEF_MAX_INPUT_CHARS": str(chars),
        "BRIEF_REQUEST_TIMEOUT_S": str(deadline_s),
        # Every request gets a slot at once: all of them are in progress together.
        "BRIEF_MAX_CONCURRENCY": str(max(concurrency, 1)),
        "BRIEF_MAX_QUEUE": str(max(concurrency, 8)),
    }
    server = Server(repo, env, log_dir / f"server-{kind}-{concurrency}.log")
    ready_s = server.start()
    try:
        time.sleep(2)  # let the warm-up's garbage settle before the idle figure
        idle = tree_rss_mb(server.pid)
        print(f"  [{kind} x{concurrency}] ready in {ready_s:.0f} s, idle {idle:.0f} MB",
              file=sys.stderr, flush=True)
        headers = {"content-type": "text/html" if kind == "html" else "text/plain; charset=utf-8"}
        content = body.encode("utf-8")
        outcomes = [Outcome() for _ in range(concurrency)]

        def send(outcome: Outcome) -> None:
            started = time.monotonic()
            try:
                # The client waits past the server's deadline, so the server's answer (504)
                # is what is seen, not a client timeout.
                response = httpx.post(f"{server.url}/v1/briefs", content=content,
                                      headers=headers, timeout=deadline_s + 60)
                outcome.status = response.status_code
            except httpx.HTTPError as exc:
                outcome.error = type(exc).__name__
            outcome.seconds = time.monotonic() - started

        threads = [threading.Thread(target=send, args=(o,), daemon=True) for o in outcomes]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        peak, peak_at, current = idle, 0.0, idle
        for step in range(int(seconds / SAMPLE_S) + 1):  # bounded by the window
            current = tree_rss_mb(server.pid)
            if current > peak:
                peak, peak_at = current, time.monotonic() - started
            if all(not thread.is_alive() for thread in threads):
                break  # every request answered: the rest of the window would be idle
            wait = started + (step + 1) * SAMPLE_S - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        final = current
        hwm = _status_kb(server.pid, "VmHWM") / 1024
        window_outcomes = [Outcome(o.status, o.seconds, o.error) for o in outcomes]
        # After the window: the deadline cuts the rest off; wait for that, then note the RSS.
        for thread in threads:
            thread.join(max(0.0, started + deadline_s + 30 - time.monotonic()))
        after = tree_rss_mb(server.pid)
    finally:
        server.stop()
    later = [o for o, w in zip(outcomes, window_outcomes, strict=True)
             if w.status is None and w.error is None]
    print(f"  [{kind} x{concurrency}] peak {peak:.0f} MB at {peak_at:.1f} s (VmHWM {hwm:.0f}), "
          f"final {final:.0f} MB, after {after:.0f} MB; {summarize(window_outcomes)} / "
          f"{summarize(later)}", file=sys.stderr, flush=True)
    return Result(kind, concurrency, idle, peak, final, after, peak_at, hwm, window_outcomes,
                  later)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 1])
    parser.add_argument("--kind", choices=["text", "html"], nargs="+", default=["text"])
    parser.add_argument("--seconds", type=float, default=120.0, help="sampling window")
    parser.add_argument("--chars", type=int, default=200_000,
                        help="BRIEF_MAX_INPUT_CHARS, and the size of the text article")
    parser.add_argument("--repo", type=Path, default=REPO,
                        help="checkout whose `service` package the server runs")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 1800 or not all(1 <= c <= 16 for c in args.concurrency):
        raise SystemExit("--seconds must be 1..1800 and --concurrency 1..16")
    repo = args.repo.resolve()
    text = build_text(args.chars)
    bodies = {"text": text, "html": build_page(text, args.chars * HTML_SIZE_FACTOR)}
    print(f"server from {repo}; text {len(text):,} chars, html {len(bodies['html']):,} chars; "
          f"{args.seconds:.0f} s window", file=sys.stderr, flush=True)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="brief-memory-") as tmp:
        for kind in args.kind:
            for concurrency in args.concurrency:
                results.append(measure(repo, kind, concurrency, bodies[kind], args.chars,
                                       args.seconds, Path(tmp)))
    print(f"\nRSS of `brief serve` ({repo}), MB; window {args.seconds:.0f} s, sampled every "
          f"{SAMPLE_S} s; deadline {args.seconds + DEADLINE_AFTER_WINDOW_S:.0f} s")
    print(f"{'kind':<5} {'N':>2} {'idle':>6} {'peak':>6} {'peak@s':>7} {'hwm':>6} {'final':>6} "
          f"{'after':>6}  in window / after it")
    for r in results:
        print(f"{r.kind:<5} {r.concurrency:>2} {r.idle_mb:>6.0f} {r.peak_mb:>6.0f} "
              f"{r.peak_at_s:>7.1f} {r.hwm_mb:>6.0f} {r.final_mb:>6.0f} {r.after_mb:>6.0f}  "
              f"{summarize(r.in_window)} / {summarize(r.later)}")
    print("peak: highest 0.2 s sample in the window; hwm: the server's VmHWM (start-up "
          "included); final: at the window's end; after: once the deadline has ended the "
          "requests")


if __name__ == "__main__":
    main()
