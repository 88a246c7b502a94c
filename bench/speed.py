"""Speed side by side, in one run, on the same articles and machine:

  (a) naive     the same model in fp32, `generate` on a plain "summarize as JSON" prompt
  (b) service   `brief serve` (warm), each article POSTed over HTTP; then 1/2/4/8 at once
  (c) llama.cpp llama-cpp-python on the same GGUF, the service's prompt, the same output length

plus the machine's memory read bandwidth, so decode speed can be read as a fraction of the
bound it sets (every decode step reads all the linear weights once). The seed article is
briefed three times on the warm server; its median gives the per-step figures (milliseconds a
forward pass, the share of the bandwidth bound), next to the grammar's compile time in a fresh
process (first schema, and the later ones).

    python bench/speed.py [--articles ../shared/eval/articles] [--seed ../shared/seeds/000_*.txt]
                          [--naive-limit 3] [--concurrency 1,2,4,8] [--out bench-out/speed.json]

Each configuration runs in its own process, so its peak RSS is its own. Only 127.0.0.1 is used.
Prints a table and writes JSON. llama.cpp is skipped (and says so) where llama-cpp-python is
not installed (`pip install llama-cpp-python==0.3.36`, which compiles llama.cpp).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

THREADS = int(os.environ.get("BRIEF_THREADS") or 2)
NAIVE_PROMPT = (
    "Summarize the following news article as a JSON object with the fields headline, summary, "
    "key_points, event (type, date, location), participants (name, title, country), countries, "
    "topics, agreements, disagreements, next_steps, tone and quotes (speaker, text).\n\n{text}"
)


# --- articles --------------------------------------------------------------------------------

def load_articles(articles_dir: Path | None, seed: Path | None) -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = []
    if seed is not None and seed.is_file():
        articles.append({"id": "seed", "text": seed.read_text(encoding="utf-8"),
                         "published": "2023-09-19"})
    if articles_dir is not None and articles_dir.is_dir():
        for path in sorted(articles_dir.glob("*.json")):
            item = json.loads(path.read_text(encoding="utf-8"))
            articles.append({"id": item["id"], "text": item["text"]})
    if not articles:
        raise SystemExit("no articles: pass --articles DIR and/or --seed FILE")
    return articles


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- the machine -----------------------------------------------------------------------------

def memory_bandwidth_gbs() -> float:
    """Best of several reads of a 1 GiB tensor with the configured threads (a sum reads each
    byte once and computes almost nothing)."""
    import torch

    torch.set_num_threads(THREADS)
    data = torch.ones(256 * 1024 * 1024, dtype=torch.float32)
    best = float("inf")
    for _ in range(6):
        started = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - started)
    return data.numel() * 4 / best / 1e9


def weight_bytes(checkpoint: Path, gguf: Path | None) -> dict[str, float]:
    """Bytes of the weights one decode step reads, per format: every matrix of the decoder
    layers and the output layer once (the embedding lookup reads one row; with tied
    embeddings the output layer is the embedding matrix, read whole)."""
    with (checkpoint / "model.safetensors").open("rb") as handle:
        header_size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(header_size))
    matrices = {name: t["shape"] for name, t in header.items()
                if name != "__metadata__" and len(t["shape"]) == 2}
    if "lm_head.weight" in matrices:
        matrices.pop("model.embed_tokens.weight", None)
    linear = sum(shape[0] * shape[1] for shape in matrices.values())
    sizes = {"fp32": linear * 4.0, "int8": float(linear)}
    if gguf is not None:
        from gguf import GGUFReader

        tensors = {t.name: int(t.n_bytes) for t in GGUFReader(str(gguf)).tensors
                   if len(t.shape) == 2}
        if "output.weight" in tensors:
            tensors.pop("token_embd.weight", None)
        sizes["gguf"] = float(sum(tensors.values()))
    return sizes


# --- (a) naive -------------------------------------------------------------------------------

def child_naive(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, LogitsProcessor

    torch.set_num_threads(THREADS)
    checkpoint = Path(args.checkpoint)
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32).eval()
    load_s = time.perf_counter() - started

    class FirstLogits(LogitsProcessor):
        at: float | None = None

        def __call__(self, input_ids: Any, scores: Any) -> Any:
            if self.at is None:
                self.at = time.perf_counter()
            return scores

    runs = []
    for article in json.loads(Path(args.input).read_text())[: args.naive_limit]:
        messages = [{"role": "user", "content": NAIVE_PROMPT.format(text=article["text"])}]
        inputs = tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        clock = FirstLogits()
        began = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=args.naive_tokens, do_sample=False,
                                 logits_processor=[clock], pad_token_id=tokenizer.eos_token_id)
        ended = time.perf_counter()
        new = int(out.shape[1] - inputs["input_ids"].shape[1])
        prefill = (clock.at or ended) - began
        runs.append({"id": article["id"], "input_tokens": int(inputs["input_ids"].shape[1]),
                     "output_tokens": new, "prefill_s": prefill, "e2e_s": ended - began,
                     "decode_tps": (new - 1) / max(1e-9, ended - (clock.at or ended))})
        print(f"  naive {article['id']}: {ended - began:.1f} s, {new} tokens", file=sys.stderr)
    return {"load_s": load_s, "runs": runs, "peak_rss_mb": peak_rss_mb()}


# --- (c) llama.cpp ---------------------------------------------------------------------------

def child_llama(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from llama_cpp import Llama
    except ImportError:
        return {"skipped": "llama-cpp-python is not installed"}
    started = time.perf_counter()
    llm = Llama(model_path=args.gguf, n_threads=THREADS, n_threads_batch=THREADS, n_ctx=8192,
                n_batch=512, verbose=False)
    load_s = time.perf_counter() - started
    runs = []
    for item in json.loads(Path(args.input).read_text()):
        tokens = llm.tokenize(item["prompt"].encode("utf-8"), add_bos=False, special=True)
        target = item["output_tokens"]
        llm.reset()
        began = time.perf_counter()
        first_at = None
        produced = 0
        # Greedy, and past an end-of-text token too: exactly the service's output length.
        for _ in llm.generate(tokens, top_k=1, top_p=1.0, temp=0.0, repeat_penalty=1.0,
                              reset=True):
            produced += 1
            if first_at is None:
                first_at = time.perf_counter()
            if produced >= target:
                break
        ended = time.perf_counter()
        runs.append({"id": item["id"], "input_tokens": len(tokens), "output_tokens": produced,
                     "prefill_s": (first_at or ended) - began, "e2e_s": ended - began,
                     "decode_tps": (produced - 1) / max(1e-9, ended - (first_at or ended))})
        print(f"  llama.cpp {item['id']}: {ended - began:.1f} s", file=sys.stderr)
    return {"load_s": load_s, "runs": runs, "peak_rss_mb": peak_rss_mb()}


def service_calls(
    articles: list[dict[str, Any]], checkpoint: Path
) -> tuple[list[str], list[dict[str, Any]]]:
    """The exact prompt text and JSON schema the service gives the model for each article
    (first part)."""
    from transformers import AutoTokenizer

    from service.brief.pipeline import BriefPipeline, PipelineConfig
    from service.brief.prompts import load_prompts
    from service.schemas import BriefRequest
    from service.settings import Settings

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)

    class Tokens:  # the pipeline only counts tokens while it plans
        info = None

        def count_tokens(self, text: str) -> int:
            return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    settings = Settings()
    pipeline = BriefPipeline(Tokens(), load_prompts(), PipelineConfig.from_settings(settings))  # type: ignore[arg-type]
    prompts, schemas = [], []
    for article in articles:
        plan = pipeline.plan(BriefRequest(text=article["text"], published=article.get("published")))
        prompts.append(tokenizer.apply_chat_template(
            plan.calls[0].messages, add_generation_prompt=True, tokenize=False))
        schemas.append(plan.calls[0].json_schema)
    return prompts, schemas


# --- (b) the service -------------------------------------------------------------------------

def _post(port: int, body: dict[str, Any], timeout: float = 900) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/briefs", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        brief = json.loads(response.read())
    return time.perf_counter() - began, brief


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_service(articles: list[dict[str, Any]], concurrency: list[int], port: int) -> dict[str, Any]:
    env = {**os.environ, "BRIEF_PORT": str(port), "BRIEF_HOST": "127.0.0.1",
           "BRIEF_THREADS": str(THREADS), "BRIEF_LOG_LEVEL": "warning",
           "BRIEF_MAX_QUEUE": str(max(concurrency) + 1)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"brief serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        load_s = time.perf_counter() - started
        runs = []
        for article in articles:
            body = {"text": article["text"]}
            if article.get("published"):
                body["published"] = article["published"]
            wall, brief = _post(port, body)
            meta = brief["meta"]
            decode_s = meta["decode_ms"] / 1000
            runs.append({
                "id": article["id"], "input_tokens": meta["input_tokens"],
                "decode_s": decode_s,
                "output_tokens": meta["output_tokens"], "forward_steps": meta["forward_steps"],
                "chunks": meta["chunks"], "prefill_s": meta["prefill_ms"] / 1000,
                "e2e_s": wall, "decode_tps": meta["output_tokens"] / max(1e-9, decode_s),
                "decode_steps_per_s": meta["forward_steps"] / max(1e-9, decode_s),
            })
            print(f"  service {article['id']}: {wall:.1f} s, {meta['output_tokens']} tokens in "
                  f"{meta['forward_steps']} passes", file=sys.stderr)
        seed = articles[0]
        body = {"text": seed["text"], **({"published": seed["published"]} if seed.get("published") else {})}
        # The seed twice more: its figures are the median of three briefs on the warm server.
        seed_runs = [next(r for r in runs if r["id"] == seed["id"])]
        for _ in range(2):
            wall, brief = _post(port, body)
            meta = brief["meta"]
            seed_runs.append({"e2e_s": wall, "prefill_s": meta["prefill_ms"] / 1000,
                              "decode_s": meta["decode_ms"] / 1000,
                              "forward_steps": meta["forward_steps"],
                              "output_tokens": meta["output_tokens"]})
        seed_figures = _seed_figures(seed_runs)
        print(f"  service {seed['id']} x3: median {seed_figures['e2e_s']:.2f} s, "
              f"{seed_figures['ms_per_step']:.1f} ms a forward step", file=sys.stderr)
        scaling = []
        for clients in concurrency:
            walls: list[float] = []
            tokens: list[int] = []
            errors: list[str] = []

            def one(walls: list[float] = walls, tokens: list[int] = tokens,
                    errors: list[str] = errors) -> None:
                try:
                    wall, brief = _post(port, body)
                    walls.append(wall)
                    tokens.append(brief["meta"]["output_tokens"])
                except Exception as exc:  # reported, not fatal: the figure shows it
                    errors.append(repr(exc))

            began = time.perf_counter()
            threads = [threading.Thread(target=one) for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            scaling.append({"clients": clients, "wall_s": elapsed, "errors": errors,
                            "briefs_per_min": 60 * len(walls) / elapsed,
                            "output_tokens_per_s": sum(tokens) / elapsed,
                            "latency_p50_s": percentile(walls, 0.5)})
            print(f"  service x{clients}: {elapsed:.1f} s for {len(walls)} briefs", file=sys.stderr)
        return {"load_s": load_s, "runs": runs, "scaling": scaling, "seed": seed_figures,
                "peak_rss_mb": _vm_hwm_mb(process.pid)}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)


def _seed_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The seed's brief, median of its runs: seconds end to end, prefill, decode, and the
    decode's milliseconds per forward pass (a pass feeds one chosen token and those the
    grammar forces after it)."""
    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    per_step = [1000 * r["decode_s"] / max(1, r["forward_steps"]) for r in runs]
    return {"runs": len(runs), "e2e_s": median("e2e_s"), "all_e2e_s": [r["e2e_s"] for r in runs],
            "prefill_s": median("prefill_s"), "decode_s": median("decode_s"),
            "forward_steps": median("forward_steps"), "output_tokens": median("output_tokens"),
            "ms_per_step": statistics.median(per_step)}


