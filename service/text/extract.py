"""What the article itself says, before any model: its people, countries, places and quotes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from service.text.article import PreparedArticle, dateline_place
from service.text.countries import Country, CountryMention, find_country_mentions, fold
from service.text.document import DocumentHeader, read_header
from service.text.people import Person, find_persons
from service.text.places import find_places, find_regions
from service.text.quotes import QuoteCandidate, find_quotes

__all__ = ["DocumentHeader", "Extraction", "Person", "QuoteCandidate", "extract"]


@dataclass
class Extraction:
    persons: list[Person]
    countries: list[Country]
    country_counts: Counter[str]
    places: list[str]
    quotes: list[QuoteCandidate]
    dateline_place: str | None = None
    header: DocumentHeader = field(default_factory=DocumentHeader)
    """The page's kind, title, date and place lines (text/document.py)."""
    country_mentions: list[CountryMention] = field(default_factory=list)
    """Every place the article names a country, in order: read once, here."""
    regions: frozenset[str] = frozenset()
    """Places named only as regions or waters (text/places.py `find_regions`): no venue."""

    def person(self, name: str) -> Person | None:
        key = fold(name)
        for person in self.persons:
            if fold(person.name) == key:
                return person
        return None


def extract(article: PreparedArticle) -> Extraction:
    dateline = dateline_place(article.clean)
    places = find_places(article, dateline)
    persons = find_persons(article, {fold(p) for p in places})
    # A name the tagger also took for a place ("Mr. Jan Roe", "Kusuma") is a person's.
    people_words = {fold(w) for p in persons for w in (p.name, *p.tokens)}
    places = [p for p in places if fold(p) not in people_words
              and fold(re.sub(r"^(?:\S+\.\s+)+", "", p)) not in people_words
              and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]{1,3}", p)]
    mentions = find_country_mentions(article.clean, article.language)
    counts: Counter[str] = Counter(m.country.name for m in mentions)
    order: dict[str, Country] = {}
    for mention in mentions:
        order.setdefault(mention.country.name, mention.country)
    quotes = find_quotes(article, persons)
    return Extraction(persons, list(order.values()), counts, places, quotes,
                      dateline, read_header(article), mentions, find_regions(article))
