"""Which language an article is in (lingua: n-gram models of 75 languages, no network)."""

from __future__ import annotations

from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

# Enough text to be sure of the language; more only costs time.
_SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode uses trigram models only: ~60 MB for all languages instead of ~1 GB,
    # and still certain on a paragraph (it is short phrases that it would get wrong).
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language, or `default` when the text is too short or
    mixed to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return default
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else default
