"""Each participant's country: as the text states it with the name ("President X of Chile",
"the Chilean foreign minister X"), else inferred, and then marked as inferred.

Inferred only from what the text shows, never from a guess (a wrong country is passed on;
a missing one an analyst can look up):
1. the one country left in a sentence that pairs the person with a participant whose country
   is known, once that country is set aside ("the presidents of Chile and Peru, A and B");
2. the publisher's: a government's readout names the other side's country and leaves its
   own side unqualified ("President X phoned President Y of Chile on Monday"). The publisher
   is the country the text pairs with the other side's as the two sides of one relationship
   ("ties between Norway and Chile", "Norway-Chile talks"), else the country a seat of
   government the text names speaks for (a presidency's or a ministry's seat; in a
   transcript not in the reporters' questions, which quote other governments), else, on a
   page that says what kind it is (a readout, a statement), the country the text names most
   that no participant holds, when it clearly leads. A news story's most-named country is
   what it is about, and the model's pick is a guess: neither is taken.
None of these is a country the text names as doing harm ("[X]'s annexation of ...", "[X-ian]
provocations"): no government writes its own side so, so that is what the talks were about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from service.lang.registry import brief_language, reading_of_every_language
from service.schemas import Participant
from service.text.article import PreparedArticle
from service.text.countries import CountryMention, find_country_mentions
from service.text.extract import DocumentHeader, Extraction
from service.text.participants import mentions_by_sentence, other_side, title_sentences

# The publisher by count: named at least this often, and half again as often as any other
# country no participant holds (a text also names, often, the countries it is about).
_PUBLISHER_MIN_MENTIONS = 2
_CLEAR_LEAD = 1.5
# Characters between two countries named as one pair: " and the ", "-".
_PAIR_GAP = 12
# Characters between a country and the name its office leads to ("Kenya's Cabinet Secretary
# for Foreign and Diaspora Affairs, X").
_OFFICE_REACH = 70


def assign_countries(
    participants: list[Participant], article: PreparedArticle, extraction: Extraction,
    known_publisher: str | None = None,
) -> list[Participant]:
    """`known_publisher`: the government whose site the text is from (text/publisher.py)."""
    held = {p.country for p in participants if p.country}
    unqualified = [p.name for p in participants if p.country is None]
    # A country the text names as doing harm is no unqualified participant's: it is what
    # they talked about (a readout's own side is never written so).
    ruled_out = held | aggressor_countries(article, extraction) if unqualified else held
    publisher = publisher_country(article, extraction, held, ruled_out) if unqualified else None
    site_own = (_site_principals(participants, article, extraction)
                if known_publisher is not None and known_publisher not in ruled_out else set())
    # A transcript's sentences are talk: the countries a speaker names are not theirs.
    by_sentence = not extraction.header.transcript
    # "A and B held a call with C and D": when A's side is the publisher's (unqualified, or
    # holding its country), C and D are the counterparts, whose country that is not.
    before, after = other_side(article, extraction)
    own_side_publishers = any(
        p.name in before and (p.country is None or p.country == publisher) for p in participants
    )
    out: list[Participant] = []
    for participant in participants:
        if participant.country is None:
            others = [name for name in unqualified if name != participant.name]
            mine = None if (participant.name in after and own_side_publishers) else publisher
            country = (
                (_left_in_sentence(participant, others, article, extraction, ruled_out,
                                   [p for p in participants if p.country])
                 if by_sentence else None)
                or mine
            )
            if participant.name in site_own:
                country = known_publisher
            if country in _portfolio_countries(participant, article):
                country = None  # "Envoy for X": the country an office serves is not its holder's
            if country is not None:
                participant = participant.model_copy(
                    update={"country": country, "country_inferred": True}
                )
        out.append(participant)
    return out


def _site_principals(
    participants: list[Participant], article: PreparedArticle, extraction: Extraction,
) -> set[str]:
    """The unqualified participants a government's own site speaks for: the one participant
    of its page (an official briefing), or the one its body names first where another
    participant's country is stated (a government's readout opens on its own principal and
    qualifies the other side; its title may name the guest first). Two or more named with no
    country leave it open which side is whose."""
    unqualified = [p.name for p in participants if p.country is None]
    if len(participants) == 1:
        return set(unqualified)
    if len(unqualified) == len(participants):
        return set()
    title = [article.sentences[i] for i in title_sentences(article)]
    body_start = max((span.end for span in title), default=0)
    first_seen = {person.name: min((m.start for m in person.mentions if m.start >= body_start),
                                   default=len(article.clean))
                  for person in extraction.persons}
    first = min(participants, key=lambda p: first_seen.get(p.name, len(article.clean)))
    return {first.name} if first.country is None else set()


def _portfolio_countries(participant: Participant, article: PreparedArticle) -> set[str]:
    """The countries the participant's office is for ("Special Envoy for X", "Representative
    to X"): not its holder's."""
    if not participant.title:
        return set()
    return {m.country.name for m in find_country_mentions(participant.title, article.language)}


