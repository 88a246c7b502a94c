"""The batch decoder gives the tokens plain greedy `generate` gives, however it is batched,
chunked or cached, and keeps to the grammar."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import torch
import xgrammar
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

from service.engines import batch_decoder
from service.engines.batch_decoder import BatchDecoder, DecodeJob
from service.engines.prefix_cache import PrefixCache
from service.errors import Cancelled, EngineUnavailable

EOS = [151645, 151643]


@pytest.fixture(scope="module")
def model() -> Qwen2ForCausalLM:
    torch.manual_seed(1)
    config = Qwen2Config(
        vocab_size=151936, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
        tie_word_embeddings=True, eos_token_id=151645, initializer_range=0.3,
    )
    return Qwen2ForCausalLM(config).eval()


@pytest.fixture(scope="module")
def tokenizer(tokenizer_dir: Path) -> Any:
    return AutoTokenizer.from_pretrained(tokenizer_dir)


def _ids(tokenizer: Any, text: str) -> list[int]:
    messages = [{"role": "system", "content": "You summarise news. " * 8},
                {"role": "user", "content": text}]
    return list(tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"])


PROMPTS = [
    "The foreign ministers met in Vilnius.",
    "A much longer article about fisheries, energy and trade, with many words in it, "
    "so that its prompt is longer than the others by a fair margin of tokens.",
    "Talks in Osaka.",
]


def _reference(model: Qwen2ForCausalLM, ids: list[int], n: int, penalty: float = 1.0) -> list[int]:
    out = model.generate(
        torch.tensor([ids]), max_new_tokens=n, do_sample=False, eos_token_id=EOS,
        pad_token_id=EOS[0], repetition_penalty=penalty,
    )
    return [t for t in out[0, len(ids):].tolist() if t not in EOS]


def test_same_tokens_as_greedy_generate_alone_and_batched(model: Any, tokenizer: Any) -> None:
    prompts = [_ids(tokenizer, p) for p in PROMPTS]
    expected = [_reference(model, ids, 12) for ids in prompts]
    assert len({tuple(e) for e in expected}) == 3, "prompts must lead to different outputs"
    decoder = BatchDecoder(model, EOS, max_batch=4, prefill_chunk=16)
    try:
        alone = [decoder.submit(DecodeJob(ids, None, 12)).result().output_ids for ids in prompts]
        futures = [decoder.submit(DecodeJob(ids, None, 12)) for ids in prompts]
        batched = [f.result().output_ids for f in futures]
    finally:
        decoder.close()
    assert alone == expected
    assert batched == expected


def test_repetition_penalty_matches_transformers(model: Any, tokenizer: Any) -> None:
    ids = _ids(tokenizer, PROMPTS[0])
    decoder = BatchDecoder(model, EOS)
    try:
        got = decoder.submit(DecodeJob(ids, None, 15, repetition_penalty=1.3)).result()
    finally:
        decoder.close()
    assert got.output_ids == _reference(model, ids, 15, penalty=1.3)
    assert not got.finished and len(got.output_ids) == 15  # stopped by max_new_tokens


def test_cached_prefix_gives_the_same_output(model: Any, tokenizer: Any) -> None:
    first, second = (_ids(tokenizer, p) for p in PROMPTS[:2])
    prefix = 0
    while first[prefix] == second[prefix]:
        prefix += 1
    assert prefix > 20
    decoder = BatchDecoder(model, EOS, prefix_cache=PrefixCache())
    try:
        warm = decoder.submit(DecodeJob(first, None, 10, prefix_length=prefix)).result()
        hit = decoder.submit(DecodeJob(second, None, 10, prefix_length=prefix)).result()
    finally:
        decoder.close()
    assert warm.cached_prefix_tokens == 0 and hit.cached_prefix_tokens == prefix
    assert hit.output_ids == _reference(model, second, 10)


SCHEMA = {
    "type": "object",
    "properties": {
        "participants": {"type": "array", "maxItems": 2,
                         "items": {"enum": ["Lena Varga", "Tomás Ibarra"]}},
        "key_points": {"type": "array", "maxItems": 3, "items": {"enum": [1, 4, 7]}},
        "tone": {"enum": ["cordial", "tense"]},
    },
    "required": ["participants", "key_points", "tone"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def grammar(tokenizer: Any) -> Any:
    info = xgrammar.TokenizerInfo.from_huggingface(tokenizer, vocab_size=151936)
    return xgrammar.GrammarCompiler(info).compile_json_schema(
        json.dumps(SCHEMA), any_whitespace=False, strict_mode=True)


def test_output_keeps_to_the_grammar_and_forced_tokens_share_passes(
    model: Any, tokenizer: Any, grammar: Any
) -> None:
    decoder = BatchDecoder(model, EOS)
    try:
        futures = [decoder.submit(DecodeJob(_ids(tokenizer, p), grammar, 200)) for p in PROMPTS]
        outcomes = [f.result() for f in futures]
    finally:
        decoder.close()
    for outcome in outcomes:
        value = json.loads(tokenizer.decode(outcome.output_ids))
        assert set(value) == {"participants", "key_points", "tone"}
        assert set(value["participants"]) <= {"Lena Varga", "Tomás Ibarra"}
        assert set(value["key_points"]) <= {1, 4, 7} and value["tone"] in {"cordial", "tense"}
        assert outcome.finished
        assert outcome.forward_steps < len(outcome.output_ids) / 2


def test_tokens_forced_up_to_the_end_take_no_passes_of_their_own(
    model: Any, tokenizer: Any, grammar: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing brace the mask alone forces, and the stop after it, cost no pass: the same
    tokens as when every step runs, in fewer passes."""

    def decode() -> list[Any]:
        decoder = BatchDecoder(model, EOS)
        try:
            return [decoder.submit(DecodeJob(_ids(tokenizer, p), grammar, 200)).result()
                    for p in PROMPTS]
        finally:
            decoder.close()

    ahead = decode()
    monkeypatch.setattr(batch_decoder, "_only_token", lambda words: None)  # no look-ahead
    step_by_step = decode()
    for short, full in zip(ahead, step_by_step, strict=True):
        assert short.output_ids == full.output_ids
        assert tokenizer.decode(short.output_ids).endswith("}")
        assert short.finished and full.finished
        assert short.forward_steps < full.forward_steps


