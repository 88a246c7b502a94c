"""Several requests at once on the real engine: tiny random Qwen2 models with the embedded
model's real tokenizer, the real TransformersEngine and its batch decoder. Each request must
come out exactly as it does alone: the tiny models run in float32, without the dynamic int8
whose per-step activation scales are documented (README) to let a batched brief differ
slightly. A request cancelled in the middle must stop without disturbing the others, and the
tokenizer, shared by every request thread, must never fail ("RuntimeError: Already borrowed")
or mix requests up."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.engines.base import EngineInfo, GenerationRequest, GenerationResult
from service.errors import Cancelled
from service.schemas import Brief, BriefRequest

# Synthetic readouts of clearly different lengths (52 to 338 tokens as the model reads them).
# With a 250-token budget per call LONG is read in two parts, so its brief is two rows of the
# batch at once, and the five briefs below need more rows (6) than the engine's batch (4)
# holds: rows wait, then join a batch already decoding.
SHORT = """Estonia and Japan agree on cyber defence talks

TALLINN, March 3, 2025 — Estonian Foreign Minister Kadri Tamm met Japanese Foreign Minister Hiroshi Sato in Tallinn on Monday. The two ministers agreed to hold annual consultations on cyber defence."""

CALL = """Ghana and Norway discuss ocean governance by phone

ACCRA, June 12, 2025 — Ghanaian Foreign Minister Kwame Asante spoke by telephone with Norwegian Foreign Minister Ingrid Solberg on Thursday about ocean governance and fisheries control.

"Illegal fishing robs our coastal communities of their livelihoods," Asante said after the call.

Solberg offered Norwegian satellite data to help Ghana's navy track vessels in its exclusive economic zone. The ministers agreed that experts from both countries will meet in Oslo next month."""

MEDIUM = """Portugal and Vietnam sign agreement on renewable energy

HANOI, September 9, 2024 — Portuguese Foreign Minister Rui Almeida met Vietnamese Foreign Minister Tran Van Long in Hanoi on Monday for talks on energy, education and trade.

The ministers signed an agreement on renewable energy research and agreed to double the number of student exchanges by 2027.

"Vietnam is building one of the fastest growing solar industries in Asia, and Portuguese companies want to be part of it," Almeida told reporters.

Tran said Vietnam welcomed investment but wanted more technology transfer. "Partnership means that we learn to build, not only to buy," he said.

The two sides did not agree on the date of the next round of talks on an aviation agreement. Almeida invited Tran to visit Lisbon next year, and Tran accepted."""

LONG = """Canada and Kenya launch a partnership on climate finance

NAIROBI, November 20, 2024 — Canadian Foreign Minister Claire Dubois met Kenyan Foreign Minister Samuel Otieno in Nairobi on Wednesday for a day of talks on climate finance, agriculture, health and regional security.

The ministers launched a partnership on climate finance that will support drought resilience projects in northern Kenya.

They also signed a memorandum of understanding on agricultural research, under which Canadian and Kenyan universities will study drought-tolerant crops together.

"Farmers in Kenya are living with the climate crisis every day, and they need support now, not in ten years," Dubois said at a joint press conference.

Otieno welcomed the partnership but said that rich countries still owed Africa the climate finance they had promised. "Promises do not irrigate fields," he said.

The ministers discussed the security situation in the Horn of Africa and agreed to coordinate their humanitarian assistance to refugees in the region.

Canada announced additional funding for vaccination campaigns run by Kenyan health authorities.

The two sides differed on the pace of reform of the World Bank, which Kenya wants to move faster.

Dubois also met representatives of Kenyan women's organisations and visited a solar power project outside the city.

Trade between the two countries has grown steadily over the last decade, driven by exports of tea, flowers and machinery.

The ministers agreed that a joint working group will meet in Ottawa in March to review the partnership.

Otieno accepted an invitation to visit Canada next year."""

DOOMED = """Chile and Morocco hold talks on water and phosphates

RABAT, May 14, 2025 — Chilean Foreign Minister Paula Rojas met Moroccan Foreign Minister Youssef Bennani in Rabat on Wednesday for talks on water management, mining and trade.

The ministers signed a memorandum of understanding on desalination research and agreed to exchange experts in water management.

"Both our countries know what drought means, and both are learning to live with less water," Rojas said after the talks.

Bennani said Morocco wanted to expand its exports of fertilisers to South America. "Our phosphates can feed the farms of the Andes," he said.

The two sides did not agree on the tariffs that Chile applies to processed fertilisers.

The ministers agreed to meet again in Santiago in the autumn."""

