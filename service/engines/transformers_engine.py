"""Local generation with transformers + torch, JSON-constrained by xgrammar."""

from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch
import xgrammar
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    PreTrainedModel,
)
from transformers.utils import logging as transformers_logging

from service.engines.base import EngineInfo, GenerationRequest, GenerationResult
from service.engines.batch_decoder import BatchDecoder, DecodeJob, DecodeOutcome
from service.engines.cpu_int8 import load_int8, quantize_loaded
from service.engines.model_source import ModelSource, resolve_model
from service.engines.model_thread import ModelThread
from service.errors import Cancelled, ModelSourceError
from service.settings import Settings

log = logging.getLogger(__name__)


class TransformersEngine:
    """A causal LM held in memory, decoded by one BatchDecoder worker: requests that arrive
    together (concurrent briefs, the parts of a long article) share its forward passes."""

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: Any,
        info: EngineInfo,
        *,
        max_batch: int = 4,
        max_batch_tokens: int = 1 << 30,
        prefill_chunk: int = 512,
        thread: ModelThread | None = None,
    ) -> None:
        self._model = model.eval()
        # Shared by every request thread without a lock. The engine never asks for truncation,
        # padding or split special tokens, the calls that reconfigure (mutate) the Rust
        # tokenizer and made concurrent calls raise "RuntimeError: Already borrowed" in older
        # tokenizers releases; the 0.23 that transformers 5.24 requires did not raise even
        # under concurrent reconfiguration when checked. tests/test_engine_concurrency.py
        # uses it from several threads at once.
        self._tokenizer = tokenizer
        self._control_tokens = _control_tokens(tokenizer)
        self._info = info
        vocab_size = model.config.vocab_size
        tokenizer_info = xgrammar.TokenizerInfo.from_huggingface(tokenizer, vocab_size=vocab_size)
        # Each article's schema is its own (enums of its names and sentences): a bounded cache.
        self._grammar_compiler = xgrammar.GrammarCompiler(
            tokenizer_info, cache_enabled=True, cache_limit_bytes=64 * 1024 * 1024
        )
        # A request's grammar is compiled in this thread while the model thread prefills its
        # prompt; the row waits for it only once the prefill is done (batch_decoder.py). On a
        # cold process the first schema's string patterns take seconds to compile (xgrammar
        # keeps what it built for them: later schemas take milliseconds).
        self._grammar_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grammar")
        self._eos_ids = _eos_ids(model, tokenizer)
        self._decoder = BatchDecoder(
            self._model, self._eos_ids, max_batch=max_batch, max_batch_tokens=max_batch_tokens,
            prefill_chunk=prefill_chunk, thread=thread,
        )

    @classmethod
    def load(cls, settings: Settings) -> TransformersEngine:
        if settings.threads:
            torch.set_num_threads(settings.threads)
        source = resolve_model(settings.model, settings.cache_dir)
        device = _pick_device(settings.device)
        quantize = settings.quantize == "int8" or (settings.quantize == "auto" and device == "cpu")
        if quantize and device != "cpu":
            raise ModelSourceError("BRIEF_QUANTIZE=int8 runs on the CPU only; use BRIEF_DEVICE=cpu")
        started = time.monotonic()
        transformers_logging.disable_progress_bar()  # one line per request log, not a bar
        dtype = torch.float32 if device == "cpu" else torch.bfloat16
        try:
            tokenizer = AutoTokenizer.from_pretrained(source.checkpoint)
        except OSError as exc:
            raise ModelSourceError(f"BRIEF_MODEL={settings.model}: cannot load it ({exc})") from exc
        thread = ModelThread()  # loads the model and runs it: one OpenMP pool
        model = thread.run(_load_model, source, settings, device, dtype, quantize)
        info = _describe(source, model, device, dtype, quantize, time.monotonic() - started)
        info.parameters["max_batch"] = settings.max_batch
        info.parameters["max_batch_tokens"] = settings.max_batch_tokens
        return cls(
            model, tokenizer, info, max_batch=settings.max_batch,
            max_batch_tokens=settings.max_batch_tokens, prefill_chunk=settings.prefill_chunk,
            thread=thread,
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def health(self) -> str | None:
        return None  # in this process: loaded is ready

    def generate(self, request: GenerationRequest) -> GenerationResult:
        return self.generate_batch([request])[0]

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        started = time.perf_counter()
        jobs = [self._job(request) for request in requests]
        futures = [self._decoder.submit(job) for job in jobs]
        try:
            outcomes = [_wait(future, request.cancel) for future, request in zip(futures, requests, strict=True)]
        except BaseException:
            for future in futures:  # the other parts are of no use now
                future.cancel()
            raise
        return [
            self._result(job, outcome, started) for job, outcome in zip(jobs, outcomes, strict=True)
        ]

    def close(self) -> None:
        self._decoder.close()
        self._grammar_thread.shutdown(wait=False, cancel_futures=True)

    def _job(self, request: GenerationRequest) -> DecodeJob:
        ids = self._prompt_ids(request.messages)
        grammar = (
            self._grammar_thread.submit(_compile, self._grammar_compiler, request.json_schema)
            if request.json_schema is not None else None
        )
        return DecodeJob(
            prompt_ids=ids,
            grammar=grammar,
            max_new_tokens=request.max_new_tokens,
            repetition_penalty=request.repetition_penalty,
            cancel=request.cancel,
            prefix_length=self._shared_prefix_length(request.messages, ids),
            on_tokens=request.on_tokens,
        )

    def _prompt_ids(self, messages: list[dict[str, str]]) -> list[int]:
        # The chat template writes the only control tokens the model reads: one inside a
        # message (an article carrying "<|im_start|>system") would open a turn of its own.
        readable = [{**m, "content": self._control_tokens.sub(" ", m["content"])}
                    for m in messages]
        ids = self._tokenizer.apply_chat_template(
            readable, add_generation_prompt=True, tokenize=True, return_dict=True
        )["input_ids"]
        return list(ids)

    def _shared_prefix_length(self, messages: list[dict[str, str]], ids: list[int]) -> int:
        """Tokens before the last message's content: the instructions every request repeats."""
        if len(messages) < 2:
            return 0
        header = self._header_ids(
            tuple((m["role"], m["content"]) for m in messages[:-1]), messages[-1]["role"]
        )
        length = 0
        for a, b in zip(header, ids, strict=False):
            if a != b:
                break
            length += 1
        return length

    @lru_cache(maxsize=16)  # noqa: B019 (one engine per process, a handful of prompt sets)
    def _header_ids(self, leading: tuple[tuple[str, str], ...], last_role: str) -> tuple[int, ...]:
        """The chat template's tokens up to where the last message's content would start;
        the same for every request with these leading messages, so tokenized once."""
        messages = [{"role": role, "content": content} for role, content in leading]
        return tuple(self._prompt_ids([*messages, {"role": last_role, "content": ""}]))

    def _result(self, job: DecodeJob, outcome: DecodeOutcome, started: float) -> GenerationResult:
        text = self._tokenizer.decode(outcome.output_ids, skip_special_tokens=True)
        return GenerationResult(
            text=text,
            input_tokens=len(job.prompt_ids),
            output_tokens=len(outcome.output_ids),
            prefill_ms=outcome.prefill_s * 1000,
            total_ms=(time.perf_counter() - started) * 1000,
            truncated=not outcome.finished,
            decode_ms=outcome.decode_s * 1000,
            forward_steps=outcome.forward_steps,
            queued_ms=outcome.queued_s * 1000,
            cached_prefix_tokens=outcome.cached_prefix_tokens,
        )


def _control_tokens(tokenizer: Any) -> re.Pattern[str]:
    """Every token the tokenizer reads whole out of text rather than by its letters: its
    special tokens and its other added ones (Qwen's `<tool_call>`)."""
    added = getattr(tokenizer, "added_tokens_decoder", {}) or {}
    strings = {token.content for token in added.values()} | set(tokenizer.all_special_tokens)
    strings.discard("")
    if not strings:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)))


