"""The sentence fields (key points, agreements, disagreements, next steps): the model's
sentence choices plus the plainly stated outcomes it missed, kept near the participants, each
with its own span as evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.brief.draft import SENTENCE_FIELD
from service.brief.warnings import Warnings
from service.schemas import Evidence
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.dateline import dateline_length
from service.text.extract import Person
from service.text.participants import title_sentences
from service.text.sections import section_headings
from service.text.similarity import content_words
from service.text.statements import (
    about_earlier_year,
    plain_outcomes,
    statement_sentences,
    without_item_mark,
)
from service.text.turns import question_sentences, speaker

# A government's own page this short (a readout of a call) tells of its event alone: it
# has no room for another. A story filed from somewhere (its dateline) may still report
# others' outcomes, however short.
_SHORT_PAGE_WORDS = 300
# The paragraphs a story's dateline may open, after its title and header lines.
_DATELINE_PARAGRAPHS = 4


def sentences_near(
    article: PreparedArticle, people: list[Person], reach: int = 1, *, joint: bool = False,
) -> set[int]:
    """Sentences (0-based) in a paragraph that names one of `people`, or within `reach`
    paragraphs of one: where an article tells what those people did. In a transcript, also
    every sentence one of them speaks: their own words name them only in the turn's label
    ("PRESIDENT ROE:"), and they are what that person did at the event. Every sentence of a
    `joint` statement (its parties' own words throughout, "we" rather than their names).
    Every sentence of a short page that is no story filed from somewhere (a government's
    readout of a call) up to its first section heading ("Background")."""
    if joint:
        return set(range(len(article.sentences)))
    near = _named_near(article, people, reach) | _spoken_by(article, people)
    if len(article.clean.split()) <= _SHORT_PAGE_WORDS and not _filed_story(article):
        # Up to a section of its own ("Background"): what it heads may be another story.
        headings = section_headings(article)
        end = headings[0].start if headings else len(article.clean)
        near |= {i for i, span in enumerate(article.sentences) if span.start < end}
    return near


def _named_near(article: PreparedArticle, people: list[Person], reach: int) -> set[int]:
    named = {article.paragraph_at(m.start) for person in people for m in person.mentions}
    wanted = {q for p in named for q in range(p - reach, p + reach + 1)}
    return {i for i, span in enumerate(article.sentences)
            if article.paragraph_at(span.start) in wanted}


def _filed_story(article: PreparedArticle) -> bool:
    """A news story: one of its first paragraphs opens with a dateline ("LIMA, May 3 —"), or
    with a place in capitals before a comma, a dash or an agency, as wires of every language
    write it ("PARIS, 3 mai (AFP) -")."""
    return any(dateline_length(text := article.clean[p.start : p.end])
               or _PLACE_IN_CAPITALS.match(text.lstrip())
               for p in article.paragraphs[:_DATELINE_PARAGRAPHS])


# A wire's place line in any language: "PARIS, 3 mai", "MADRID (EFE) -", "KYIV —".
_PLACE_IN_CAPITALS = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.-]+(?: [A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.-]+){0,3}"
                                r"(?:,| ?\(| [—–-] )")


def _spoken_by(article: PreparedArticle, people: list[Person]) -> set[int]:
    """The sentences (0-based) of the turns whose speaker's label names one of `people` by
    their family name ("SECRETARY ROE" is Jane Roe's turn)."""
    surnames = {fold(form) for person in people if person.tokens
                for form in (person.tokens[-1], *person.inner_forms)}
    if not surnames:
        return set()
    return {index for index in range(len(article.sentences))
            if (label := speaker(article, index)) is not None
            and surnames & set(fold(label).split())}


def select_sentences(
    article: PreparedArticle, field_name: str, chosen: list[int], window: Sequence[int],
    event_year: int | None, cap: int | None = None, near: set[int] | None = None,
    undertakings: Sequence[int] = (),
) -> list[int]:
    """The model's sentence choices for a field plus the plainly stated outcomes it missed,
    without sentences about an earlier event (a year before the event's) or, for agreements,
    sentences that report the lack of one. Key points are topped up to the minimum. A joint
    statement's `undertakings` (text/undertakings.py) count as plain outcomes.

    When there are more than `cap`, the model's choices stay, then the plain outcomes `near`
    the event's participants (see `sentences_near`): in a long article an outcome stated far
    from everyone who took part is as a rule another event's (background, an earlier round, a
    quoted briefing on something else). The kept ones stay in their order."""
    field = SENTENCE_FIELD[field_name]
    low, most = field.bounds
    plain = sorted({*plain_outcomes(article, field.cue, window, event_year), *undertakings})
    numbers = list(dict.fromkeys(chosen + [n for n in plain if n not in chosen]))
    title = title_sentences(article)
    asked = question_sentences(article)

    def keep(number: int) -> bool:
        if number - 1 not in window:
            return True  # reported as missing by sentence_items
        if number - 1 in title:
            return False  # the page's title announces the event; it is no point of it
        sentence = article.sentence_text(number - 1)
        if about_earlier_year(sentence, event_year):
            return False
        if number - 1 in asked or sentence.rstrip().endswith("?"):
            return False  # a question, a reporter's above all, states no point or outcome
        lex = article.lexicon
        if field_name in ("agreements", "next_steps") and lex.negation is not None \
                and lex.negation.search(sentence):
            return False
        if field_name == "next_steps" and lex.not_a_next_step.search(sentence):
            return False  # a plan called off
        if field_name == "agreements" and speaker(article, number - 1) is not None \
                and lex.own_commitment.search(sentence):
            return False  # a speaker's own stance ("we stay committed to ..."), one side's
        return not (field_name == "agreements" and lex.not_an_agreement.search(sentence))

    numbers = [n for n in numbers if keep(n)]
    limit = cap or max(most, len(set(chosen)))
    if len(numbers) > limit and near:
        first = set(chosen)

        def priority(number: int) -> int:  # the model's choices, then near, then the rest
            return 0 if number in first else 1 if number - 1 in near else 2

        kept = set(sorted(numbers, key=priority)[:limit])
        numbers = [n for n in numbers if n in kept]
    numbers = numbers[:limit]
    if field_name == "key_points":
        statements = [n for n in statement_sentences(article, window)
                      if n not in numbers and keep(n)]
        # Up to the minimum from the whole text in its order, then up to the most from where
        # the participants are; each adds what the key points do not say yet.
        numbers += _adding(article, numbers, statements, low, greedy=False)
        numbers += [n for n in statements if n not in numbers][: max(0, low - len(numbers))]
        nearby = [n for n in statements if n not in numbers and n - 1 in (near or set())]
        numbers += sorted(_adding(article, numbers, nearby, most, greedy=True))
    return numbers


# A sentence that adds fewer content words than this to the key points says nothing new.
_NEW_WORDS = 4


def _adding(
    article: PreparedArticle, numbers: list[int], candidates: list[int], upto: int,
    greedy: bool,
) -> list[int]:
    """Key points that say what the chosen ones do not, until there are `upto`: a reader who
    skims them should meet every subject the talks covered, not one subject twice. Greedy:
    each time the candidate with the most content words the key points lack (ties to the
    earlier); otherwise the candidates in order, each if it adds enough."""
    words = {n: content_words(article.sentence_text(n - 1)) for n in candidates}
    covered: set[str] = set()
    for number in numbers:
        if 0 < number <= len(article.sentences):  # a number the model made up says nothing
            covered |= content_words(article.sentence_text(number - 1))
    added: list[int] = []
    left = list(candidates)
    while left and len(numbers) + len(added) < upto:
        best = max(left, key=lambda n: (len(words[n] - covered), -n)) if greedy else left[0]
        left.remove(best)
        if len(words[best] - covered) < _NEW_WORDS:
            if greedy:
                break
            continue
        added.append(best)
        covered |= words[best]
    return added


def sentence_items(
    article: PreparedArticle, numbers: list[int], field_name: str, window: Sequence[int],
    evidence: list[Evidence], warnings: Warnings,
) -> list[str]:
    """The sentences the model pointed at, each with its own span as evidence."""
    items: list[str] = []
    for number in dict.fromkeys(numbers):
        if number - 1 not in window:
            warnings.add(f"{field_name}: sentence {number} does not exist; dropped")
            continue
        text = without_item_mark(article.sentence_text(number - 1))
        if any(fold(text) == fold(i) for i in items):
            continue
        span = article.sentences[number - 1]
        evidence.append(Evidence(field=f"{field_name}[{len(items)}]", start=span.start, end=span.end))
        items.append(text)
    return items
