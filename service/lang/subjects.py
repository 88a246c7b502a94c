"""Subjects of diplomacy named in different words (`<language>/subjects.psv`): for the
comparison of two readouts, which tells "maritime rights" and "the South China Sea" apart
from two different subjects only by knowing they are one."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=4)
def subject_words(language: str = "en") -> dict[str, tuple[str, ...]]:
    """Each subject's name and the words and two-word phrases that name it; no subjects for
    a language without a table."""
    path = resources.files("service.lang").joinpath(language, "subjects.psv")
    if not path.is_file():
        return {}
    subjects: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *words = line.split("|")
        subjects[name] = tuple(w.strip().lower() for w in words if w.strip())
    return subjects
