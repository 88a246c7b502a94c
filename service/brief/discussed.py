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
        written = _as_written(topic, article.sentence_text(index))
        if unsupported(written, [article.sentence_text(index)]):
            continue  # its sentence says it with a negation or a number the list cannot keep
        named.append(written)
        cited.append(index)
    return named, cited


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


def _as_written(topic: str, sentence: str) -> str:
    """The topic with the article the sentence writes before it ("the joint fund"). A name's
    article only where the name ends its phrase ("the Lisbon Accord, which ..."): in "the
    Lisbon talks" the article is the talks'."""
    found = re.search(rf"\b({brief_language().writing.articles})\s+{re.escape(topic)}", sentence,
                      re.IGNORECASE)
    if found is None:
        return topic
    if topic[:1].isupper():
        after = sentence[found.end():]
        joiners = brief_language().reading.list_joiners
        if not re.match(rf"\s*(?:$|[^\w\s-]|(?:{joiners})\b)", after):
            return topic
    return f"{found.group(1).lower()} {topic}"


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
        short = not is_statement(sentence)
        if short and not _says_discussed(article, sentence):
            continue
        # What the sentence names is what was discussed, whatever dates a thing it names
        # ("the accord reached last year").
        if is_background(article, index, event_year, noun_clauses=False):
            continue
        clause = main_clause(article, index, most_words=80, claim=False)
        # A sentence too short to cut is its own main clause.
        told = clause.text if clause is not None else sentence if short else None
        if told is not None and (key in fold(told)
                                 or _discussed_after(article, sentence, told, key)):
            return index
    return None


def _discussed_after(article: PreparedArticle, sentence: str, clause: str, key: str) -> bool:
    """The main clause `clause` of `sentence` says what was discussed, and the sentence
    names `key` (folded) after that verb."""
    for listing in article.lexicon.topic_listing.finditer(sentence):
        verb = sentence[listing.start():listing.start("items")].strip()
        # A sentence that opens on the verb ("Discussing the port deal, the ministers
        # agreed ...") says what its subject discussed, whatever its main clause goes on to.
        opens = not sentence[:listing.start()].strip()
        if (opens or fold(verb) in fold(clause)) \
                and key in fold(sentence[listing.start("items"):]):
            return True
    return False


def _says_discussed(article: PreparedArticle, sentence: str) -> bool:
    """A sentence too short to pass for a statement that still says what was discussed ("The
    two envoys also discussed Tonga."): a full stop, and the verb of discussing."""
    return sentence.rstrip().endswith(".") and article.lexicon.topic_listing.search(sentence) \
        is not None
