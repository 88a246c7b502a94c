"""Resolve the event's date from what the text states, never from a guess.

An event date is returned only when it is determined: an explicit date with its year, a
year-less date or a weekday ("on Monday") anchored by a dated dateline or the request's
`published` date, or "today"/"yesterday" with such an anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from service.lang.base import Lexicon
from service.lang.lexicon import date_patterns, lexicon
from service.lang.registry import reading_of_every_language
from service.text.dateline import dateline_length

YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Words that say a sentence tells of an earlier time ("last meeting", "years ago").
_EARLIER = re.compile(reading_of_every_language().earlier_time, re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    month: int | None
    day: int | None
    year: int | None
    weekday: int | None = None
    relative: str | None = None


def find_dates(text: str, offset: int = 0, language: str = "en") -> list[DateMention]:
    lex = lexicon(language)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in date_patterns(lex.code):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            if groups.get("first"):
                order = _numeric_order(int(groups["first"]), int(groups["second"]), lex.day_first)
                if order is None:
                    continue  # "03/04/2025" on a page that may mean either: no date
                day, month = order
            else:
                month = (int(groups["mnum"]) if groups.get("mnum")
                         else lex.months.get(_key(groups["month"]), 0))
                day = int(groups.get("dnum") or groups.get("day") or 0)
            year = int(groups["year"]) if groups.get("year") else None
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start() + offset, m.end() + offset, month, day, year))
    for m in _weekday_pattern(lex.code).finditer(text):
        weekday = lex.weekdays.get(_key(m.group("weekday")))
        # "jeudi 10 avril 2025", "Thursday, April 10": the date itself says which Thursday.
        dated = any(m.end() <= s <= m.end() + 3 for s, _ in taken)
        if weekday is not None and not dated and not any(s <= m.start() < e for s, e in taken):
            found.append(DateMention(m.start() + offset, m.end() + offset, None, None, None, weekday))
    for m in _relative_pattern(lex.code).finditer(text):
        relative = lex.relative_days.get(_key(m.group("rel")))
        if relative is not None:
            found.append(DateMention(m.start() + offset, m.end() + offset, None, None, None,
                                     None, relative))
    return sorted(found, key=lambda d: d.start)


# How far before a date the words that make it an earlier time's may stand ("their last
# meeting, held in the capital of the other side on ...").
_EARLIER_REACH = 60


def _dates_an_earlier_time(text: str, sentence_start: int, position: int) -> bool:
    """The date follows, in its sentence and within a few words, words that tell of an
    earlier time ("its last meeting, held in X on 9 October", "previously, on 3 May")."""
    window = text[max(sentence_start, position - _EARLIER_REACH) : position]
    return _EARLIER.search(window) is not None


# A span of days after a date ("March 11-13" is read from its first day).
_DAY_SPAN = re.compile(r"\s?[-–]\s?[0-3]?\d\b")


def _title_span(text: str, start: int, end: int, date_end: int) -> bool:
    """The date opens a span of days in a line of its own that ends as no sentence does: a
    title's "(March 11-13, 2025)", the days of a whole visit, not of its talks."""
    alone = (start == 0 or text[start - 1] == "\n") and text[end : end + 1] in ("", "\n")
    return (alone and text[start:end].rstrip()[-1:] not in ".!?\"”"
            and _DAY_SPAN.match(text, date_end) is not None)


def _numeric_order(first: int, second: int, day_first: bool | None) -> tuple[int, int] | None:
    """(day, month) of a date written in numbers: as the language orders them, else as the
    numbers settle it (a number above 12 is the day); None where they do not."""
    if day_first is not None:
        return (first, second) if day_first else (second, first)
    if first == second or (first > 12 and second <= 12):
        return first, second
    if second > 12 and first <= 12:
        return second, first
    return None


def _key(word: str) -> str:
    # A case-insensitive match ("ſ" for "s", "İ" for "i") need not lower-case to the key.
    return word.lower().replace("’", "'")


@lru_cache(maxsize=8)
def _weekday_pattern(language: str) -> re.Pattern[str]:
    names = "|".join(lexicon(language).weekdays)
    return re.compile(rf"\b(?P<weekday>{names})\b", re.IGNORECASE)


