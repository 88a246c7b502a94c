"""Load a running brief server on this machine and print throughput and latency percentiles.

    brief serve &                                   # the embedded model, default limits
    python bench/load.py tests/articles/santiago_readout.txt --clients 8 --seconds 120

Only 127.0.0.1 / localhost targets are accepted. Clients honour Retry-After on 429.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("article")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=2000)
    args = parser.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("bench/load.py only targets a server on this machine")
    body = {"text": Path(args.article).read_text(encoding="utf-8")}
    stop_at = time.monotonic() + args.seconds
    lock = threading.Lock()
    results: list[tuple[int, float]] = []
    errors: list[str] = []

    def client() -> None:
        with httpx.Client(timeout=max(600.0, args.seconds)) as http:
            while time.monotonic() < stop_at:
                with lock:
                    if len(results) + len(errors) >= args.max_requests:
                        return
                started = time.perf_counter()
                try:
                    response = http.post(f"{args.url}/v1/briefs", json=body)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    results.append((response.status_code, time.perf_counter() - started))
                if response.status_code == 429:
                    time.sleep(float(response.headers.get("retry-after", "1")))

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok = sorted(latency for status, latency in results if status == 200)
    statuses: dict[str, int] = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def pct(q: int) -> float | None:
        return round(statistics.quantiles(ok, n=100)[q - 1], 2) if len(ok) > 1 else None

    print(json.dumps({
        "clients": args.clients, "seconds": round(elapsed, 1), "requests": len(results),
        "statuses": statuses, "errors": len(errors),
        "briefs_per_minute": round(len(ok) / elapsed * 60, 2),
        "latency_s": {"p50": pct(50), "p95": pct(95), "p99": pct(99)},
    }, indent=2))


if __name__ == "__main__":
    main()