ARTICLES = {"short": SHORT, "call": CALL, "medium": MEDIUM, "long": LONG}
CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=250, max_new_tokens=600,
                        repetition_penalty=1.05, long_mode="parts")
TIMING = {"latency_ms", "prefill_ms", "decode_ms"}
"""Meta fields that measure time: the only ones that may differ between a brief made alone and
the same brief made alongside others (forward_steps counts one row's passes and must match)."""


@pytest.fixture(scope="module")
def sharp_engine(tiny_engine: Any) -> Iterator[Any]:
    """conftest's tiny engine (its tokenizer too), but with weights large enough
    (initializer_range 0.3) that what the model writes depends on its prompt: with near-zero
    weights most prompts get much the same tokens, and rows mixed up in a batch could go
    unseen. (Not used for whole briefs: its random topics hit the raw control characters
    that xgrammar lets into a string with a maxLength, and such a draft is invalid JSON.)"""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from service.engines.transformers_engine import engine_from_pretrained

    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=151936, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32768,
        tie_word_embeddings=True, eos_token_id=151645, bos_token_id=151643,
        initializer_range=0.3,
    )
    built = engine_from_pretrained(Qwen2ForCausalLM(config), tiny_engine._tokenizer, "sharp")
    yield built
    built.close()


def _comparable(brief: Brief) -> dict[str, Any]:
    dumped = brief.model_dump(mode="json")
    dumped["meta"] = {k: v for k, v in dumped["meta"].items() if k not in TIMING}
    return dumped


