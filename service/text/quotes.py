"""Quotations in the article and who said them: the person named next to the quote in its
paragraph, or the one "he said" points back to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle
from service.text.people import MentionIndex, Person
from service.text.spans import Span

# The words of reported speech, in every supported language (service/lang/<code>/).
_WORDS = reading_of_every_language()

_QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("«", "»")]


@dataclass(frozen=True)
class QuoteCandidate:
    start: int
    end: int
    text: str
    speaker: str | None


def find_quotes(article: PreparedArticle, persons: list[Person]) -> list[QuoteCandidate]:
    text = article.clean
    quotes: list[QuoteCandidate] = []
    mentions = MentionIndex(persons)
    for para in article.paragraphs:
        body = text[para.start : para.end]
        for open_mark, close_mark in _QUOTE_PAIRS:
            position = 0
            while True:
                open_at = body.find(open_mark, position)
                if open_at == -1:
                    break
                close_at = body.find(close_mark, open_at + 1)
                if close_at == -1:
                    break
                inner_start = para.start + open_at + 1
                inner_end = para.start + close_at
                quoted = text[inner_start:inner_end]
                stripped = quoted.strip()
                if len(stripped.split()) >= 4 and not _is_a_term(text, para.start + open_at,
                                                                  inner_end + 1):
                    lead = len(quoted) - len(quoted.lstrip())
                    start = inner_start + lead
                    end = start + len(stripped)
                    # A quote closed by a full stop ends its sentence: a name after it is its
                    # speaker's only within that sentence, and the next sentence's "Y said" is
                    # Y's own statement. One closed by ",", "?", "!" or a dash goes on to its
                    # attribution ('"Why wait?" X asked.'), wherever the splitter cut.
                    closing = article.sentence_at(max(start, end - 1))
                    limit = article.sentences[closing].end if closing is not None else para.end
                    if text[end - 1 : end] in (",", "?", "!", "—", "–", "-"):
                        limit = para.end
                    speaker = _attribute(text, para, start, end, mentions, quotes, limit)
                    quotes.append(QuoteCandidate(start, end, article.text[start:end], speaker))
                position = close_at + 1
    return sorted(quotes, key=lambda q: q.start)


# A quoted name of a thing, between an article and its noun ('a "one in, one out" scheme'):
# a term the text quotes, no one's words.
_ARTICLE_BEFORE = re.compile(
    rf"\b(?:{_WORDS.definite_articles}|{_WORDS.indefinite_articles})\s$", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s[^\W\d_A-Z][\w-]*")


def _is_a_term(text: str, open_at: int, after_close: int) -> bool:
    return (_ARTICLE_BEFORE.search(text, max(0, open_at - 6), open_at) is not None
            and _NOUN_AFTER.match(text, after_close) is not None)


_SPEECH_VERB = re.compile(rf"\b(?:{_WORDS.speech_verbs})\b", re.IGNORECASE)
_PRONOUN_BEFORE = re.compile(rf"\b(?:{_WORDS.subject_pronouns})\s+$", re.IGNORECASE)


def _introduced_by_another(between: str) -> bool:
    """The words between a person's name and a quotation end that person's sentence and
    introduce the quotation with a speaker of their own ("..., said X. As one diplomat put
    it: "..."): an unnamed speaker's words, not the named person's."""
    ended = re.search(r"[.!?][\"”’)]*\s+\S", between)
    if ended is None:
        return False
    # "... he said. He added: ..." goes on with the named person's words.
    return any(_PRONOUN_BEFORE.search(between, max(0, verb.start() - 8), verb.start()) is None
               for verb in _SPEECH_VERB.finditer(between, ended.start()))


def _attribute(
    text: str, para: Span, start: int, end: int, mentions: MentionIndex,
    earlier: list[QuoteCandidate], limit: int,
) -> str | None:
    """The person a quotation is attributed to in its own paragraph, nearest first: named
    after it before `limit` (its sentence's end), else before it."""
    after = mentions.between(end, min(para.end, end + 120, max(limit, end + 1)))
    if after:
        return after[0][1].name
    before = mentions.between(para.start, start)
    if before and not _introduced_by_another(text[before[-1][0] : start]):
        return before[-1][1].name
    tail = text[end : min(para.end, end + 40)]
    if re.search(rf"\b(?:{_WORDS.subject_pronouns})\s+(?:{_WORDS.speech_verbs})\b", tail):
        previous = mentions.last_before(start)
        if previous is not None:
            return previous.name
    if earlier and earlier[-1].end > para.start - 400 and re.match(r"^[,.]?\s*$", tail[:2]):
        return earlier[-1].speaker
    return None