# --- grammar compilation -----------------------------------------------------------------------

def child_grammar(args: argparse.Namespace) -> dict[str, Any]:
    """The engine's compilation of the service's per-request JSON schemas in a fresh process:
    the first schema cold (xgrammar builds what the string patterns need), the others warm."""
    import xgrammar
    from transformers import AutoConfig, AutoTokenizer

    from service.engines.transformers_engine import _compile

    checkpoint = Path(args.checkpoint)
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    info = xgrammar.TokenizerInfo.from_huggingface(
        tokenizer, vocab_size=AutoConfig.from_pretrained(checkpoint).vocab_size)
    compiler = xgrammar.GrammarCompiler(info, cache_enabled=True,
                                        cache_limit_bytes=64 * 1024 * 1024)
    tokenizer_info_s = time.perf_counter() - started
    times = []
    for schema in json.loads(Path(args.input).read_text()):
        began = time.perf_counter()
        _compile(compiler, schema)
        times.append(time.perf_counter() - began)
    return {"tokenizer_info_s": tokenizer_info_s, "cold_s": times[0],
            "warm_s": statistics.median(times[1:]) if len(times) > 1 else None,
            "schemas": len(times)}


# --- the report ------------------------------------------------------------------------------

def summarize(name: str, result: dict[str, Any], ceiling: float | None, steps: bool = False) -> dict[str, Any]:
    runs = result.get("runs") or []
    if not runs:
        return {"config": name, "skipped": result.get("skipped", "no runs")}
    e2e = [r["e2e_s"] for r in runs]
    rate_key = "decode_steps_per_s" if steps else "decode_tps"
    rate = statistics.median(r[rate_key] for r in runs)
    row = {
        "config": name, "articles": len(runs), "load_s": result["load_s"],
        "prefill_s_mean": statistics.mean(r["prefill_s"] for r in runs),
        "decode_tps_median": statistics.median(r["decode_tps"] for r in runs),
        "decode_passes_per_s_median": rate,
        "e2e_p50_s": percentile(e2e, 0.5), "e2e_p95_s": percentile(e2e, 0.95),
        "seed_e2e_s": (result["seed"]["e2e_s"] if "seed" in result  # median of three
                       else next((r["e2e_s"] for r in runs if r["id"] == "seed"), None)),
        "peak_rss_mb": result["peak_rss_mb"],
        "bandwidth_fraction": rate / ceiling if ceiling else None,
    }
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'config':<10} {'n':>2} {'load s':>7} {'prefill s':>9} {'tok/s':>6} {'pass/s':>6} "
          f"{'of bound':>8} {'p50 s':>6} {'p95 s':>6} {'seed s':>6} {'peak RSS':>9}")
    for row in rows:
        if "skipped" in row:
            print(f"{row['config']:<10} skipped: {row['skipped']}")
            continue
        fraction = f"{100 * row['bandwidth_fraction']:.0f} %" if row["bandwidth_fraction"] else "-"
        seed = f"{row['seed_e2e_s']:.1f}" if row["seed_e2e_s"] is not None else "-"
        print(f"{row['config']:<10} {row['articles']:>2} {row['load_s']:>7.1f} "
              f"{row['prefill_s_mean']:>9.2f} {row['decode_tps_median']:>6.1f} "
              f"{row['decode_passes_per_s_median']:>6.1f} {fraction:>8} {row['e2e_p50_s']:>6.1f} "
              f"{row['e2e_p95_s']:>6.1f} {seed:>6} {row['peak_rss_mb'] / 1024:>7.2f} GB")


