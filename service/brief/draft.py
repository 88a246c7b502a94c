"""The model's draft: its output parsed, not yet trusted (brief/drafts.py reads it,
brief/assemble.py grounds it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Draft:
    """The model's output, parsed but not yet trusted. List fields hold sentence numbers."""

    headline: str
    summary: str
    event_type: str
    location: str | None
    participants: list[dict[str, str | None]]
    key_points: list[int]
    topics: list[str]
    agreements: list[int]
    disagreements: list[int]
    next_steps: list[int]
    tone: str
