"""Country and demonym data: the English table of names, codes, aliases and demonyms in
`service/lang/data/` (the brief names every country in English, whatever the article's
language, so the table is no one language's), and each language's demonyms
(`<language>/demonyms.txt`, inflected by its `Language.demonym_forms`) and offices
(`<language>/offices.psv`) in its folder."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from babel import Locale

from service.lang.registry import LANGUAGES, every_language

CountryRow = tuple[str, str, tuple[str, ...], tuple[str, ...]]
"""name, ISO code, other names, demonyms."""


def _lines(folder: str, name: str) -> list[str]:
    text = resources.files("service.lang").joinpath(folder, name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


# CLDR's codes that are no country or territory of ISO 3166-1: regions, unions, the UN,
# test and unknown codes, and places reserved only for other standards' use.
_NOT_TERRITORIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ",
                              "AC", "CP", "CQ", "DG", "EA", "IC", "TA", "AQ"})
# Territories whose English name is also the end of another place's name or a common word:
# "New Jersey" is no mention of Jersey, "a reunion" none of Réunion.
_AMBIGUOUS_TERRITORY_NAMES = frozenset({"Jersey", "Réunion", "Guernsey", "Montserrat"})
# Countries and territories that are one city: a place as much as a country, so "in Hong
# Kong" or "in Singapore" is where a meeting was.
CITY_STATES = frozenset({"SG", "HK", "MO", "MC", "VA", "GI"})


def country_rows() -> tuple[CountryRow, ...]:
    """The curated table (`data/countries.psv`: the brief's names, other names and demonyms),
    then every other country and territory CLDR knows, under its English name."""
    rows: list[CountryRow] = []
    for line in _lines("data", "countries.psv"):
        name, code, aliases, demonyms = line.split("|")
        rows.append((name, code, tuple(a for a in aliases.split(";") if a),
                     tuple(d for d in demonyms.split(";") if d)))
    curated = {code for _, code, _, _ in rows}
    for code, cldr_name in sorted(Locale.parse("en").territories.items()):
        if len(code) != 2 or not code.isalpha() or code in curated or code in _NOT_TERRITORIES:
            continue
        if cldr_name in _AMBIGUOUS_TERRITORY_NAMES:
            continue
        name, other_names = _territory_name(cldr_name)
        rows.append((name, code, other_names, ()))
    return tuple(rows)


def _territory_name(cldr_name: str) -> tuple[str, tuple[str, ...]]:
    """CLDR's short English name as articles write it, and CLDR's own form as another name:
    "Turks & Caicos Islands" -> "Turks and Caicos Islands", "St. Martin" -> "Saint Martin"."""
    name = re.sub(r"\s*\([^()]*\)$", "", cldr_name).replace(" & ", " and ")
    name = re.sub(r"^St\. ", "Saint ", name)
    return name, tuple(n for n in {cldr_name, re.sub(r"^Saint ", "St. ", name)} if n != name)


def languages_with_demonyms() -> tuple[str, ...]:
    return tuple(lang.code for lang in every_language() if lang.demonym_forms is not None)


@lru_cache(maxsize=4)
def local_demonyms(language: str) -> dict[str, list[str]]:
    """Country code -> every form of its demonym in `language` (lower and capitalised); empty
    for a language without demonym data."""
    inflect = LANGUAGES[language].demonym_forms if language in LANGUAGES else None
    if inflect is None:
        return {}
    out: dict[str, list[str]] = {}
    for entry in _lines(language, "demonyms.txt"):
        code, words = entry.strip().split(" ", 1)
        base, *irregular = words.split(";")
        forms = irregular + inflect(base) if irregular else inflect(base)
        out[code] = forms + [f[:1].upper() + f[1:] for f in forms]
    return out


@lru_cache(maxsize=4)
def office_countries(language: str = "en") -> dict[str, str]:
    """Offices only one government has -> its country (`<language>/offices.psv`)."""
    return dict(line.split("|") for line in _lines(language, "offices.psv"))


def extra_names(language: str) -> dict[str, tuple[str, ...]]:
    """Names an article in the language uses for countries beyond CLDR's and its demonyms."""
    return LANGUAGES[language].extra_country_names if language in LANGUAGES else {}


def not_country_names(language: str) -> frozenset[str]:
    """CLDR's names for countries that texts written in `language` mostly mean otherwise."""
    return LANGUAGES[language].not_country_names if language in LANGUAGES else frozenset()
