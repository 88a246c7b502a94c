"""A pair of short readouts compared (`POST /v1/compare`, both briefs in one batch) against
briefing them one after the other (`POST /v1/briefs` for A, then for B), on one warm app
with the embedded model, in turns so that the machine's drift touches both alike.

    BRIEF_THREADS=2 python bench/compare_timing.py [--rounds 3] [--out timing.json]

The pair is the one the tests use (tests/test_compare.py: Chile's and Peru's readouts of one
call, written for them). Prints each round and the medians; the target is compare <= 2x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.engines import load_centrality, load_engine
from service.http.app import create_app
from service.settings import Settings
from tests.test_compare import CHILE, PERU


def _timed(client: TestClient, path: str, body: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = client.post(path, json=body)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    app = create_app(Settings(), load_engine, centrality_factory=load_centrality)
    rows = []
    with TestClient(app) as client:
        deadline = time.monotonic() + 900
        while client.get("/readyz").status_code != 200:
            if time.monotonic() > deadline:
                raise SystemExit("the model did not load in 15 minutes")
            time.sleep(0.5)
        for round_ in range(args.rounds):
            briefs = (_timed(client, "/v1/briefs", {"text": CHILE})
                      + _timed(client, "/v1/briefs", {"text": PERU}))
            compare = _timed(client, "/v1/compare", {"articles": [{"text": CHILE},
                                                                  {"text": PERU}]})
            rows.append({"briefs_a_then_b_s": briefs, "compare_s": compare,
                         "ratio": compare / briefs})
            print(f"round {round_ + 1}: briefs A then B {briefs:.1f} s, compare {compare:.1f} s,"
                  f" ratio {compare / briefs:.2f}", flush=True)
    summary = {k: statistics.median(r[k] for r in rows)
               for k in ("briefs_a_then_b_s", "compare_s", "ratio")}
    print("median: " + ", ".join(f"{k} {v:.2f}" for k, v in summary.items()))
    if args.out:
        Path(args.out).write_text(json.dumps({"rounds": rows, "median": summary}, indent=1))


if __name__ == "__main__":
    main()
