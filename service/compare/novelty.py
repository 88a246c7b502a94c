"""What a point adds to the point of the other text it was matched with: the phrases of it
whose words the other text never uses ("respect Ukraine's sovereignty" in a point whose
subject, the settlement, both texts report). These are the specific claims on a shared
subject that only one side makes, each a span of its own text."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from service.compare.terms import GENERIC, stem
from service.text.countries import fold
from service.text.spans import Span

# Words of these kinds carry a claim; the rest only join them.
_CONTENT = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X"})
# Novel words of these entity kinds date, count or name; a detail is a claim, which needs a
# thing or a quality of its own.
# A person's, a place's or a nation's name alone is who or where, not what.
_NOT_A_CLAIM = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY",
                          "PERSON", "GPE", "NORP"})
_PHRASE_WORDS = 2
# Who says a thing is no claim ("Downing Street said that ...").
_REPORTING_VERBS = frozenset({"say", "tell", "state", "announce", "report", "add", "note"})
# The phrase around a novel word: its noun phrase, or the word with what modifies it.
_MODIFIERS = frozenset({"amod", "compound", "advmod", "poss", "nummod", "npadvmod", "neg"})


def vocabulary(tokens: Iterable[Token]) -> frozenset[str]:
    """Every word's stem in a text (for telling what the other text never says)."""
    return frozenset(stem(t.lemma_ or t.text) for t in tokens if t.is_alpha) | frozenset(
        stem(t.text) for t in tokens if t.is_alpha)


def is_novel(token: Token, other: frozenset[str], stop: frozenset[str]) -> bool:
    if token.pos_ not in _CONTENT or token.is_stop or not token.is_alpha:
        return False
    word = fold(token.lemma_ or token.text)
    if word in GENERIC or fold(token.text) in GENERIC:
        return False
    key = stem(word)
    return key not in stop and key not in other and stem(token.text) not in other


def novel_phrases(
    tokens: tuple[Token, ...], other: frozenset[str], stop: frozenset[str],
    min_words: int = _PHRASE_WORDS,
) -> list[Span]:
    """Spans of the phrases in `tokens` built on a noun or name the other text never uses (not
    a date, a number, a person, a place or a nation), of `min_words` words at least: each with its noun phrase (or its modifiers), adjacent ones
    merged."""
    if not tokens:
        return []
    first, last = tokens[0].i, tokens[-1].i
    chunks = {t.i: chunk for chunk in tokens[0].doc.noun_chunks for t in chunk
              if first <= chunk.start and chunk.end - 1 <= last}
    spans: list[tuple[int, int]] = []
    for token in tokens:
        # A new adjective on a shared noun ("free" / "bilateral" trade agreement) is a way of
        # putting it, not a claim: a claim is a thing the other text does not name.
        if not is_novel(token, other, stop) or token.pos_ not in ("NOUN", "PROPN") \
                or token.ent_type_ in _NOT_A_CLAIM:
            continue
        chunk = chunks.get(token.i)
        if chunk is not None and chunk.root.dep_ == "nsubj" \
                and chunk.root.head.lemma_ in _REPORTING_VERBS:
            continue
        if chunk is not None:
            start, end = chunk.start, chunk.end
        else:
            parts = [token, *(c for c in token.children if c.dep_ in _MODIFIERS)]
            start, end = min(p.i for p in parts), max(p.i for p in parts) + 1
        start, end = max(start, first), min(end, last + 1)
        # A noun phrase's article and possessive pronoun are no part of the claim.
        while start < end - 1 and tokens[0].doc[start].pos_ in ("DET", "PRON"):
            start += 1
        if spans and start <= spans[-1][1] + 1 and _joinable(tokens, spans[-1][1], start):
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    doc = tokens[0].doc
    # A bare word is rarely a claim of its own ("prospects", "steps"): a phrase is.
    phrases = [(s, e) for s, e in spans
               if sum(1 for t in doc[s:e] if t.is_alpha and t.pos_ not in ("DET", "PRON", "ADP",
                                                                         "CCONJ")) >= min_words]
    return list(dict.fromkeys(Span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
                              for s, e in phrases))


def _joinable(tokens: tuple[Token, ...], end: int, start: int) -> bool:
    """Two phrases one word apart at most, that word a joiner ("of", "and"), are one."""
    doc = tokens[0].doc
    return all(doc[i].pos_ in ("ADP", "CCONJ", "DET", "PART") for i in range(end, start))
