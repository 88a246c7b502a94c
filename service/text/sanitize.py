"""What the model must not read as the article: text addressed to a language model (hidden
in HTML comments or written out), markup left in pasted text, and page furniture (ads, share
prompts, captions, breadcrumbs).

Sanitising replaces characters with spaces, so every offset into the clean text is an offset
into the text the client sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.lang import en, es, fr
from service.lang.base import order_patterns
from service.text.spans import Span

# Text addressed to a language model rather than to a reader, in any supported language (an
# English article can carry a French order, and one order can mix French and Spanish words).
# Matching is deliberately broad: a false positive only hides one sentence from the model and
# adds a warning.
_INSTRUCTION = re.compile(
    "|".join((*en.INSTRUCTION_PATTERNS, *order_patterns((fr.ORDER_WORDS, es.ORDER_WORDS)))),
    re.IGNORECASE | re.MULTILINE,
)
# A caption or photo credit in any supported language (the article's language is not known
# yet when it is sanitised; the cues do not clash across languages).
_CAPTION = re.compile(
    "|".join((*en.CAPTION_PATTERNS, *fr.CAPTION_PATTERNS, *es.CAPTION_PATTERNS)), re.IGNORECASE
)
# The tail of a credit cut by a line break ("Photo by Jane Doe/" then "Reuters"): a few words.
_CREDIT_TAIL_WORDS = 3
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_LINE = re.compile(r"[^\n]+")


def is_page_furniture(line: str) -> bool:
    """An ad label, share prompt, caption, breadcrumb or copyright line of a web page."""
    return en.PAGE_FURNITURE_LINE.fullmatch(" ".join(line.split())) is not None


def is_caption(line: str) -> bool:
    """A photo caption or credit: where the people pictured stand, or who took the picture."""
    return _CAPTION.search(" ".join(line.split())) is not None


def _furniture_lines(text: str) -> list[Span]:
    """The lines that are page furniture or captions, with a credit's tail that a line break
    cut off (a caption line ending in "/" and a next line of a few words)."""
    lines: list[Span] = []
    credit_open = False
    for match in _LINE.finditer(text):
        line = " ".join(match.group(0).split())
        if not line:
            continue
        tail = credit_open and len(line.split()) <= _CREDIT_TAIL_WORDS and line[-1] not in ".!?"
        caption = tail or is_caption(line)
        if caption or is_page_furniture(line):
            lines.append(Span(match.start(), match.end()))
        credit_open = caption and line.endswith("/")
    return lines


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n":
            chars[i] = " "


def _paragraph_of(text: str, start: int, end: int) -> Span:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return Span(left, len(text) if right == -1 else right)


@dataclass
class Sanitized:
    clean: str
    """The text with what the model must not read blanked out, offsets unchanged."""
    blanked: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sanitize(text: str) -> Sanitized:
    chars = list(text)
    blanked: list[Span] = []
    warnings: list[str] = []
    for match in _HTML_COMMENT.finditer(text):
        _blank(chars, match.start(), match.end())
        blanked.append(Span(match.start(), match.end()))
    hidden_instructions = any(_INSTRUCTION.search(text[s.start : s.end]) for s in blanked)
    for match in _INSTRUCTION.finditer("".join(chars)):
        # The whole paragraph goes: injected text rarely stops at one sentence.
        span = _paragraph_of(text, match.start(), match.end())
        _blank(chars, span.start, span.end)
        blanked.append(span)
        hidden_instructions = True
    for match in _HTML_TAG.finditer("".join(chars)):
        _blank(chars, match.start(), match.end())
        blanked.append(Span(match.start(), match.end()))
    furniture = _furniture_lines("".join(chars))
    for span in furniture:
        _blank(chars, span.start, span.end)
    if furniture:
        warnings.append(
            f"{len(furniture)} line(s) of web-page furniture (ads, share prompts, captions, "
            "navigation) were left out"
        )
    if hidden_instructions:
        warnings.append(
            "the article contains instruction-like text addressed to an AI; "
            "it was treated as data and ignored"
        )
    elif blanked:
        warnings.append("the article contains hidden HTML comments; they were ignored")
    return Sanitized("".join(chars), blanked, warnings)