def publisher_country(
    article: PreparedArticle, extraction: Extraction, held: set[str],
    ruled_out: set[str] | None = None, own_principal: bool = False,
) -> str | None:
    """The country whose government published the text, if the text shows it and no
    participant already stands for that country; by count, never one of `ruled_out`.
    `own_principal`: the lead names its own side by office alone ("The Premier phoned
    ..."), which is how a government writes its own readout, whatever its title says."""
    header = extraction.header
    kind = header.kind or ("readout" if own_principal else None)
    if kind is None and not held:
        # Neither a government's page nor a text that qualifies the other side: a story
        # that names a country often is not told by it.
        return None
    seats = _seats_named(article, extraction)
    if len(seats) == 1 and seats <= held:
        # The publisher's own side is qualified ("U.S. Ambassador X" on a page naming the
        # White House): the unqualified may be either side, and none is guessed.
        return None
    partner = _relation_partner(article, extraction, held)
    if partner is not None:
        return partner
    # A seat named as doing harm ("the Kremlin's war") belongs to a foe, never to the publisher.
    named = seats - (ruled_out or held)
    if len(named) == 1:
        return named.pop()
    if header.kind == "statement":
        return None  # a joint statement has as many publishers as signatories
    if header.transcript:
        return None  # the countries a transcript names most are what its speakers talk about
    # Where a briefing is given or a trip goes ("... Ahead of the Summit in X", "En Route
    # Y", "Readout of X's Travel to Y") is the host's country, not the publisher's.
    hosts = {m.country.name for line in _title_and_place(article, header)
             for m in find_country_mentions(line, article.language)}
    if kind is None:
        return None  # a page that says no kind of its own: the country it names most is its subject
    ranked = [(name, count) for name, count in extraction.country_counts.most_common()
              if name not in (ruled_out or held) and name not in hosts]
    if not ranked or ranked[0][1] < _PUBLISHER_MIN_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[0][1] <= _CLEAR_LEAD * ranked[1][1]:
        return None  # no country clearly leads: the text does not say whose side it is
    return ranked[0][0]


def own_side_country(
    article: PreparedArticle, extraction: Extraction, held: set[str],
    known_publisher: str | None = None,
) -> str | None:
    """The country of a readout's own side when its lead names that side by office alone
    ("Our Premier phoned President X"): the government whose site it is on, else as
    `publisher_country` finds it, though a participant may already stand for it (then that
    one)."""
    if known_publisher is not None:
        return known_publisher
    seats = _seats_named(article, extraction)
    if len(seats) == 1:
        return seats.pop()
    return publisher_country(
        article, extraction, held, held | aggressor_countries(article, extraction),
        own_principal=True,
    )


def _seats_named(article: PreparedArticle, extraction: Extraction) -> set[str]:
    """The countries whose seats of government the text names ("Downing Street"), outside a
    transcript's questions (which quote other governments)."""
    # Seats of government by their English names too: news in any language borrows them.
    markers = {*article.lexicon.publisher_markers, *brief_language().lexicon.publisher_markers}
    own_words = _without_questions(article) if extraction.header.transcript else article.clean
    return {country for marker, country in markers if marker in own_words}


def aggressor_countries(article: PreparedArticle, extraction: Extraction) -> set[str]:
    """Countries the text names as doing harm: "[X]'s annexation of ...", "[X] invaded ...",
    "[X-ian] provocations"."""
    after = article.lexicon.hostile_after
    if after is None:
        return set()
    text = article.clean
    return {m.country.name for m in extraction.country_mentions
            if after.match(text, m.end, m.end + 80)}


# How far before a pair of countries its relationship's noun may stand ("the bilateral
# relationship between the [A and B]").
_RELATION_LEAD_REACH = 48


def _relation_partner(
    article: PreparedArticle, extraction: Extraction, held: set[str]
) -> str | None:
    """The one country the text names as the other side of a relationship with a country a
    participant holds ("ties between Norway and Chile", "Norway-Chile"): a readout that
    leaves its own side unqualified still names its own country beside the other's."""
    lex = article.lexicon
    if not held or lex.relation_pair is None or lex.relation_lead is None:
        return None
    text = article.clean
    mentions = extraction.country_mentions
    dashed = [text[a.end : b.start].strip() in ("-", "–") for a, b in pairwise(mentions)]
    partners: set[str] = set()
    for index, (first, second) in enumerate(pairwise(mentions)):
        gap = text[first.end : second.start]
        if len(gap) > _PAIR_GAP or not lex.relation_pair.match(gap):
            continue
        joined_by_dash = dashed[index]
        if joined_by_dash and (
            (index > 0 and dashed[index - 1]) or (index + 1 < len(dashed) and dashed[index + 1])
        ):
            continue  # "A-B-C" is a three-way format, not the two sides of one relationship
        if not joined_by_dash and not lex.relation_lead.search(
                text[max(0, first.start - _RELATION_LEAD_REACH) : first.start]):
            continue
        names = {first.country.name, second.country.name}
        if len(names) == 2 and len(names & held) == 1:
            partners |= names - held
    return partners.pop() if len(partners) == 1 else None


