"""Article text, title and date from a news page's HTML (trafilatura)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from service.errors import BriefError, InvalidInput

log = logging.getLogger(__name__)
# lxml's HTML parser compares each attribute with the element's others: an element with
# 40,000 attributes (430 kB) takes 8 s to extract, one at the size limit about 40 s.
# Real pages have a few dozen per element.
MAX_ATTRIBUTES = 1000
# Only a start tag this long can hold more than MAX_ATTRIBUTES attributes (each is at
# least ` a` in size); shorter ones are not looked at.
_LONG_START_TAG = re.compile(rf"<[A-Za-z][^<>]{{{2 * MAX_ATTRIBUTES},}}")
# As BriefRequest.title. A longer <title> is no title (500,000 characters of one became the
# brief's headline): it is dropped, and the brief gets a headline of its own.
MAX_TITLE_CHARS = 1000
# An attribute name, then its value if it has one; quoted values are skipped whole, so the
# words and `=` inside them do not count.
# A run of whitespace is entered once (`(?<!\s)`), not again from each of its characters.
_ATTRIBUTE = re.compile(r"""(?<!\s)\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    published: dt.date | None
    url: str | None = None
    """The page's own address, as its canonical link or its metadata give it."""


def _check_attributes(html: str) -> None:
    for tag in _LONG_START_TAG.finditer(html):
        if sum(1 for _ in _ATTRIBUTE.finditer(tag.group())) > MAX_ATTRIBUTES:
            raise InvalidInput(
                f"the HTML has an element with more than {MAX_ATTRIBUTES:,} attributes"
            )


def _extract(html: str, with_metadata: bool) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,  # menus, share buttons, "related stories" stay out
    )


def _text(document: Any) -> str:
    return (getattr(document, "text", None) or "").strip() if document is not None else ""


def _read(html: str) -> Any:
    """trafilatura's document, or None. Its metadata pass (htmldate) fails on some hostile
    markup where the text pass does not: `<svg><link><figcaption>` trips an assertion in
    lxml, a `+99:99` date offset makes trafilatura discard the page. Then the text is read
    without metadata (no title or date). Any library error is the input's: 422, never 500."""
    try:
        document = _extract(html, with_metadata=True)
    except Exception as exc:  # any library failure on hostile markup
        log.warning("HTML metadata extraction failed (%s); reading the text alone",
                    type(exc).__name__)
        document = None
    if any(ch.isalpha() for ch in _text(document)):
        return document
    try:
        return _extract(html, with_metadata=False)
    except BriefError:
        raise
    except Exception as exc:
        # The type only: a library's message may quote the markup.
        raise InvalidInput(
            f"the HTML could not be read ({type(exc).__name__} in the HTML extractor)"
        ) from exc


def extract_page(html: str) -> Page:
    _check_attributes(html)
    document = _read(html)
    text = _text(document)
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
    if title is not None and len(title) > MAX_TITLE_CHARS:
        title = None
    url = getattr(document, "url", None) or None
    if url is not None and (len(url) > MAX_TITLE_CHARS or not str(url).startswith("http")):
        url = None
    # Paragraphs one blank line apart, as in a pasted article.
    return Page("\n\n".join(line.strip() for line in text.splitlines() if line.strip()),
                title, published, url)
