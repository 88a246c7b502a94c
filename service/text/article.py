"""The article ready to read: sanitised (text/sanitize.py), parsed (text/nlp.py), split into
paragraphs and sentences, with its dateline. Offsets into the prepared text are offsets into
the text the client sent."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from spacy.tokens import Doc

from service.lang import registry
from service.lang.base import Lexicon
from service.lang.language import Language
from service.lang.syntax import Syntax
from service.text.dateline import DATELINE as _DATELINE
from service.text.dates import find_dates
from service.text.language import detect_language
from service.text.nlp import nlp, parse, rule_sentencizer
from service.text.sanitize import sanitize
from service.text.spans import Span

MAX_SENTENCE_CHARS = 1500
_TITLE_WORDS = 40
# A site's and a section's labels above the title: at most two.
_TITLE_LINES = 3
# A numbered paragraph's label ("2. The ministers ...", "(3) ..."), as ministries number a
# readout's paragraphs: no part of the sentence.
_PARAGRAPH_NUMBER = re.compile(r"\(?\d{1,2}[.)]\s+(?=[A-Z]|$)")




# A name's suffix ("Marcos, Jr.") or an initialism ("Washington, D.C.") at a line's end ends
# no sentence: a title may end so.
_SUFFIXES = "|".join(re.escape(w) for w in sorted(
    registry.every_name_word(lambda n: n.suffix_words), key=len, reverse=True) if w.endswith("."))
_NO_SENTENCE_END = re.compile(rf"(?:(?i:\b(?:{_SUFFIXES}))|(?<![\w.])(?:[A-Z]\.)+)$")


def ends_as_sentence(line: str, marks: str = ".!?:;,") -> bool:
    """The line ends with one of `marks` as a sentence does, not with an abbreviation."""
    return line[-1:] in marks and _NO_SENTENCE_END.search(line) is None


T = TypeVar("T")


@dataclass
class PreparedArticle:
    text: str
    """The text as the client sent it; all offsets point into it."""
    clean: str
    """`text` with hidden and instruction-like spans blanked out (same length)."""
    doc: Doc
    sentences: list[Span]
    paragraphs: list[Span]
    blanked: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    language: str = "en"
    """ISO 639-1 code of the article's language."""

    _title_found: tuple[int | None] | None = field(default=None, init=False, repr=False,
                                                    compare=False)
    """`title_index`'s answer, once asked: the header, the lead and the place all ask."""
    _remembered: dict[str, object] = field(default_factory=dict, init=False, repr=False,
                                           compare=False)
    """Readings of the article several stages ask for (`remembered`)."""

    def remembered(self, key: str, compute: Callable[[], T]) -> T:
        """What `compute` gives for this article, computed once: a reading that every topic,
        claim or key point asks for again (which sentences a reporter asks, the text in
        lower case) costs a pass over the text only the first time."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        return cast("T", self._remembered[key])

    def __post_init__(self) -> None:
        # Sorted starts, for finding a position's sentence or paragraph by bisection.
        self._sentence_starts = [s.start for s in self.sentences]
        self._paragraph_starts = [p.start for p in self.paragraphs]

    @property
    def language_data(self) -> Language:
        """Everything the article's language knows (service/lang/<code>/)."""
        return registry.language(self.language)

    @property
    def lexicon(self) -> Lexicon:
        return registry.language(self.language).lexicon

    @property
    def syntax(self) -> Syntax:
        """How to read the article's parse (its pipeline's tags and labels)."""
        return registry.language(self.language).syntax

    def sentence_at(self, position: int) -> int | None:
        """Index of the sentence that contains `position`, if any."""
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return index
        return None

    def paragraph_at(self, position: int) -> int:
        """Index of the paragraph that contains (or last began before) `position`."""
        return bisect.bisect_right(self._paragraph_starts, position) - 1

    def title_index(self) -> int | None:
        """The paragraph that is the article's own title: among its first lines that are no
        sentence, the first that names a kind of page or an event ("Readout of ...", "...
        Telephone Talk"), since a site's or a section's label may stand above it ("Ministry of
        Foreign Affairs", "News and events"); else the first line, when it is not a sentence."""
        if self._title_found is None:
            self._title_found = (self._find_title(),)
        return self._title_found[0]

    def _find_title(self) -> int | None:
        if len(self.paragraphs) < 2 or not self.sentences:
            return None
        words = self.lexicon.document
        cues = [cue for _, cue in (*words.kinds, *words.title_events)] if words else []
        for index, para in enumerate(self.paragraphs[: _TITLE_LINES]):
            line = " ".join(self.clean[para.start : para.end].split())
            # Official titles run long ("Readout of ... Meeting with [a titled minister] ...").
            if not line or ends_as_sentence(line) or len(line.split()) > _TITLE_WORDS \
                    or index + 1 >= len(self.paragraphs):
                break
            if any(cue.search(line) for cue in cues):
                return index
        first = " ".join(self.clean[self.paragraphs[0].start : self.paragraphs[0].end].split())
        if 3 <= len(first.split()) <= _TITLE_WORDS and not ends_as_sentence(first):
            return self._below_masthead() or 0
        return None

    def _below_masthead(self) -> int | None:
        """The first line in upper and lower case below lines all in capitals at the top
        ("STATE HOUSE", "PRESS SERVICE", then "President X Receives Y"): a site's masthead
        stands above its page's title. None when there is no such masthead, or the line below
        it is a date line or no title."""
        for index, para in enumerate(self.paragraphs[: _TITLE_LINES]):
            line = " ".join(self.clean[para.start : para.end].split())
            if not line or ends_as_sentence(line) or index + 1 >= len(self.paragraphs):
                return None
            if line.upper() == line:
                continue  # the masthead, or a title in capitals
            if (index == 0 or not 3 <= len(line.split()) <= _TITLE_WORDS
                    or any(m.year and m.day for m in find_dates(line, language=self.language))):
                return None
            return index
        return None

    def title_line(self) -> str | None:
        """The article's own title (`title_index`), followed by text."""
        index = self.title_index()
        if index is None:
            return None
        para = self.paragraphs[index]
        return " ".join(self.clean[para.start : para.end].split())

    def is_paragraph_label(self, index: int) -> bool:
        """The sentence is only a paragraph's number ("1."), which spaCy sometimes splits off."""
        span = self.sentences[index]
        return _PARAGRAPH_NUMBER.fullmatch(self.clean[span.start : span.end].strip() + " ") is not None

    def opens_numbered_paragraph(self, index: int) -> bool:
        """The sentence opens a paragraph that a number labels ("2. The ..." or "2." then it)."""
        span = self.sentences[index]
        if _PARAGRAPH_NUMBER.match(self.clean, span.start):
            return True
        return index > 0 and self.is_paragraph_label(index - 1) \
            and self.paragraph_at(self.sentences[index - 1].start) == self.paragraph_at(span.start)

    def sentence_text(self, index: int) -> str:
        """A sentence with whitespace collapsed and any leading dateline removed."""
        span = self.sentences[index]
        sentence = re.sub(r"\s+", " ", self.clean[span.start : span.end]).strip()
        label = _PARAGRAPH_NUMBER.match(sentence)
        sentence = sentence[label.end() :] if label else sentence
        return _DATELINE.sub("", sentence) or sentence

    def numbered_view(self, window: Sequence[int] | None = None) -> str:
        """What the model reads: the sentences of `window` (all by default, in order),
        numbered from 1 in the whole article, a blank line between paragraphs and a line of
        "[…]" where sentences were left out (a long article's selection)."""
        lines: list[str] = []
        paragraph, previous = -1, -1
        para_starts = self._paragraph_starts
        for index in window if window is not None else range(len(self.sentences)):
            span = self.sentences[index]
            current = bisect.bisect_right(para_starts, span.start)
            if lines and index != previous + 1:
                lines += ["", "[…]", ""]
            elif lines and current != paragraph:
                lines.append("")
            paragraph, previous = current, index
            sentence = self.sentence_text(index)
            if len(sentence) > MAX_SENTENCE_CHARS:
                # A "sentence" this long is a wall of text; the model reads its start only.
                sentence = sentence[:MAX_SENTENCE_CHARS] + " …"
            lines.append(f"[{index + 1}] {sentence}")
        return "\n".join(lines)


