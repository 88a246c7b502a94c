"""Which sentences of a long article the model reads, when the whole does not fit one call.

The facts a brief needs from a long article are few (who took part, the outcomes, the next
steps, the quotes, the date), and the deterministic steps find people, quotes, dates and
plainly stated outcomes over the whole text without the model. So the model reads one call
of chosen sentences instead of every part: the lead and the end of the article, then the
sentences that carry those facts, ranked, then the most central of the rest until the token
budget is spent. It reads them in document order under their original numbers, so every
sentence it points at is the article's own and evidence offsets point into the full text.

Ranks, first kept first (a rank that does not fit whole is taken by salience):
0. the title, dateline and lead paragraph, and the last paragraphs (where late outcomes and
   the next meeting are usually written);
1. sentences that name one of the event's participants and state an outcome or next step;
2. sentences that state an outcome or next step, or name an event participant;
3. sentences that date something to the day, or carry a quotation;
4. sentences that name another person;
5. the rest.
Salience within a rank: how central the sentence is to the article (its similarity to the
article's centroid, by `Centrality`), a little for coming early, and a little for every event
participant it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from service.brief.draft import SENTENCE_FIELDS
from service.text.article import PreparedArticle
from service.text.dates import find_dates
from service.text.extract import Extraction, Person
from service.text.participants import document_participants, lede_participants, mentions_by_sentence
from service.text.statements import is_statement, sentence_candidates

_LEAD_SENTENCES = 5
_END_PARAGRAPHS = 3
_END_SENTENCES = 6
_GAP_TOKENS = 4
"""What a "[…]" line between two kept runs costs, counted for every kept sentence."""
_EARLY_WEIGHT = 0.1
_PARTICIPANT_WEIGHT = 0.1
_MOST_PARTICIPANTS_COUNTED = 3


class Centrality(Protocol):
    """How central each sentence is to its article: a number per sentence, higher for a
    sentence closer to what the whole article is about (cosine to the centroid)."""

    name: str

    def centrality(self, sentences: list[str]) -> list[float]: ...


@dataclass(frozen=True)
class Selection:
    indices: list[int]
    """0-based indices of the sentences the model reads, in document order."""
    total: int
    tokens: int
    """What the chosen sentences cost, as counted for the budget."""


def _lead_and_end(article: PreparedArticle) -> set[int]:
    """The title, dateline and lead paragraph (up to the first paragraph that states
    something) and the article's last paragraphs."""
    total = len(article.sentences)
    kept: set[int] = set()
    for index in range(min(total, _LEAD_SENTENCES)):
        kept.add(index)
        if is_statement(article.sentence_text(index)):
            # The lead paragraph ends the lead: its other sentences are kept with it.
            paragraph = article.paragraph_at(article.sentences[index].start)
            for later in range(index + 1, min(total, _LEAD_SENTENCES)):
                if article.paragraph_at(article.sentences[later].start) != paragraph:
                    break
                kept.add(later)
            break
    if article.paragraphs:
        last_paragraphs = len(article.paragraphs) - _END_PARAGRAPHS
        for index in range(total - 1, max(-1, total - 1 - _END_SENTENCES), -1):
            if article.paragraph_at(article.sentences[index].start) < last_paragraphs:
                break
            kept.add(index)
    return kept


def _sentences_naming(article: PreparedArticle, people: list[Person]) -> dict[int, int]:
    """Sentence index -> how many of `people` it names."""
    counts: dict[int, int] = {}
    for person in people:
        for index in mentions_by_sentence(article, person):
            counts[index] = counts.get(index, 0) + 1
    return counts


def sentence_ranks(article: PreparedArticle, extraction: Extraction) -> tuple[list[int], list[int]]:
    """Every sentence's rank (0 first, see the module's docstring) and how many of the
    event's participants it names."""
    total = len(article.sentences)
    everyone = range(total)
    event_people = document_participants(article, extraction) or lede_participants(
        article, extraction)
    named_event = _sentences_naming(article, list(event_people))
    named_other = _sentences_naming(
        article, [p for p in extraction.persons if p not in event_people])
    # An outcome field the lexicon has no cue for offers every statement to the model: here
    # that would make every sentence an outcome.
    cues = article.lexicon.sentence_cues
    outcomes = {n - 1 for field in SENTENCE_FIELDS if field.outcome and field.cue in cues
                for n in sentence_candidates(article, field.cue, everyone)}
    quoted: set[int] = set()
    for quote in extraction.quotes:
        first, last = article.sentence_at(quote.start), article.sentence_at(quote.end - 1)
        if first is not None:
            quoted.update(range(first, (last if last is not None else first) + 1))
    dated: set[int] = set()
    for mention in find_dates(article.clean, language=article.language):
        if mention.day is not None or mention.weekday is not None or mention.relative:
            index = article.sentence_at(mention.start)
            if index is not None:
                dated.add(index)
    lead_and_end = _lead_and_end(article)
    ranks = []
    for index in everyone:
        if index in lead_and_end:
            rank = 0
        elif index in named_event and index in outcomes:
            rank = 1
        elif index in named_event or index in outcomes:
            rank = 2
        elif index in dated or index in quoted:
            rank = 3
        elif index in named_other:
            rank = 4
        else:
            rank = 5
        ranks.append(rank)
    return ranks, [named_event.get(i, 0) for i in everyone]


def sentences_to_read(
    article: PreparedArticle, extraction: Extraction, costs: list[int], budget: int,
    centrality: Centrality,
) -> Selection:
    """The sentences one call reads: by rank, then salience, while they fit `budget` tokens
    (`costs`: each sentence's numbered line). A sentence that does not fit is passed over for
    smaller ones of the same or a lower rank."""
    total = len(article.sentences)
    ranks, participants = sentence_ranks(article, extraction)
    central = centrality.centrality([article.sentence_text(i) for i in range(total)])

    def salience(index: int) -> float:
        early = 1.0 - index / max(1, total)
        named = min(participants[index], _MOST_PARTICIPANTS_COUNTED)
        return central[index] + _EARLY_WEIGHT * early + _PARTICIPANT_WEIGHT * named

    order = sorted(range(total), key=lambda i: (ranks[i], -salience(i), i))
    chosen, used = _fill(order, costs, budget)
    return Selection(sorted(chosen), total, used)


def _fill(order: list[int], costs: list[int], budget: int) -> tuple[list[int], int]:
    chosen: list[int] = []
    used = 0
    smallest = min(costs, default=0) + _GAP_TOKENS
    for index in order:
        cost = costs[index] + _GAP_TOKENS
        if used + cost <= budget:
            chosen.append(index)
            used += cost
        elif budget - used < smallest:
            break
    return chosen, used

