"""Word overlap between texts: content words (folded, stemmed, without stop words), near-
duplicate items, and capitalised words a text uses that the article never does."""

from __future__ import annotations

import re

from service.lang.registry import reading_of_every_language
from service.text.countries import fold, normalize_country

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Words that ground nothing, in every supported language (service/lang/<code>/).
_WORDS = reading_of_every_language()


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(fold(text)) if w not in _WORDS.stop_words and len(w) > 1}


def _stem(word: str) -> str:
    for suffix in _WORDS.stem_suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def clean_item(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return drop_repeated_tail(text)


def drop_repeated_tail(text: str) -> str:
    """Cut a sentence that a looping model repeats ("X. X. X" -> "X.")."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept: list[str] = []
    for sentence in sentences:
        if sentence and all(fold(sentence) != fold(k) for k in kept):
            kept.append(sentence)
    return " ".join(kept)


def dedupe(items: list[str], threshold: float = 0.7) -> list[str]:
    """Items in order, without empty ones or near-duplicates of an earlier one."""
    kept: list[str] = []
    seen: list[set[str]] = []
    for item in (clean_item(i) for i in items):
        words = content_words(item)
        if not item or not words:
            continue
        if any(len(words & s) / len(words | s) >= threshold for s in seen):
            continue
        kept.append(item)
        seen.append(words)
    return kept


_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")


def unsupported_names(text: str, article_folded: str) -> list[str]:
    """Capitalised words in `text` that the article never uses (a likely invention)."""
    missing: list[str] = []
    for match in _CAPITALISED.finditer(text):
        for word in match.group(0).split():
            word = re.sub(r"['’]s$", "", word).strip("'’-")
            key = fold(word)
            if len(key) < 2 or key in _WORDS.generic_capitalised or key in article_folded:
                continue
            country = normalize_country(word)
            if country and any(
                fold(form) in article_folded
                for form in (country.name, *country.aliases, *country.demonyms)
            ):
                continue
            if _stem(key) in article_folded:
                continue
            missing.append(word)
    return missing
