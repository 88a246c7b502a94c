"""Time a cold start (conversion into an empty cache), a warm start, and one brief over HTTP.

    python bench/startup.py ARTICLE.txt --published 2023-09-19 [--cache-dir DIR] [--port 8123]

Only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def _wait_ready(port: int, process: subprocess.Popen[bytes], limit_s: float = 900) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit("server never became ready")


def _start(port: int, cache_dir: str) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "BRIEF_CACHE_DIR": cache_dir, "BRIEF_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return process, _wait_ready(port, process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("article")
    parser.add_argument("--published")
    parser.add_argument("--cache-dir", help="default: a new empty folder (a cold start)")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    cache_dir = args.cache_dir or tempfile.mkdtemp(prefix="brief-cache-")
    results: dict[str, object] = {"cache_dir": cache_dir}

    process, results["first_start_s"] = _start(args.port, cache_dir)
    _stop(process)
    process, results["warm_start_s"] = _start(args.port, cache_dir)
    body = {"text": Path(args.article).read_text(encoding="utf-8")}
    if args.published:
        body["published"] = args.published
    request = urllib.request.Request(
        f"http://127.0.0.1:{args.port}/v1/briefs", data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    for label in ("first_request_s", "second_request_s"):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            brief = json.load(response)
        results[label] = round(time.perf_counter() - started, 2)
    _stop(process)
    results["participants"] = [(p["name"], p["country"]) for p in brief["participants"]]
    results["event"] = brief["event"]
    results["output_tokens"] = brief["meta"]["output_tokens"]
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in results.items()},
                     indent=2))


if __name__ == "__main__":
    main()