def prepare(text: str, language: str | None = None) -> PreparedArticle:
    """The article ready to read; its language is detected unless given."""
    sanitized = sanitize(text)
    clean = sanitized.clean
    language = language or detect_language(clean)
    doc = parse(nlp(language), clean)
    paragraphs = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]+", clean) if m.group().strip()]
    sentences = _sentences(
        parse(rule_sentencizer(language), clean) if registry.language(language).lexicon.borrowed_pipeline else doc,
        paragraphs,
    )
    return PreparedArticle(text, clean, doc, sentences, paragraphs, sanitized.blanked,
                           sanitized.warnings, language)


def dateline_place(text: str) -> str | None:
    """The place an opening dateline names ("ALMATY, Kazakhstan, May 10 —" -> "Almaty")."""
    head = text[:600]
    m = re.search(r"(?m)^[^\S\n]*(?P<place>[A-Z][A-Z .'-]{2,40}?)(?:,[^\S\n]*[A-Z][\w .]{1,40}?)?[^\S\n]*(?:—|–|--|\(|,\s*(?:[A-Z][a-z]+\.? \d))", head)
    if not m:
        return None
    place = m.group("place").strip()
    if not place.isupper():
        return None
    return " ".join(w.capitalize() for w in place.split())




def _sentences(doc: Doc, paragraphs: list[Span]) -> list[Span]:
    """spaCy's sentences, cut at paragraph breaks and trimmed of surrounding blanks."""
    text = doc.text
    out: list[Span] = []
    para_starts = [p.start for p in paragraphs]
    opening: int | None = None  # an opening quotation mark split off on its own
    for sent in doc.sents:
        # Only the paragraphs this sentence overlaps: no scan of all of them per sentence.
        first = max(0, bisect.bisect_right(para_starts, sent.start_char) - 1)
        for para in paragraphs[first:]:
            if para.start >= sent.end_char:
                break
            start, end = max(sent.start_char, para.start), min(sent.end_char, para.end)
            if start >= end:
                continue
            piece = text[start:end]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if not piece.strip():
                continue
            if piece.strip() in ("«", "“", "¿", "¡") or _DATELINE.fullmatch(piece.strip()):
                # An opening mark, or a dateline, that spaCy split off: it opens the next one.
                opening = start + lead
                continue
            if opening is not None:
                start, lead, opening = opening, 0, None
            if out and not any(ch.isalnum() for ch in piece) and out[-1].end >= para.start:
                # A closing quotation mark that spaCy split off belongs to the sentence before.
                out[-1] = Span(out[-1].start, end - trail)
            else:
                out.append(Span(start + lead, end - trail))
    return _joined_after_forms_of_address(text, out, para_starts)


# A form of address or a rank ends with a full stop that ends no sentence: "the Hon. Jane
# Roe", "H.E. Dr. Ali Roe", "Gen. Roe". The parser sometimes cuts there.
_ADDRESS_FORMS = "|".join(re.escape(w) for w in sorted(
    {w for w in registry.every_name_word(lambda n: n.honorifics | n.prefix_words) if w.endswith(".")},
    key=len, reverse=True))
_ADDRESS_END = re.compile(rf"(?:^|\s)(?:{_ADDRESS_FORMS})$", re.IGNORECASE)


def _joined_after_forms_of_address(text: str, spans: list[Span], para_starts: list[int]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if out:
            before = out[-1]
            same_paragraph = bisect.bisect_right(para_starts, before.start) == \
                bisect.bisect_right(para_starts, span.start)
            if same_paragraph and _ADDRESS_END.search(text, max(before.start, before.end - 12), before.end):
                out[-1] = Span(before.start, span.end)
                continue
        out.append(span)
    return out
