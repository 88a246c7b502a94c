"""Greedy, grammar-constrained decoding of many prompts at once, written for CPU speed.

Why not `model.generate`: on a small model on CPU the per-token fixed costs dominate, and
generate cannot (1) feed the tokens the grammar forces (keys, brackets, the rest of a name
once it is the only one that fits) several at a time instead of one step each, (2) start from
the cached KV of a prompt prefix every request shares, or (3) let a request join a batch that
is already decoding. Decode is bound by reading the weights once per step, so rows decoding
together share that read: 4 rows cost little more than 1.

One worker thread owns the model. Each new row is prefilled alone (in chunks, so the attention
scores of a 6,000-token prompt never exist at once), then its KV is merged into the running
batch, left-padded with zeros that the attention mask hides.

(Over 400 lines on purpose: `BatchDecoder` is one worker loop whose rows, KV buffer, attention
mask and grammar bitmask change together at every step; the parts that stand alone, the KV
buffer, the prefix cache and the model thread, are modules of their own.)
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

import torch
import xgrammar
from transformers import DynamicCache, PreTrainedModel

from service.engines.kv_buffer import KVBuffer
from service.engines.lean_forward import LeanForward
from service.engines.memory import release_freed_memory
from service.engines.model_thread import ModelThread
from service.engines.output_rows import OutputRows
from service.engines.prefix_cache import PrefixCache
from service.errors import Cancelled, EngineUnavailable

log = logging.getLogger(__name__)

_MAX_ROOM_FOR_NEW = 1024
"""New tokens a row's KV room is made for at first (it grows if a row needs more)."""

_FEW_TOKENS = 1024
"""Up to this many tokens allowed by the grammar (over the pass's rows), only their logits are
computed (output_rows.py): ~2 ms of CPU for 1,000 rows against ~8 ms for the whole layer."""

@dataclass
class DecodeJob:
    prompt_ids: list[int]
    grammar: Any | None
    """An xgrammar.CompiledGrammar, or a Future of one (compiled while the prompt is
    prefilled; the row waits for it only once its prefill is done)."""
    max_new_tokens: int
    repetition_penalty: float = 1.0
    cancel: threading.Event | None = None
    prefix_length: int = 0
    """Leading prompt tokens that other prompts share (the instructions): their KV is cached."""
    on_tokens: Callable[[int, bool], None] | None = None
    """Told the tokens written so far after every step, and once more when the row is done."""


@dataclass
class DecodeOutcome:
    output_ids: list[int]
    finished: bool
    """Ended by the model or the grammar, not by max_new_tokens."""
    queued_s: float
    prefill_s: float
    decode_s: float
    forward_steps: int
    """Decode forward passes: fewer than output tokens when forced tokens were fed together."""
    cached_prefix_tokens: int


@dataclass
class _Row:
    job: DecodeJob
    future: Future[DecodeOutcome]
    submitted: float
    matcher: xgrammar.GrammarMatcher | None = None
    output: list[int] = field(default_factory=list)
    seen: torch.Tensor | None = None  # token ids the repetition penalty applies to
    next_position: int = 0
    pending: list[int] = field(default_factory=list)  # tokens to feed at the next step
    logits: torch.Tensor | None = None
    started: float = 0.0
    prefilled: float = 0.0
    steps: int = 0
    cached_prefix: int = 0
    finished: bool = False
    next_mask: torch.Tensor | None = None  # the grammar's bitmask for the next step, if known