def _wait(future: Future[DecodeOutcome], cancel: threading.Event | None) -> DecodeOutcome:
    """The outcome, or Cancelled as soon as the request's cancel event is set, even while the
    job still waits for room in the batch."""
    while True:
        try:
            return future.result(timeout=0.1)
        except FutureTimeout:
            if cancel is not None and cancel.is_set():
                future.cancel()
                raise Cancelled("generation cancelled") from None


def _load_model(
    source: ModelSource, settings: Settings, device: str, dtype: torch.dtype, quantize: bool
) -> PreTrainedModel:
    if settings.threads:
        torch.set_num_threads(settings.threads)
    try:
        if quantize and Path(source.checkpoint).is_dir():
            model = load_int8(source.checkpoint)  # layer by layer: a low start-up peak
        else:
            model = AutoModelForCausalLM.from_pretrained(
                source.checkpoint, dtype=torch.bfloat16 if quantize else dtype
            )
    except OSError as exc:
        raise ModelSourceError(f"BRIEF_MODEL={settings.model}: cannot load it ({exc})") from exc
    model.to(device)  # type: ignore[arg-type]  # transformers types `.to`'s wrapper oddly
    if quantize and not Path(source.checkpoint).is_dir():
        model = quantize_loaded(model)
    return model


def _compile(compiler: xgrammar.GrammarCompiler, schema: dict[str, Any]) -> Any:
    import json

    return compiler.compile_json_schema(
        json.dumps(schema, sort_keys=True), any_whitespace=False, strict_mode=True
    )


