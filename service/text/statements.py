"""Which of an article's sentences state something, and which plainly state an outcome of
this event (not of an earlier one): the sentences the model may choose from, and those the
brief keeps even when the model misses them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.lang.registry import any_of, reading_of_every_language
from service.text.article import PreparedArticle
from service.text.dates import YEAR

_NOT_A_FACT = re.compile(rf"^(?:{reading_of_every_language().caption_words})\b|^\W", re.IGNORECASE)


# Fewer words than this make a fragment, as a rule ("Photo by the ministry.").
_FEWEST_STATEMENT_WORDS = 7


def is_statement(sentence: str, fewest_words: int = _FEWEST_STATEMENT_WORDS) -> bool:
    """A full sentence that states something: not a caption, credit, title line or fragment
    (shorter than `fewest_words`)."""
    return (
        len(sentence.split()) >= fewest_words
        and sentence[-1:] in ".!?\"”'’)"
        and not _NOT_A_FACT.search(sentence)
    )


def sentence_candidates(article: PreparedArticle, field: str, window: Sequence[int]) -> list[int]:
    """1-based numbers of the sentences in `window` (0-based indices) that may fill `field`."""
    cue = article.lexicon.sentence_cues.get(field)
    numbers = []
    for index in window:
        sentence = article.sentence_text(index)
        if is_statement(sentence) and (cue is None or cue.search(sentence)):
            numbers.append(index + 1)
    return numbers


def statement_sentences(article: PreparedArticle, window: Sequence[int]) -> list[int]:
    return sentence_candidates(article, "key_points", window)


# A year that dates a thing rather than the sentence: "the quarrel of 2011", "the 2011
# quarrel", "a 2011 accord", "the decree of May 3, 2019" / "of 3 May 2019" (a dated instrument). A time's
# own "of" dates the sentence: "as of May 3, 2019", "on the morning of 3 May 2019".
_WORDS = reading_of_every_language()
_YEAR_OF_A_THING = re.compile(
    "(?:" + "".join(rf"(?<!\b{re.escape(word)} )" for word in _WORDS.time_of_words)
    + rf"\b(?:{_WORDS.date_of_words})\s+(?:\d{{1,2}}\s+)?(?:\w+\s+)?(?:\d{{1,2}},?\s+)?$"
    rf"|\b(?:{any_of([_WORDS.definite_articles, _WORDS.indefinite_articles])})\s+$)",
    re.IGNORECASE,
)


def about_earlier_year(sentence: str, event_year: int | None) -> bool:
    """A sentence that dates itself before the event's year ("in 2019", "since 2013"); a
    year that only dates something it mentions ("... as in the quarrel of 2011") does
    not make it about an earlier event."""
    if not event_year:
        return False
    return any(
        int(m.group()) < event_year
        and not _YEAR_OF_A_THING.search(sentence[max(0, m.start() - 40) : m.start()])
        for m in YEAR.finditer(sentence)
    )


def plain_outcomes(
    article: PreparedArticle, field: str, window: Sequence[int], event_year: int | None = None
) -> list[int]:
    """Sentences that plainly state an outcome of this event; a sentence that names a year
    before the event's is about an earlier one."""
    pattern = article.lexicon.plain_outcomes.get(field)
    if pattern is None:
        return []
    found = []
    for number in sentence_candidates(article, "key_points", window):
        sentence = article.sentence_text(number - 1)
        if not pattern.search(sentence) or sentence.rstrip("\"”’') ").endswith("?"):
            continue  # a question asks whether it happened; it does not say so
        if about_earlier_year(sentence, event_year):
            continue
        found.append(number)
    # "Both delegations agreed to:" then a list, an item a line: each item is the outcome.
    inside = set(window)
    for index in window:
        sentence = article.sentence_text(index)
        if sentence.rstrip().endswith(":") and pattern.search(sentence):
            found += [i + 1 for i in list_items(article, index) if i in inside
                      and not about_earlier_year(article.sentence_text(i), event_year)]
    return sorted(set(found))


# A list item's mark at its line's start ("- ", "* ", "a) ", "(2) "); a bullet ("•") the
# page had is gone already (text/sanitize.py), leaving the item's line indented.
_ITEM_MARK = re.compile(r"^[^\S\n]*+(?:[-–*]|\(?[a-z\d]{1,2}[.)])[^\S\n]++(?=\w)", re.MULTILINE)
# The most items a lead-in's list is read to.
_MOST_ITEMS = 12


def without_item_mark(sentence: str) -> str:
    """The sentence without a list item's mark ("- set up a committee;" -> "set up a
    committee;"): the layout's, no word of the item."""
    mark = _ITEM_MARK.match(sentence)
    return sentence[mark.end():] if mark else sentence


def list_items(article: PreparedArticle, lead_in: int) -> list[int]:
    """The 0-based indices of the items of the list the sentence `lead_in` introduces with
    its colon ("The envoys agreed to:"): the sentences after it, each on a line of its
    own, while each carries an item's mark or the one before it ends as a list's items do
    (a colon, a semicolon, a comma)."""
    items: list[int] = []
    before = article.sentence_text(lead_in).rstrip()
    for index in range(lead_in + 1, min(len(article.sentences), lead_in + 1 + _MOST_ITEMS)):
        start = article.sentences[index].start
        line = article.clean.rfind("\n", 0, start) + 1
        if article.clean[line:start].strip():
            break  # it goes on a line, it does not start one
        marked = _ITEM_MARK.match(article.clean, line) is not None
        if not (marked or before.endswith((":", ";", ","))):
            break
        items.append(index)
        before = article.sentence_text(index).rstrip()
    return items