def test_a_cancelled_job_raises_and_the_others_finish(model: Any, tokenizer: Any) -> None:
    cancel = threading.Event()
    cancel.set()
    decoder = BatchDecoder(model, EOS)
    try:
        doomed = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 50, cancel=cancel))
        fine = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[1]), None, 8))
        with pytest.raises(Cancelled):
            doomed.result()
        assert len(fine.result().output_ids) == 8
    finally:
        decoder.close()


def test_after_close_jobs_fail_at_once_instead_of_waiting(model: Any, tokenizer: Any) -> None:
    decoder = BatchDecoder(model, EOS)
    decoder.close()
    with pytest.raises(EngineUnavailable):
        decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 5)).result(timeout=5)


@pytest.mark.slow
def test_a_request_waiting_for_room_is_cancelled_without_waiting(
    model: Any, tokenizer: Any
) -> None:
    from service.engines.base import GenerationRequest
    from service.engines.transformers_engine import engine_from_pretrained

    engine = engine_from_pretrained(model, tokenizer, "tiny", max_batch=1)
    outcome: list[object] = []

    def occupy() -> None:
        try:
            outcome.append(engine.generate(GenerationRequest(
                [{"role": "user", "content": PROMPTS[1]}], max_new_tokens=4000)))
        except Exception as exc:  # the engine is closed under it at the end
            outcome.append(exc)

    busy = threading.Thread(target=occupy)
    busy.start()
    try:
        time.sleep(0.3)
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        started = time.perf_counter()
        with pytest.raises(Cancelled):
            engine.generate(GenerationRequest(
                [{"role": "user", "content": PROMPTS[0]}], max_new_tokens=5, cancel=cancel))
        assert time.perf_counter() - started < 10.0  # at the next step, not at the batch's end
        assert busy.is_alive() and not outcome  # the batch was still full all along
    finally:
        engine.close()
        busy.join(timeout=30)