def _eos_ids(model: PreTrainedModel, tokenizer: Any) -> list[int]:
    ids: list[int] = []
    configured = model.generation_config.eos_token_id
    if isinstance(configured, int):
        ids.append(configured)
    elif configured:
        ids.extend(configured)
    for token in ("<|im_end|>", "<|endoftext|>"):
        token_id = tokenizer.convert_tokens_to_ids(token)
        if isinstance(token_id, int) and token_id >= 0 and token_id not in ids:
            ids.append(token_id)
    if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in ids:
        ids.append(tokenizer.eos_token_id)
    return ids


def _pick_device(setting: str) -> str:
    if setting == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if setting == "cuda" and not torch.cuda.is_available():
        raise ModelSourceError("BRIEF_DEVICE=cuda but no CUDA device is available")
    return setting


def _describe(
    source: ModelSource,
    model: PreTrainedModel,
    device: str,
    dtype: torch.dtype,
    quantized: bool,
    load_s: float,
) -> EngineInfo:
    config = model.config
    parameters = {
        "architecture": (config.architectures or [config.model_type])[0],
        "parameters": _count_parameters(source.checkpoint),
        "context_length": getattr(config, "max_position_embeddings", None),
        "vocab_size": config.vocab_size,
        "device": device,
        "dtype": str(dtype).removeprefix("torch."),
        "quantization": "dynamic int8 (linear layers)" if quantized else None,
        "threads": torch.get_num_threads(),
        "load_seconds": round(load_s, 2),
        "sha256": source.sha256,
    }
    return EngineInfo(source.name, source.kind, source.location, parameters)


@lru_cache(maxsize=8)
def _count_parameters(checkpoint: str) -> int | None:
    import json
    from pathlib import Path

    index = Path(checkpoint) / "model.safetensors"
    if not index.is_file():
        return None
    with index.open("rb") as handle:
        header_size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(header_size))
    total = 0
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        count = 1
        for dim in tensor["shape"]:
            count *= dim
        total += count
    return total


def engine_from_pretrained(
    model: PreTrainedModel, tokenizer: Any, name: str, *, max_batch: int = 4,
    prefill_chunk: int = 512,
) -> TransformersEngine:
    """Wrap an already built model (tests use a tiny random one)."""
    info = EngineInfo(
        name, "in-memory", "built in process",
        {"parameters": sum(p.numel() for p in model.parameters()), "device": "cpu",
         "threads": torch.get_num_threads()},
    )
    return TransformersEngine(
        model, tokenizer, info, max_batch=max_batch, prefill_chunk=prefill_chunk
    )