@lru_cache(maxsize=8)
def _relative_pattern(language: str) -> re.Pattern[str]:
    words = "|".join(re.escape(w).replace("'", "['’]")
                     for w in sorted(lexicon(language).relative_days, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?P<rel>{words})(?!\w)", re.IGNORECASE)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _anchor(text: str, published: dt.date | None, language: str) -> dt.date | None:
    """The date the article was written: a full date in its opening lines (its header, above
    the first paragraph of prose, however many lines of a site's menus come first), else
    `published`."""
    head = text[:_header_end(text)]
    for mention in find_dates(head, language=language):
        if _dates_an_earlier_time(head, head.rfind("\n", 0, mention.start) + 1, mention.start):
            continue  # "since its last meeting, held on 9 May 2024": not the writing day
        if mention.year and mention.month and mention.day:
            dated = _safe_date(mention.year, mention.month, mention.day)
            if dated is not None:
                return dated
    if published is not None:
        for mention in find_dates(head, language=language):
            if mention.month and mention.day and mention.year is None:
                # A year-less dateline ("Sept. 19 (UPI)") confirms the published year.
                return _safe_date(published.year, mention.month, mention.day) or published
        return published
    return None


# The header is read to its first paragraph of prose (a line of this many words), within
# these bounds.
_PROSE_WORDS, _HEADER_LEAST, _HEADER_MOST = 25, 400, 1500


def _header_end(text: str) -> int:
    """Where a page's header (title, standfirst, byline, date) ends: the end of its first
    line of prose, or its first `_HEADER_LEAST` characters where that comes sooner."""
    at = 0
    for line in text[:_HEADER_MOST].split("\n"):
        at += len(line) + 1
        if len(line.split()) >= _PROSE_WORDS:
            break
    return max(_HEADER_LEAST, min(at, _HEADER_MOST))


def _resolve(mention: DateMention, anchor: dt.date | None) -> dt.date | None:
    if mention.year and mention.month and mention.day:
        return _safe_date(mention.year, mention.month, mention.day)
    if anchor is None:
        return None
    if mention.month and mention.day:
        candidate = _safe_date(anchor.year, mention.month, mention.day)
        # A year-less date later than the anchor by months belongs to the previous year.
        if candidate and (candidate - anchor).days > 60:
            candidate = _safe_date(anchor.year - 1, mention.month, mention.day)
        return candidate
    try:
        if mention.weekday is not None:
            return anchor - dt.timedelta(days=(anchor.weekday() - mention.weekday) % 7)
        if mention.relative == "yesterday":
            return anchor - dt.timedelta(days=1)
        if mention.relative == "day before yesterday":
            return anchor - dt.timedelta(days=2)
    except OverflowError:
        return None
    if mention.relative:
        return anchor
    return None


def resolve_event_date(
    text: str, sentences: Iterable[tuple[int, int]], published: dt.date | None,
    language: str = "en", planned: bool = False,
) -> dt.date | None:
    """The date of the first event sentence that states one, resolved against the anchor.

    A dateline's date is when the story was filed: when the lead states no date of its own
    ("Sept. 19 (UPI) -- X and Y met ..."), a later sentence about this event that does ("The
    meeting happened Monday") dates it, and the dateline's date only when none does. A
    meeting still to come (`planned`) is dated by its own sentences about what will be, and
    never by the day the story was filed."""
    anchor = _anchor(text, published, language)
    lex = lexicon(language)
    filed: dt.date | None = None  # the lead's dateline date, held while a better one is sought
    spanned: dt.date | None = None  # a title's span of days' first, held likewise
    seen = False  # an event sentence came before
    for start, end in _whole_sentences(text, list(sentences)):
        sentence = text[start:end]
        if not lex.event_words.search(sentence):
            continue
        if seen and not planned and is_event_to_come(lex, sentence):
            continue  # "They will meet again on May 3": the date of the next meeting
        # A title ("X's Upcoming Visit to Y", no full stop) does not count as the lead.
        seen = seen or sentence.rstrip()[-1:] in ".!?\"”"
        if filed is not None and not planned and not lex.event_reference.search(sentence):
            continue  # after a dated dateline, only a sentence about this event may date it
        body = dateline_length(sentence)
        for mention in find_dates(sentence[body:], offset=start + body, language=language):
            if _dates_the_saying(lex, text, mention.start):
                continue  # "..., the embassy announced on Friday": when it was said
            if _dates_an_earlier_time(text, start, mention.start):
                continue  # "since their last meeting, held in X on 9 May": that meeting's
            resolved = _resolve(mention, anchor)
            if resolved is not None and _title_span(text, start, end, mention.end):
                # "Visit of X to Y (March 11-13)": the body dates the talks themselves.
                spanned = spanned or resolved
                continue
            if resolved is not None:
                return resolved
        if filed is None and body:
            filed = next(
                (d for m in find_dates(sentence[:body], offset=start, language=language)
                 if (d := _resolve(m, anchor)) is not None),
                None,
            )
    return None if planned else (filed or spanned)


# A statement released after the meeting it reports comes out within days of it.
_STATEMENT_LAG_DAYS = 10
# How many of a statement's first sentences may report the meeting it was issued on.
_STATEMENT_OPENING = 8


def _whole_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, a sentence the parser cut short joined to the rest of it: one that ends
    without a full stop inside its paragraph ("... spoke with Republic of X (ROX) | First
    Vice Minister Y today") goes on in the next."""
    joined: list[tuple[int, int]] = []
    open_ended = False  # the last span joined ends without a full stop, inside its paragraph
    for start, end in spans:
        if open_ended and "\n" not in text[joined[-1][1] : start]:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
        open_ended = text[start:end].rstrip()[-1:] not in _SENTENCE_ENDS
    return joined


# What ends a sentence, a closing quotation mark included.
_SENTENCE_ENDS = ".!?\"”’"


def reported_meeting_date(
    text: str, sentences: Sequence[tuple[int, int]], page_date: dt.date, language: str = "en",
) -> dt.date | None:
    """The day a statement's opening says its meeting took place ("... met in Oslo on 5 May
    2026", "... travelled to Lima on Tuesday, May 12"), when that is before the page's date:
    a joint statement or a communiqué is often put out a day or more after the meeting it
    reports, and the event is the meeting. Only a day and month the text states count; a
    relative day ("today") is the page's own."""
    lex = lexicon(language)
    if lex.event_done is None:
        return None
    for start, end in sentences[:_STATEMENT_OPENING]:
        sentence = text[start:end]
        if not lex.event_done.search(sentence) or is_event_to_come(lex, sentence):
            continue
        for mention in find_dates(sentence, offset=start, language=language):
            if not (mention.month and mention.day):
                continue
            resolved = _resolve(mention, page_date)
            if resolved is not None and 0 < (page_date - resolved).days <= _STATEMENT_LAG_DAYS:
                return resolved
    return None


def _dates_the_saying(lex: Lexicon, text: str, start: int) -> bool:
    """The date follows a verb of saying ("the embassy announced on Friday", "announced
    Monday"): it dates the announcement, which a story about a meeting to come, or one
    reported days later, makes on another day than the meeting's."""
    return lex.said_on is not None and lex.said_on.search(text, max(0, start - 30), start) is not None


def is_event_to_come(lex: Lexicon, sentence: str, after_lead: bool = True) -> bool:
    """A sentence about a meeting to come, said plainly ("will meet again", "the next round",
    "the upcoming summit"), that says nothing of this one having happened: after the lead,
    it dates and names that meeting, not the one the article reports. (A sentence that looks
    back, "the first summit since 2019", is often about this event still, and stays.)
    `after_lead`: a sentence after the lead that tells what someone will do next counts
    too; a lead so worded ("Chile will cut duties, both envoys said") may report a
    meeting held."""
    later = after_lead and lex.next_doing is not None and lex.next_doing.search(sentence)
    if not later and (lex.event_to_come is None or not lex.event_to_come.search(sentence)):
        return False
    return lex.event_done is None or not lex.event_done.search(sentence)
