"""Long input: latency by length and the quality of long briefs, for every way of reading an
article longer than one model call, side by side in one run.

    python bench/long_input.py                        # select (tfidf), select (embeddings), parts
    python bench/long_input.py --configs select,parts --words 1000,5000,10000,20000
    python bench/long_input.py --configs select --skip-quality   # the latency table only

For each configuration (`select` = BRIEF_LONG_MODE=select with TF-IDF salience, the default;
`select-emb` = the same with BRIEF_SALIENCE=embeddings; `parts` = BRIEF_LONG_MODE=parts) a fresh
`brief serve` with the embedded model is started on 127.0.0.1 and warmed up; then, one request
at a time:

  * the seed article (../shared/seeds), the yardstick for "N x the seed's latency";
  * bench/long_article.py's synthetic article at each `--words` length (its decisive facts,
    a late participant, an agreement and the next meeting, are its last three paragraphs);
  * the quality set: the 20,000-word synthetic article, a 20,000-word article assembled from
    real text (the first half of the development set's long article, then real White House
    briefings and readouts from ../shared/eval/real as background, then that article's second
    half, so its late facts sit in the last fifth), and the development and real articles of
    more than 2,500 words as they are.

The server's peak RSS (VmHWM) is read after each request. The quality set is scored with
../shared/eval/score.py against the gold of each source (the two built articles get gold
written here or taken from the article they were built from). The evaluation texts are read
from ../shared at run time; none is copied into the project.

Separately, in this process, the steps before the model are timed on the synthetic article at
each length (prepare, extract, counting sentence tokens, selection), since the server reports
only model time (meta.prefill_ms / decode_ms) and the total.

Prints the tables and writes JSON (--out). Only loopback is used; every wait is bounded.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED = REPO.parent / "shared"
THREADS = os.environ.get("BRIEF_THREADS") or "2"
PUBLISHED = "2024-05-28"
"""The synthetic article's publication date: its dateline says May 27, a Monday."""
LONG_WORDS = 2500
"""Evaluation articles at least this long are in the quality set."""
CONFIGS: dict[str, dict[str, str]] = {
    "select": {"BRIEF_LONG_MODE": "select", "BRIEF_SALIENCE": "tfidf"},
    "select-emb": {"BRIEF_LONG_MODE": "select", "BRIEF_SALIENCE": "embeddings"},
    "parts": {"BRIEF_LONG_MODE": "parts"},
}
# The synthetic article's gold, as bench/long_article.py writes it.
SYNTHETIC_GOLD: dict[str, Any] = {
    "event_type": "meeting", "date": "2024-05-27", "location": "Lisbon",
    "participants": [
        {"name": "Rui Matos", "title": "Foreign Minister", "country": "Portugal"},
        {"name": "Haruto Ishida", "title": "Foreign Minister", "country": "Japan"},
        {"name": "Keiko Sato", "title": "State Minister", "country": "Japan"},
    ],
    "non_participants": [], "countries": ["Portugal", "Japan"],
    "topics": [{"label": "maritime security", "keywords": ["maritime"]},
               {"label": "ocean science", "keywords": ["ocean"]}],
    "agreements": [{"label": "joint fund for deep-sea research",
                    "keywords": ["joint fund", "deep-sea"]}],
    "next_steps": [{"label": "next round in Osaka in October", "keywords": ["osaka"]}],
    "tone": "constructive", "quotes": [],
    "late_facts": [
        {"label": "Keiko Sato joined the final session", "keywords": ["sato"]},
        {"label": "joint fund for deep-sea research", "keywords": ["joint fund", "deep-sea"]},
        {"label": "next round in Osaka", "keywords": ["osaka"]},
    ],
    "forbidden_strings": [],
}


def _bench_module(name: str) -> ModuleType:
    # Loaded by path: bench/ is not a package, and this works however the script is run.
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


LONG_ARTICLE = _bench_module("long_article")
MEMORY = _bench_module("memory")


# --- the articles ----------------------------------------------------------------------------

def _words(text: str) -> int:
    return len(text.split())


