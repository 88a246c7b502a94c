"""Each supported language's lexicon (`service/lang/<code>/lexicon.py`), by code, and what
is built from one: date patterns, English names of offices.

The pipeline finds events, dates, outcomes, tone and topics in set phrases ("met with",
"agreed to", "le 13 mars", "se reunió"). Those phrases are language data, one `Lexicon` per
language, so that the steps stay the same for every language. Month and weekday names come
from the CLDR data Babel ships; the rest are readout phrasing.

An article in a language without a lexicon is read with the English one: the set phrases
then rarely match and the model's choices stand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from service.lang.base import NOCASE, Lexicon
from service.lang.registry import LANGUAGES, names_of_every_language
from service.lang.registry import language as language_of

# What makes an office a former one, in any language: "ex-président", "ex presidenta".
FORMER = re.compile(rf"^(?:{names_of_every_language().former_markers})", NOCASE)

LEXICONS: dict[str, Lexicon] = {code: lang.lexicon for code, lang in LANGUAGES.items()}
SUPPORTED_LANGUAGES = tuple(LEXICONS)


def lexicon(language: str | None) -> Lexicon:
    return language_of(language).lexicon


def english_title(title: str, language: str, country: str | None = None) -> str | None:
    """The usual English name of an office written in `language` ("ex presidenta" ->
    "Former President"), or None when the glossary does not know it."""
    former = FORMER.match(title)
    core = title[former.end() :] if former else title
    core = core.replace("’", "'")
    for pattern, office in lexicon(language).title_glossary:
        if pattern.fullmatch(core):
            name = office if isinstance(office, str) else office.get(country or "", office["*"])
            return f"Former {name}" if former else name
    return None



@lru_cache(maxsize=8)
def date_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """Numeric dates, then "Month day[, year]" and "day [of] Month [year]" in the language."""
    lex = lexicon(language)
    month = r"(?P<month>" + "|".join(
        re.escape(m) for m in sorted(lex.months, key=len, reverse=True)
    ) + r")\.?"
    day = rf"(?P<day>[0-3]?\d)(?:{lex.day_suffix})?"
    year = r"(?P<year>(?:19|20)\d\d)"
    joiner = rf"(?:{lex.date_joiner}\s+)?"
    return (
        re.compile(rf"\b{year}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
        re.compile(r"\b(?P<dnum>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
        # "24/03/2025", "24-03-2025", "3/24/2025": which number is the day, `find_dates` reads.
        re.compile(r"(?<![\d/.-])(?P<first>[0-3]?\d)(?P<sep>[/-])(?P<second>[0-3]?\d)(?P=sep)"
                   r"(?P<year>(?:19|20)\d\d)\b"),
        re.compile(rf"\b{month}\s+{day}(?:,?\s+{year})?\b", re.IGNORECASE),
        re.compile(rf"\b{day}\s+{joiner}{month}(?:,?\s+{joiner}{year})?\b", re.IGNORECASE),
    )
