"""The page's structure before its prose: what kind of document the title announces, who
the title says issued or spoke it, the date line under the title, a transcript's place line
and its speaker turns.

Government pages are written to a pattern: the title says what the page is ("Readout of
...", "Joint Statement of ...", "Remarks by ... Ahead of Their Talks", "Press Gaggle by
..."), a line of its own dates it, and a transcript then names its place and time and gives
the speakers' turns ("PRESIDENT ROE:", "Q"). Which of these a page is decides what its date,
place and participants are: a statement, remarks or a briefing is the event itself, dated
by its page and spoken by the people its title and turns name; a readout reports an event
and is written by someone who did not take part in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from service.lang.base import DocumentWords
from service.lang.registry import names_of_every_language, reading_of_every_language
from service.text.article import PreparedArticle
from service.text.countries import normalize_country
from service.text.dates import find_dates
from service.text.spans import Span

# Kinds of page that are the event itself: their date is the page's, their people speak.
SELF_REPORTING_KINDS = frozenset({"statement", "remarks", "briefing"})
# Kinds whose people are the speakers, not whoever the text goes on to name.
TRANSCRIPT_KINDS = frozenset({"remarks", "briefing"})

# "PRESIDENT ROE:", "MS. DOE-SMITH:", "Q:" at a line's start: a speaker's turn, with the
# role a ministry's transcript puts after the name ("MR. JAN ROE (Spokesperson):").
SPEAKER_TURN = re.compile(
    r"(?m)(?:^|(?<=[.!?]\s\s))[^\S\n]*(?P<label>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\- ]{0,48}[A-ZÀ-ÖØ-Þ.])"
    r"(?:[^\S\n]*\([^()\n]{1,60}\))?[^\S\n]*:")
_TIME_LINE = re.compile(r"^\d{1,2}:\d\d(?:\s*[AaPp]\.?\s*[Mm]\.?)?(?:\s+[A-Z]{2,5})?$")
# A line that ends as a sentence does, or says too much for a header: the body has begun.
# A line that ends a sentence; an initialism's full stop ("Washington, D.C.") ends none.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z]\.[A-Z])[.!?\"”’]$")
_HEADER_WORDS = 16
_HEADER_LINES = 4


@dataclass(frozen=True)
class DocumentHeader:
    kind: str | None = None
    """`statement`, `briefing`, `remarks`, `readout`, or None for a page that says no kind."""
    title: Span | None = None
    title_event: str | None = None
    """The event type the title names first ("... Call with ...": a call)."""
    by: Span | None = None
    """The title's phrase naming who issued or spoke the page ("Remarks by [A and B]")."""
    authors: Span | None = None
    """A readout's author, named in its title ("Readout by [spokesperson X] of ..."), who
    reports the event and did not take part in it."""
    page_date: dt.date | None = None
    place: str | None = None
    """A transcript's place line, cleaned ("Aboard the Presidential Aircraft En Route X" -> "the
    Presidential Aircraft")."""
    dateline_place: str | None = None
    """The place of a dated place line under another page's title ("Lisbon, May 3, 2026"): a
    ministry's dateline, which names where the page was issued."""
    dateline_date: dt.date | None = None
    """The date of that line: like a news dateline's, when the page was filed, which dates
    the event only when no sentence about it does."""
    body_start: int = 0
    """Where the body begins: after the title and the header lines under it."""
    speakers: list[str] = field(default_factory=list)
    """The last word of each speaker label of a transcript, folded to lower case, in order of
    first turn, without those that are not the people briefing ("Q", "MODERATOR")."""

    joint: bool = False
    """A statement several governments issue together ("Joint Statement"): its sentences
    are its parties' undertakings (text/undertakings.py)."""

    @property
    def self_reporting(self) -> bool:
        return self.kind in SELF_REPORTING_KINDS

    @property
    def transcript(self) -> bool:
        return self.kind in TRANSCRIPT_KINDS


