"""The brief's claims: the summary's sentences and the key points, each a short claim with
the article's sentences it rests on, each checked against them (text/claims.py) before it
is said.

The candidates are the sentences the brief already chose for its lists (the model's key
points, the outcomes, the article's own list of what was discussed), each cut to its main
clause (text/clauses.py), weighed by what it is (an agreement first, then a next step, a
difference, the list of subjects, the rest) and by how many of the brief's topics it names.
A sentence about something before the event (written in the perfect, or dated to an earlier
year, or reported as past) is background: no candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from service.brief.warnings import Warnings
from service.lang.registry import reading_of_every_language
from service.schemas import Evidence
from service.text.article import PreparedArticle
from service.text.claims import unsupported
from service.text.clauses import MOST_WORDS, main_clause
from service.text.countries import fold
from service.text.similarity import content_words
from service.text.statements import about_earlier_year, is_statement
from service.text.turns import (
    question_sentences,
    speaker,
    without_address,
    without_false_starts,
    without_openers,
)

# What a claim is worth by what its sentence is: outcomes first.
WEIGHTS = {"agreements": 4.0, "next_steps": 3.0, "disagreements": 2.5, "listing": 2.0,
           "key_points": 1.0, "other": 0.0}
# How much each of the brief's topics a claim names adds to its weight.
_TOPIC_WEIGHT = 1.0
# How far into the article its own list of subjects ("They discussed X, Y and Z") is sought.
_LISTING_SENTENCES = 12


# A sentence that says it tells of an earlier time. Not a year alone: "interference in the
# 2020 election" is a subject of this event's talks; `about_earlier_year` weighs years.
_PAST = re.compile(reading_of_every_language().earlier_time, re.IGNORECASE)
# A sentence that sets the event beside another happening ("The visit comes as ..."); a noun
# that points back at a happening just told ("The incident led ...").
_BESIDE = re.compile(reading_of_every_language().beside_the_event, re.IGNORECASE)
_HAPPENINGS = reading_of_every_language().happening_nouns


# A page's preamble, not a claim: a line pointing at the text after it ("What follows is
# the joint communiqué ...", "Below are the leaders' remarks", "This is the text of ...").
_PREAMBLE = re.compile(reading_of_every_language().preamble, re.IGNORECASE)
# What a speaker says of the exchange, not of the event: a briefing declines to say ("I won't
# comment on it"), hands the floor on ("with that, I'll stop").
_FLOOR_TALK = re.compile(reading_of_every_language().floor_talk, re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    text: str
    sentences: tuple[int, ...]
    """0-based indices of the article's sentences it rests on: its evidence."""
    kind: str = "key_points"
    """What its sentence is: a key of WEIGHTS."""
    own: bool = True
    """The text is its sentence's own main clause (not written from facts or topics)."""

    @property
    def words(self) -> int:
        return len(self.text.split())

    def evidence(self, field: str, article: PreparedArticle) -> list[Evidence]:
        return [Evidence(field=field, start=article.sentences[i].start, end=article.sentences[i].end)
                for i in self.sentences]


def checked(
    claim: Claim, article: PreparedArticle, warnings: Warnings, dates: Iterable[dt.date] = (),
    fallback: bool = True,
) -> Claim | None:
    """The claim if its cited sentences state all it states; else (with `fallback`) its first
    cited sentence's own main clause, if that passes; else None. A refusal is reported in the
    warnings."""
    sources = [article.sentence_text(i) for i in claim.sentences]
    problems = unsupported(claim.text, sources, list(dates))
    if not problems:
        return claim
    instead = "its sentence's main clause is used instead" if fallback else "it is left out"
    warnings.add(f"a claim stated what its sentences do not ({', '.join(problems)}); {instead}")
    if not fallback:
        return None
    clause = main_clause(article, claim.sentences[0]) if claim.sentences else None
    if clause is None or unsupported(clause.text, sources[:1]):
        return None
    # The article's own words now, whatever the brief had written: a speaker's, labelled.
    return replace(claim, text=clause.text, sentences=claim.sentences[:1], own=True)


