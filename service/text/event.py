"""What kind of event, where, and in what tone — read from the text where it says so plainly.

A small model guesses these poorly; readouts and wire stories state them in set phrases
("spoke by telephone", "joint declaration", "candid discussion"). The model's choice is the
fallback when the text has no such phrase.
"""

from __future__ import annotations

import datetime as dt
import re

from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle
from service.text.countries import find_country_mentions
from service.text.dates import YEAR, find_dates, is_event_to_come
from service.text.extract import Extraction
from service.text.participants import is_headline_line
from service.text.tone import tone_of_text


def _lead(article: PreparedArticle, sentences: int = 4, planned: bool = False) -> str:
    """The title line and the first event sentences, where the event is named."""
    return "\n".join(article.sentence_text(index)
                     for index in _lead_sentences(article, sentences, planned))


def _lead_sentences(article: PreparedArticle, sentences: int = 4,
                    planned: bool = False) -> list[int]:
    """The indices of the lead's sentences. After the first, a sentence about an event to
    come ("will meet again at a summit in ...") names that event's kind and place, not this
    one's, unless the event itself is still to come (`planned`)."""
    lex = article.lexicon
    picked = [0] if article.sentences else []
    untitled = article.title_line() is None  # then the first sentence is the lead itself
    for index in range(1, len(article.sentences)):
        sentence = article.sentence_text(index)
        if lex.event_words.search(sentence):
            if (not planned and (untitled or len(picked) > 1)
                    and is_event_to_come(lex, sentence)):
                continue
            picked.append(index)
        if len(picked) > sentences:
            break
    return picked


def _body_lead(article: PreparedArticle) -> str:
    """The body's first sentence about an event (under the title and its header lines)."""
    index = _body_lead_index(article)
    return article.sentence_text(index) if index is not None else ""


def _body_lead_index(article: PreparedArticle) -> int | None:
    lex = article.lexicon
    title = article.title_index()
    body_start = article.paragraphs[title].end if title is not None else 0
    for index, span in enumerate(article.sentences):
        if span.start >= body_start and lex.event_words.search(article.sentence_text(index)) \
                and not is_headline_line(article, index):
            return index
    return None


def _before_body_lead(article: PreparedArticle) -> str:
    """The body's sentence right before its first sentence about an event, if the body has
    one there (not the title, nor its header lines)."""
    lex = article.lexicon
    title = article.title_index()
    body_start = article.paragraphs[title].end if title is not None else 0
    body = [i for i, span in enumerate(article.sentences) if span.start >= body_start]
    lead = next((n for n, i in enumerate(body) if lex.event_words.search(article.sentence_text(i))), 0)
    return article.sentence_text(body[lead - 1]) if lead > 0 else ""


def _first_dated_event_sentence(article: PreparedArticle) -> str:
    """The first sentence about an event, not one to come nor one in the past, that states a
    date: the one that dates the event (text/dates.py `resolve_event_date`)."""
    lex = article.lexicon
    for index in range(len(article.sentences)):
        sentence = article.sentence_text(index)
        if lex.event_words.search(sentence) and not lex.past.search(sentence) \
                and not is_event_to_come(lex, sentence) and find_dates(sentence, language=article.language):
            return sentence
    return ""


def event_status(article: PreparedArticle) -> str:
    """`planned` when the lead (the body's first sentence about an event) reports a meeting
    still to come ("Oslo is to receive the envoys of A and B next month"), or an arrival for
    talks the next sentences do not report held ("The Chancellor arrives in Rome today for
    talks with X. Each side will raise ..."), else `held`: a story about a planned
    meeting never reports it as having happened."""
    lead = _body_lead_index(article)
    if lead is None:
        return "held"
    if is_event_to_come(article.lexicon, article.sentence_text(lead), after_lead=False):
        return "planned"
    return "planned" if _arrived_for_talks_to_come(article, lead) else "held"


# How far after an arrival for talks a story reports them, if it does.
_ARRIVAL_REACH = 4