class BatchDecoder:
    """Runs DecodeJobs on one model in a worker thread, up to `max_batch` rows at a time and
    at most `max_batch_tokens` of KV positions among them, counted as the batch's buffer holds
    them (rows x the widest row's prompt and new tokens): four parts of a maximum-size article
    would hold ~0.7 GB of KV and as much again while attention expands it, so long rows take
    turns while short ones still share a batch. A row wider than the whole budget runs alone."""

    def __init__(
        self,
        model: PreTrainedModel,
        eos_ids: Sequence[int],
        *,
        max_batch: int = 4,
        max_batch_tokens: int = 1 << 30,
        prefill_chunk: int = 512,
        prefix_cache: PrefixCache | None = None,
        thread: ModelThread | None = None,
    ) -> None:
        self._model = model
        self._eos = frozenset(eos_ids)
        self._max_batch = max(1, max_batch)
        self._max_batch_tokens = max(1, max_batch_tokens)
        self._held: _Row | None = None  # taken from the queue, waiting for KV room
        self._prefill_chunk = max(16, prefill_chunk)
        self._prefixes = prefix_cache or PrefixCache()
        self._vocab = int(model.config.vocab_size)
        self._device = next(model.model.norm.parameters()).device
        self._lean = LeanForward.for_model(model)  # None: the model's own forward
        self._output_rows = OutputRows.of_model(model)  # None: always the whole output layer
        self._last_pass: tuple[list[_Row], torch.Tensor] | None = None
        """The last pass's rows and their last hidden states, whose logits the next step
        computes once it knows which tokens the grammar allows."""
        self._queue: queue.Queue[_Row | None] = queue.Queue()
        self._rows: list[_Row] = []
        self._buffer: KVBuffer | None = None
        self._mask = torch.zeros(0, 0, dtype=torch.long)
        self._bitmask = xgrammar.allocate_token_bitmask(self._max_batch, self._vocab)
        self._row_mask = xgrammar.allocate_token_bitmask(1, self._vocab)  # one row's, in _advance
        self._closed = False
        self._closing = threading.Lock()
        self._thread = thread or ModelThread()
        self._loop = self._thread.start(self._work)

    def submit(self, job: DecodeJob) -> Future[DecodeOutcome]:
        future: Future[DecodeOutcome] = Future()
        with self._closing:
            if self._closed:
                future.set_exception(EngineUnavailable("the model is shutting down"))
            else:
                self._queue.put(_Row(job, future, time.perf_counter()))
        return future

    def close(self) -> None:
        """Finish nothing new: rows waiting or decoding get EngineUnavailable."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)  # wakes a worker waiting for work
        with contextlib.suppress(TimeoutError):
            self._loop.result(timeout=30)
        self._thread.shutdown()

    # --- the worker ----------------------------------------------------------------------

    def _work(self) -> None:
        torch.set_grad_enabled(False)
        while not self._closed:
            try:
                if not self._admit():
                    break
                if self._rows:
                    self._step()
            except Exception as exc:
                # What reaches here is the shared part of a step (in practice the forward
                # pass), which no single row can be blamed for: it computes every row at once,
                # and a failure part-way through it (out of memory, a kernel error) leaves the
                # layers of the KV buffer at different lengths, so no row in it can go on.
                # Those rows fail; the worker, and the rows still waiting, do not. Per-row
                # work fails only its own row (see `_step`).
                log.exception("decoding failed")
                self._fail_rows(exc)
        shutting_down = EngineUnavailable("the model is shutting down")
        self._fail_rows(shutting_down)
        self._fail_waiting(shutting_down)

    def _fail_rows(self, error: Exception) -> None:
        for row in self._rows:
            if not row.future.done():
                row.future.set_exception(error)
        self._rows, self._buffer, self._last_pass = [], None, None
        self._mask = torch.zeros(0, 0, dtype=torch.long)

    @staticmethod
    def _fail_row(row: _Row, error: Exception) -> None:
        """One row's own work raised: its request gets the error; the caller drops the row."""
        log.error("decoding one row failed; the others go on", exc_info=error)
        if not row.future.done():
            row.future.set_exception(error)

    def _fail_waiting(self, error: Exception) -> None:
        held, self._held = self._held, None
        if held is not None and not held.future.done():
            held.future.set_exception(error)
        while True:
            try:
                waiting = self._queue.get_nowait()
            except queue.Empty:
                return
            if waiting is not None and not waiting.future.done():
                waiting.future.set_exception(error)

    def _admit(self) -> bool:
        """Take waiting jobs while there is room; block only when nothing is decoding."""
        while len(self._rows) < self._max_batch:
            try:
                row = self._held or self._queue.get(block=not self._rows)
            except queue.Empty:
                return True
            self._held = None
            if (row is not None and self._rows and not self._is_dropped(row)
                    and not self._has_room_for(row)):
                self._held = row  # first in line once rows finish; nothing overtakes it
                return True
            if row is None or self._closed:
                if row is not None:
                    row.future.set_exception(EngineUnavailable("the model is shutting down"))
                return False
            if not row.future.set_running_or_notify_cancel():
                continue
            if row.job.cancel is not None and row.job.cancel.is_set():
                row.future.set_exception(Cancelled("cancelled before generation started"))
                continue
            try:
                self._join(row, self._prefill(row))
            except Cancelled as exc:
                row.future.set_exception(exc)
            except Exception as exc:
                log.exception("prefill failed")
                row.future.set_exception(exc)
        return True

    @staticmethod
    def _room(job: DecodeJob) -> int:
        """The KV room a row's prefill allocates (it grows if the row needs more)."""
        return len(job.prompt_ids) + min(job.max_new_tokens, _MAX_ROOM_FOR_NEW)

    @staticmethod
    def _is_dropped(row: _Row) -> bool:
        """Cancelled while it waited: it must not hold its place in line (it is answered when
        the loop reaches it, at once)."""
        cancel = row.job.cancel
        return row.future.cancelled() or (cancel is not None and cancel.is_set())

    def _has_room_for(self, row: _Row) -> bool:
        """Whether the batch's KV, with this row joined, stays within the budget. The batch's
        buffer gives every row the longest row's width (shorter rows are left-padded), and
        a row may decode up to its max_new_tokens: so the batch holds at most rows x the
        longest prompt plus its new tokens."""
        widest = max(len(r.job.prompt_ids) + r.job.max_new_tokens for r in (*self._rows, row))
        return (len(self._rows) + 1) * widest <= self._max_batch_tokens

    def _prefill(self, row: _Row) -> KVBuffer:
        row.started = time.perf_counter()
        job = row.job
        ids = job.prompt_ids
        prefix = ids[: job.prefix_length] if 0 < job.prefix_length < len(ids) else []
        cached = self._prefixes.get(prefix) if prefix else None
        room = self._room(job)
        if cached is not None:
            buffer = KVBuffer.from_tensors(cached, headroom=room - len(prefix))
        else:
            buffer = KVBuffer.empty(self._model, room)
        done = len(prefix) if cached is not None else 0
        hidden = None
        while done < len(ids):
            if job.cancel is not None and job.cancel.is_set():
                raise Cancelled("generation cancelled")
            end = min(len(ids), done + self._prefill_chunk)
            if prefix and cached is None and done < len(prefix) < end:
                end = len(prefix)  # stop at the prefix boundary once, to cache it
            hidden = self._forward(ids[done:end], buffer.cache(), start=done)
            done = end
            if prefix and cached is None and done == len(prefix):
                self._prefixes.put(prefix, [(k.clone(), v.clone()) for k, v in buffer.tensors()])
        assert hidden is not None
        # Logits go to the CPU: penalty, grammar mask and argmax are done there for every device.
        row.logits = self._model.lm_head(hidden).float()[0].cpu()
        row.cached_prefix = len(prefix) if cached is not None else 0
        row.next_position = len(ids)
        row.seen = torch.tensor(sorted(set(ids)), dtype=torch.long)
        if job.grammar is not None:
            row.matcher = xgrammar.GrammarMatcher(_compiled(job.grammar, job.cancel))
        row.prefilled = time.perf_counter()
        return buffer

    def _forward(self, ids: list[int], cache: DynamicCache, start: int) -> torch.Tensor:
        input_ids = torch.tensor([ids], dtype=torch.long, device=self._device)
        positions = torch.arange(start, start + len(ids), device=self._device).unsqueeze(0)
        return self._hidden(input_ids, positions, None, cache)[:, -1]

    def _hidden(
        self, input_ids: torch.Tensor, positions: torch.Tensor, mask: torch.Tensor | None,
        cache: DynamicCache,
    ) -> torch.Tensor:
        """The last hidden states of one pass: the lean forward's where it knows the model
        (lean_forward.py: the same values, less time around the matrix products), else the
        model's."""
        if self._lean is not None:
            return self._lean(input_ids, positions, mask, cache)
        out = self._model.model(
            input_ids=input_ids, position_ids=positions, attention_mask=mask, cache=cache,
            use_cache=True,
        )
        return out.last_hidden_state

    def _join(self, row: _Row, buffer: KVBuffer) -> None:
        """Add a prefilled row to the batch: both aligned on the right, zeros on the left."""
        length = buffer.length
        if not self._rows:
            self._buffer, self._mask = buffer, torch.ones(1, length, dtype=torch.long)
            self._rows = [row]
            return
        width = self._mask.shape[1]
        total = max(width, length)
        assert self._buffer is not None
        new_mask = torch.zeros(len(self._rows) + 1, total, dtype=torch.long)
        new_mask[:-1, total - width:] = self._mask
        new_mask[-1, total - length:] = 1
        try:
            joined = self._buffer.join(buffer)
        except Exception:
            # The join consumes the batch's buffer as it goes: its rows cannot go on.
            self._fail_rows(EngineUnavailable("joining a new row to the batch failed"))
            raise
        self._buffer, self._mask, self._rows = joined, new_mask, [*self._rows, row]
        release_freed_memory()  # the batch's old KV: give its pages back, not to a free list

    def _step(self) -> None:
        """Choose each row's next token(s) from its logits, then run one forward pass.

        Everything before the forward pass is one row's own work (its repetition penalty, its
        grammar's mask, its matcher taking the token, its future being resolved), so an
        exception there fails that row only: it is dropped with its KV and mask rows as if it
        had finished, and the other rows' logits, and so their tokens, are not touched by it."""
        rows = self._rows
        failed: set[int] = set()

        def fail(i: int, exc: Exception) -> None:
            self._fail_row(rows[i], exc)
            failed.add(i)

        constrained: list[int] = []
        for i, row in enumerate(rows):
            if row.matcher is None:
                continue
            try:
                if row.next_mask is not None:  # filled when its last tokens were taken
                    self._bitmask[i] = row.next_mask
                    row.next_mask = None
                else:
                    row.matcher.fill_next_token_bitmask(self._bitmask, i)
            except Exception as exc:
                fail(i, exc)
            else:
                constrained.append(i)
        self._last_pass_logits(failed)
        logits = torch.stack([row.logits for row in rows])  # type: ignore[misc]
        for i, row in enumerate(rows):
            if i in failed:
                continue
            try:
                self._penalize(row, logits[i])
            except Exception as exc:
                fail(i, exc)
        if constrained:
            xgrammar.apply_token_bitmask_inplace(
                logits, self._bitmask[: len(rows)],
                indices=None if len(constrained) == len(rows) else constrained,
            )
        chosen = logits.argmax(dim=-1).tolist()
        keep: list[int] = []
        for i, (row, token) in enumerate(zip(rows, chosen, strict=True)):
            if i in failed:
                continue
            try:
                if self._advance(row, token):
                    keep.append(i)
            except Exception as exc:
                fail(i, exc)
        if len(keep) < len(rows):
            self._drop(keep)
        if self._rows:
            self._feed()

    def _last_pass_logits(self, failed: set[int]) -> None:
        """The logits of the rows the last pass computed: of the tokens their grammars allow
        where those are few (the others stay -inf, as the mask would make them), else of all.

        Computed for the pass's rows together, as the pass left them: the output layer
        quantizes its input per tensor, so each row's logits depend on the others'."""
        if self._last_pass is None:
            return
        rows, hidden = self._last_pass
        self._last_pass = None
        tokens = self._allowed_tokens(rows, failed)
        if tokens is None:
            logits = self._model.lm_head(hidden).float().cpu()
        else:
            assert self._output_rows is not None
            logits = torch.full((len(rows), self._vocab), float("-inf"))
            logits[:, tokens] = self._output_rows.logits(hidden, tokens).float().cpu()
        for i, row in enumerate(rows):
            row.logits = logits[i]

    def _allowed_tokens(self, rows: list[_Row], failed: set[int]) -> torch.Tensor | None:
        """The tokens any of `rows`' grammars allows now (their bitmask rows are filled), or
        None where every token must be scored: no rows on disk, a row without a grammar, or
        more than _FEW_TOKENS allowed."""
        if self._output_rows is None or self._device.type != "cpu":
            return None
        # The pass's rows are the batch's first rows: rows join at the end, and leave only
        # after this step's tokens are chosen.
        words = []
        for index, row in enumerate(rows):
            assert self._rows[index] is row
            if row.matcher is None:
                return None
            if index not in failed:
                words.append(self._bitmask[index])
        if not words:
            return None
        # A bit per token, 32 to a word: a word that is not 0 allows at least one token.
        union = torch.stack(words)
        union = union[0] if len(words) == 1 else _bitwise_or(union)
        nonzero = union.nonzero().squeeze(1)
        if len(nonzero) > _FEW_TOKENS:
            return None
        bits = (union[nonzero].unsqueeze(1) >> torch.arange(32, dtype=torch.int32)) & 1
        tokens = (nonzero.unsqueeze(1) * 32 + torch.arange(32))[bits.bool()]
        tokens = tokens[tokens < self._vocab]
        if len(tokens) > _FEW_TOKENS or len(tokens) == 0:
            return None
        return tokens

    @staticmethod
    def _penalize(row: _Row, logits: torch.Tensor) -> None:
        """One row's logits, in place. As transformers' RepetitionPenaltyLogitsProcessor: over
        prompt and output tokens."""
        penalty = row.job.repetition_penalty
        if penalty == 1.0 or row.seen is None:
            return
        picked = logits[row.seen]
        logits[row.seen] = torch.where(picked < 0, picked * penalty, picked / penalty)

    def _advance(self, row: _Row, token: int) -> bool:
        """Take the chosen token; False when the row is done (and its future resolved)."""
        job = row.job
        if job.cancel is not None and job.cancel.is_set():
            row.future.set_exception(Cancelled("generation cancelled"))
            return False
        matcher = row.matcher
        if token in self._eos or (matcher is not None and not matcher.accept_token(token)):
            row.finished = token in self._eos
            self._resolve(row)
            return False
        row.output.append(token)
        row.pending = [token]
        if matcher is not None:
            if matcher.is_terminated():
                row.finished = True
                self._resolve(row)
                return False
            if self._take_forced(row, matcher):
                row.finished = True
                self._resolve(row)
                return False
        if len(row.output) >= job.max_new_tokens:
            self._resolve(row)
            return False
        if row.seen is not None and job.repetition_penalty != 1.0:
            row.seen = torch.unique(torch.cat([row.seen, torch.tensor(row.pending)]))
        _tell(row, finished=False)
        return True

    def _take_forced(self, row: _Row, matcher: xgrammar.GrammarMatcher) -> bool:
        """Take the tokens the grammar forces after the chosen one (keys, brackets, the rest of
        a name once it is the only one that fits), to be fed with it in the same pass; True
        where nothing is left but to stop: the row is done without another pass.

        xgrammar's jump-forward leaves out a forced token that is the start of longer ones
        (the closing brace after the last list). Where the mask allows one token, the step
        would choose it whatever the logits; when such tokens lead to the end (only a stop
        token allowed), they are taken now, and the passes that would have fed them one by one
        are saved. Elsewhere they are left to their own passes, as before: feeding tokens
        together changes the activations' int8 scale of that pass, and so, slightly, the
        logits of every later step (and greedy choices near a tie). The mask of the state the
        row is left in is kept for the next step."""
        max_new = row.job.max_new_tokens
        for forced in matcher.find_jump_forward_tokens():
            if len(row.output) >= max_new or not matcher.accept_token(forced):
                return False
            row.output.append(forced)
            row.pending.append(forced)
        if len(row.output) >= max_new:
            return False
        matcher.fill_next_token_bitmask(self._row_mask, 0)
        row.next_mask = self._row_mask[0].clone()
        only = _only_token(row.next_mask)
        ahead: xgrammar.GrammarMatcher | None = None
        taken: list[int] = []
        while only is not None:
            if only in self._eos or only in matcher.stop_token_ids:
                row.output.extend(taken)
                return True
            ahead = ahead or matcher.fork()
            if len(row.output) + len(taken) >= max_new or not ahead.accept_token(only):
                break
            taken.append(only)
            ahead.fill_next_token_bitmask(self._row_mask, 0)
            only = _only_token(self._row_mask[0])
        return False

    def _resolve(self, row: _Row) -> None:
        ended = time.perf_counter()
        _tell(row, finished=True)
        row.future.set_result(DecodeOutcome(
            output_ids=row.output,
            finished=row.finished,
            queued_s=row.started - row.submitted,
            prefill_s=row.prefilled - row.started,
            decode_s=ended - row.prefilled,
            forward_steps=row.steps,
            cached_prefix_tokens=row.cached_prefix,
        ))

    def _drop(self, keep: list[int]) -> None:
        self._rows = [self._rows[i] for i in keep]
        if not keep:
            self._buffer, self._mask = None, torch.zeros(0, 0, dtype=torch.long)
            return
        index = torch.tensor(keep)
        mask = self._mask[index]
        # Columns that are padding for every remaining row are dropped too.
        first = int(mask.any(dim=0).nonzero()[0])
        self._mask = mask[:, first:]
        assert self._buffer is not None
        self._buffer = self._buffer.select(index, first)
        release_freed_memory()

    def _feed(self) -> None:
        """One forward pass: each row's pending tokens, left-padded to the longest."""
        rows = self._rows
        width = max(len(row.pending) for row in rows)
        input_ids = torch.zeros(len(rows), width, dtype=torch.long)
        positions = torch.zeros(len(rows), width, dtype=torch.long)
        step_mask = torch.zeros(len(rows), width, dtype=torch.long)
        for i, row in enumerate(rows):
            n = len(row.pending)
            input_ids[i, width - n:] = torch.tensor(row.pending)
            positions[i, :] = row.next_position
            positions[i, width - n:] = torch.arange(row.next_position, row.next_position + n)
            step_mask[i, width - n:] = 1
            row.next_position += n
            row.steps += 1
        mask = torch.cat([self._mask, step_mask], dim=1)
        assert self._buffer is not None
        hidden = self._hidden(
            input_ids.to(self._device), positions.to(self._device),
            None if bool(mask.all()) else mask.to(self._device), self._buffer.cache(),
        )
        self._mask = mask
        self._last_pass = (list(rows), hidden[:, -1])
        for row in rows:
            row.logits = None  # the next step computes them (`_last_pass_logits`)


def _compiled(grammar: Any, cancel: threading.Event | None) -> Any:
    """The compiled grammar, waiting for it if it is still being compiled; what compiling
    raised is raised here, and so fails this row only."""
    if not isinstance(grammar, Future):
        return grammar
    while True:
        try:
            return grammar.result(timeout=0.05)
        except FutureTimeout:
            if cancel is not None and cancel.is_set():
                raise Cancelled("generation cancelled") from None


def _only_token(words: torch.Tensor) -> int | None:
    """The token a bitmask row allows, where it allows exactly one."""
    nonzero = words.nonzero()
    if len(nonzero) != 1:
        return None
    index = int(nonzero[0, 0])
    word = int(words[index]) & 0xFFFFFFFF
    if word & (word - 1):
        return None
    return index * 32 + word.bit_length() - 1


def _bitwise_or(words: torch.Tensor) -> torch.Tensor:
    union = words[0].clone()
    for other in words[1:]:
        union |= other
    return union


def _tell(row: _Row, *, finished: bool) -> None:
    """The row's listener, if any; what it raises is logged, never the row's failure."""
    listener = row.job.on_tokens
    if listener is None:
        return
    try:
        listener(len(row.output), finished)
    except Exception:
        log.exception("token listener failed")