def read_header(article: PreparedArticle) -> DocumentHeader:
    words = article.lexicon.document
    title_text = article.title_line()
    if words is None or title_text is None:
        return DocumentHeader(page_date=_page_date(article, 0))
    title_index = article.title_index() or 0
    title = article.paragraphs[title_index]
    raw_title = article.clean[title.start : title.end]
    kind, kind_end = next(
        ((name, m.end()) for name, cue in words.kinds if (m := cue.search(title_text))), (None, 0)
    )
    # The event the title names after its kind ("Press Call by ... Ahead of the Summit").
    event = _first_event(title_text[kind_end:], words)
    by = authors = None
    if kind == "readout":
        authors = _phrase(words.readout_by, raw_title, title.start)
    elif kind is not None:
        by = _phrase(words.by, raw_title, title.start)
    header_lines = _header_lines(article, title_index)
    page_date = _page_date(article, title_index + 1)
    place = dateline_place = dateline_date = None
    if kind in TRANSCRIPT_KINDS:
        place = _place_line(article, header_lines, words)
    else:
        dateline_place, dateline_date = _dated_place_line(article, header_lines)
    speakers = _speakers(article.clean, words) if kind in TRANSCRIPT_KINDS else []
    body_start = header_lines[-1].end if header_lines else title.end
    joint = kind == "statement" and words.joint is not None \
        and words.joint.search(title_text) is not None
    return DocumentHeader(kind, title, event, by, authors, page_date, place, dateline_place,
                          dateline_date, body_start, speakers, joint)


def _first_event(title: str, words: DocumentWords) -> str | None:
    found = [(m.start(), name) for name, cue in words.title_events if (m := cue.search(title))]
    return min(found)[1] if found else None


def _phrase(pattern: re.Pattern[str], text: str, offset: int) -> Span | None:
    found = pattern.search(text)
    return Span(offset + found.start("who"), offset + found.end("who")) if found else None


def _header_lines(article: PreparedArticle, title_index: int = 0) -> list[Span]:
    """The short lines between the title and the body: date, place, time."""
    lines: list[Span] = []
    for para in article.paragraphs[title_index + 1 : title_index + 1 + _HEADER_LINES]:
        line = " ".join(article.clean[para.start : para.end].split())
        if (len(line.split()) > _HEADER_WORDS or _SENTENCE_END.search(line)
                or SPEAKER_TURN.match(line)):
            break
        lines.append(para)
    return lines


def _page_date(article: PreparedArticle, first: int) -> dt.date | None:
    """The date on a line of its own among the first lines ("March 4, 2025")."""
    for para in article.paragraphs[first : first + _HEADER_LINES]:
        line = article.clean[para.start : para.end].strip()
        if len(line.split()) > 6:
            continue
        for mention in find_dates(line, language=article.language):
            if mention.year and mention.month and mention.day and mention.end - mention.start >= len(line) - 12:
                try:
                    return dt.date(mention.year, mention.month, mention.day)
                except ValueError:
                    return None
    return None


# "Lisbon, May 3, 2026", "Ulaanbaatar, 3 May 2026": a place, a comma, then a whole date.
# Its words capitalised, or particles between them ("Palace of the Republic").
_PARTICLES = "|".join(sorted(map(re.escape, names_of_every_language().place_particles)))
_PLACE_THEN = re.compile(
    rf"(?P<place>[A-Z][^\W\d_]+(?:(?:[ '-]| (?:(?:{_PARTICLES}) ){{1,2}})[A-Z][^\W\d_]+){{0,3}}),\s+")


def _dated_place_line(article: PreparedArticle, lines: list[Span]) -> tuple[str | None, dt.date | None]:
    """The place and date of a header line that is a place and a full date, nothing else.
    The place must be one the tagger knows as a place or a country: not a weekday ("Tuesday,
    May 3, 2026"), a byline or an agency."""
    weekdays = {name.lower() for name in article.lexicon.weekdays}
    for span in lines:
        line = " ".join(article.clean[span.start : span.end].split())
        head = _PLACE_THEN.match(line)
        if head is None:
            continue
        # A venue before its city ("State House, Nairobi, 9 July 2026"): the city a place
        # the tagger knows, the venue a name of proper nouns and no one's.
        places, rest = [head.group("place")], line[head.end() :]
        while (more := _PLACE_THEN.match(rest)) is not None and more.group("place").lower() \
                not in weekdays and _is_place(article, span.start, more.group("place")):
            places.append(more.group("place"))
            rest = rest[more.end() :]
        if not (_is_place(article, span.start, places[0])
                or (len(places) > 1 and _is_venue(article, span.start, places[0]))):
            continue
        for mention in find_dates(rest, language=article.language):
            # The date, after its weekday at most ("Thursday, 9th July 2026").
            if (mention.year and mention.month and mention.day
                    and rest[: mention.start].strip(" ,").lower() in (weekdays | {""})
                    and mention.end >= len(rest.rstrip(". ")) - 1):
                try:
                    return ", ".join(places), dt.date(mention.year, mention.month, mention.day)
                except ValueError:
                    return None, None
    return None, None


