"""What the model must not read as the article: text addressed to a language model (hidden
in HTML comments or written out), a tokenizer's control strings, markup left in pasted text,
and page furniture (ads, share prompts, captions, breadcrumbs).

Sanitising replaces characters with spaces, so every offset into the clean text is an offset
into the text the client sent. Each step blanks its regions once, merged, in one pass over the
text: the time is linear in the text's length whatever it holds (a region blanked again for
each match inside it made one line of repeated orders quadratic: over three minutes at
200,000 characters).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from service.lang.base import order_patterns
from service.lang.registry import every_language
from service.text.spans import Span

# What every supported language's pasted pages carry (service/lang/<code>/: `PageWords`).
_PAGES = [lang.page for lang in every_language()]
# An imperative to ignore or reveal (`PageWords.order_patterns`): an order only where a sentence or a
# clause opens, after at most an address ("AI, ...", "Note to the model: ...") or a word such
# as "please" or "now".
_ORDER = re.compile("|".join(p for page in _PAGES for p in page.order_patterns), re.IGNORECASE)
_ORDER_OPENING = re.compile(
    r"(?:[^,:;\n]{0,40}[,:;])?[\s,]*"
    rf"(?:(?:{'|'.join(page.order_openers for page in _PAGES if page.order_openers)})\b[\s,]*)*",
    re.IGNORECASE,
)
# Text that speaks to a model wherever it stands, in any supported language (an English
# article can carry a French order, and one order can mix French and Spanish words).
_ADDRESS = re.compile(
    "|".join((*(p for page in _PAGES for p in page.address_patterns),
              *order_patterns(tuple(page.order_words for page in _PAGES if page.order_words)))),
    re.IGNORECASE | re.MULTILINE,
)
# A tokenizer's control strings (`<|endoftext|>`, `<|im_start|>`, `<|fim_prefix|>`, Llama's
# `[INST]` and `<<SYS>>`): a model reads them as structure, never as text. Blanked wherever
# they stand, quoted or not. (The local engine also removes its own tokenizer's special tokens
# from every message: service/engines/transformers_engine.py.)
_CONTROL_TOKEN = re.compile(r"<\|[^|<>\n]{1,64}\|>|\[/?INST\]|<</?SYS>>")
# Quoted speech: an order inside quotation marks is reported speech ("'Ignore the previous
# rules,' the minister told them"), news to be briefed. Each opening mark and its closing one.
_CLOSING = {"“": "”", "«": "»", '"': '"'}
_QUOTE_MARK = re.compile(r"[“”«»\"\n]")
# Where a sentence ends: its full stop (with a closing mark) and the blanks after it, or a
# line break. Abbreviations end nothing here only at the cost of blanking a little less. A run
# of stops is entered at its start only, and whole (possessive): a long run of dots is one try.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"”’»)\]]*+(?:[^\S\n]++|(?=\n)|$)|\n")
# A caption or photo credit in any supported language (the article's language is not known
# yet when it is sanitised; the cues do not clash across languages).
_CAPTION = re.compile(
    "|".join(p for page in _PAGES for p in page.caption_patterns), re.IGNORECASE
)
# The tail of a credit cut by a line break ("Photo by Jane Doe/" then "Reuters"): a few words.
_CREDIT_TAIL_WORDS = 3
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_LINE = re.compile(r"[^\n]+")
# A list's bullet at a line's start ("• ", "○ ", and the "ㅇ " of Korean releases): a mark of
# the layout, no word of the sentence after it.
_BULLET = re.compile(r"^[^\S\n]*+[•◦▪▫●○□■◆◇※➢►▶∙·ㅇ][^\S\n]++", re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\n]")
# Characters a reader never sees that split a word for a pattern ("Ign\u200bore"): every
# format character (Unicode category Cf: zero-width spaces and joiners, soft hyphen,
# bidirectional controls, the invisible "tag" letters) and every control character (Cc) but
# the tab and line breaks. tests/test_sanitize.py checks the list against unicodedata.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
# Runs of characters other than printable ASCII, tab and line breaks: only these can change
# under NFKC or be invisible.
_NOT_PLAIN = re.compile(r"[^\t\n\r\x20-\x7e]+")
MAX_REGION_WARNINGS = 20
"""Blanked regions reported one warning each; past this, one more warning counts the rest."""


def is_page_furniture(line: str) -> bool:
    """An ad label, share prompt, caption, breadcrumb or copyright line of a web page."""
    collapsed = " ".join(line.split())
    return any(page.furniture_line.fullmatch(collapsed) is not None
               for page in _PAGES if page.furniture_line is not None)


def is_caption(line: str) -> bool:
    """A photo caption or credit: where the people pictured stand, or who took the picture."""
    return _CAPTION.search(" ".join(line.split())) is not None


def _furniture_lines(text: str) -> list[Span]:
    """The lines that are page furniture or captions, with a credit's tail that a line break
    cut off (a caption line ending in "/" and a next line of a few words)."""
    lines: list[Span] = []
    credit_open = block_open = False
    previous_end = 0
    for match in _LINE.finditer(text):
        line = " ".join(match.group(0).split())
        if not line:
            continue
        # A block of links or contacts runs to a blank line or a sentence.
        block_open = block_open and "\n\n" not in text[previous_end : match.start() + 1] \
            and line[-1] not in ".!?\"”"
        previous_end = match.end()
        tail = credit_open and len(line.split()) <= _CREDIT_TAIL_WORDS and line[-1] not in ".!?"
        caption = tail or is_caption(line)
        heading = _heads_furniture(line)
        if caption or block_open or heading or is_page_furniture(line):
            lines.append(Span(match.start(), match.end()))
        credit_open = caption and line.endswith("/")
        block_open = block_open or heading
    return lines


def _heads_furniture(line: str) -> bool:
    """A heading of a page's block of links or contacts ("Related news", "Media enquiries")."""
    return any(page.furniture_heading.fullmatch(line) is not None
               for page in _PAGES if page.furniture_heading is not None)