def _arrived_for_talks_to_come(article: PreparedArticle, lead: int) -> bool:
    """The lead (sentence `lead`) tells of an arrival for talks, and neither it nor the next
    sentences report talks held ("Each side raised ...")."""
    lex = article.lexicon
    if lex.arrived_for_talks is None or lex.event_done is None \
            or not lex.arrived_for_talks.search(article.sentence_text(lead)):
        return False
    reach = range(lead, min(lead + 1 + _ARRIVAL_REACH, len(article.sentences)))
    return not any(lex.event_done.search(article.sentence_text(i)) for i in reach)


def event_type(article: PreparedArticle, extraction: Extraction, model_choice: str) -> str:
    """What the page says it is (a statement, a briefing), else the event its title names
    first ("Readout of X's Call with Y"), else the lead's set phrase, else the model's."""
    header = extraction.header
    if header.kind in ("statement", "briefing"):
        return header.kind
    if header.title_event is not None:
        return header.title_event
    if header.kind == "remarks":
        together = _joint_appearance(article, extraction)
        if together is not None:
            return together
    # The first of the lead's sentences that names a kind of event names this one's; those
    # after it may tell of another ("... called off a state visit to Y").
    for index in _lead_sentences(article):
        sentence = article.sentence_text(index)
        for kind, cue in article.lexicon.event_types:
            if cue.search(sentence):
                return kind
    return model_choice


def _joint_appearance(article: PreparedArticle, extraction: Extraction) -> str | None:
    """Two sides' remarks to the press ("X and [a minister of Y] at a Joint Press
    Availability") are made at their meeting: a visit when the page's place line names a
    country that is not the first-named speaker's (a page names its own principal first, so
    the principal is abroad), else a meeting. None when the title does not name two people
    of two countries."""
    title = extraction.header.title
    if title is None:
        return None
    named = sorted((p for p in extraction.persons
                    if any(title.start <= m.start < title.end for m in p.mentions)),
                   key=lambda p: min(m.start for m in p.mentions if title.start <= m.start))
    countries = [p.country for p in named]
    if len(named) < 2 or None in countries or len(set(countries)) < 2:
        return None
    place = extraction.header.place or ""
    where = {m.country.name for m in find_country_mentions(place, article.language)}
    return "visit" if where and countries[0] not in where else "meeting"