def _is_place(article: PreparedArticle, start: int, name: str) -> bool:
    """A country, a place the tagger knows, or proper nouns it knows as nothing else (the
    small model knows few capitals: "Vilnius"), none of them a page's or a date's word."""
    if normalize_country(name) is not None:
        return True
    raw = article.clean[start : start + len(name) + 40]
    offset = start + raw.find(name[:1])
    span = article.doc.char_span(offset, offset + len(name), alignment_mode="expand")
    if span is None:
        return False
    if any(t.ent_type_ in article.syntax.place_labels for t in span):
        return True
    return all(not t.ent_type_ and t.pos_ == "PROPN" and t.lower_ not in _NOT_PLACE_WORDS
               for t in span)


def _is_venue(article: PreparedArticle, start: int, name: str) -> bool:
    """Proper nouns that are no one's name, ending in no page's word: a building before its
    city ("State House")."""
    span = article.doc.char_span(start, start + len(name), alignment_mode="expand")
    return span is not None and span[-1].lower_ not in _NOT_PLACE_WORDS and all(
        t.pos_ == "PROPN" and t.ent_type_ not in article.syntax.person_labels for t in span)


# Capitalised words of a page's header that are no place: a byline, a kind of page, a date.
_NOT_PLACE_WORDS = (reading_of_every_language().generic_capitalised | names_of_every_language().headline_words
                    | reading_of_every_language().page_words)


# A person's name as a byline writes it: two to five capitalised words; an office after it.
_BYLINE_WORDS = range(2, 6)
_OFFICE_WORDS = re.compile(names_of_every_language().title_words)


def _byline_name(text: str) -> bool:
    words = text.split()
    return len(words) in _BYLINE_WORDS and all(w[:1].isupper() for w in words)


def _place_line(article: PreparedArticle, lines: list[Span], words: DocumentWords) -> str | None:
    for span in lines:
        line = " ".join(article.clean[span.start : span.end].split())
        if _TIME_LINE.match(line) or not re.search(r"[^\W\d_]{3}", line):
            continue
        if find_dates(line, language=article.language):
            continue
        name, comma, rest = line.partition(",")
        if comma and _byline_name(name) and _OFFICE_WORDS.search(rest):
            continue  # "Jane Roe, Secretary of Trade": who speaks, not where
        place = words.place_cut.sub("", words.place_prefix.sub("", line)).strip(" ,")
        return place or None
    return None


def _speakers(text: str, words: DocumentWords) -> list[str]:
    """Those who brief or speak, by surname: not a reporter's "Q" and not a named reporter,
    whose every turn asks a question ("MS. ROE (Daily Post): Was lithium raised?")."""
    found: list[str] = []
    answers: set[str] = set()
    turns = list(SPEAKER_TURN.finditer(text))
    nexts: list[re.Match[str] | None] = [*turns[1:], None] if turns else []
    for turn, after in zip(turns, nexts, strict=True):
        label = " ".join(turn.group("label").split()).lower()
        if label in words.not_speakers or label.rstrip(".") in words.not_speakers:
            continue
        last = label.split()[-1].strip(".")
        if len(last) < 2:
            continue
        if last not in found:
            found.append(last)
        said = text[turn.end() : after.start() if after else len(text)].lstrip().split("\n", 1)[0]
        if "?" not in said:
            answers.add(last)
    return [name for name in found if name in answers]
