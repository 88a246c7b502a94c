"""Put the brief's own sentences into English, keeping only translations that stay faithful.

The brief of an article in another language is built from that article (names, quotes and
evidence point into it); its sentences — headline, summary, key points, outcomes, titles,
topics — are then translated one by one, as a batch. A small model translates loosely and
sometimes invents ("the European Union", a wrong month), so every translation is checked
against its original: the same numbers, months and weekdays, every person named in the
original still named, no capitalised name the original does not contain, and English.
A translation that fails is not used; the item keeps the article's wording and the brief
says so in `meta.warnings`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from service.brief.prompts import PromptSet
from service.engines.base import Engine, GenerationRequest, GenerationResult
from service.lang.base import full_calendar_names
from service.lang.registry import brief_language
from service.text.countries import find_country_mentions, fold
from service.text.language import detect_language

_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[\s\u202f\u00a0.,’'](?=\d{3}(?!\d))")

# The language the translation is into: the brief's.
_BRIEF = brief_language()


@dataclass(frozen=True)
class TranslationOutcome:
    translations: dict[str, str]
    """Original -> faithful English translation; originals that failed are absent."""
    rejected: dict[str, str]
    """Original -> why its translation was not used."""
    results: list[GenerationResult]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(_THOUSANDS.sub("", text))}


def _calendar_words(text: str, language: str) -> tuple[set[int], set[int]]:
    """Month and weekday numbers a text names in full in `language` (in English only when
    capitalised: "may" is a verb, "May" a month)."""
    english = language == _BRIEF.code
    words = set(re.findall(r"[^\W\d_]+", text if english else text.lower()))
    month_names, day_names = full_calendar_names(language)

    def named(names: dict[int, str]) -> set[int]:
        return {n for n, name in names.items() if (name if english else name.lower()) in words}

    return named(month_names), named(day_names)


def unfaithful(original: str, translation: str, language: str, names: Iterable[str]) -> str | None:
    """Why `translation` is not a faithful English rendering of `original`, or None."""
    if not translation.strip():
        return "empty"
    ratio = len(translation) / max(1, len(original))
    if not 0.5 <= ratio <= 2.0:
        return f"length {ratio:.1f}x the original's"
    if detect_language(translation, default="en", min_letters=20) == language:
        return "not in English: still in the original's language"
    if _numbers(original) != _numbers(translation):
        return "numbers differ"
    if _calendar_words(original, language) != _calendar_words(translation, _BRIEF.code):
        return "months or weekdays differ"
    original_folded, translation_folded = fold(original), fold(translation)
    for name in names:
        surname = fold(name.split()[-1])
        if surname in original_folded and surname not in translation_folded:
            return f"leaves out {name}"
    countries = {m.country.code for m in find_country_mentions(original, language)}
    stems = {w[:4] for w in re.findall(r"[^\W\d_]{4,}", original_folded)}
    first = True
    for match in _CAPITALISED_WORD.finditer(translation):
        word = match.group(0).rstrip("'’-")
        opening = first or translation[: match.start()].rstrip().endswith((".", ":", "!", "?"))
        first = False
        key = fold(re.sub(r"['’]s$", "", word))
        if key in _BRIEF.writing.translation_capitalised or key in original_folded or (len(key) >= 4 and key[:4] in stems):
            continue  # the same word, or a cognate ("Ministers" for "ministres")
        mentioned = {m.country.code for m in find_country_mentions(word)}
        if opening and len(key) <= 12 and key.isalpha() and not mentioned:
            continue  # a sentence's first word is capitalised whatever it is
        if mentioned and mentioned <= countries:
            continue
        if _calendar_words(word, _BRIEF.code) != (set(), set()):
            continue  # months and weekdays are compared as a whole above
        return f"names {word!r}, which the original does not"
    return None


class Translator:
    """Translates pieces of a brief with the pipeline's engine, one request per piece so that
    the engine decodes them together as a batch."""

    def __init__(self, engine: Engine, prompts: PromptSet, repetition_penalty: float) -> None:
        self.engine = engine
        self.prompts = prompts
        self.repetition_penalty = repetition_penalty

    def translate(
        self, texts: Iterable[str], language: str, names: list[str],
        cancel: threading.Event | None = None,
    ) -> TranslationOutcome:
        originals = list(dict.fromkeys(t for t in texts if t and t.strip()))
        if not originals:
            return TranslationOutcome({}, {}, [])
        requests = [
            GenerationRequest(
                self.prompts.translation_messages(text), None,
                # English runs about as long as French or Spanish; a loop is cut off early.
                max_new_tokens=min(600, 2 * self.engine.count_tokens(text) + 16),
                repetition_penalty=self.repetition_penalty, cancel=cancel,
            )
            for text in originals
        ]
        results = self.engine.generate_batch(requests)
        translations: dict[str, str] = {}
        rejected: dict[str, str] = {}
        for original, result in zip(originals, results, strict=True):
            candidate = " ".join(result.text.split()).strip("\"“”«» ")
            reason = "cut off" if result.truncated else unfaithful(
                original, candidate, language, names
            )
            if reason is None:
                translations[original] = candidate
            else:
                rejected[original] = reason
        return TranslationOutcome(translations, rejected, list(results))
