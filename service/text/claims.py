"""The claim check: does a claim say only what the sentences it cites say?

A summary sentence or a key point is shorter than the sentences it rests on, so it may leave
things out; it may not add any. Refused is a claim that states
- a name or a place (a capitalised word) the cited sentences do not write, where a country
  may be named by any of its forms ("China" for "Chinese");
- a number, or a date, they do not give (a date may also be one of `dates`, the values the
  brief resolved from them: "on 18 September 2023" for "on Monday");
- a negation they do not make ("did not agree" from "agreed"), or drops one they make
  about the same verb ("agreed" from "did not agree");
- a commitment (agreed, pledged, signed, will, ...) they do not state.
Every rule compares words, not meanings: a claim made of the cited sentences' own words in
their order passes whole, and a planted change of fact does not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from service.lang.registry import BRIEF_LANGUAGE, reading_of_every_language
from service.text.countries import country_forms, find_country_mentions, fold, normalize_country
from service.text.dates import find_dates

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
# Words that say little, in every supported language (service/lang/<code>/).
_WORDS = reading_of_every_language()
_NUMBER_WORDS = _WORDS.number_words
_NEGATIONS = _WORDS.negations
# What binds a side to something: stated by the sources or not said at all.
_COMMITMENTS = _WORDS.commitments
# How far after a negation the word it negates is looked for ("did not formally agree").
_NEGATED_REACH = 4


def unsupported(claim: str, sources: Sequence[str], dates: Iterable[dt.date] = ()) -> list[str]:
    """What `claim` states that `sources` (the sentences it cites) do not: one line per
    problem ('name "Lopes"', 'negation "not"', ...); empty when the claim is supported."""
    source = " \n ".join(sources)
    folded = fold(source)
    source_words = _words(source)
    source_stems = {_stem(w) for w in source_words}
    claim_words = _words(claim)
    problems: list[str] = []
    dated, date_spans = _dates(claim, folded, set(dates))
    problems += dated
    problems += _names(claim, folded, date_spans)
    for number in _numbers(claim, date_spans):
        if not re.search(rf"(?<![\w.,]){re.escape(fold(number))}(?![\w]|[.,]\d)", folded):
            problems.append(f'number "{number}"')
    for word in dict.fromkeys(w for w in claim_words if w in _NEGATIONS):
        if word not in source_words:
            problems.append(f'negation "{word}"')
    if not any(w in _NEGATIONS for w in claim_words):
        stems = {_stem(w) for w in claim_words}
        for stem, word in _negated(source_words):
            if stem in stems:
                problems.append(f'negation dropped before "{word}"')
                break
    for word in dict.fromkeys(w for w in claim_words if w in _COMMITMENTS):
        if _stem(word) not in source_stems:
            problems.append(f'commitment "{word}"')
    return problems


def _words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("n't", " n't")
    return [w.lower().rstrip(".") for w in re.findall(r"n't|[^\W_]+", text)]


def _stem(word: str) -> str:
    """A crude stem that makes "agree", "agreed" and "agrees" one word."""
    for suffix in _WORDS.stem_suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") or word


def _negated(words: list[str]) -> list[tuple[str, str]]:
    """The words a negation in `words` governs, with their stems ("did not agree" -> agree)."""
    found: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        if word in _NEGATIONS:
            found += [(_stem(w), w) for w in words[i + 1 : i + 1 + _NEGATED_REACH]
                      if w not in _WORDS.stop_words and w not in _WORDS.negation_fillers]
    return found


def _dates(
    claim: str, source_folded: str, allowed: set[dt.date]
) -> tuple[list[str], list[tuple[int, int]]]:
    """Problems with the claim's dates, and where they are (their numbers are not checked
    again as numbers): each must be written in the sources or be one of `allowed`."""
    problems: list[str] = []
    spans: list[tuple[int, int]] = []
    for mention in find_dates(claim):
        text = claim[mention.start : mention.end]
        spans.append((mention.start, mention.end))
        if fold(text) in source_folded:
            continue
        if any(
            (mention.year is None or mention.year == day.year)
            and (mention.month is None or mention.month == day.month)
            and (mention.day is None or mention.day == day.day)
            and (mention.weekday is None or mention.weekday == day.weekday())
            for day in allowed
        ):
            continue
        problems.append(f'date "{text}"')
    return problems, spans


def _numbers(claim: str, skip: list[tuple[int, int]]) -> list[str]:
    found = [m.group().rstrip(".,") for m in _NUMBER.finditer(claim)
             if not any(s <= m.start() < e for s, e in skip)]
    found += [w for w in re.findall(r"[^\W\d_]+", claim.lower()) if w in _NUMBER_WORDS]
    return list(dict.fromkeys(found))


_CAPITALISED = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’.-]*")


def _names(claim: str, source_folded: str, skip: list[tuple[int, int]]) -> list[str]:
    """Capitalised words of the claim the sources do not write. A sentence's first word is a
    name only if its lower-case form is no common word; a country may be named by any of
    its forms."""
    problems: list[str] = []
    for mention in find_country_mentions(claim):
        # "the United States" for "U.S.": a country by any of its forms, as one name.
        if any(fold(form) in source_folded for form in country_forms(mention.country, BRIEF_LANGUAGE)):
            skip = [*skip, (mention.start, mention.end)]
    first = re.match(r"\W*", claim)
    opening = first.end() if first else 0
    for match in _CAPITALISED.finditer(claim):
        if any(s <= match.start() < e for s, e in skip):
            continue
        word = re.sub(r"['’]s$", "", match.group()).rstrip(".'’-")
        key = fold(word)
        if len(key) < 2 or re.search(rf"(?<!\w){re.escape(key)}", source_folded):
            continue
        if match.start() == opening and (key in _WORDS.stop_words or key in source_folded):
            continue
        country = normalize_country(word)
        if country is not None and any(
            fold(form) in source_folded for form in country_forms(country, BRIEF_LANGUAGE)
        ):
            continue
        problems.append(f'name "{word}"')
    return list(dict.fromkeys(problems))
