"""Article text, title and date from a news page's HTML (trafilatura)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.errors import InvalidInput


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    published: dt.date | None


def extract_page(html: str) -> Page:
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,  # menus, share buttons, "related stories" stay out
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not any(ch.isalpha() for ch in text):
        raise InvalidInput("no article text could be found in the HTML")
    published = None
    raw_date = getattr(document, "date", None)
    if raw_date:
        try:
            published = dt.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            published = None
    title = getattr(document, "title", None) or None
    # Paragraphs one blank line apart, as in a pasted article.
    return Page("\n\n".join(line.strip() for line in text.splitlines() if line.strip()),
                title, published)
