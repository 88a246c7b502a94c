"""Words that stand for a subject without naming it ("cooperation", "issues", "a great
honor"), in every supported language: a topic, a subject read from the parse and a claim cut
from its sentence are each judged by whether a word of theirs names something."""

from __future__ import annotations

from service.lang.registry import reading_of_every_language
from service.lang.syntax import Token
from service.text.countries import fold

_WORDS = reading_of_every_language()
# Every supported language's: articles mix them (a French readout quoting an English title).
_VAGUE = frozenset(fold(w) for w in _WORDS.vague_words | _WORDS.generic_nouns)


def is_vague_word(word: str) -> bool:
    """The word (any case or accent, a plural "s" aside) names no subject on its own."""
    folded = fold(word)
    return folded in _VAGUE or folded.rstrip("s") in _VAGUE


def is_vague(token: Token) -> bool:
    """The parsed word, by its lemma or its form, names no subject on its own."""
    return fold(token.lemma_) in _VAGUE or fold(token.lower_) in _VAGUE