def _without_questions(article: PreparedArticle) -> str:
    """A transcript without the lines of those who are not briefing ("Q ...", "MODERATOR:"):
    a reporter's question quotes other governments ("Q The ministry said ...")."""
    words = article.lexicon.document
    if words is None:
        return article.clean
    kept = []
    for line in article.clean.split("\n"):
        first = line.strip().split(" ", 1)[0].rstrip(":.").lower()
        if first not in words.not_speakers:
            kept.append(line)
    return "\n".join(kept)


def _title_and_place(article: PreparedArticle, header: DocumentHeader) -> list[str]:
    lines = [article.clean[header.title.start : header.title.end]] if header.title else []
    return [*lines, *([header.place] if header.place else [])]


def _left_in_sentence(
    participant: Participant, others: list[str], article: PreparedArticle,
    extraction: Extraction, held: set[str], qualified: list[Participant],
) -> str | None:
    """The one country a sentence pairing the person with a participant whose country is
    known leaves over ("the presidents of Chile and Peru, A and B"), unless that sentence also
    names another participant of unknown country (whose it could be as well). A sentence that
    names the person alone with a country says what they talked about, not whose side they
    are on. A country named as a place ("in X", "Munich, X") is where, not whose."""
    person = extraction.person(participant.name)
    if person is None:
        return None
    other_people = [p for name in others if (p := extraction.person(name)) is not None]
    partners = [p for q in qualified if (p := extraction.person(q.name)) is not None]
    for index in mentions_by_sentence(article, person):
        span = article.sentences[index]
        if any(span.start <= m.start < span.end for other in other_people for m in other.mentions):
            continue
        if not any(span.start <= m.start < span.end for other in partners for m in other.mentions):
            continue
        sentence = article.clean[span.start : span.end]
        mentions = find_country_mentions(sentence, article.language)
        sides = [m for m in mentions if m.country.name in held]
        named_at = [m.start - span.start for m in person.mentions
                    if span.start <= m.start < span.end]
        # Left over from a pair ("of Chile and Peru", "the Chile-Peru talks") or written
        # before the person's office ("Peru's Minister of Trade, X"): a country the sentence
        # names apart from both is what they spoke of ("the denuclearisation of X"), not
        # whose side the person is on.
        chained = _chained(mentions, sentence)
        left = {m.country.name for m in mentions
                if not _as_place(sentence, m.start, article) and m.country.name not in held
                and m not in chained
                and (any(_paired(m, side) and not _subject_pair(m, side, sentence, article)
                         for side in sides)
                     or any(0 <= at - m.end <= _OFFICE_REACH for at in named_at))}
        if len(left) == 1:
            return left.pop()
        if left:
            return None
    return None


# What joins a chain of country names ("the Canada-Chile-Peru accord").
_CHAIN_JOINERS = frozenset({"-", "‐", "–", "/"})


def _chained(mentions: list[CountryMention], sentence: str) -> list[CountryMention]:
    """Each country of a three-or-more chain joined by hyphens or slashes ("the Canada-
    United States-Mexico Agreement"): the name of something many share, no pair of sides."""
    ordered = sorted(mentions, key=lambda m: m.start)
    chains: list[list[CountryMention]] = []
    for mention in ordered:
        if chains and sentence[chains[-1][-1].end : mention.start] in _CHAIN_JOINERS:
            chains[-1].append(mention)
        else:
            chains.append([mention])
    return [m for chain in chains if len(chain) >= 3 for m in chain]


def _subject_pair(one: CountryMention, other: CountryMention, sentence: str,
                  article: PreparedArticle) -> bool:
    """The pair is what something stands between ("the dispute between A and B"), not a
    relationship of two sides ("ties between A and B"): a subject of the talks."""
    lex = article.lexicon
    if lex.between_lead is None or lex.relation_lead is None:
        return False
    first = min(one, other, key=lambda m: m.start)
    before = sentence[max(0, first.start - _RELATION_LEAD_REACH) : first.start]
    return lex.between_lead.search(before) is not None and lex.relation_lead.search(before) is None


def _paired(one: CountryMention, other: CountryMention) -> bool:
    """Two countries named as one pair: a few characters apart ("Chile and Peru")."""
    first, second = sorted((one, other), key=lambda m: m.start)
    return 0 <= second.start - first.end <= _PAIR_GAP


def _as_place(sentence: str, start: int, article: PreparedArticle) -> bool:
    before = sentence[max(0, start - 30) : start]
    return _place_lead_in(article.lexicon.place_prepositions).search(before) is not None


@lru_cache(maxsize=8)
def _place_lead_in(prepositions: str) -> re.Pattern[str]:
    """What puts a country's name as a place or a purpose: "in X", "to the X", "Munich, X",
    "Envoy for X" (an office's portfolio, not its holder's country)."""
    words = reading_of_every_language()
    return re.compile(rf"(?:\b(?:{prepositions}|{words.directions})\s+(?:{words.definite_articles}\s+)?"
                      r"|[A-Z][\w.-]+,\s*)$")

