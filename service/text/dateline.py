"""The dateline that opens a news story or readout: where it was filed, often when, and by
which agency. Its date is the day of writing, not necessarily the day of the event."""

from __future__ import annotations

import re

# "ALMATY, Kazakhstan, May 10, 2024 — ", "SEOUL — ", "Sept. 19 (UPI) -- " or a wire's
# "LAGOS, March 6 (Reuters) - ": the place, a date, the agency, then a dash (a single hyphen
# only between blanks, so "NATO-led" is not a dateline).
_DATELINE_DATE = r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?"
# The agency, its service named after it in lower case at most ("(Nikkei Asia wire)").
_DATELINE_AGENCY = r"\([A-Z][\w&.]{1,15}(?: [A-Z][\w&.]{1,15}){0,2}(?: [a-z]{2,10})?\)"
DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z .'-]{{2,40}}(?:,\s*[A-Z][\w .]{{2,30}})?(?:,\s*{_DATELINE_DATE})?"
    rf"(?:\s*{_DATELINE_AGENCY})?|{_DATELINE_DATE} {_DATELINE_AGENCY})(?:\s*(?:—|–|--)|\s+-(?=\s))\s*"
)


def strip_dateline(text: str) -> str:
    return DATELINE.sub("", text, count=1) or text


def dateline_length(text: str) -> int:
    """How many leading characters of `text` are a dateline (0 when it opens with none)."""
    found = DATELINE.match(text)
    return found.end() if found else 0