def _print_per_step(
    seed: dict[str, Any] | None, bound_ms: float, grammar: dict[str, Any]
) -> dict[str, Any]:
    """Where the seed brief's time goes, per decode step, against the bound that reading the
    int8 weights once per step sets; and what compiling a request's grammar costs."""
    figures: dict[str, Any] = {"bound_ms_per_step": bound_ms}
    print("\nper step (the seed brief on the warm server):")
    if seed:
        figures |= {"ms_per_step": seed["ms_per_step"],
                    "share_of_bound": bound_ms / seed["ms_per_step"]}
        print(f"  brief {seed['e2e_s']:.2f} s (median of {seed['runs']}: "
              + ", ".join(f"{x:.2f}" for x in seed["all_e2e_s"]) + ") = prefill "
              f"{seed['prefill_s']:.2f} s + decode {seed['decode_s']:.2f} s in "
              f"{seed['forward_steps']:.0f} forward passes ({seed['output_tokens']:.0f} tokens)")
        print(f"  {seed['ms_per_step']:.1f} ms a forward pass; the int8 weights' bandwidth "
              f"bound is {bound_ms:.1f} ms: {100 * bound_ms / seed['ms_per_step']:.0f} % of it")
    if "skipped" in grammar:
        print(f"  grammar compilation: {grammar['skipped']}")
    else:
        warm = f"{1000 * grammar['warm_s']:.0f} ms" if grammar["warm_s"] is not None else "-"
        print(f"  grammar compilation (in its own thread while the prompt is prefilled): first "
              f"schema in a fresh process {grammar['cold_s']:.2f} s, later ones {warm} "
              f"(median of {grammar['schemas'] - 1}); the tokenizer and its table take "
              f"{grammar['tokenizer_info_s']:.2f} s at load")
    return figures