# --- rows joining, leaving and failing while others decode ---------------------------------


def _prefix_length(first: list[int], second: list[int]) -> int:
    length = 0
    while first[length] == second[length]:
        length += 1
    return length


def _wait_decoding(decoder: BatchDecoder, job: DecodeJob, tokens: int = 1) -> None:
    """Until `job` is a row of the running batch with at least `tokens` output tokens."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(row.job is job and len(row.output) >= tokens for row in list(decoder._rows)):
            return
        time.sleep(0.001)
    raise AssertionError("the job never started decoding")


def test_jobs_joining_and_leaving_a_running_batch_get_the_tokens_they_get_alone(
    model: Any, tokenizer: Any, grammar: Any
) -> None:
    """Prompts of different lengths, constrained and free, penalised or not, each joining a
    batch already decoding (one shorter than the batch, so left-padded; one longer, so the
    batch is re-padded under it) while a row is cancelled under them: every row's tokens are
    the ones it gets decoding alone."""
    short, middle, long = (_ids(tokenizer, p) for p in (PROMPTS[2], PROMPTS[0], PROMPTS[1]))
    longest = _ids(tokenizer, PROMPTS[1] + " " + PROMPTS[1])
    prefix = _prefix_length(middle, longest)
    first = DecodeJob(short, grammar, 200)
    second = DecodeJob(middle, None, 24, repetition_penalty=1.3, prefix_length=prefix)
    third = DecodeJob(longest, grammar, 200, repetition_penalty=1.1, prefix_length=prefix)
    cancel = threading.Event()
    doomed = DecodeJob(long, None, 300, cancel=cancel)  # makes the batch wider than `second`
    decoder = BatchDecoder(model, EOS, max_batch=4, prefill_chunk=16)
    try:
        alone = [decoder.submit(job).result() for job in (first, second, third)]
        futures = {"first": decoder.submit(first), "doomed": decoder.submit(doomed)}
        _wait_decoding(decoder, first)
        futures["second"] = decoder.submit(second)  # shorter than the batch's context
        _wait_decoding(decoder, second)
        width = decoder._mask.shape[1]
        futures["third"] = decoder.submit(third)  # longer: the rows decoding are re-padded
        _wait_decoding(decoder, third)
        cancel.set()
        batched = [futures[name].result(timeout=60) for name in ("first", "second", "third")]
        with pytest.raises(Cancelled):
            futures["doomed"].result(timeout=60)
    finally:
        decoder.close()
    assert len(longest) > width > len(middle) + 20  # joined well to the right, and re-padded
    assert batched[2].cached_prefix_tokens == prefix  # the cached prefix took part too
    assert [o.output_ids for o in batched] == [o.output_ids for o in alone]
    assert [o.finished for o in batched] == [o.finished for o in alone]
    assert [o.forward_steps for o in batched] == [o.forward_steps for o in alone]


class _FaultyDecoder(BatchDecoder):
    """Raises in one stage of one row's own work, the `doomed` job's, once it has
    `after` output tokens; records how many rows the batch had at that moment."""

    def __init__(self, *args: Any, stage: str, doomed: DecodeJob, after: int = 3,
                 **kwargs: Any) -> None:
        # Before the worker thread starts (in super().__init__), which reads them.
        self.stage, self.doomed, self.after = stage, doomed, after
        self.rows_at_failure: int | None = None
        super().__init__(*args, **kwargs)

    def _due(self, row: Any, stage: str) -> bool:
        if stage != self.stage or row.job is not self.doomed or len(row.output) < self.after:
            return False
        self.rows_at_failure = len(self._rows)
        return True

    def _prefill(self, row: Any) -> Any:
        buffer = super()._prefill(row)
        if row.matcher is not None:  # a grammar matcher that breaks, as a C++ one could
            row.matcher = _BreakingMatcher(row.matcher, lambda: self._due(row, "grammar"))
        return buffer

    def _penalize(self, row: Any, logits: torch.Tensor) -> None:  # type: ignore[override]
        if self._due(row, "penalty"):
            raise IndexError("boom in penalty")
        super()._penalize(row, logits)

    def _advance(self, row: Any, token: int) -> bool:
        if self._due(row, "advance"):
            raise RuntimeError("boom in advance")
        return super()._advance(row, token)


class _BreakingMatcher:
    """A GrammarMatcher whose bitmask fill raises once `due()` says so."""

    def __init__(self, matcher: xgrammar.GrammarMatcher, due: Any) -> None:
        self._matcher, self._due = matcher, due

    def fill_next_token_bitmask(self, bitmask: torch.Tensor, index: int) -> Any:
        if self._due():
            raise ValueError("boom in grammar")
        return self._matcher.fill_next_token_bitmask(bitmask, index)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._matcher, name)


@pytest.mark.parametrize(("stage", "error"), [
    ("penalty", IndexError), ("grammar", ValueError), ("advance", RuntimeError),
])
def test_a_row_that_fails_fails_alone_and_the_others_decode_on(
    model: Any, tokenizer: Any, grammar: Any, stage: str, error: type[Exception]
) -> None:
    doomed = DecodeJob(_ids(tokenizer, PROMPTS[1]), grammar, 200, repetition_penalty=1.2)
    others = [DecodeJob(_ids(tokenizer, PROMPTS[0]), grammar, 200),
              DecodeJob(_ids(tokenizer, PROMPTS[2]), None, 16, repetition_penalty=1.3)]
    decoder = _FaultyDecoder(model, EOS, stage=stage, doomed=doomed)
    try:
        alone = [decoder.submit(job).result().output_ids for job in others]
        doomed_future = decoder.submit(doomed)
        futures = [decoder.submit(job) for job in others]
        with pytest.raises(error, match=f"boom in {stage}"):
            doomed_future.result(timeout=60)
        batched = [f.result(timeout=60).output_ids for f in futures]
        later = decoder.submit(others[0]).result(timeout=60).output_ids  # still serving
    finally:
        decoder.close()
    assert batched == alone
    assert later == alone[0]
    assert decoder.rows_at_failure == 3  # it failed while the other two were decoding
    assert all(len(ids) > decoder.after for ids in alone)  # ...and had more to decode


def test_a_failed_forward_pass_fails_its_rows_and_the_decoder_serves_on(
    model: Any, tokenizer: Any
) -> None:
    """The forward pass is shared: its failure cannot be put on one row, so every row in it
    fails, but not the worker: the next job decodes as it would have."""

    class BrokenOnce(BatchDecoder):
        broken = False

        def _feed(self) -> None:
            if len(self._rows) == 2 and not self.broken:
                self.broken = True
                raise RuntimeError("forward failed")
            super()._feed()

    jobs = [DecodeJob(_ids(tokenizer, p), None, 8) for p in PROMPTS[:2]]
    decoder = BrokenOnce(model, EOS)
    try:
        futures = [decoder.submit(job) for job in jobs]
        for future in futures:
            with pytest.raises(RuntimeError, match="forward failed"):
                future.result(timeout=60)
        after = decoder.submit(jobs[1]).result(timeout=60).output_ids
    finally:
        decoder.close()
    assert after == _reference(model, jobs[1].prompt_ids, 8)


# --- KV room shared among the rows -----------------------------------------------------------


class _RecordingDecoder(BatchDecoder):
    """Records, at every step, which jobs the batch holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.batches: list[tuple[DecodeJob, ...]] = []
        super().__init__(*args, **kwargs)

    def _step(self) -> None:
        self.batches.append(tuple(row.job for row in self._rows))
        super()._step()


