"""Whether two briefs report the same meeting or call, and why: the people who took part,
the date within the time-zone slack, the kind of event and the place.

Two readouts of one call are dated by two capitals: Washington's evening is Beijing's next
morning, so dates one day apart agree. Two events of the same two ministers weeks apart
share their people and their subjects; what tells them apart is the date and the kind (a
meeting in Munich, then a call). A text that does not give a value neither agrees nor
disagrees on it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.schemas import Brief
from service.text.countries import fold

# Days two readouts of one event may differ by: time zones put a call on two dates.
DATE_SLACK_DAYS = 1
# Dates this far apart are two events whatever else agrees; closer ones only with another
# difference (a readout's date can be its page's: "on Friday" in a text of Monday).
DATE_APART_DAYS = 7
# Events in person: a visit is a meeting seen from the host's side, a summit a meeting of many.
_IN_PERSON = frozenset({"meeting", "visit", "summit"})


@dataclass(frozen=True)
class SameEvent:
    same: bool
    reason: str


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", fold(name)) if len(t) > 1}


def same_person(x: str, y: str) -> bool:
    """Two names of one person: two words in common (either order, so "HAYASHI Yoshimasa" is
    "Yoshimasa Hayashi"), or all of the shorter one's ("Mehra" of "Arvind Mehra")."""
    a, b = _tokens(x), _tokens(y)
    return bool(a and b) and len(a & b) >= min(2, len(a), len(b))


def common_people(a: Brief, b: Brief) -> list[str]:
    return [p.name for p in a.participants if any(same_person(p.name, q.name)
                                                  for q in b.participants)]


def _kinds_agree(x: str, y: str) -> bool | None:
    """True or False when the kinds settle it; None when either is not an event's kind."""
    if x == y:
        return True
    if {x, y} <= _IN_PERSON:
        return True
    if "call" in (x, y) and ({x, y} - {"call"}) <= _IN_PERSON:
        return False
    return None


def _places_agree(x: str | None, y: str | None) -> bool | None:
    if not x or not y:
        return None
    return bool(_tokens(x) & _tokens(y))


def same_event(a: Brief, b: Brief) -> SameEvent:
    people = common_people(a, b)
    countries = sorted(set(a.countries) & set(b.countries))
    reasons: list[str] = []
    conflicts: list[str] = []
    if people:
        reasons.append("both name " + ", ".join(people) + " as taking part")
    elif len(countries) >= 2:
        reasons.append("no participant named by both, but both are about "
                       + " and ".join(countries))
    else:
        conflicts.append("they name no participant and at most one country in common")
    near_dates = None
    if a.event.date and b.event.date:
        gap = abs((a.event.date - b.event.date).days)
        dated = f"dated {a.event.date} and {b.event.date}"
        if gap <= DATE_SLACK_DAYS:
            reasons.append(dated + (" (one day apart: time zones)" if gap else ""))
        elif gap >= DATE_APART_DAYS:
            conflicts.append(f"{dated}, {gap} days apart")
        else:
            near_dates = f"{dated}, {gap} days apart"
    kinds = _kinds_agree(a.event.type, b.event.type)
    if kinds is True:
        reasons.append(f"both report a {a.event.type}" if a.event.type == b.event.type
                       else f"a {a.event.type} and a {b.event.type} are one event in person")
    elif kinds is False:
        conflicts.append(f"one reports a {a.event.type}, the other a {b.event.type}")
    places = _places_agree(a.event.location, b.event.location)
    if places is True:
        reasons.append(f"in {a.event.location}")
    elif places is False and a.event.type != "call":
        # Places alone do not decide: a venue and its city, or a dateline, can differ.
        reasons.append(f"placed in {a.event.location} and in {b.event.location}")
    if near_dates is not None:
        # Days apart, not weeks: two events only if something else differs too.
        (conflicts if conflicts else reasons).append(near_dates)
    if conflicts:
        return SameEvent(False, "different events: " + "; ".join(conflicts)
                         + (f" (though {'; '.join(reasons)})" if reasons else ""))
    return SameEvent(True, "the same event: " + "; ".join(reasons))