def event_location(
    article: PreparedArticle, extraction: Extraction, kind: str, date: dt.date | None = None,
    planned: bool = False,
) -> str | None:
    """A transcript's place line; else the place the body's lead puts it in, the dateline's
    place, a place the next event sentences name; else none: the model's pick is no evidence.
    No place for a call or a virtual meeting, and none dated before the event's `date` ("the
    pledge made at their meeting in X in October last year"): that was another meeting.
    A meeting still to come (`planned`) sits where its own sentences put it, never where
    the story was filed (the dateline)."""
    header = extraction.header
    lead = _lead(article)
    words = article.lexicon.document
    if kind == "call":
        return None
    if header.transcript and header.place:
        return header.place  # where the words were spoken, whatever they go on to mention
    if words is not None and words.virtual.search(_lead(article, 1)):
        return None
    if header.transcript:
        return None
    prepositions = article.lexicon.place_prepositions
    reading = reading_of_every_language()
    # A seat of government ("Downing Street", "the Kremlin") is a venue, whether or not the
    # tagger knows it as a place.
    seats = [seat for seat, _ in article.lexicon.publisher_markers if seat in article.clean]
    places = [*extraction.places, *(s for s in seats if s not in extraction.places)]

    modifying = {place: _modified_nouns(article, place) for place in places}

    def named_in(text: str) -> str | None:
        """The place the text names first after "in", "at": a city or a building, not a
        region or a sea the tagger knows only as such ("in the Rhine Valley town of ..."),
        nor a name that qualifies a noun ("interest in the Antwerp port": the port)."""
        found = [(m.start(), place) for place in places
                 if place not in extraction.regions
                 for m in re.finditer(
                     rf"\b(?:{prepositions}) (?:{reading.definite_articles} )?"
                     rf"(?:[\w-]+ (?:{reading.settlement_nouns}) (?:{reading.of_words}) )?"
                     rf"{re.escape(place)}(?!\w)", text)
                 if not _dated_earlier(text[m.end() : m.end() + _DATE_REACH], date, article)
                 and _next_word(text, m.end()) not in modifying[place]]
        found += arrived_at(text)
        return min(found)[1] if found else None

    def arrived_at(text: str) -> list[tuple[int, str]]:
        """"welcomed X to Y", "travelled to Y": where one arrives is where the event sat."""
        arrival = article.lexicon.arrival
        if arrival is None:
            return []
        return [(m.start(), place) for place in places
                if place not in extraction.regions
                for m in re.finditer(rf"\b{re.escape(place)}(?!\w)", text)
                if arrival.search(text, max(0, m.start() - _ARRIVAL_REACH), m.start())
                and not _dated_earlier(text[m.end() : m.end() + _DATE_REACH], date, article)]

    if planned:
        return named_in(_body_lead(article)) or named_in(_lead(article, planned=True))
    # "[Minister] X travelled to Y on Tuesday. In their talks, the two ...": the journey
    # the sentence before the lead reports ends where the lead's meeting sat.
    journey = arrived_at(_before_body_lead(article))

    # The venue the first event sentence names; else the dateline's place; else one the
    # next event sentences name (by then they may be naming a subject: "the situation in
    # the Baltic region").
    # The body's lead before the title: a headline names a place as a label ("... at Bali
    # ministerial"), the lead where the event sat ("in Denpasar, Bali").
    return (named_in(_body_lead(article)) or named_in(_lead(article, 1))
            or (min(journey)[1] if journey else None)
            or extraction.dateline_place or header.dateline_place or named_in(lead)
            # An analysis that comes to the meeting late: the sentence that gives its day
            # ("the ministers met in X on 27 January") gives its place.
            or named_in(_first_dated_event_sentence(article)))


def _modified_nouns(article: PreparedArticle, place: str) -> set[str]:
    """The words right after `place` where the article writes it, after "the", to qualify a
    noun ("the Antwerp hydrogen terminal": "hydrogen"): there it names no place anything
    happened in. Not without "the": "met in Lima Monday" may be parsed as a "Lima Monday"."""
    words = set()
    for m in re.finditer(rf"(?<!\w){re.escape(place)}(?!\w)", article.clean):
        span = article.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or len(span) == 0 or span.start == 0 \
                or span[-1].i + 1 >= len(article.doc):
            continue
        last = span[-1]
        if last.dep_ == "compound" and last.head.i > last.i \
                and _DEFINITE.fullmatch(article.doc[span.start - 1].text):
            words.add(article.doc[last.i + 1].text)
    return words


# Every supported language's definite articles ("the", "le", "la", ...).
_DEFINITE = re.compile(reading_of_every_language().definite_articles, re.IGNORECASE)


def _next_word(text: str, at: int) -> str:
    """The word that follows position `at` in `text` ("" at its end)."""
    rest = text[at:].split(maxsplit=1)
    return rest[0] if rest else ""


# How far before a place the verb of arriving may stand ("welcomed the Premier of X to").
_ARRIVAL_REACH = 100
# How far after a place a date still says when the event there was ("in X in May 2025").
_DATE_REACH = 24


def _dated_earlier(after: str, date: dt.date | None, article: PreparedArticle) -> bool:
    """The words after a place give it a month or a year before the event's."""
    year = YEAR.search(after)
    if date is None or year is None:
        return False
    months = [number for word in re.findall(r"[^\W\d_]+", after[: year.start()])
              if (number := article.lexicon.months.get(word.lower())) is not None]
    return (int(year.group(0)), months[0] if months else 12) < (date.year, date.month)


def tone(article: PreparedArticle, model_choice: str) -> str:
    """The tone the text's own words give, weighing the lead twice; else the model's
    (text/tone.py)."""
    return tone_of_text(article, _lead_sentences(article), model_choice)
