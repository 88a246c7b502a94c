"""Where one decode pass's time goes, part by part, on the seed article's brief.

    BRIEF_THREADS=2 python bench/decode_profile.py [--seed ../shared/seeds/000_*.txt] [--rounds 3]

Briefs the seed once in process (loading the model, compiling the grammar, caching the shared
prefix), keeps the generation request the pipeline made, then decodes it `--rounds` more times
with a clock around each part of the decoder's step: inside the forward pass the layers' int8
products, attention, the norms, and the rest (rotary, reshapes, residual adds, the KV write,
the embedding and mask); then the output layer; and the loop's own costs (the grammar's mask
and its application, the repetition penalty, argmax, the matcher taking the tokens and finding
the forced ones, progress callbacks). Wall time, milliseconds per pass,
the median round. The clocks themselves cost ~1 µs each, ~200 a pass.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import xgrammar

from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.engines import batch_decoder, lean_forward, load_centrality, load_engine
from service.engines.base import GenerationRequest
from service.engines.transformers_engine import TransformersEngine
from service.schemas import BriefRequest
from service.settings import Settings

_SPENT: defaultdict[str, float] = defaultdict(float)
_IN_STEP = [False]
"""Parts are counted inside a decode step only (not in the prefill, which shares them)."""


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            if _IN_STEP[0]:
                _SPENT[name] += time.perf_counter() - started
    return timed


def _step_timed(function: Callable[[], None]) -> Callable[[], None]:
    def timed() -> None:
        started = time.perf_counter()
        _IN_STEP[0] = True
        try:
            function()
        finally:
            _IN_STEP[0] = False
            _SPENT["step"] += time.perf_counter() - started
    return timed


def _instrument(engine: TransformersEngine) -> None:
    """Clocks around the decoder's parts (the engine's decoder and its lean forward)."""
    decoder = engine._decoder
    lean = decoder._lean
    assert lean is not None, "the profile is of the lean forward (a Qwen2 model, SDPA)"
    for layer in lean._layers:
        layer.qkv = [_timed("int8 products (layers)", p) for p in layer.qkv]
        layer.gate_up = [_timed("int8 products (layers)", p) for p in layer.gate_up]
        layer.o_proj = _timed("int8 products (layers)", layer.o_proj)
        layer.down_proj = _timed("int8 products (layers)", layer.down_proj)
    if hasattr(lean_forward._Layer, "_attend"):
        lean_forward._Layer._attend = _timed(  # type: ignore[method-assign]
            "attention", lean_forward._Layer._attend)
    else:  # an earlier lean forward, called transformers' function only
        lean_forward.sdpa_attention_forward = _timed(  # type: ignore[assignment]
            "attention", lean_forward.sdpa_attention_forward)
    lean_forward._rms_norm = _timed("norms", lean_forward._rms_norm)  # type: ignore[assignment]
    model = decoder._model
    model.lm_head.forward = _timed("output layer", model.lm_head.forward)
    rows = getattr(decoder, "_output_rows", None)
    if rows is not None:  # the passes the grammar narrows: a few tokens' rows
        rows.logits = _timed("output layer", rows.logits)  # type: ignore[method-assign]
    decoder._hidden = _timed("forward", decoder._hidden)  # type: ignore[method-assign]
    decoder._feed = _timed("pass", decoder._feed)  # type: ignore[method-assign]
    decoder._step = _step_timed(decoder._step)  # type: ignore[method-assign]
    decoder._penalize = _timed("repetition penalty", decoder._penalize)  # type: ignore[method-assign]
    batch_decoder._tell = _timed("progress callbacks", batch_decoder._tell)  # type: ignore[assignment]
    matcher = xgrammar.GrammarMatcher
    matcher.fill_next_token_bitmask = _timed(  # type: ignore[method-assign]
        "grammar mask", matcher.fill_next_token_bitmask)
    matcher.accept_token = _timed("matcher: take tokens, find forced ones",  # type: ignore[method-assign]
                                  matcher.accept_token)
    matcher.find_jump_forward_tokens = _timed(  # type: ignore[method-assign]
        "matcher: take tokens, find forced ones", matcher.find_jump_forward_tokens)
    xgrammar.apply_token_bitmask_inplace = _timed(  # type: ignore[assignment]
        "grammar mask", xgrammar.apply_token_bitmask_inplace)
    torch.Tensor.argmax = _timed("argmax", torch.Tensor.argmax)  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_seed = sorted(Path("../shared/seeds").glob("000_*.txt"))
    parser.add_argument("--seed", type=Path, default=default_seed[0] if default_seed else None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    engine = load_engine(settings)
    assert isinstance(engine, TransformersEngine), "the profile is of the embedded engine"
    requests: list[GenerationRequest] = []
    make_job = engine._job

    def keep(request: GenerationRequest) -> Any:
        requests.append(request)
        return make_job(request)

    engine._job = keep  # type: ignore[method-assign]
    pipeline = BriefPipeline(engine, load_prompts(settings.prompts_dir, settings.prompt_version),
                             PipelineConfig.from_settings(settings), load_centrality(settings))
    pipeline.run(BriefRequest(text=args.seed.read_text(encoding="utf-8")))
    engine._job = make_job  # type: ignore[method-assign]
    request = requests[-1]
    _instrument(engine)
    rounds = []
    for _ in range(args.rounds):
        _SPENT.clear()
        result = engine.generate(request)
        rounds.append((dict(_SPENT), result))
    spent, result = sorted(rounds, key=lambda r: r[0]["step"])[len(rounds) // 2]
    passes = result.forward_steps
    inside = ["int8 products (layers)", "attention", "norms"]
    loop = ["grammar mask", "repetition penalty", "argmax",
            "matcher: take tokens, find forced ones", "progress callbacks"]
    forward_rest = spent["forward"] - sum(spent[k] for k in inside)
    pass_rest = spent["pass"] - spent["forward"]
    loop_rest = spent["step"] - spent["pass"] - spent["output layer"] - sum(spent[k] for k in loop)
    print(f"threads {torch.get_num_threads()}, {len(request.messages)} messages, "
          f"{result.input_tokens} prompt tokens, {result.output_tokens} tokens in {passes} passes; "
          f"rounds (ms a pass): {[round(r[0]['step'] * 1000 / passes, 1) for r in rounds]}")
    print("| part | ms a pass | share |\n|---|---|---|")
    rows = [(k, spent[k]) for k in inside] + [
        ("rest of the forward (rotary, reshapes, adds, KV write, embedding, mask)", forward_rest),
        ("the pass's own (its inputs, the mask's new column)", pass_rest),
        ("output layer (int8; only the allowed tokens' rows where the grammar allows few)",
         spent["output layer"]),
    ] + [(k, spent[k]) for k in loop] + [("rest of the loop (Python)", loop_rest)]
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000 / passes:.2f} | {seconds / spent['step']:.0%} |")
    print(f"| a step in all | {spent['step'] * 1000 / passes:.2f} | 100% |")
    engine.close()


if __name__ == "__main__":
    main()
