"""Tie the draft's people, countries and quotes to the article: who took part (the page's
structure, else the model's choice where the text supports it), the countries represented,
the quotations verbatim."""

from __future__ import annotations

from service.brief.draft import Draft
from service.brief.participant_countries import own_side_country
from service.brief.warnings import Warnings
from service.schemas import Participant, Quote
from service.text.article import PreparedArticle
from service.text.countries import BY_NAME, find_country_mentions
from service.text.extract import Extraction, Person
from service.text.participants import (
    document_participants,
    lede_participants,
    listed_parties,
    own_principal_unnamed,
    takes_part,
)

MAX_QUOTES = 10


def ground_participants(
    draft: Draft, article: PreparedArticle, extraction: Extraction, warnings: Warnings
) -> list[Participant]:
    """Those the page's own structure names, where it does (document_participants); else
    the model's choice, kept where the text supports it, plus the lede's named actors. Each
    with the country the text gives them (the model's countries are guesses, never taken;
    what the text implies is weighed after: brief/participant_countries.py)."""
    stated = document_participants(article, extraction)
    if stated is not None:
        return [Participant(name=p.name, title=p.title, country=p.country) for p in stated]
    lede = lede_participants(article, extraction)
    chosen_people: list[Person] = []
    for chosen in draft.participants:
        person = extraction.person(str(chosen.get("name") or ""))
        if person is None:
            warnings.add(f"participant {chosen.get('name')!r} is not named in the article; dropped")
            continue
        if person in lede or takes_part(article, person):
            chosen_people.append(person)
    people = [p for p in extraction.persons if p in lede or p in chosen_people]
    return [Participant(name=p.name, title=p.title, country=p.country) for p in people]


def countries_of(
    participants: list[Participant], extraction: Extraction, article: PreparedArticle,
    known_publisher: str | None = None,
) -> list[str]:
    """Countries represented at the event: those a page's opening lists as its members ("the
    ministers of A, B and C"), else those a statement's title names as its parties
    ("Portugal-Norway Joint Statement"); those of the participants; the publisher's where the
    lead names its own principal by office alone ("Our Premier phoned President X");
    else the most named."""
    header = extraction.header
    # A list of members is all of them; a country the title names beside it is the subject
    # ("Communiqué of the Envoys for X").
    names = listed_parties(article, extraction)
    if not names and header.kind == "statement" and header.title is not None:
        title = article.clean[header.title.start : header.title.end]
        names = list(dict.fromkeys(m.country.name for m in find_country_mentions(title, article.language)))
    for participant in participants:
        if participant.country and participant.country not in names:
            names.append(participant.country)
    if own_principal_unnamed(article):
        own = own_side_country(article, extraction, set(names), known_publisher)
        if own is not None and own not in names:
            names.insert(0, own)
    if not names:
        names = [name for name, count in extraction.country_counts.most_common(3) if count >= 2]
    return names


def country_codes(countries: list[str]) -> list[str]:
    return [BY_NAME[name].code for name in countries if name in BY_NAME]


def ground_quotes(article: PreparedArticle, extraction: Extraction, warnings: Warnings) -> list[Quote]:
    quotes: list[Quote] = []
    for candidate in extraction.quotes:
        if article.clean[candidate.start : candidate.end] != candidate.text:
            # The quotation spans hidden or blanked text (an HTML comment, an injected line):
            # returning it verbatim would carry that text into the brief.
            warnings.add(f"quote at {candidate.start} contains hidden text; dropped")
            continue
        quotes.append(
            Quote(speaker=candidate.speaker, text=candidate.text, start=candidate.start,
                  end=candidate.end)
        )
    # Attributed quotes first: a quote without a speaker is the least useful to an analyst.
    quotes.sort(key=lambda q: (q.speaker is None, q.start))
    kept = sorted(quotes[:MAX_QUOTES], key=lambda q: q.start)
    return kept
