"""Country names: common English short names, ISO 3166-1 alpha-2 codes, aliases and demonyms.

The brief reports countries by their common English short name ("United States", "China");
articles name them in many other ways ("U.S.", "Türkiye", "Beijing's", "Chinese").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from service.lang.countries import (
    country_rows,
    extra_names,
    languages_with_demonyms,
    local_demonyms,
    not_country_names,
)
from service.lang.registry import reading_of_every_language


@dataclass(frozen=True)
class Country:
    name: str
    code: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = tuple(
    Country(name, code, aliases, demonyms) for name, code, aliases, demonyms in country_rows()
)
BY_NAME: dict[str, Country] = {c.name: c for c in COUNTRIES}
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Türkiye" == "turkiye"). Names and
    words are folded many times over in one article, so short strings are cached; a whole
    article is not (the cache would keep clients' text, and grow with every one)."""
    return _fold_short(text) if len(text) <= _FOLD_CACHED_CHARS else _fold(text)


_FOLD_CACHED_CHARS = 64


@lru_cache(maxsize=65_536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    key = fold(text)
    key = re.sub(r"^the ", "", key)
    return re.sub(r"[^a-z0-9' ]", "", key.replace(".", "")).strip()


_BY_KEY: dict[str, Country] = {}
for _country in COUNTRIES:
    for _form in (_country.name, *_country.aliases, *_country.demonyms):
        _BY_KEY.setdefault(_key(_form), _country)
# "US" in lower case is the pronoun; only the upper-case forms map to the United States.
_CASE_SENSITIVE = reading_of_every_language().case_sensitive_country_abbreviations


def normalize_country(value: str | None) -> Country | None:
    """The country a name, alias or demonym refers to, or None."""
    if not value:
        return None
    stripped = value.strip()
    if stripped.lower() in {c.lower() for c in _CASE_SENSITIVE} and stripped not in _CASE_SENSITIVE:
        return None
    return _BY_KEY.get(_key(stripped))


def _mention_pattern() -> re.Pattern[str]:
    forms = sorted(
        {f for c in COUNTRIES for f in (c.name, *c.aliases, *c.demonyms)}, key=len, reverse=True
    )
    # Pages write the apostrophe of a name either way ("People's", "People’s").
    alternatives = "|".join(re.escape(f).replace("'", "['’]") for f in forms)
    # No letter may touch either side, so "Niger" is not found in "Nigeria".
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?:'s|’s)?(?![\w])")


_MENTION = _mention_pattern()










@lru_cache(maxsize=4)
def _local_forms(language: str) -> dict[str, tuple[str, ...]]:
    """Country code -> how articles in `language` name that country or its people."""
    if language not in languages_with_demonyms():
        return {}
    territories = Locale.parse(language).territories
    demonyms = local_demonyms(language)
    forms: dict[str, tuple[str, ...]] = {}
    for country in COUNTRIES:
        name = territories.get(country.code, "")
        name = re.sub(r"(?<!\s)\s*\([^()\n]*\)$", "", name)
        if name in not_country_names(language):
            name = ""
        forms[country.code] = tuple(f for f in (name, *demonyms.get(country.code, ())) if f)
    for code, names in extra_names(language).items():
        forms[code] += names
    return forms


@dataclass(frozen=True)
class CountryMention:
    country: Country
    start: int
    end: int
    surface: str


@lru_cache(maxsize=4)
def _local_by_form(language: str) -> dict[str, Country]:
    """Each French or Spanish name or demonym of a country, as written -> the country."""
    return {form: BY_CODE[code] for code, forms in _local_forms(language).items()
            for form in forms}


@lru_cache(maxsize=4)
def _local_mention(language: str) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(f) for f in sorted(_local_by_form(language), key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")


def find_country_mentions(text: str, language: str = "en") -> list[CountryMention]:
    """Every place the text names a country, by name, alias or demonym: in English, and in
    the article's language where it is another one."""
    mentions = []
    for match in _MENTION.finditer(text):
        surface = re.sub(r"('s|’s)$", "", match.group(0))
        country = normalize_country(surface)
        if country is not None:
            mentions.append(CountryMention(country, match.start(), match.end(), surface))
    by_form = _local_by_form(language)
    if by_form:
        for match in _local_mention(language).finditer(text):
            if not any(m.start < match.end() and match.start() < m.end for m in mentions):
                mentions.append(CountryMention(by_form[match.group(0)], match.start(),
                                               match.end(), match.group(0)))
    return sorted(mentions, key=lambda m: m.start)


def country_forms(country: Country, language: str = "en") -> tuple[str, ...]:
    """Every way an article in `language` may name the country or its people."""
    return (country.name, *country.aliases, *country.demonyms,
            *_local_forms(language).get(country.code, ()))


def local_country(value: str, language: str) -> Country | None:
    """The country a name or demonym in the article's language refers to ("marocain")."""
    by_form = _local_by_form(language)
    return by_form.get(value) or by_form.get(value.lower())