def _width(job: DecodeJob) -> int:
    return len(job.prompt_ids) + job.max_new_tokens


@pytest.mark.slow
def test_rows_share_a_batch_only_while_their_kv_fits_and_keep_their_turn(
    model: Any, tokenizer: Any
) -> None:
    long_a, long_b = (DecodeJob(_ids(tokenizer, PROMPTS[1] + f" Part {n}."), None, 120)
                      for n in (1, 2))
    short = [DecodeJob(_ids(tokenizer, p), None, 12) for p in (PROMPTS[0], PROMPTS[2])]
    # The batch's buffer gives every row the widest row's width: room for one long row alone,
    # or for the two short ones together, never for a long row with anything beside it, though
    # a long row's and a short row's own widths would add up to less than the budget.
    budget = _width(long_a) + max(_width(j) for j in short) + 5
    assert 2 * max(_width(j) for j in short) <= budget < 2 * _width(long_a)
    alone = BatchDecoder(model, EOS)
    try:
        expected = [alone.submit(j).result().output_ids for j in (long_a, long_b, *short)]
    finally:
        alone.close()
    decoder = _RecordingDecoder(model, EOS, max_batch=4, max_batch_tokens=budget)
    try:
        futures = [decoder.submit(long_a)]
        _wait_decoding(decoder, long_a)
        futures += [decoder.submit(j) for j in (long_b, *short)]  # long_b first in line
        outputs = [f.result(timeout=60).output_ids for f in futures]
    finally:
        decoder.close()
    assert outputs == expected
    for long_row in (long_a, long_b):  # a long row always ran alone
        assert all(b == (long_row,) for b in decoder.batches if long_row in b)
    # The short jobs, submitted after long_b, did not overtake it while it waited for room...
    first_seen = {id(j): next(i for i, b in enumerate(decoder.batches) if j in b)
                  for j in (long_b, *short)}
    assert all(first_seen[id(long_b)] <= first_seen[id(j)] for j in short)
    # ...and short rows still share a batch.
    assert any(all(j in b for j in short) for b in decoder.batches)