# The words by which a speaker names themself, in any supported language.
_FIRST_PERSON = re.compile(
    rf"(?<![\w’'])(?:{'|'.join(sorted(reading_of_every_language().first_person))})(?![\w])",
    re.IGNORECASE)


def attributed(claim: Claim, article: PreparedArticle) -> Claim:
    """A claim in the first person ("We will keep the line open") with the transcript's speaker
    it is in the words of ("Secretary Roe: We will keep the line open"): read alone, "we" is no
    one. A speaker's words without their false starts and the address that opens them. As it
    is where the page has no speakers' turns; without a label where the claim names no one in
    the first person."""
    if not claim.own or not claim.sentences:
        return claim
    label = speaker(article, claim.sentences[0])
    if label is None:
        return claim
    # Said once and to no one, as a reader reads it ("Madam Premier, on — on the harbour
    # side": "On the harbour side").
    claim = replace(claim, text=without_openers(without_address(without_false_starts(claim.text))))
    if not _FIRST_PERSON.search(claim.text):
        return claim
    # The label as a name is written ("SECRETARY ROE" -> "Secretary Roe").
    return replace(claim, text=f"{label.title() if label.isupper() else label}: {claim.text}")


def is_preamble(text: str) -> bool:
    """A page's preamble ("What follows is the text of ..."), or a speaker's words on the
    exchange itself ("I won't comment on that", "fire away"): not a claim."""
    return _PREAMBLE.match(text) is not None or _FLOOR_TALK.search(text) is not None


def event_sentences(article: PreparedArticle, event_year: int | None) -> list[int]:
    """The sentences (0-based) that state something of the event: statements, not questions
    or headings, and not background."""
    asked = question_sentences(article)
    return [i for i in range(len(article.sentences))
            if i not in asked and is_statement(article.sentence_text(i))
            and not is_background(article, i, event_year)]


def is_background(
    article: PreparedArticle, index: int, event_year: int | None, *,
    count_noun_clauses: bool = True,
) -> bool:
    """The sentence tells what happened before the event: its main verb is in the perfect
    ("tensions have climbed for years"), it says it is past, or it dates itself earlier.
    `count_noun_clauses` False: a time in a clause telling of one of its nouns other than the
    subject ("both sides weighed the accord reached last year") does not count, for a use that
    reads only what the sentence names."""
    sentence = article.sentence_text(index)
    # Read once a sentence: the list of subjects asks it of the same sentences topic by topic.
    told = sentence if count_noun_clauses else article.remembered(
        f"without noun clauses {index}", lambda: _without_noun_clauses(article, index))
    if about_earlier_year(told, event_year) or _PAST.search(told) or _BESIDE.search(told):
        return True
    if _goes_on_telling(article, index, event_year):
        return True
    if index < _lead(article) and not (article.lexicon.event_done is not None
                                       and article.lexicon.event_done.search(sentence)):
        return True  # a story that opens on background reaches the event later
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    syntax = article.syntax
    return any(syntax.is_present_perfect(t) or syntax.is_past_perfect(t)
               for t in chunk or () if syntax.is_root(t))


def _goes_on_telling(article: PreparedArticle, index: int, event_year: int | None) -> bool:
    """The sentence's subject is a happening named by a bare definite noun ("The incident led
    the envoy to leave", "This move ..."), right after a background sentence
    of its paragraph: it points back at what that sentence told, and goes on telling it."""
    if index == 0:
        return False
    before, span = article.sentences[index - 1], article.sentences[index]
    if "\n" in article.clean[before.end : span.start]:
        return False
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    syntax = article.syntax
    subjects = [t for t in chunk or () if t.dep_ in syntax.subject_dependencies
                and syntax.is_root(t.head)]
    if not any(t.lemma_.lower() in _HAPPENINGS and syntax.points_back(t) for t in subjects):
        return False
    return is_background(article, index - 1, event_year)


