"""Every supported language, by ISO 639-1 code: the one place that knows which languages
there are. Text analysis and the brief ask here (or the article, which asks here), never a
language's own folder.

A rule that reads names, pages or words that say little takes every language's words
together (`every_name_word` and friends): a French article quotes English titles, and an
instruction to a model may mix languages to slip past one language's pattern.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from service.lang.en import ENGLISH
from service.lang.es import SPANISH
from service.lang.fr import FRENCH
from service.lang.language import Language, NameWords, ReadingWords
from service.lang.names import NAMES_FROM_ELSEWHERE

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH, FRENCH, SPANISH)}
"""The supported languages; the first is the fallback for an article in any other."""
BRIEF_LANGUAGE = ENGLISH.code
"""The language every brief is written in."""


def language(code: str | None) -> Language:
    """The `Language` for `code`; English for a language without a folder (its set phrases then
    rarely match and the model's choices stand)."""
    return LANGUAGES.get((code or BRIEF_LANGUAGE).lower(), LANGUAGES[BRIEF_LANGUAGE])


def brief_language() -> Language:
    return LANGUAGES[BRIEF_LANGUAGE]


def every_language() -> tuple[Language, ...]:
    return tuple(LANGUAGES.values())


def every_name_word(group: Callable[[NameWords], frozenset[str]]) -> frozenset[str]:
    """One kind of name word (`lambda n: n.honorifics`), of every language together."""
    return group(names_of_every_language())


@lru_cache(maxsize=1)
def names_of_every_language() -> NameWords:
    """How names are written in any supported language (and the names' own particles and
    forms of address from elsewhere): every language's words together."""
    return _together([NAMES_FROM_ELSEWHERE, *(lang.names for lang in every_language())])


@lru_cache(maxsize=1)
def reading_of_every_language() -> ReadingWords:
    """The words that say little in any supported language, together."""
    return _together([lang.reading for lang in every_language()])


Group = TypeVar("Group", NameWords, ReadingWords)


def _together(groups: list[Group]) -> Group:
    """Groups of words as one: sets joined, alternations and patterns as alternatives,
    sequences one after another."""
    merged: dict[str, object] = {}
    for f in dataclasses.fields(groups[0]):
        values = [getattr(g, f.name) for g in groups]
        if isinstance(values[0], frozenset):
            merged[f.name] = frozenset().union(*values)
        elif isinstance(values[0], str):
            merged[f.name] = any_of(values)
        else:
            merged[f.name] = tuple(v for value in values for v in value)
    return type(groups[0])(**merged)  # type: ignore[arg-type]


def any_of(parts: list[str] | tuple[str, ...]) -> str:
    """Patterns or alternations of several languages as one: the one as it is, several in a
    group of alternatives; empty parts left out. A pattern written around the result puts it
    in a group of its own (`(?:{...})`): one language's part may be an alternation."""
    kept = [p for p in parts if p]
    return kept[0] if len(kept) == 1 else "(?:" + "|".join(kept) + ")"


def name_pattern(code: str, field: str, flags: int = 0) -> re.Pattern[str] | None:
    """One language's `NameWords` pattern field, compiled; None where it has none."""
    return _compiled(getattr(language(code).names, field), flags)


@lru_cache(maxsize=64)
def _compiled(pattern: str, flags: int) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None