def test_a_row_cancelled_while_waiting_for_room_gives_up_its_turn(
    model: Any, tokenizer: Any
) -> None:
    running = DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 400)
    cancel = threading.Event()
    wide = DecodeJob(_ids(tokenizer, PROMPTS[1]), None, 400, cancel=cancel)
    short = DecodeJob(_ids(tokenizer, PROMPTS[2]), None, 12)
    # Room for the running row with the short one, not with the wide one.
    budget = 2 * _width(running) + 5
    assert 2 * _width(wide) > budget
    decoder = _RecordingDecoder(model, EOS, max_batch=4, max_batch_tokens=budget)
    try:
        first = decoder.submit(running)
        _wait_decoding(decoder, running)
        waiting, after = decoder.submit(wide), decoder.submit(short)
        deadline = time.monotonic() + 30
        while (decoder._held is None or decoder._held.job is not wide) and not first.done():
            assert time.monotonic() < deadline
            time.sleep(0.001)
        assert not first.done(), "the running row must still be decoding for this test"
        cancel.set()
        with pytest.raises(Cancelled):
            waiting.result(timeout=30)
        after.result(timeout=30)
        assert not first.done() or len(first.result().output_ids) > 100
    finally:
        decoder.close()
    # The short row joined the running one instead of waiting behind the cancelled row.
    assert any(b == (running, short) for b in decoder.batches)
    assert not any(wide in b for b in decoder.batches)


def test_a_rows_listener_hears_its_tokens_as_they_come_and_cannot_fail_it(
    model: Any, tokenizer: Any,
) -> None:
    heard: list[tuple[int, bool]] = []

    def broken(tokens: int, finished: bool) -> None:
        raise RuntimeError("a listener with a bug")

    decoder = BatchDecoder(model, EOS, max_batch=4)
    try:
        plain = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 12)).result()
        told = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 12,
                                        on_tokens=lambda n, done: heard.append((n, done))))
        failing = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[1]), None, 12,
                                           on_tokens=broken))
        outcome, survived = told.result(), failing.result()
    finally:
        decoder.close()
    assert outcome.output_ids == plain.output_ids
    counts = [n for n, _ in heard]
    assert counts == sorted(counts) and counts[-1] == len(outcome.output_ids)
    assert [done for _, done in heard] == [False] * (len(heard) - 1) + [True]
    assert len(heard) >= len(outcome.output_ids)  # told at every step, then once more
    assert survived.output_ids  # the failing listener was logged, its row decoded on