def _without_noun_clauses(article: PreparedArticle, index: int) -> str:
    """The sentence without the clauses that tell of one of its nouns ("the accord reached
    earlier this year", "the pact, which the bloc signed last year"): what dates those
    does not date what the sentence tells."""
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    if chunk is None:
        return article.sentence_text(index)
    syntax = article.syntax
    told = {t.i for t in chunk}
    for token in chunk:
        # Not a clause of the subject's: "The summit held in 2019 discussed ..." tells of
        # that summit, an earlier event.
        if token.dep_ in syntax.relative_clause_dependencies and not any(
                a.dep_ in syntax.subject_dependencies for a in token.ancestors):
            told -= {t.i for t in token.subtree}
    return "".join(t.text_with_ws for t in chunk if t.i in told)


# A feature's opening background runs a few paragraphs at most: a lead found further on is
# an analysis reaching a meeting in its last part, or talk in a transcript, and what comes
# before it is what the article is about.
_LEAD_REACH = 10


def _lead(article: PreparedArticle) -> int:
    """The first sentence that tells of an event and names a person in full, not in the past
    and among the first ones (`_LEAD_REACH`): where a story that opens on background ("For
    half a century, relations have lurched ...") reaches the event it reports. What comes before it is background unless it says the
    event happened ("The ministers met on Monday", a lead that names them later)."""
    def find() -> int:
        lex, syntax = article.lexicon, article.syntax
        for index, span in enumerate(article.sentences[:_LEAD_REACH]):
            sentence = article.sentence_text(index)
            if (not lex.event_words.search(sentence) or lex.past.search(sentence)
                    or sentence.rstrip().endswith("?")):
                continue
            chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
            # Named in full, as a lead introduces people: the tagger takes a lone word
            # for a person too often ("Faro").
            if chunk is not None and any(e.label_ in syntax.person_labels and len(e) > 1
                                         for e in chunk.ents):
                return index
        return 0
    return article.remembered("lead sentence", find)


def candidates(
    article: PreparedArticle, numbers: dict[str, list[int]], topics: Sequence[str],
    event_year: int | None, most_words: int = MOST_WORDS,
) -> list[Claim]:
    """Every sentence the brief's lists chose, and the article's own list of subjects, as a
    claim of at most `most_words` words; best first (see the module's docstring). `numbers`:
    a list's name -> the 1-based numbers of its sentences."""
    kinds: dict[int, str] = {}
    for kind in ("agreements", "next_steps", "disagreements", "key_points"):
        for number in numbers.get(kind, []):
            kinds.setdefault(number - 1, kind)
    listing = article.lexicon.topic_listing
    for index in range(min(len(article.sentences), _LISTING_SENTENCES)):
        text = article.sentence_text(index)
        if listing.search(text) and is_statement(text) and kinds.get(index) in (None, "key_points"):
            kinds[index] = "listing"
    topic_words = [content_words(t) for t in topics]
    scored: list[tuple[float, int, Claim]] = []
    asked = question_sentences(article)
    for index, kind in kinds.items():
        if not 0 <= index < len(article.sentences) or index in asked:
            continue  # a reporter's question is no claim of the brief
        if kind in ("key_points", "listing") and is_background(article, index, event_year):
            continue
        clause = main_clause(article, index, most_words)
        if clause is None or clause.text.startswith(("\"", "“")) or is_preamble(clause.text):
            continue  # a quotation is the quotes' field's, verbatim; a preamble says nothing
        words = content_words(clause.text)
        named = sum(1 for t in topic_words if t and t <= words)
        scored.append((WEIGHTS[kind] + _TOPIC_WEIGHT * named, index,
                       Claim(clause.text, (index,), kind)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [claim for _, _, claim in scored]


# A claim that adds fewer content words than this to what is said already says it again.
_NEW_WORDS = 3


def repeats(claim: Claim, said: Sequence[Claim]) -> bool:
    """The claim says again what `said` says: it is the main clause of a sentence one of
    them already is, its text is in one of them, or it adds fewer than three words."""
    words = content_words(claim.text)
    known: set[str] = set()
    for other in said:
        if other.own and set(claim.sentences) & set(other.sentences):
            return True
        if fold(claim.text) in fold(other.text):
            return True
        known |= content_words(other.text)
    return len(words - known) < _NEW_WORDS
