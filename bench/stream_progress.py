"""How often a streamed brief tells its progress: the seed article and long synthetic
articles, through `POST /v1/briefs` with `Accept: text/event-stream`.

    python bench/stream_progress.py                      # starts `brief serve` (embedded model)
    python bench/stream_progress.py --url http://127.0.0.1:8000 --words 5000,10000

For each article: the number of progress events, the longest gap between two events (what a
person watching the page waits without news), when each stage began, and the whole time.
Only loopback is used; every wait is bounded.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def _long_article(words: int) -> str:
    spec = importlib.util.spec_from_file_location("long_article", ROOT / "bench" / "long_article.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.article(words))


def _start_server() -> tuple[str, subprocess.Popen[bytes]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "BRIEF_PORT": str(port), "BRIEF_HOST": "127.0.0.1"}
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return url, process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not become ready")


def stream(url: str, text: str, timeout_s: float) -> dict[str, Any]:
    started = time.monotonic()
    times: list[float] = []
    stages: dict[str, float] = {}
    final = None
    event = None
    with httpx.stream("POST", f"{url}/v1/briefs", json={"text": text},
                      headers={"accept": "text/event-stream"}, timeout=timeout_s) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                now = time.monotonic() - started
                data = json.loads(line[5:])
                if event == "progress":
                    times.append(now)
                    stages.setdefault(data["stage"], now)
                else:
                    final = (event, now)
    gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
    if final:
        gaps.append(final[1] - (times[-1] if times else 0.0))
    return {"events": len(times), "max_gap_s": max(gaps, default=0.0), "stages": stages,
            "final": final[0] if final else None, "total_s": final[1] if final else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--words", default="5000", help="long articles' lengths, comma-separated")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    process = None
    url = args.url
    if url is None:
        url, process = _start_server()
    try:
        articles = []
        seed = next(SEEDS.glob("*.txt"), None)
        if seed:
            articles.append(("seed", seed.read_text(encoding="utf-8")))
        articles += [(f"{n:,} words", _long_article(n)) for n in map(int, args.words.split(","))]
        print(f"{'article':<14} {'events':>6} {'max gap':>8} {'total':>8}  stages began at")
        for name, text in articles:
            got = stream(url, text, args.timeout)
            began = ", ".join(f"{stage} {at:.1f} s" for stage, at in got["stages"].items())
            print(f"{name:<14} {got['events']:>6} {got['max_gap_s']:>7.1f}s "
                  f"{got['total_s'] or 0:>7.1f}s  {began}; {got['final']}")
    finally:
        if process:
            process.terminate()
            process.wait(60)


if __name__ == "__main__":
    main()
