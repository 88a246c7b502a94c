"""Which language an article is in (lingua: n-gram models of 75 languages, no network)."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

# Enough text to be sure of the language; more only costs time.
_SAMPLE_CHARS = 4000
# Letters of ordinary words (not those of a name) below which a text is too short to tell.
_MIN_LETTERS = 40
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Only blanks between two words: they are one run ("Tomás Reis da Cunha").
_BLANKS = re.compile(r"\s*")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode uses trigram models only: ~60 MB for all languages instead of ~1 GB,
    # and still certain on a paragraph. Too close a call is no answer (the default).
    return (
        LanguageDetectorBuilder.from_all_languages()
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


def detect_language(text: str, default: str = "en", min_letters: int = _MIN_LETTERS) -> str:
    """ISO 639-1 code of the text's language, or `default` when it is too short or too mixed
    to tell. Judged on the ordinary words only: names ("Tomás Reis da Cunha", "Dar es
    Salaam") say where people are from, not what language the article is written in."""
    words = _ordinary_words(text[:_SAMPLE_CHARS])
    if sum(len(w) for w in words) < min_letters:
        return default
    found = _detector().detect_language_of(" ".join(words))
    return found.iso_code_639_1.name.lower() if found is not None else default


def _ordinary_words(text: str) -> list[str]:
    """The words that are no name's: every lower-case word, and a capitalised word standing
    alone, as a sentence's first word or a noun of a language that capitalises nouns
    ("die Lage", "über Energie"). A run of capitalised words is a name ("Foreign Minister
    Lena Varga", "Juan Ramón")."""
    found = list(_WORD.finditer(text))

    def joined(a: re.Match[str], b: re.Match[str]) -> bool:
        return a.group()[0].isupper() and b.group()[0].isupper() \
            and _BLANKS.fullmatch(text, a.end(), b.start()) is not None

    return [word.group() for i, word in enumerate(found)
            if not word.group()[0].isupper() or not (
                (i > 0 and joined(found[i - 1], word))
                or (i + 1 < len(found) and joined(word, found[i + 1])))]
