"""Finds every regular expression the service applies to request text and times each one on
adversarial inputs built from its own alternatives.

Patterns are found two ways, so one added later is covered without editing this file:
- module level: every `re.Pattern` reachable from a `service.*` module's globals (also inside
  lists, tuples, dicts and dataclass instances such as the per-language lexicons);
- at run time: every pattern that `service.*` code compiles (`re.compile`, `re.sub(r"...")`,
  `re.finditer(...)`, ...) while briefing a set of varied articles with a scripted engine.

Timing runs in a child process (`python -m tests.pattern_audit`), because a catastrophic
pattern cannot be interrupted inside the process that runs it: the parent kills the child when
one match outlives the bound and carries on with the next pattern.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
import os
import pkgutil
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import service

PatternKey = tuple[str, int]
"""A compiled pattern as its source and flags: what the child process rebuilds."""

_INPUT_CHARS = 60_000
_SCREEN_CHARS = 6_000
"""Every input is first run at a tenth and a twentieth of its size. A pattern that runs past
a 2 s bound at 60 kB takes at least 20 ms at 6 kB if it is quadratic, 2 ms if cubic, and
doubling its input more than triples its time; a linear pattern's time only doubles. An input
whose time grows faster than that, or that is slow even at the small size, is run again at
the full size against the bound: the audit costs a tenth as much and lets nothing through."""
_SCREEN_NOISE_S = 0.0005
"""Below this a timing is too noisy for its growth to mean anything."""
_SCREEN_GROWTH = 3.0
_SCREEN_SLOW_S = 0.05
_REPEATED_WORDS = 12
_PAIR_WORDS = 24
_PAIR_REPEATS = 40


# --- finding the patterns ----------------------------------------------------------------


def _service_modules() -> list[Any]:
    modules = []
    for info in pkgutil.walk_packages(service.__path__, "service."):
        modules.append(importlib.import_module(info.name))
    return modules


def _patterns_in(value: Any, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if depth > 4:
        return
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _patterns_in(getattr(value, f.name, None), depth + 1)


def module_patterns() -> set[PatternKey]:
    found: set[PatternKey] = set()
    for module in _service_modules():
        for value in vars(module).values():
            for pattern in _patterns_in(value):
                found.add((pattern.pattern, int(pattern.flags)))
    return found


# Caches of loaded resources (spaCy pipelines, their digests, the language detector): they
# compile none of the service's patterns, and loading them again costs seconds in every test
# that runs after the audit.
_RESOURCE_CACHES = frozenset({
    "service.text.nlp._load_pipeline", "service.text.nlp.pipeline_digest",
    "service.text.language._detector",
})


def clear_service_caches() -> None:
    """Empties every `functools.lru_cache` of the service's modules, so that patterns built
    and cached on first use (per-language country names, ...) are built again, and seen."""
    for module in _service_modules():
        for value in list(vars(module).values()):
            owner = getattr(value, "__module__", "")
            if (callable(getattr(value, "cache_clear", None)) and owner.startswith("service.")
                    and f"{owner}.{getattr(value, '__qualname__', '')}" not in _RESOURCE_CACHES):
                value.cache_clear()


@contextmanager
def recording_compiles() -> Iterator[set[PatternKey]]:
    """Records the patterns compiled by `service.*` code (not by the libraries it calls),
    with the service's caches emptied first so nothing is skipped for having been built
    before."""
    clear_service_caches()
    seen: set[PatternKey] = set()
    original: Callable[..., Any] = re._compile  # type: ignore[attr-defined]

    def spy(pattern: Any, flags: Any) -> Any:
        compiled = original(pattern, flags)
        if isinstance(compiled.pattern, str):
            frame = sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__") in ("re", "__main__"):
                frame = frame.f_back  # type: ignore[assignment]
            caller = frame.f_globals.get("__name__", "") if frame is not None else ""
            if caller.startswith("service."):
                seen.add((compiled.pattern, int(compiled.flags)))
        return compiled

    re._compile = spy  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        re._compile = original  # type: ignore[attr-defined]


# --- adversarial inputs ------------------------------------------------------------------


def _literals(pattern: str, flags: int) -> list[str]:
    """The words and characters a pattern is written with: the runs of its literals."""
    try:
        tree = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    except re.error:
        return []
    words: list[str] = []

    def walk(items: Iterable[Any]) -> None:
        run: list[str] = []
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(arg))
                continue
            if run:
                words.append("".join(run))
                run = []
            if name == "IN":
                for kind, value in arg:
                    if str(kind) == "LITERAL":
                        words.append(chr(value))
                    elif str(kind) == "RANGE":
                        words.append(chr(value[0]))
            elif name == "BRANCH":
                for branch in arg[1]:
                    walk(branch)
            elif name == "SUBPATTERN":
                walk(arg[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(arg[2])
            elif name in ("ATOMIC_GROUP",):
                walk(arg)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(arg[1])
        if run:
            words.append("".join(run))

    walk(tree)
    unique = list(dict.fromkeys(w for w in words if w))
    return unique[:200]


def adversarial_inputs(
    pattern: str, flags: int, chars: int = _INPUT_CHARS,
) -> dict[str, str]:
    """Inputs that make backtracking patterns slow: their own words repeated with every kind
    of separator, each word followed by many of another (nested repeats go exponential on a
    few hundred characters), runs of capitalised words, nested quotes, 60 kB without a
    newline."""
    def _fill(unit: str, tail: str = "!") -> str:
        if not unit:
            return ""
        return (unit * (chars // len(unit) + 1))[:chars] + tail

    words = _literals(pattern, flags)
    multi = [w for w in words if len(w) > 1] or words or ["a"]
    inputs: dict[str, str] = {
        "no newline": _fill("a"),
        "spaces": _fill(" "),
        "capitalised words": _fill("Ab Cd "),
        "capitalised run with dots": _fill("A. Bc D. "),
        "possessives": _fill("Foreign Minister's "),
        "nested quotes": _fill("“\"«‘'"),
        "alternating separators": _fill(" ,.-;:/|>"),
        "digits": _fill("1 12, 2024 "),
        "newlines": _fill("\n \n"),
    }
    # Runs that end in a character the pattern may refuse, or not at all: a pattern that
    # fails only at the run's end retries from inside it.
    for run_name, unit in (("spaces", " "), ("letters", "a"), ("digits", "1"),
                           ("dotted digits", "1."), ("newlines", "\n"), ("tabs", "\t")):
        for tail in ("", ">", "\x00", '"', "\n", "x"):
            inputs[f"{run_name} then {tail!r}"] = _fill(unit, tail)
    for separator in (" ", ", ", "\n", "", " , ", "-", ". "):
        inputs[f"own words joined by {separator!r}"] = _fill(separator.join(multi) + separator)
    for word in multi[:_REPEATED_WORDS]:
        inputs[f"{word!r} repeated"] = _fill(word + " ")
        inputs[f"{word!r} repeated, title case"] = _fill(word.title() + " ")
        # "system" and then 60 kB of blanks: adjacent repeats of blanks after a word.
        inputs[f"{word!r} then spaces"] = word + _fill(" ", "x")
    return inputs


def pair_inputs(pattern: str, flags: int) -> Iterator[tuple[str, list[str]]]:
    """Short lines of one of the pattern's words followed by many of another, then a
    character that fails the match ("Share facebook facebook ... !"), grouped by the first
    word: a pattern that backtracks exponentially needs only a few dozen repeats."""
    words = [w for w in _literals(pattern, flags) if w.strip()][:_PAIR_WORDS]
    for first in words:
        group = []
        for other in words:
            for separator in (" ", ", ", ""):
                group.append(first + " " + (other + separator) * _PAIR_REPEATS + "!")
        yield f"{first!r} then other words repeated", group


# --- the child process ---------------------------------------------------------------------


def _run(compiled: re.Pattern[str], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        # Every way the service applies a pattern: finditer (search is its first step; sub
        # and split scan the same way) from every position, match and fullmatch anchored at
        # the start.
        for _ in compiled.finditer(text):
            pass
        compiled.match(text)
        compiled.fullmatch(text)
    return time.perf_counter() - started


def time_pattern(pattern: str, flags: int, emit: Callable[[str], None]) -> None:
    compiled = re.compile(pattern, flags)
    half = adversarial_inputs(pattern, flags, _SCREEN_CHARS // 2)
    full: dict[str, str] | None = None
    for name, text in adversarial_inputs(pattern, flags, _SCREEN_CHARS).items():
        emit(json.dumps({"input": name}))
        small, seconds = _run(compiled, [half[name]]), _run(compiled, [text])
        grows = seconds > _SCREEN_NOISE_S and seconds > _SCREEN_GROWTH * small
        if grows or seconds > _SCREEN_SLOW_S:
            full = full or adversarial_inputs(pattern, flags)
            seconds = _run(compiled, [full[name]])
        emit(json.dumps({"input": name, "seconds": seconds}))
    for name, texts in pair_inputs(pattern, flags):  # short already: run as they are
        emit(json.dumps({"input": name}))
        emit(json.dumps({"input": name, "seconds": _run(compiled, texts)}))


def _child() -> None:
    keys = [tuple(k) for k in json.load(sys.stdin)]

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    for index, (pattern, flags) in enumerate(keys):
        emit(json.dumps({"pattern": index}))
        time_pattern(pattern, flags, emit)
    emit(json.dumps({"done": True}))


@dataclasses.dataclass
class Timing:
    pattern: str
    flags: int
    input: str
    seconds: float
    """How long it ran; the bound, when it did not finish."""
    finished: bool


def _lines(fd: int, timeout_s: float) -> Iterator[str | None]:
    """Lines from a pipe as they come, or None when none came for `timeout_s`; unbuffered
    reads, so a line already written is never mistaken for one still running."""
    pending = b""
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line.decode()
        ready, _, _ = select.select([fd], [], [], timeout_s)
        if not ready:
            yield None
            return
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        pending += chunk


def audit(keys: list[PatternKey], bound_s: float, workers: int = 0) -> list[Timing]:
    """The slowest input of every pattern; a pattern that runs past `bound_s` on one input is
    reported as unfinished, its child killed, and the audit goes on with the next pattern.
    The patterns are shared among `workers` child processes (default: one per core)."""
    workers = workers or os.cpu_count() or 1
    shares = [keys[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        return [t for share in pool.map(lambda k: _audit(k, bound_s), shares) for t in share]


def _audit(keys: list[PatternKey], bound_s: float) -> list[Timing]:
    results: list[Timing] = []
    start = 0
    while start < len(keys):
        batch = keys[start:]
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.pattern_audit"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(json.dumps(batch).encode())
        child.stdin.close()
        lines = _lines(child.stdout.fileno(), bound_s)
        current, current_input, slowest = -1, "", None
        try:
            for line in lines:
                if line is None:  # nothing for `bound_s`: the current input hangs
                    pattern, flags = batch[current]
                    results.append(Timing(pattern, flags, current_input, bound_s, False))
                    start += current + 1
                    break
                event = json.loads(line)
                if "pattern" in event:
                    if slowest is not None:
                        results.append(slowest)
                    current, slowest = event["pattern"], None
                elif "seconds" in event:
                    pattern, flags = batch[current]
                    timing = Timing(pattern, flags, event["input"], event["seconds"], True)
                    if slowest is None or timing.seconds > slowest.seconds:
                        slowest = timing
                elif "input" in event:
                    current_input = event["input"]
                elif event.get("done"):
                    if slowest is not None:
                        results.append(slowest)
                    start = len(keys)
                    break
            else:
                raise RuntimeError("the pattern audit child process died")
        finally:
            child.kill()
            child.wait()
    return results


if __name__ == "__main__":
    _child()


# --- whole steps: time grows linearly with the input ------------------------------------------

STEP_GROWTH = 2.5
"""Doubling the input may multiply a step's time by at most this: a linear step doubles (plus
noise), a quadratic one quadruples."""
_STEP_NOISE_S = 0.05
"""Below this a step's time is too noisy for its growth to mean anything."""


