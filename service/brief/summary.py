"""The summary and the key points when the model does not write them: a brief an analyst
reads in thirty seconds.

The summary says in its first sentence who met whom, where and when, from the brief's
grounded facts ("Foreign Minister Ana Soto of Chile and Foreign Minister Rui Lopes of Peru
met in Lima on 4 May 2025."), then, in one to three short claims, what they discussed and
what came of it: the article's own sentences cut to their main clause (brief/claims.py),
chosen for what they are (an outcome first) and for the brief's topics they name, never
background. The key points are the next claims by weight, none saying again what the
summary says. All of it fits a share of the article's length, and every claim is checked
against the sentences it cites before it is said. The key points are chosen in
brief/key_points.py, the topics of "The talks covered ..." in brief/discussed.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from service.brief.claims import WEIGHTS, Claim, attributed, candidates, checked, repeats
from service.brief.discussed import discussed_topics
from service.brief.key_points import FEWEST_KEY_POINTS, key_points, worth
from service.brief.warnings import Warnings
from service.lang.registry import BRIEF_LANGUAGE, brief_language
from service.schemas import Event, Participant
from service.text.article import PreparedArticle
from service.text.clauses import MOST_WORDS, main_clause
from service.text.countries import country_forms, fold, normalize_country
from service.text.similarity import content_words
from service.text.statements import is_statement
from service.text.turns import question_sentences

# An office longer than this is left out of the event sentence: the name says who.
_LONGEST_TITLE_WORDS = 5
_MOST_SUBSTANCE = 2
# The most people the event sentence names: the rest are "others" (the participants field
# lists them all).
_MOST_NAMED = 4
_ALWAYS_SUBSTANCE = 1
# A summary sentence may carry a longer list than a key point; the first one of substance
# is said even where the budget is spent, if it is no longer than this.
_LONGEST_SUMMARY_CLAIM = 40
_FIRST_SUBSTANCE_WORDS = 28
# The fewest subjects the sentence of what the talks covered names, however long they are.
_FEWEST_DISCUSSED = 2
# The fewest words a key point may be cut to before it is passed over.
_SHORTEST_POINT_CAP = 15
# Where too few sentences cut to that length, key points of up to this many words (and,
# only where fewer than two are found so, of a claim's most): never a whole paragraph,
# however few the article's sentences.
_LONGEST_POINT_CAP = 20
# Key points of a short page whose long sentences do not cut to 20 words: longer ones only
# where 20-word ones are fewer than this.
_FEWEST_POINTS_OF_A_SHORT_PAGE = 2
# The summary and key points together, in words, as a share of the article's: a readout's
# brief is a third of it, a long article's a seventh; never less than a short brief needs.
_SHARE, _LONG_SHARE, _LONG_ARTICLE, _FEWEST_WORDS = 0.37, 0.13, 1500, 60
# The summary's sentences in the order an analyst tells them.
_SUMMARY_ORDER = {"event": -1, "listing": 0, "key_points": 1, "other": 1, "agreements": 2,
                  "next_steps": 3, "disagreements": 4}
# Of that, what the summary may take.
_SUMMARY_SHARE = 0.6
# A place that is a building or a venue is met "at", with the article, not "in".
_VENUE = re.compile(rf"\b(?:{brief_language().writing.venue_words})\b")
# The brief's language's articles ("the", "a", "an"), and its definite one.
_ARTICLE = re.compile(rf"(?:{brief_language().writing.articles})", re.IGNORECASE)
_DEFINITE = re.compile(rf"(?:{brief_language().writing.definite_article})", re.IGNORECASE)
# Country names written with "the" ("of the Netherlands", "of the Philippines").
_WITH_ARTICLE = re.compile(brief_language().writing.with_article)


@dataclass(frozen=True)
class Condensed:
    summary: list[Claim]
    key_points: list[Claim]

    @property
    def summary_text(self) -> str:
        return " ".join(c.text for c in self.summary)


def word_budget(article: PreparedArticle) -> int:
    """How many words the summary and key points may take together."""
    words = len(article.clean.split())
    share = _LONG_SHARE if words >= _LONG_ARTICLE else _SHARE
    return max(_FEWEST_WORDS, round(share * words))


def event_sentence(
    participants: list[Participant], event: Event, article: PreparedArticle
) -> Claim | None:
    """"Foreign Minister Ana Soto of Chile and Foreign Minister Rui Lopes of Peru met in Lima
    on 4 May 2025.", citing the sentences that name them and the place. None when the
    article names no participant."""
    if not participants:
        return None
    folded = fold(article.clean)
    # A few by name; more are "others", without a count the claim check would have to find
    # in the text.
    people = [_person(p, folded) for p in participants[:_MOST_NAMED]]
    if len(participants) > _MOST_NAMED:
        people.append("others")
    planned = event.status == "planned"
    words = brief_language().writing
    verb = (words.planned_verbs if planned else words.event_verbs).get(event.type)
    if len(participants) == 1 and verb:
        verb = (words.one_person_planned_verbs if planned else words.one_person_verbs).get(event.type, verb)
    if verb is None:
        verb = words.planned_fallback_verb if planned else "took part in the event"
    where = f" {place_phrase(event, article)}" if event.location and event.type != "call" else ""
    when = f" on {_date(event.date)}" if event.date else ""
    cited = [i for p in participants[:_MOST_NAMED] for i in _naming(article, p.name)]
    if event.location:
        cited += _naming(article, event.location)[:1]
    sentences = tuple(dict.fromkeys(i for i in cited if i is not None))
    return Claim(f"{_and(people)} {verb}{where}{when}.", sentences, "event", own=False)


def _checked_event_sentence(
    participants: list[Participant], event: Event, article: PreparedArticle,
    warnings: Warnings, dates: list[dt.date],
) -> Claim | None:
    """The event sentence as its cited sentences bear it out: without the place, then
    without the date, where they do not; else the main clause of the first sentence naming a
    participant (a lead, as a rule), unless a reporter asks it ("Q Secretary Roe, thank
    you")."""
    if article.language != BRIEF_LANGUAGE:
        return None
    told = [event]
    if event.location:
        told.append(event.model_copy(update={"location": None}))
    if event.date:
        told.append(told[-1].model_copy(update={"date": None}))
    sentence = None
    for each in told:
        sentence = event_sentence(participants, each, article)
        if sentence is None:
            return None
        if (claim := checked(sentence, article, warnings, dates, fallback=False)) is not None:
            return claim
    if sentence is None or not sentence.sentences or (
            sentence.sentences[0] in question_sentences(article)):
        return None
    return checked(sentence, article, warnings, dates)


def place_phrase(event: Event, article: PreparedArticle | None = None,
                 visit: bool = True) -> str:
    """"in Lima", "at the Palace", "to Paris" (after "a visit"; `visit` False for a verb
    of meeting, "meet in Paris"): the place as English writes it after the verb; "the"
    where the article writes the place with its own article ("the White House", not "the
    Lima talks")."""
    place = event.location or ""
    if (article is not None and not place.lower().startswith("the ")
            and _takes_the(place, article)):
        place = f"the {place}"
    if event.type == "visit" and visit:
        return f"to {place}"
    return f"at {place}" if _VENUE.search(place) else f"in {place}"


def _takes_the(place: str, article: PreparedArticle) -> bool:
    """The article writes "the" before the place as the place's own ("at the White House"):
    the article belongs to a word of the place, not to a noun after it ("the Lima talks"),
    and the article never names the place without it ("met in Lima"; a heading "The Lima
    talks" may be parsed as "the Lima" that talks)."""
    owned = bare = False
    for match in re.finditer(rf"\b{re.escape(place)}\b", article.clean):
        span = article.doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        before = article.doc[span.start - 1]
        if _DEFINITE.fullmatch(before.text):
            owned = owned or span.start <= before.head.i < span.end
        elif before.dep_ == article.syntax.preposition_dependency and before.i == span[-1].head.i:
            bare = True  # "met in Lima": a place written without it
    return owned and not bare


def condense(
    article: PreparedArticle, participants: list[Participant], event: Event,
    numbers: dict[str, list[int]], topics: Sequence[str], warnings: Warnings,
    near: set[int] | None = None,
) -> Condensed:
    """The summary's claims (the event sentence, then what was discussed and what came of
    it) and the key points, within the article's word budget, each checked."""
    budget = word_budget(article)
    year = event.date.year if event.date else None
    dates = [event.date] if event.date else []
    pool = candidates(article, numbers, topics, year, _LONGEST_SUMMARY_CLAIM)
    first = _checked_event_sentence(participants, event, article, warnings, dates)
    summary = [first] if first is not None else []
    if first is not None:
        # The lead the event sentence is written from says who met again: only an outcome
        # it states is worth a sentence of its own.
        pool = [c for c in pool if c.kind in ("agreements", "next_steps", "disagreements")
                or not set(c.sentences) & set(first.sentences)]
    summary_budget = round(budget * _SUMMARY_SHARE)
    known = {w for c in summary for w in content_words(c.text)}
    for count in range(_MOST_SUBSTANCE):
        room = summary_budget - sum(c.words for c in summary)
        # One sentence of substance always, when the article has one; another only in room.
        fits = [c for c in pool if c.words <= (room if count >= _ALWAYS_SUBSTANCE
                                               else max(room, _FIRST_SUBSTANCE_WORDS))
                and not repeats(c, summary)]
        if not fits:
            break
        # What came of the talks, or the article's own account of what they covered, before
        # any other claim however many words it adds: an analyst's summary says the outcome.
        best = max(fits, key=lambda c: (_tells_the_event(c), worth(c, known), -c.sentences[0]))
        pool.remove(best)
        claim = checked(best, article, warnings, dates)
        if claim is None:
            continue
        summary.append(claim)
        known |= content_words(claim.text)
    sides = {c.name for p in participants if p.country and (c := normalize_country(p.country))}
    discussed = discussed_sentence(article, event, topics, summary, year, sides)
    if discussed is not None and (claim := checked(discussed, article, warnings)) is not None:
        summary.append(claim)
    # Who met whom; what they discussed; what came of it.
    summary.sort(key=lambda c: _SUMMARY_ORDER.get(c.kind, 1))
    room = budget - sum(c.words for c in summary)
    # Three key points share what is left: each as short as that asks, within reason.
    most = max(_SHORTEST_POINT_CAP, min(MOST_WORDS, room // FEWEST_KEY_POINTS))
    points: list[Claim] = []
    # Where too few sentences cut that short, three key points of up to 20 words; where a
    # short readout's long sentences do not cut to that either and leave the section all but
    # empty (fewer than two), of up to a claim's most: an empty section tells the reader
    # nothing, and a brief as long as its article condenses nothing.
    for cap in dict.fromkeys([most, max(most, _LONGEST_POINT_CAP), MOST_WORDS]):
        shorter = [c for c in (_shortened(c, article, cap) for c in pool) if c is not None]
        tried = key_points(article, shorter, summary, room, year, warnings, cap, near, most)
        if len(tried) > len(points):
            points = tried
        if len(points) >= FEWEST_KEY_POINTS or (
                cap >= _LONGEST_POINT_CAP and len(points) >= _FEWEST_POINTS_OF_A_SHORT_PAGE):
            break
    # A transcript's claim in the first person says whose words it is.
    return Condensed([attributed(c, article) for c in summary],
                     [p for c in points if (p := _attributed_point(c, article)) is not None])


def _tells_the_event(claim: Claim) -> bool:
    """An outcome (an agreement, a next step, a disagreement) or the article's list of what
    was discussed."""
    return WEIGHTS.get(claim.kind, 0.0) >= WEIGHTS["listing"]


def _attributed_point(claim: Claim, article: PreparedArticle) -> Claim | None:
    """The key point with its speaker's label, within a claim's most words: cut shorter by
    the label's words where the label would take it past them, or left out."""
    said = attributed(claim, article)
    if said.words <= MOST_WORDS:
        return said
    if not claim.own or not claim.sentences:
        return None
    label = said.words - claim.words
    clause = main_clause(article, claim.sentences[0], MOST_WORDS - max(label, 1))
    if clause is None:
        return None
    shorter = attributed(Claim(clause.text, claim.sentences, claim.kind), article)
    return shorter if shorter.words <= MOST_WORDS else None


def _shortened(claim: Claim, article: PreparedArticle, most: int) -> Claim | None:
    """The claim within `most` words: its sentence cut harder where it is longer."""
    if claim.words <= most:
        return claim
    if not claim.own:
        return None
    clause = main_clause(article, claim.sentences[0], most)
    return Claim(clause.text, claim.sentences, claim.kind) if clause is not None else None


# What the talks covered, by the kind of event: said of the event, not of its people.
_COVERED = {"statement": "The statement covers", "briefing": "The briefing covered"}
# After the article's own sentence of what was discussed, which the summary already says: the
# rest are further subjects (held, or still to come), not a second account of the same talks.
_OTHER_SUBJECTS = "Other subjects included"
_OTHER_SUBJECTS_TO_COME = "Other subjects may include"


def discussed_sentence(
    article: PreparedArticle, event: Event, topics: Sequence[str], said: Sequence[Claim],
    event_year: int | None, sides: Collection[str] = (),
) -> Claim | None:
    """"The talks covered fisheries, ports and trade.": the brief's
    topics the summary does not yet name, each citing the first sentence about the event
    (not background) that writes it (brief/discussed.py), as many as a claim's most words
    hold (two at least). None when there is none."""
    named, cited = discussed_topics(article, topics, said, event_year, sides)
    if not named:
        return None
    # Talks still to come cover nothing yet: what the story expects of them.
    opening = ("The talks are set to cover" if event.status == "planned"
               else _COVERED.get(event.type, "The talks covered"))
    if any(c.kind == "listing" for c in said):
        opening = _OTHER_SUBJECTS_TO_COME if event.status == "planned" else _OTHER_SUBJECTS
    # The articles the list keeps as the article writes them ("the Arctic") are not counted:
    # they make it read right, not longer to read.
    def words(listed: list[str]) -> int:
        return sum(not _ARTICLE.fullmatch(w) for w in f"{opening} {_and(listed)}.".split())

    while len(named) > _FEWEST_DISCUSSED and words(named) > MOST_WORDS:
        named, cited = named[:-1], cited[:-1]
    return Claim(f"{opening} {_and(named)}.", tuple(sorted(set(cited))), "listing", own=False)


# The sentences an event sentence cites for each participant: where the article names them
# first, with their office and country, as a rule.
_NAMING_SENTENCES = 2


def _naming(article: PreparedArticle, name: str) -> list[int]:
    """The first statements (not a title line) that name `name`, or its surname, then the
    first line of any kind that names it; the first is the event sentence's fallback."""
    key = fold(name)
    naming = [i for i in range(len(article.sentences)) if key in fold(article.sentence_text(i))]
    found = [i for i in naming if is_statement(article.sentence_text(i))][:_NAMING_SENTENCES]
    surname = fold(name.split()[-1]) if name.split() else key
    # A title line may be the only one to give the full name ("Readout of Deputy Premier
    # Jana Roe's Meeting ..."), the lead only the surname ("Deputy Premier Roe met").
    lead = [i for i in range(len(article.sentences)) if i not in found
            and surname in fold(article.sentence_text(i))
            and is_statement(article.sentence_text(i))][:1]
    return list(dict.fromkeys([*found, *lead, *naming[:1]]))


def _person(participant: Participant, article_folded: str) -> str:
    """"Foreign Minister Ana Soto of Chile": the office and country as the article writes
    them; the country only where the article names it, and not twice ("Chinese Foreign
    Minister X of China")."""
    title = participant.title
    named = participant.name
    # The office only as the article writes it before the name: "Adviser to the Premier
    # for X Jane Roe" is no "Premier for X".
    if title and len(title.split()) <= _LONGEST_TITLE_WORDS \
            and fold(f"{title} {named}") in article_folded:
        named = f"{title} {named}"
    else:
        title = None
    country = None if participant.country_inferred else participant.country
    if country and fold(country) in article_folded and not _names_country(title or "", country):
        the = "the " if _WITH_ARTICLE.search(country) else ""
        named = f"{named} of {the}{country}"
    return named


def _names_country(title: str, country: str) -> bool:
    known = normalize_country(country)
    forms = country_forms(known) if known else (country,)
    folded = fold(title)
    return any(re.search(rf"\b{re.escape(fold(f))}\b", folded) for f in forms if f)


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
