"""Which model writes the best summary, at what cost: `brief eval` on a fixed subset of the
development sets once per setting (model x who writes the summary), one run at a time, and
one table row per setting and set (README, "Which model").

    python bench/summary_models.py ../shared/eval/real:10 ../shared/eval/world:8 \\
        --scorer ../shared/eval/score.py --out /tmp/summary-models

Each FOLDER:N takes the folder's first N texts (by name). The settings default to the 0.5B
and the 1.5B (`pip install -e ".[model-1-5b]"`), each with the assembled summary and with
`BRIEF_ABSTRACTIVE_SUMMARY=true`; `--settings` picks some, among them `served-assembled` and
`served-written`: a model server's (`BRIEF_ENGINE=openai`, its address and model in the
environment, README "Scaling out"). The runs inherit the environment (BRIEF_THREADS) with
PYTHONHASHSEED=0, so that a rerun reads the same.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

# Setting name -> the variables it sets.
SETTINGS = {
    "0.5b-assembled": {"BRIEF_MODEL": "embedded", "BRIEF_ABSTRACTIVE_SUMMARY": "false"},
    "0.5b-written": {"BRIEF_MODEL": "embedded", "BRIEF_ABSTRACTIVE_SUMMARY": "true"},
    "1.5b-assembled": {"BRIEF_MODEL": "embedded-1.5b", "BRIEF_ABSTRACTIVE_SUMMARY": "false"},
    "1.5b-written": {"BRIEF_MODEL": "embedded-1.5b", "BRIEF_ABSTRACTIVE_SUMMARY": "true"},
    "served-assembled": {"BRIEF_ENGINE": "openai", "BRIEF_ABSTRACTIVE_SUMMARY": "false"},
    "served-written": {"BRIEF_ENGINE": "openai", "BRIEF_ABSTRACTIVE_SUMMARY": "true"},
}
# Without a server only the embedded models run.
DEFAULT_SETTINGS = [name for name in SETTINGS if not name.startswith("served")]
# The scorer's figures the table shows, as its OVERALL line names them.
FIGURES = ("summary_cov", "condensed_median", "kp_n_median", "topic_R", "agree_R", "next_R",
           "part_F1", "wrong_fact_rate", "halluc_rate")
# What the briefs' meta.warnings say when the model's summary is replaced by the lead, and
# when the claim check refuses a summary sentence or key point.
FELL_BACK = "the model's summary"
REFUSED = "a claim stated what its sentences do not"


def subset(spec: str, into: Path) -> Path:
    """FOLDER:N -> a folder holding FOLDER's first N texts (the scorer reads their gold)."""
    folder, _, count = spec.rpartition(":")
    source = Path(folder)
    chosen = into / source.resolve().name
    chosen.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.json"))[: int(count)]:
        shutil.copy(path, chosen / path.name)
    return chosen


def run(setting: str, folders: list[Path], scorer: str, out: Path) -> str:
    """One `brief eval` of every folder under one setting; its stdout."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **SETTINGS[setting]}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "eval", *map(str, folders),
         "--scorer", scorer, "--out", str(out)],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{setting}: brief eval exited {done.returncode}\n{done.stderr[-2000:]}")
    return done.stdout


def row(setting: str, folder: Path, stdout: str, briefs: Path) -> str:
    """The table row of one setting on one folder: the scorer's figures, then latency and
    the briefs whose summary fell back or whose claims were refused."""
    lines = [line for line in stdout.splitlines() if line.startswith(f"{folder}: OVERALL")]
    figures = {}
    for name in FIGURES:
        found = re.search(rf"\b{name}=(\S+)", lines[-1]) if lines else None
        figures[name] = found.group(1) if found else "?"
    metas = [json.loads(p.read_text())["meta"] for p in sorted(briefs.glob("*.json"))]
    seconds = [m["latency_ms"] / 1000 for m in metas]
    fell_back = sum(any(FELL_BACK in w for w in m["warnings"]) for m in metas)
    refused = sum(any(REFUSED in w for w in m["warnings"]) for m in metas)
    return (f"| {setting} | {folder.name} | " + " | ".join(figures[n] for n in FIGURES)
            + f" | {statistics.median(seconds):.1f} | {max(seconds):.1f}"
            + f" | {fell_back}/{len(metas)} | {refused}/{len(metas)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", metavar="FOLDER:N")
    parser.add_argument("--scorer", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--settings", nargs="+", choices=list(SETTINGS),
                        default=DEFAULT_SETTINGS)
    args = parser.parse_args()
    folders = [subset(spec, args.out / "subset") for spec in args.folders]
    print("| setting | set | " + " | ".join(FIGURES)
          + " | latency median s | latency max s | summary fell back | claim refused |")
    print("|" + "---|" * (len(FIGURES) + 6))
    for setting in args.settings:
        stdout = run(setting, folders, args.scorer, args.out / setting)
        for folder in folders:
            # `brief eval` writes several folders' briefs each in OUT/<folder name>.
            briefs = args.out / setting / folder.name if len(folders) > 1 else args.out / setting
            print(row(setting, folder, stdout, briefs), flush=True)


if __name__ == "__main__":
    main()
