"""Country and demonym data, read from the files in `service/lang/data/`: the English table of
names, codes, aliases and demonyms, and French and Spanish demonyms with their inflections."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from service.lang import es, fr

CountryRow = tuple[str, str, tuple[str, ...], tuple[str, ...]]
"""name, ISO code, other names, demonyms."""

_INFLECTIONS: dict[str, Callable[[str], list[str]]] = {
    "fr": fr.demonym_forms, "es": es.demonym_forms,
}
# Names an article in the language uses beyond CLDR's and its demonyms.
_EXTRA_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "es": es.EXTRA_COUNTRY_NAMES,
}


def _lines(name: str) -> list[str]:
    text = resources.files("service.lang").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def country_rows() -> tuple[CountryRow, ...]:
    rows = []
    for line in _lines("countries.psv"):
        name, code, aliases, demonyms = line.split("|")
        rows.append((name, code, tuple(a for a in aliases.split(";") if a),
                     tuple(d for d in demonyms.split(";") if d)))
    return tuple(rows)


def languages_with_demonyms() -> tuple[str, ...]:
    return tuple(_INFLECTIONS)


@lru_cache(maxsize=4)
def local_demonyms(language: str) -> dict[str, list[str]]:
    """Country code -> every form of its demonym in `language` (lower and capitalised); empty
    for a language without demonym data."""
    inflect = _INFLECTIONS.get(language)
    if inflect is None:
        return {}
    out: dict[str, list[str]] = {}
    for entry in _lines(f"demonyms_{language}.txt"):
        code, words = entry.strip().split(" ", 1)
        base, *irregular = words.split(";")
        forms = irregular + inflect(base) if irregular else inflect(base)
        out[code] = forms + [f[:1].upper() + f[1:] for f in forms]
    return out


@lru_cache(maxsize=4)
def office_countries(language: str = "en") -> dict[str, str]:
    """Offices only one government has -> its country (`data/offices_<language>.psv`)."""
    return dict(line.split("|") for line in _lines(f"offices_{language}.psv"))


def extra_names(language: str) -> dict[str, tuple[str, ...]]:
    return _EXTRA_NAMES.get(language, {})
