"""What the talks covered: the brief's topics the summary does not name yet, each as the
article writes it, with the first sentence about the event (not background) that writes it.
brief/summary.py says them in one sentence ("The talks covered critical minerals, water
management and trade.")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from service.brief.claims import Claim, is_background
from service.lang.registry import brief_language, reading_of_every_language
from service.text.article import PreparedArticle
from service.text.claims import unsupported
from service.text.clauses import main_clause
from service.text.countries import fold, normalize_country
from service.text.similarity import content_words
from service.text.statements import is_statement
from service.text.topics import names_a_subject
from service.text.turns import question_sentences

_MOST_DISCUSSED = 8
# The fewest words of a sentence that says what was discussed: who, the verb, what.
_FEWEST_LISTING_WORDS = 3
# Words that name no subject by themselves (stemmed as `content_words` stems them), in
# every supported language: a quoted title keeps its own.
_VAGUE = content_words(" ".join(sorted(reading_of_every_language().vague_words)))


def _subject_words(topic: str, sides: Collection[str] = ()) -> set[str]:
    """The words of a topic that name a subject: not vague ones, and not a country taking
    part (`sides`, the countries' names): "Iran" is a subject of talks between two other
    governments, "China" none of China's own talks."""
    return {w for w in content_words(topic) - _VAGUE
            if (country := normalize_country(w)) is None or country.name not in sides}


def discussed_topics(
    article: PreparedArticle, topics: Sequence[str], said: Sequence[Claim], event_year: int | None,
    sides: Collection[str] = (),
) -> tuple[list[str], list[int]]:
    """The topics `said` does not name yet, as the article writes them, and the sentences
    (0-based) that write them. `sides`: the countries taking part, no subject of their own
    talks."""
    covered = _covered(topics, said)
    named: list[str] = []
    cited: list[int] = []
    for position, topic in enumerate(topics):
        if position in covered or len(named) == _MOST_DISCUSSED:
            continue
        if not _subject_words(topic, sides) or not names_a_subject(article, topic):
            continue  # "joint efforts", "firm support": no subject a reader can place
        if _is_gathering(topic):
            continue  # "a closing photo session": the event, not what it covered
        index = _first_claiming(article, fold(topic), event_year)
        if index is None:
            continue
        written = _as_written(article, index, topic)
        if unsupported(written, [article.sentence_text(index)]):
            continue  # its sentence says it with a negation or a number the list cannot keep
        named.append(written)
        cited.append(index)
    return named, cited


# The brief's language's articles ("the", "a", "an").
_ARTICLE = re.compile(rf"(?:{brief_language().writing.articles})", re.IGNORECASE)
# Nouns that name a gathering, in every supported language.
_GATHERINGS = {fold(w) for w in reading_of_every_language().gathering_nouns}


def _is_gathering(topic: str) -> bool:
    """An unnamed gathering ("a closing photo session"): the event or a part of it, not a
    subject the talks covered. A named one ("the Lisbon Ports Summit", "the Tallinn
    Ministerial") is a subject: the topics keep both."""
    words = topic.split()
    return bool(words) and fold(words[-1]) in _GATHERINGS \
        and not any(w[:1].isupper() for w in words)


def _covered(topics: Sequence[str], claims: Sequence[Claim]) -> set[int]:
    """The topics (their positions) whose content words all appear in the claims."""
    words: set[str] = set()
    for claim in claims:
        words |= content_words(claim.text)
    return {i for i, topic in enumerate(topics) if (own := content_words(topic)) and own <= words}


def _as_written(article: PreparedArticle, index: int, topic: str) -> str:
    """The topic with the article sentence `index` writes before it ("the joint fund", "the
    Lisbon Accord on ports"), where the article is the topic's own: in "the Lisbon talks" it
    is the talks'."""
    span = article.sentences[index]
    words = r"\s+".join(re.escape(w) for w in topic.split())
    found = re.search(rf"(?<!\w){words}(?!\w)", article.clean[span.start : span.end],
                      re.IGNORECASE)
    if found is None:
        return topic
    chunk = article.doc.char_span(span.start + found.start(), span.start + found.end(),
                                  alignment_mode="expand")
    if chunk is None or chunk.start == 0:
        return topic
    before = article.doc[chunk.start - 1]
    if _ARTICLE.fullmatch(before.text) and chunk.start <= before.head.i < chunk.end:
        return f"{before.lower_} {topic}"
    return topic


def _first_claiming(article: PreparedArticle, key: str, event_year: int | None) -> int | None:
    """The first sentence about the event (not background) whose main clause, not an aside
    of it, writes `key` (folded); or whose main clause says what was discussed ("The leaders
    discussed their response, including tariffs and port checks"): all it goes on to
    name is what was discussed, its asides included."""
    asked = question_sentences(article)
    for index in range(len(article.sentences)):
        sentence = article.sentence_text(index)
        if key not in fold(sentence) or index in asked:
            continue
        # A sentence too short for a statement still says what was discussed if it says so
        # ("Both envoys discussed Tonga."): never a caption or a credit.
        short = not is_statement(sentence)
        if short and not (is_statement(sentence, _FEWEST_LISTING_WORDS)
                          and article.lexicon.topic_listing.search(sentence)):
            continue
        # What the sentence names is what was discussed, whatever dates a thing it names
        # ("the accord reached last year").
        if is_background(article, index, event_year, count_noun_clauses=False):
            continue
        clause = main_clause(article, index, most_words=80, claim=False)
        # A sentence too short to cut is its own main clause.
        told = clause.text if clause is not None else sentence if short else None
        if told is not None and (key in fold(told)
                                 or _discussed_after(article, sentence, told, key)
                                 or key in _opening_participle(article, index)):
            return index
    return None


def _discussed_after(article: PreparedArticle, sentence: str, clause: str, key: str) -> bool:
    """The main clause `clause` of `sentence` says what was discussed, and the sentence
    names `key` (folded) after that verb."""
    for listing in article.lexicon.topic_listing.finditer(sentence):
        verb = sentence[listing.start():listing.start("items")].strip()
        if fold(verb) in fold(clause) and key in fold(sentence[listing.start("items"):]):
            return True
    return False


def _opening_participle(article: PreparedArticle, index: int) -> str:
    """The clause sentence `index` opens on where it opens on a verb of discussing in its
    "-ing" form ("Discussing the port deal, both envoys chose ..."), folded: what its subject
    discussed, whatever the main clause goes on to. Empty for any other opening; read once a
    sentence."""
    return article.remembered(f"opening participle {index}",
                              lambda: fold(_participle_clause(article, index) or ""))


def _participle_clause(article: PreparedArticle, index: int) -> str | None:
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    first = next((t for t in chunk or () if not (t.is_space or t.is_punct)), None)
    syntax = article.syntax
    if first is None or syntax.is_root(first) or not syntax.is_present_participle(first):
        return None
    last = first.right_edge
    clause = article.clean[first.idx : last.idx + len(last)]
    return clause if article.lexicon.topic_listing.match(clause) else None