class _Recording:
    """The engine, passed through, keeping each generated text under the prompt it answers: the
    raw model output is compared too, not only the brief grounded from it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.texts: defaultdict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()

    @property
    def info(self) -> EngineInfo:
        return self.engine.info  # type: ignore[no-any-return]

    def count_tokens(self, text: str) -> int:
        return self.engine.count_tokens(text)  # type: ignore[no-any-return]

    def generate(self, request: GenerationRequest) -> GenerationResult:
        return self.generate_batch([request])[0]

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        results: list[GenerationResult] = self.engine.generate_batch(requests)
        with self._lock:
            for request, result in zip(requests, results, strict=True):
                self.texts[request.messages[-1]["content"]].append(result.text)
        return results

    def close(self) -> None:
        self.engine.close()


class _Hammer:
    """Threads counting tokens of known texts through the engine until stopped: the way request
    threads use the shared tokenizer (the article's windows are planned by counting) while
    other requests tokenize their prompts and decode their outputs."""

    def __init__(self, engine: Any, texts: list[str], threads: int = 2) -> None:
        self._engine = engine
        self._expected = {text: engine.count_tokens(text) for text in texts}
        self._stop = threading.Event()
        self.calls = 0
        self.max_rows = 0
        """The most rows the engine's batch had at once while this ran: proof they shared it."""
        self.errors: list[BaseException] = []
        self.wrong: list[str] = []
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        while not self._stop.is_set():
            for text, expected in self._expected.items():
                try:
                    if self._engine.count_tokens(text) != expected:
                        self.wrong.append(text[:40])
                except BaseException as exc:  # "Already borrowed" is a RuntimeError
                    self.errors.append(exc)
                self.calls += 1
                self.max_rows = max(self.max_rows, len(self._engine._decoder._rows))
                time.sleep(0.001)  # a steady stream, not a busy loop on two cores

    def __enter__(self) -> _Hammer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def _run_in_threads(calls: dict[str, Callable[[], Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Start every call at once; return (results, exceptions) by name."""
    results: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    start = threading.Barrier(len(calls))

    def run(name: str, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[name] = call()
        except BaseException as exc:
            errors[name] = exc

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a request never returned"
    return results, errors


def _cancel_mid_generation(engine: Any, cancel: threading.Event) -> dict[str, int]:
    """Set `cancel` (from a thread) once its request is a row of the running batch, with some
    output and other rows beside it: cancelled in the middle of a shared decode, not before.
    The dict returned is filled then with what the batch looked like."""
    seen: dict[str, int] = {}

    def watch() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not cancel.is_set():
            rows = list(engine._decoder._rows)  # a copy: the worker replaces the list
            mine = [row for row in rows if row.job.cancel is cancel]
            if mine and len(mine[0].output) >= 2 and len(rows) >= 2:
                seen.update(tokens=len(mine[0].output), rows=len(rows))
                cancel.set()
            time.sleep(0.001)

    threading.Thread(target=watch, daemon=True).start()
    return seen


@pytest.mark.slow
def test_briefs_made_together_are_the_briefs_made_alone(tiny_engine: Any) -> None:
    """Four briefs of different lengths (one in two parts) and a fifth cancelled while it
    decodes, all at once through one pipeline, with token counting going on beside them:
    the cancelled one raises Cancelled, and the others are the briefs made alone, field for
    field but for timings, from the same raw model outputs."""
    engine = _Recording(tiny_engine)
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    alone = {name: _comparable(pipeline.run(BriefRequest(text=text)))
             for name, text in ARTICLES.items()}
    alone_texts = dict(engine.texts)
    engine.texts.clear()
    assert alone["long"]["meta"]["chunks"] == 2  # two rows of the batch for one brief
    assert len({tuple(texts) for texts in alone_texts.values()}) == len(alone_texts), (
        "every prompt must lead to its own output, or a mix-up could go unseen")

    cancel = threading.Event()
    calls: dict[str, Callable[[], Any]] = {
        "doomed": lambda: pipeline.run(BriefRequest(text=DOOMED), cancel),
        **{name: (lambda text=text: pipeline.run(BriefRequest(text=text)))
           for name, text in ARTICLES.items()},
    }
    cancelled_at = _cancel_mid_generation(tiny_engine, cancel)
    with _Hammer(tiny_engine, [*ARTICLES.values(), DOOMED]) as hammer:
        results, errors = _run_in_threads(calls)

    assert cancelled_at, "the request was never cancelled mid-generation"
    assert isinstance(errors.pop("doomed", None), Cancelled)
    assert not errors
    assert hammer.calls > 0 and not hammer.errors and not hammer.wrong
    assert hammer.max_rows >= 2  # they did share the batch (how full it got is timing)
    assert {name: _comparable(brief) for name, brief in results.items()} == alone
    assert dict(engine.texts) == alone_texts  # the raw outputs too (the cancelled one has none)


def _requests(schema: dict[str, Any]) -> dict[str, GenerationRequest]:
    """Prompts of different lengths, constrained by a grammar or free, penalised or not."""
    def messages(text: str) -> list[dict[str, str]]:
        return [{"role": "system", "content": "You write briefs of diplomatic readouts."},
                {"role": "user", "content": text}]

    return {
        "short": GenerationRequest(messages(SHORT), schema, 40),
        "call": GenerationRequest(messages(CALL), None, 8, repetition_penalty=1.2),
        "medium": GenerationRequest(messages(MEDIUM), schema, 40, repetition_penalty=1.05),
        "long": GenerationRequest(messages(LONG), None, 8),
    }


SCHEMA = {
    "type": "object",
    "properties": {"tone": {"enum": ["cordial", "tense", "neutral"]},
                   "key_points": {"type": "array", "maxItems": 3,
                                  "items": {"enum": [1, 2, 3, 4, 5]}}},
    "required": ["tone", "key_points"],
    "additionalProperties": False,
}


def test_concurrent_requests_share_the_tokenizer_and_batch_without_mixing_up(
    sharp_engine: Any,
) -> None:
    """Request threads tokenizing prompts, compiling grammars and decoding outputs at once,
    with two more counting tokens all along: no tokenizer error, no wrong count, and every
    output the one the same request gets alone."""
    requests = _requests(SCHEMA)
    alone = {name: sharp_engine.generate(request) for name, request in requests.items()}
    with _Hammer(sharp_engine, [SHORT, CALL, MEDIUM, LONG, DOOMED]) as hammer:
        results, errors = _run_in_threads({
            name: (lambda request=request: sharp_engine.generate(request))
            for name, request in requests.items()
        })
    assert not errors
    assert hammer.calls > 0 and not hammer.errors and not hammer.wrong
    assert hammer.max_rows >= 2
    for name, result in results.items():
        expected = alone[name]
        assert (result.text, result.output_tokens, result.truncated, result.forward_steps) == (
            expected.text, expected.output_tokens, expected.truncated, expected.forward_steps
        ), name
    assert len({r.text for r in alone.values()}) == len(alone)  # mix-ups would show


@pytest.mark.slow
def test_the_tokenizer_tolerates_being_reconfigured_while_it_encodes(tokenizer_dir: Any) -> None:
    """Why the engine needs no lock around its tokenizer even if a call ever did change its
    settings: the pinned tokenizers release does not raise "Already borrowed" when one thread
    reconfigures truncation while others encode (older releases did)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)  # its own: this one is changed
    text = " ".join(ARTICLES.values())
    errors: list[BaseException] = []

    def encode() -> None:
        try:
            for _ in range(40):
                tokenizer(text, add_special_tokens=False)
        except BaseException as exc:
            errors.append(exc)

    def reconfigure() -> None:
        try:
            for _ in range(200):
                tokenizer(text[:200], add_special_tokens=False, truncation=True, max_length=8)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=encode) for _ in range(2)]
    threads.append(threading.Thread(target=reconfigure))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