@dataclasses.dataclass(frozen=True)
class StepGrowth:
    sizes: list[int]
    seconds: list[float]

    def worst_ratio(self) -> float:
        ratios = [later / max(earlier, _STEP_NOISE_S)
                  for earlier, later in itertools.pairwise(self.seconds)]
        return max(ratios, default=1.0)


def _best_of(step: Callable[[str], object], text: str, runs: int) -> float:
    """The step's CPU time in this thread, the least of `runs`: the other processes on the
    machine slow the wall clock, much less the time this thread itself computes."""
    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        step(text)
        best = min(best, time.thread_time() - started)
    return best


def step_growth(step: Callable[[str], object], build: Callable[[int], str], max_chars: int,
                doublings: int = 4) -> StepGrowth:
    """Times `step` on `build(size)` for sizes doubling up to `max_chars` (the real limit),
    smallest first, and stops at the first doubling that grows past STEP_GROWTH: a quadratic
    step is caught at a sixteenth of the size, in about a second, instead of running for a
    minute at the full size. Each size is timed best of three while that stays cheap."""
    sizes = [max_chars >> shift for shift in range(doublings, -1, -1)]
    seconds: list[float] = []
    for size in sizes:
        text = build(size)[:size]
        taken = _best_of(step, text, 1)
        if taken < 0.5:
            taken = min(taken, _best_of(step, text, 2))
        seconds.append(taken)
        growth = StepGrowth(sizes[: len(seconds)], seconds)
        if growth.worst_ratio() > STEP_GROWTH and len(seconds) > 1:
            # Other processes share the cores: one slow run is timed again, both sizes, before
            # it counts. A superlinear step stays slow however often it is timed.
            half = build(sizes[len(seconds) - 2])[: sizes[len(seconds) - 2]]
            seconds[-2] = min(seconds[-2], _best_of(step, half, 3))
            seconds[-1] = min(seconds[-1], _best_of(step, text, 3))
            if growth.worst_ratio() > STEP_GROWTH:
                return growth
    return StepGrowth(sizes, seconds)