def _child(kind: str, payload: Any, args: argparse.Namespace, extra: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    command = [sys.executable, __file__, "--child", kind, "--input", handle.name, *extra]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=False)
    os.unlink(handle.name)
    if done.returncode != 0:
        return {"skipped": f"{kind} run failed (exit {done.returncode})"}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=Path("../shared/eval/articles"))
    parser.add_argument("--seed", type=Path, default=next(Path("../shared/seeds").glob("*.txt"), None))
    parser.add_argument("--naive-limit", type=int, default=3, help="articles for the slow fp32 path")
    parser.add_argument("--naive-tokens", type=int, default=700, help="the naive brief's cap")
    parser.add_argument("--concurrency", default="1,2,4,8")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--skip", default="", help="comma list of naive,llama")
    parser.add_argument("--out", type=Path, default=Path("bench-out/speed.json"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--checkpoint", help=argparse.SUPPRESS)
    parser.add_argument("--gguf", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "naive":
        print(json.dumps(child_naive(args)))
        return
    if args.child == "llama":
        print(json.dumps(child_llama(args)))
        return
    if args.child == "grammar":
        print(json.dumps(child_grammar(args)))
        return

    from service.engines.model_source import assemble_embedded_gguf, embedded_checkpoint
    from service.settings import Settings

    skip = set(filter(None, args.skip.split(",")))
    articles = load_articles(args.articles, args.seed)
    checkpoint = embedded_checkpoint(Settings().cache_dir)
    work = Path(tempfile.mkdtemp(prefix="brief-bench-"))
    gguf = assemble_embedded_gguf(work / "model.gguf")
    bandwidth = memory_bandwidth_gbs()
    sizes = weight_bytes(checkpoint, gguf)
    ceilings = {k: bandwidth * 1e9 / v for k, v in sizes.items()}
    print(f"memory read bandwidth {bandwidth:.1f} GB/s ({THREADS} threads); weights read per "
          "decode step: " + ", ".join(f"{k} {v / 1e9:.2f} GB (bound {ceilings[k]:.1f}/s)"
                                       for k, v in sizes.items()), file=sys.stderr)

    print("(b) the service", file=sys.stderr)
    concurrency = [int(x) for x in args.concurrency.split(",") if x]
    service = run_service(articles, concurrency, args.port)
    naive: dict[str, Any] = {"skipped": "--skip naive"}
    if "naive" not in skip:
        print("(a) naive fp32", file=sys.stderr)
        naive = _child("naive", articles, args, [
            "--checkpoint", str(checkpoint), "--naive-limit", str(args.naive_limit),
            "--naive-tokens", str(args.naive_tokens)])
    prompts, schemas = service_calls(articles, checkpoint)
    print("grammar compilation", file=sys.stderr)
    grammar = _child("grammar", schemas, args, ["--checkpoint", str(checkpoint)])
    llama: dict[str, Any] = {"skipped": "--skip llama"}
    if "llama" not in skip:
        print("(c) llama.cpp", file=sys.stderr)
        items = [{"id": a["id"], "prompt": p, "output_tokens": r["output_tokens"]}
                 for a, p, r in zip(articles, prompts, service["runs"], strict=True)]
        llama = _child("llama", items, args, ["--gguf", str(gguf)])
    gguf.unlink(missing_ok=True)

    rows = [summarize("naive", naive, ceilings["fp32"]),
            summarize("service", service, ceilings["int8"], steps=True),
            summarize("llama.cpp", llama, ceilings.get("gguf"))]
    print()
    print_table(rows)
    by = {r["config"]: r for r in rows if "skipped" not in r}
    ratios: dict[str, float] = {}
    if "service" in by:
        s = by["service"]
        for other in ("naive", "llama.cpp"):
            o = by.get(other)
            if o is None:
                continue
            common = {r["id"] for r in (naive if other == "naive" else llama)["runs"]}
            mine = [r["e2e_s"] for r in service["runs"] if r["id"] in common]
            theirs = [r["e2e_s"] for r in (naive if other == "naive" else llama)["runs"]]
            ratios[f"{other}_over_service_e2e_p50"] = percentile(theirs, 0.5) / percentile(mine, 0.5)
            if o["seed_e2e_s"] and s["seed_e2e_s"]:
                ratios[f"{other}_over_service_seed"] = o["seed_e2e_s"] / s["seed_e2e_s"]
        single = service["scaling"][0]["briefs_per_min"] if service["scaling"] else None
        print("\nconcurrent requests (the seed article):")
        for point in service["scaling"]:
            gain = point["briefs_per_min"] / single if single else float("nan")
            point["throughput_vs_one"] = gain
            print(f"  {point['clients']} at once: {point['wall_s']:.1f} s, "
                  f"{point['briefs_per_min']:.1f} briefs/min, {point['output_tokens_per_s']:.1f} "
                  f"output tok/s, {gain:.2f}x the briefs/min of one at a time, p50 {point['latency_p50_s']:.1f} s"
                  + (f", errors {len(point['errors'])}" if point["errors"] else ""))
    print("\nratios (how many times faster the service is, over the same articles):")
    for key, value in ratios.items():
        print(f"  {key}: {value:.2f}x")
    per_step = _print_per_step(service.get("seed"), 1000 / ceilings["int8"], grammar)
    report = {"machine": {"threads": THREADS, "bandwidth_gbs": bandwidth,
                          "weight_bytes": sizes, "decode_bound_per_s": ceilings},
              "summary": rows, "ratios": ratios, "per_step": per_step, "grammar": grammar,
              "service": service, "naive": naive, "llama_cpp": llama}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
