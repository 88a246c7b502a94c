"""Which language an article is in, by its most frequent function words."""

from __future__ import annotations

import re

_FUNCTION_WORDS = {
    "en": ["the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "was", "as", "by", "at", "from", "are", "said"],
    "fr": ["le", "la", "les", "des", "et", "est", "que", "pour", "dans", "une", "sur", "du", "au", "avec", "sont", "été"],
    "es": ["el", "la", "los", "las", "de", "que", "y", "en", "del", "por", "con", "para", "una", "se", "fue", "según"],
    "de": ["der", "die", "das", "und", "ist", "den", "von", "mit", "sich", "des", "auf", "für", "nicht", "dem", "ein", "eine"],
    "it": ["il", "di", "che", "e", "la", "per", "una", "del", "della", "sono", "con", "non", "gli", "le"],
    "pt": ["o", "a", "os", "as", "de", "que", "e", "do", "da", "em", "para", "com", "uma", "não", "foi"],
}


def detect_language(text: str, default: str = "en") -> str:
    words = re.findall(r"[^\W\d_]+", text[:5000].lower())
    if len(words) < 5:
        return default
    scores = {
        lang: sum(1 for w in words if w in set(vocab)) for lang, vocab in _FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= 2 else default
