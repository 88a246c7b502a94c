"""Resolve the event's date from what the text states, never from a guess.

An event date is returned only when it is determined: an explicit date with its year, a
year-less date or a weekday ("on Monday") anchored by a dated dateline or the request's
`published` date, or "today"/"yesterday" with such an anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
    re.compile(r"\b(?P<dnum>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
]
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<rel>today|yesterday|this morning|this afternoon|tonight)\b",
                       re.IGNORECASE)
EVENT_WORDS = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|held|holds|hosted|hosts|spoke|speaks|call|called|"
    r"visit|visited|visits|summit|summoned|received|signed|gathered|convened|sat down|"
    r"discussed|conference|session|adopted|issued|join(?:ed|ing|s)?|accompanied|attended|"
    r"took part|participated|chaired|co-chaired|sat in|sat down|alongside)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    month: int | None
    day: int | None
    year: int | None
    weekday: int | None = None
    relative: str | None = None


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
            day = int(groups.get("dnum") or groups.get("day") or 0)
            year = int(groups["year"]) if groups.get("year") else None
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start() + offset, m.end() + offset, month, day, year))
    for m in _WEEKDAY.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            weekday = _WEEKDAYS[m.group("weekday").lower()]
            found.append(DateMention(m.start() + offset, m.end() + offset, None, None, None, weekday))
    for m in _RELATIVE.finditer(text):
        found.append(DateMention(m.start() + offset, m.end() + offset, None, None, None, None,
                                 m.group("rel").lower()))
    return sorted(found, key=lambda d: d.start)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _anchor(text: str, published: dt.date | None) -> dt.date | None:
    """The date the article was written: a full date in its opening lines, else `published`."""
    head = text[:400]
    for mention in find_dates(head):
        if mention.year and mention.month and mention.day:
            dated = _safe_date(mention.year, mention.month, mention.day)
            if dated is not None:
                return dated
    if published is not None:
        for mention in find_dates(head):
            if mention.month and mention.day and mention.year is None:
                # A year-less dateline ("Sept. 19 (UPI)") confirms the published year.
                return _safe_date(published.year, mention.month, mention.day) or published
        return published
    return None


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
    except OverflowError:
        return None
    if mention.relative:
        return anchor
    return None


def resolve_event_date(
    text: str, sentences: Iterable[tuple[int, int]], published: dt.date | None
) -> dt.date | None:
    """The date of the first event sentence that states one, resolved against the anchor."""
    anchor = _anchor(text, published)
    for start, end in sentences:
        sentence = text[start:end]
        if not EVENT_WORDS.search(sentence):
            continue
        for mention in find_dates(sentence, offset=start):
            resolved = _resolve(mention, anchor)
            if resolved is not None:
                return resolved
    return None
