"""Places the article names (cities, regions, sites), in the order it first names them, the
dateline's first."""

from __future__ import annotations

import re
from collections import Counter

from service.lang.countries import CITY_STATES
from service.lang.registry import names_of_every_language, reading_of_every_language
from service.text.article import PreparedArticle
from service.text.countries import normalize_country
from service.text.people import is_country_word

# The article a tagger may take into a place's name ("the Baltic Sea").
_THE = re.compile(rf"^(?:{reading_of_every_language().definite_articles})\s+")


def find_places(article: PreparedArticle, dateline: str | None) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    if dateline:
        counts[dateline] += 1
        first[dateline] = -1
    for ent in article.doc.ents:
        if ent.label_ not in article.syntax.place_labels:
            continue
        name = _THE.sub("", re.sub(r"['’]s$", "", ent.text.strip()))
        if not name or len(name) > 40:
            continue
        country = normalize_country(name)
        if (country is not None and country.code not in CITY_STATES) or (
                country is None and is_country_word(name, article.language)):
            continue
        words = name.split()
        if not name[0].isupper() or words[-1].lower() in article.lexicon.not_place_heads:
            continue
        if article.lexicon.borrowed_pipeline and not all(
            w[:1].isupper() or w.lower() in names_of_every_language().place_particles for w in words
        ):
            continue  # "Fuente agradeció": a slip of another language's tagger
        counts[name] += 1
        first.setdefault(name, ent.start_char)
    return sorted(counts, key=lambda n: first[n])


def find_regions(article: PreparedArticle) -> frozenset[str]:
    """Places the tagger knows only as regions, landforms and waters (LOC: "the Rhine Valley",
    "the Baltic Sea"), never as a city, a state or a building: where a story's
    subject lies, not where a meeting sits."""
    region = article.syntax.region_label
    if region not in article.syntax.named_subject_labels:
        return frozenset()  # a pipeline whose LOC holds cities too (the French one)
    labels: dict[str, set[str]] = {}
    for ent in article.doc.ents:
        if ent.label_ in article.syntax.place_labels:
            name = _THE.sub("", re.sub(r"['’]s$", "", ent.text.strip()))
            labels.setdefault(name, set()).add(ent.label_)
    return frozenset(name for name, found in labels.items() if found == {region})