def _eval_items(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def assembled_article(articles: Path, real: Path, words: int) -> dict[str, Any] | None:
    """The development set's longest article with late facts, split in half at a paragraph,
    and real texts in between as background until the whole is `words` long."""
    hosts = [a for a in _eval_items(articles) if a["gold"].get("late_facts")]
    backgrounds = [r["text"] for r in _eval_items(real)]
    if not hosts or not backgrounds:
        return None
    host = max(hosts, key=lambda a: _words(a["text"]))
    paragraphs = host["text"].split("\n\n")
    half = len(paragraphs) // 2
    head, tail = "\n\n".join(paragraphs[:half]), "\n\n".join(paragraphs[half:])
    middle: list[str] = []
    count = _words(head) + _words(tail)
    # Longest texts first: fewer title and date lines in between.
    for text in sorted(backgrounds, key=_words, reverse=True):
        if count >= words:
            break
        middle.append(text.strip())
        count += _words(text)
    return {"id": f"assembled-{host['id']}", "kind": "long_news", "language": "en",
            "text": "\n\n".join([head, *middle, tail]) + "\n", "gold": host["gold"]}


def quality_set(articles: Path, real: Path, words: int) -> list[dict[str, Any]]:
    items = [{"id": "synthetic-20k", "kind": "long_news", "language": "en",
              "text": LONG_ARTICLE.article(words), "published": PUBLISHED,
              "gold": SYNTHETIC_GOLD}]
    built = assembled_article(articles, real, words)
    if built is not None:
        items.append(built)
    for folder in (articles, real):
        items.extend(a for a in _eval_items(folder) if _words(a["text"]) >= LONG_WORDS)
    return items


# --- one configuration -----------------------------------------------------------------------

def _post(url: str, item: dict[str, Any], timeout: float) -> dict[str, Any]:
    body = {"text": item["text"]}
    if item.get("published"):
        body["published"] = item["published"]
    started = time.monotonic()
    response = httpx.post(f"{url}/v1/briefs", json=body, timeout=timeout)
    wall = time.monotonic() - started
    if response.status_code != 200:
        return {"status": response.status_code, "wall_s": wall, "error": response.text[:300]}
    return {"status": 200, "wall_s": wall, "brief": response.json()}


def run_config(name: str, seed: str, lengths: list[int], quality: list[dict[str, Any]],
               log_dir: Path, timeout: float) -> dict[str, Any]:
    env = {**CONFIGS[name], "BRIEF_THREADS": THREADS, "BRIEF_REQUEST_TIMEOUT_S": str(timeout),
           "BRIEF_MAX_CONCURRENCY": "1"}
    server = MEMORY.Server(REPO, env, log_dir / f"server-{name}.log")
    ready_s = server.start()
    rows: list[dict[str, Any]] = []
    briefs: dict[str, Any] = {}
    try:
        def one(label: str, item: dict[str, Any]) -> dict[str, Any]:
            result = _post(server.url, item, timeout + 60)
            meta = result.get("brief", {}).get("meta", {})
            row = {"config": name, "article": label, "words": _words(item["text"]),
                   "status": result["status"], "wall_s": round(result["wall_s"], 2),
                   "latency_ms": meta.get("latency_ms"), "prefill_ms": meta.get("prefill_ms"),
                   "decode_ms": meta.get("decode_ms"), "input_tokens": meta.get("input_tokens"),
                   "calls": meta.get("chunks"), "read": meta.get("read_sentences"),
                   "sentences": meta.get("total_sentences"),
                   "hwm_mb": round(MEMORY._status_kb(server.pid, "VmHWM") / 1024)}
            print(f"  [{name}] {label}: {row['wall_s']:.1f} s, {row['calls']} call(s), read "
                  f"{row['read']}/{row['sentences']}, VmHWM {row['hwm_mb']} MB",
                  file=sys.stderr, flush=True)
            rows.append(row)
            if "brief" in result:
                briefs[label] = result["brief"]
            return row

        # Twice: the first brief after the warm-up still pays for first-use costs.
        _post(server.url, {"text": seed, "published": "2023-09-19"}, timeout)
        one("seed", {"text": seed, "published": "2023-09-19"})
        for words in lengths:
            one(f"{words}w", {"text": LONG_ARTICLE.article(words), "published": PUBLISHED})
        for item in quality:
            if item["id"] == "synthetic-20k" and f"{max(lengths, default=0)}w" in briefs:
                continue  # the longest row of the table is this article
            one(item["id"], item)
    finally:
        server.stop()
    return {"config": name, "ready_s": round(ready_s, 1), "rows": rows, "briefs": briefs}


# --- scoring ---------------------------------------------------------------------------------

def score(scorer: Path, quality: list[dict[str, Any]], briefs: dict[str, Any],
          synthetic_label: str, work: Path) -> dict[str, Any]:
    gold_dir, brief_dir = work / "gold", work / "briefs"
    gold_dir.mkdir(parents=True, exist_ok=True)
    brief_dir.mkdir(parents=True, exist_ok=True)
    for item in quality:
        label = synthetic_label if item["id"] == "synthetic-20k" else item["id"]
        if label not in briefs:
            continue
        gold = {k: item[k] for k in ("id", "kind", "language", "text", "gold")}
        (gold_dir / f"{item['id']}.json").write_text(json.dumps(gold), encoding="utf-8")
        (brief_dir / f"{item['id']}.json").write_text(json.dumps(briefs[label]),
                                                     encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(scorer), "--gold", str(gold_dir), "--briefs", str(brief_dir),
         "--only-present", "--json"], capture_output=True, text=True, timeout=300, check=False)
    if out.returncode != 0:
        raise SystemExit(f"score.py failed: {out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# --- stages before the model -----------------------------------------------------------------

def time_stages(lengths: list[int]) -> list[dict[str, Any]]:
    """prepare / extract / sentence costs / selection, in this process, on the embedded model's
    tokenizer and both salience measures."""
    sys.path.insert(0, str(REPO))
    from service.brief.config import PipelineConfig
    from service.brief.plan import Planner
    from service.brief.prompts import load_prompts
    from service.brief.selection import sentences_to_read
    from service.engines import load_engine
    from service.engines.sentence_embeddings import load_embedding_centrality
    from service.settings import Settings
    from service.text.article import prepare
    from service.text.centrality import TfidfCentrality
    from service.text.extract import extract

    settings = Settings()
    engine = load_engine(settings)
    config = PipelineConfig.from_settings(settings)
    planner = Planner(engine, load_prompts(), config, TfidfCentrality())
    measures = {"embeddings": load_embedding_centrality("cpu"), "tfidf": TfidfCentrality()}
    prepare(LONG_ARTICLE.article(300))  # spaCy's pipelines load on first use
    rows = []
    for words in lengths:
        text = LONG_ARTICLE.article(words)
        row: dict[str, Any] = {"words": words}
        started = time.perf_counter()
        article = prepare(text)
        row["prepare_ms"] = round((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        extraction = extract(article)
        row["extract_ms"] = round((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        costs = planner.sentence_costs(article)
        row["costs_ms"] = round((time.perf_counter() - started) * 1000)
        row["sentences"] = len(article.sentences)
        for measure_name, measure in measures.items():
            started = time.perf_counter()
            if costs is not None:
                chosen = sentences_to_read(article, extraction, costs, config.long_read_tokens,
                                          measure)
                row[f"read_{measure_name}"] = len(chosen.indices)
            row[f"select_{measure_name}_ms"] = round((time.perf_counter() - started) * 1000)
        rows.append(row)
        print(f"  [stages] {words}w: {row}", file=sys.stderr, flush=True)
    return rows


# --- report ----------------------------------------------------------------------------------

def _cell(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_report(runs: list[dict[str, Any]], scores: dict[str, Any],
                 stages: list[dict[str, Any]]) -> None:
    print("\nLatency by length (s, wall over HTTP; x seed = wall / the seed's wall in the same "
          "server; calls = model calls; read = sentences the model read)")
    print(f"{'config':<13}{'article':<22}{'words':>7}{'wall_s':>8}{'x seed':>8}{'prefill':>8}"
          f"{'decode':>8}{'calls':>6}{'read':>11}{'in_tok':>8}{'VmHWM':>7}")
    for run in runs:
        seed = next((r["wall_s"] for r in run["rows"] if r["article"] == "seed"), None)
        for r in run["rows"]:
            ratio = r["wall_s"] / seed if seed else None
            read = f"{r['read']}/{r['sentences']}" if r["read"] is not None else "-"
            prefill = r["prefill_ms"] / 1000 if r["prefill_ms"] is not None else None
            decode = r["decode_ms"] / 1000 if r["decode_ms"] is not None else None
            print(f"{run['config']:<13}{r['article'][:21]:<22}{r['words']:>7}"
                  f"{r['wall_s']:>8.1f}{_cell(ratio, 1):>8}{_cell(prefill, 1):>8}"
                  f"{_cell(decode, 1):>8}{_cell(r['calls']):>6}{read:>11}"
                  f"{_cell(r['input_tokens']):>8}{r['hwm_mb']:>7}")
    keys = [("part_f1", "part_F1"), ("country_f1", "ctry_F1"), ("agree_r", "agree_R"),
            ("next_r", "next_R"), ("late_r", "late_R"), ("date_ok", "date"),
            ("quote_fid", "q_fid"), ("distractor_hits", "distr")]
    print("\nQuality on long articles (../shared/eval/score.py)")
    print(f"{'config':<13}{'article':<22}" + "".join(f"{h:>9}" for _, h in keys))
    for config, result in scores.items():
        aggregate = dict(result.get("aggregate", {}))
        aggregate.setdefault("date_ok", aggregate.get("date_acc"))
        for row in [*result.get("articles", {}).values(), {**aggregate, "id": "mean"}]:
            print(f"{config:<13}{str(row.get('id'))[:21]:<22}"
                  + "".join(f"{_cell(_num(row.get(k))):>9}" for k, _ in keys))
    if stages:
        print("\nSteps before the model (ms, in-process, synthetic article)")
        heads = ["words", "sentences", "prepare_ms", "extract_ms", "costs_ms",
                 "select_embeddings_ms", "select_tfidf_ms", "read_embeddings", "read_tfidf"]
        print("".join(f"{h:>22}" if i > 4 else f"{h:>12}" for i, h in enumerate(heads)))
        for row in stages:
            print("".join(f"{_cell(row.get(h)):>22}" if i > 4 else f"{_cell(row.get(h)):>12}"
                          for i, h in enumerate(heads)))


def _num(value: Any) -> Any:
    if isinstance(value, bool):
        return float(value)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="select,select-emb,parts")
    parser.add_argument("--words", default="1000,5000,10000,20000")
    parser.add_argument("--seed", type=Path, default=None)
    parser.add_argument("--articles", type=Path, default=SHARED / "eval" / "articles")
    parser.add_argument("--real", type=Path, default=SHARED / "eval" / "real")
    parser.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score.py")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-stages", action="store_true")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="each request's deadline (BRIEF_REQUEST_TIMEOUT_S)")
    parser.add_argument("--out", type=Path, default=REPO / "bench-out" / "long_input.json")
    args = parser.parse_args()
    configs = [c for c in args.configs.split(",") if c]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        raise SystemExit(f"unknown configs {unknown}; choose from {sorted(CONFIGS)}")
    lengths = [int(w) for w in args.words.split(",") if w]
    if not all(100 <= w <= 40_000 for w in lengths) or not 10 <= args.timeout <= 3600:
        raise SystemExit("--words must be 100..40000 each and --timeout 10..3600")
    seed_path = args.seed or next(iter(sorted((SHARED / "seeds").glob("*.txt"))), None)
    if seed_path is None:
        raise SystemExit("no seed article: pass --seed FILE")
    seed = seed_path.read_text(encoding="utf-8")
    quality = [] if args.skip_quality else quality_set(args.articles, args.real, max(lengths))
    print(f"quality set: {[(q['id'], _words(q['text'])) for q in quality]}", file=sys.stderr)
    runs, scores = [], {}
    with tempfile.TemporaryDirectory(prefix="brief-long-") as tmp:
        for config in configs:
            run = run_config(config, seed, lengths, quality, Path(tmp), args.timeout)
            runs.append(run)
            if quality:
                scores[config] = score(args.scorer, quality, run["briefs"],
                                       f"{max(lengths)}w", Path(tmp) / config)
    stages = [] if args.skip_stages else time_stages(lengths)
    print_report(runs, scores, stages)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(
        {"threads": THREADS, "runs": [{k: v for k, v in r.items() if k != "briefs"}
                                      for r in runs],
         "briefs": {r["config"]: r["briefs"] for r in runs}, "scores": scores,
         "stages": stages}, indent=1), encoding="utf-8")
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