def merged(spans: Iterable[Span], text: str | None = None) -> list[Span]:
    """The spans sorted and merged where they overlap or touch; with `text`, also where only
    blanks stand between them (one region of several blanked sentences in a row)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and (span.start <= out[-1].end
                    or (text is not None and not text[out[-1].end : span.start].strip())):
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def blank(text: str, spans: list[Span]) -> str:
    """`text` with each of the sorted, disjoint `spans` replaced by spaces (line breaks kept):
    one slice per span, so every character is copied once."""
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[span.start : span.end]))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class _Readable:
    """The text as a pattern should read it: NFKC-normalised (full-width and styled letters
    as plain ones), invisible characters dropped. `origin[i]` is where the readable text's
    character i came from, so a match maps back to offsets into the original."""

    text: str
    origin: list[int] | None
    """None: the readable text is the text itself."""

    def span(self, start: int, end: int) -> Span:
        if self.origin is None:
            return Span(start, end)
        return Span(self.origin[start], self.origin[end - 1] + 1)


def _readable(text: str) -> _Readable:
    if INVISIBLE.search(text) is None and unicodedata.is_normalized("NFKC", text):
        return _Readable(text, None)
    chars: list[str] = []
    origin: list[int] = []
    position = 0
    for run in _NOT_PLAIN.finditer(text):
        chars.append(text[position : run.start()])
        origin.extend(range(position, run.start()))
        for index in range(run.start(), run.end()):
            char = text[index]
            if INVISIBLE.match(char):
                continue
            normal = unicodedata.normalize("NFKC", char)
            chars.append(normal)
            origin.extend([index] * len(normal))
        position = run.end()
    chars.append(text[position:])
    origin.extend(range(position, len(text)))
    return _Readable("".join(chars), origin)


def _quoted_starts_ends(text: str) -> tuple[list[int], list[int]]:
    """Where quoted speech starts and ends: a mark opens, its own closing mark closes, within
    one line. One pass over the marks (a pattern that looks for the closing mark from every
    opening one reads a line of unclosed quotes again for each: quadratic)."""
    starts: list[int] = []
    ends: list[int] = []
    closing: str | None = None
    for mark in _QUOTE_MARK.finditer(text):
        char = mark.group()
        if char == "\n":
            closing = None
        elif closing is None:
            if char in _CLOSING:
                closing = _CLOSING[char]
                starts.append(mark.start())
        elif char == closing:
            ends.append(mark.end())
            closing = None
    return starts[: len(ends)], ends


def _instruction_regions(text: str) -> list[Span]:
    """The sentences of `text` that hold an order or an address to a model (outside quoted
    speech), and its control tokens, merged; offsets into `text`."""
    readable = _readable(text)
    view = readable.text
    quote_starts, quote_ends = _quoted_starts_ends(view)

    def quoted(position: int) -> bool:
        i = bisect.bisect_right(quote_starts, position) - 1
        return i >= 0 and position < quote_ends[i]

    boundaries = [m.end() for m in _SENTENCE_END.finditer(view)]

    def sentence(start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(boundaries, start)
        left = boundaries[i - 1] if i > 0 else 0
        j = bisect.bisect_left(boundaries, end)
        right = boundaries[j] if j < len(boundaries) else len(view)
        return left, right

    found: list[tuple[int, int]] = []
    covered = 0  # the end of the last sentence taken: a match before it is already blanked
    matches = sorted([*_ORDER.finditer(view), *_ADDRESS.finditer(view)], key=lambda m: m.start())
    for match in matches:
        if match.start() < covered or quoted(match.start()):
            continue
        left, right = sentence(match.start(), match.end())
        if match.re is _ORDER and not _ORDER_OPENING.fullmatch(view, left, match.start()):
            continue  # not where an order opens: news about someone ignoring something
        found.append((left, right))
        covered = right
    found += [(m.start(), m.end()) for m in _CONTROL_TOKEN.finditer(view)]
    spans = [readable.span(start, end) for start, end in found if end > start]
    return merged(spans, text=text)


@dataclass
class Sanitized:
    clean: str
    """The text with what the model must not read blanked out, offsets unchanged."""
    blanked: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _region_warnings(regions: list[Span]) -> list[str]:
    """One warning per blanked region, by offsets: the blanked text is never repeated."""
    warnings = [f"instruction-like text blanked [{s.start}:{s.end}]"
                for s in regions[:MAX_REGION_WARNINGS]]
    if len(regions) > MAX_REGION_WARNINGS:
        warnings.append(f"instruction-like text blanked in {len(regions) - MAX_REGION_WARNINGS} "
                        "more region(s)")
    return warnings


def sanitize(text: str) -> Sanitized:
    comments = [Span(m.start(), m.end()) for m in _HTML_COMMENT.finditer(text)]
    hidden_orders = [s for s in comments if _instruction_regions(text[s.start : s.end])]
    clean = blank(text, comments)
    instructions = [s for s in _instruction_regions(clean) if clean[s.start : s.end].strip()]
    clean = blank(clean, instructions)
    tags = [Span(m.start(), m.end()) for m in _HTML_TAG.finditer(clean)]
    clean = blank(clean, tags)
    furniture = _furniture_lines(clean)
    clean = blank(clean, furniture)
    clean = blank(clean, [Span(m.start(), m.end()) for m in _BULLET.finditer(clean)])
    warnings: list[str] = []
    if furniture:
        warnings.append(
            f"{len(furniture)} line(s) of web-page furniture (ads, share prompts, captions, "
            "navigation) were left out"
        )
    warnings += _region_warnings(merged([*hidden_orders, *instructions]))
    if len(hidden_orders) < len(comments):
        warnings.append("the article contains hidden HTML comments; they were ignored")
    return Sanitized(clean, [*comments, *instructions, *tags], warnings)
