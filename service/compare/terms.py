"""What a point is about, as words that can be compared across two readouts: the content
words' stems, without the words every readout of a meeting uses whatever it says ("the two
sides discussed", "the Minister said") and without the names of the people and countries
that met, which both texts name everywhere and which say nothing about the subject."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence

import snowballstemmer
from spacy.tokens import Token

from service.lang.subjects import subject_words
from service.text.countries import CountryMention, fold, normalize_country

# The vocabulary of reporting a meeting rather than its subject: its people and offices, its
# verbs of speech, and the nouns that frame a subject ("welcomed progress on", "stressed the
# importance of", "discussed ways to", "the issue of").
_GENERIC_WORDS = """
    side sides party parties both two leader leaders minister ministers secretary president
    premier chancellor foreign prime state councillor official officials delegation
    delegations counterpart counterparts government governments country countries nation
    nations ministry spokesperson readout statement call phone telephone
    conversation talk talks meeting meet met spoke speak said say says noted note stressed
    stress discuss discussed exchange exchanged view views agree agreed underscore
    underscored raise raised reiterate reiterated emphasize emphasized emphasise emphasised
    express expressed today yesterday morning evening afternoon also mr ms mrs dr include
    including
    progress importance effort efforts step steps way ways issue issues matter matters range
    field fields aspect aspects area areas
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
_WORD = re.compile(r"[a-z][a-z0-9]+")


@functools.lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


# Verbs tell what was done with a subject ("continue", "stop", "maintain") and adjectives how
# ("new", "further", "critical"), and readouts of anything use the same few: a verb or an
# adjective both texts use counts for less than a noun (align.py).
WEAK_MARK = "~"


def stem(word: str) -> str:
    """A word's Snowball stem ("tranquillity" and "tranquility" are "tranquil"); a country's
    name, alias or adjective is the country ("Ukrainian" is Ukraine)."""
    country = normalize_country(word)
    if country is not None:
        return "country:" + country.code
    return str(_stemmer().stemWord(fold(word)))


@functools.lru_cache(maxsize=4)
def _subject_stems(language: str) -> dict[tuple[str, ...], str]:
    """The stems of each subject's words and two-word phrases, to the subject's term."""
    return {tuple(stem(w) for w in phrase.split()): "subject:" + name
            for name, phrases in subject_words(language).items() for phrase in phrases}


def subject_terms(stems: list[str], language: str = "en") -> list[str]:
    """The subjects (lang/<language>/subjects.psv) that a point's words name: two
    readouts that say "maritime" and "South China Sea" share one."""
    table = _subject_stems(language)
    plain = [s.removeprefix(WEAK_MARK) for s in stems]
    found = [table[(w,)] for w in plain if (w,) in table]
    found += [table[pair] for pair in itertools.pairwise(plain) if pair in table]
    return list(dict.fromkeys(found))


def country_term(code: str) -> str:
    return "country:" + code


def stop_stems(names: Iterable[str], country_codes: Iterable[str] = ()) -> frozenset[str]:
    """The stems of the participants' names and titles, and their countries: not subjects."""
    words = {w for name in names for w in _WORD.findall(fold(name))}
    stems = {stem(w) for w in words if w not in ("of", "the", "and")}
    return frozenset(stems | {country_term(code) for code in country_codes})


def content_stems(
    tokens: Iterable[Token], stop: frozenset[str], countries: Sequence[CountryMention] = (),
) -> list[str]:
    """The stems of the content words of `tokens`, in order, a verb's and an adjective's marked
    (`WEAK_MARK`), then the subjects they name (`subject_terms`);
    the words of a country's name ("the United States") are one term, the country."""
    stems: list[str] = []
    for token in tokens:
        mention = next((m for m in countries if m.start <= token.idx < m.end), None)
        if mention is not None:
            key = country_term(mention.country.code)
            if key not in stop and (not stems or stems[-1] != key):
                stems.append(key)
            continue
        if token.is_stop or token.is_punct or token.like_num or token.pos_ not in (
                "NOUN", "PROPN", "ADJ", "X", "VERB"):
            continue
        for word in _WORD.findall(fold(token.lemma_ or token.text)):
            if word in GENERIC or fold(token.text) in GENERIC:
                continue
            key = stem(word)
            if key not in stop:
                stems.append(WEAK_MARK + key if token.pos_ in ("VERB", "ADJ") else key)
    return stems + subject_terms(stems)


def surface(term: str, tokens: Iterable[Token]) -> str:
    """The word of `tokens` a term stands for, as the text writes it (for a reader)."""
    key = term.removeprefix(WEAK_MARK)
    if key.startswith("subject:"):
        return key.removeprefix("subject:")
    for token in tokens:
        if key.startswith("country:"):
            country = normalize_country(token.text)
            if country is not None and country_term(country.code) == key:
                return token.text
        elif stem(token.lemma_ or token.text) == key or stem(token.text) == key:
            return token.text.lower() if token.pos_ != "PROPN" else token.text
    return key.removeprefix("country:")
