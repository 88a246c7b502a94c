"""Who took part, read from the article before the model writes: the lede's actors, a
roll-call, the page's own structure; and who is only mentioned (a source, background, a name
owning another meeting)."""

from __future__ import annotations

import bisect
import re

from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle, ends_as_sentence
from service.text.countries import find_country_mentions, fold
from service.text.dates import is_event_to_come
from service.text.extract import Extraction, Person


def lede_participants(article: PreparedArticle, extraction: Extraction) -> list[Person]:
    """People named in the article's first event sentence (who met, called, hosted) and in
    the next one that names people, if it follows it in its paragraph (the list of the others
    present) or refers back to this event ("During the talks, ..."): further down, sentences turn
    to background ("officials have made visits to ..."). A title line names people too, but
    the lead is the body's first event sentence."""
    found: list[Person] = []
    seen, first = 0, -1
    lex = article.lexicon
    # sentence index -> the people named in it, in order, with where each is named
    named_in: dict[int, dict[str, tuple[Person, list[int]]]] = {}
    for person in extraction.persons:
        for index, offsets in mentions_by_sentence(article, person).items():
            named_in.setdefault(index, {})[person.name] = (person, offsets)
    title = title_sentences(article)
    authors = extraction.header.authors
    unnamed_lead = _unnamed_lead(article, title, named_in)
    body = next((i for i in range(len(article.sentences))
                 if i not in title and not is_headline_line(article, i)), 0)
    for index in sorted(named_in):
        sentence = article.sentence_text(index)
        if not seen and index not in title and index < body:
            # A deck under the title ("X hosts Mexican counterpart as review looms") says
            # in part what the lead says in full: the lead names everyone who took part.
            continue
        # "The Norwegian delegation was led by X": who took part, said of the lead's event.
        says_who = lex.presence is not None and lex.presence.search(sentence) is not None
        # "A and B agreed ..., the two ministers told the press after talks in X. [Office] X and
        # his [demonym] counterpart, Y, spent an hour ...": the lead names its people by
        # office, the sentence right after it by name.
        names_the_leads_people = not seen and index == unnamed_lead + 1 and all(
            p.title or p.country for p, _ in named_in[index].values())
        if not (lex.event_words.search(sentence) or says_who or names_the_leads_people) \
                or lex.past.search(sentence):
            continue
        if lex.uninvolved is not None and lex.uninvolved.search(sentence):
            continue  # "..., a lawyer who did not attend the round" took no part
        if _told_as_before(article, index):
            continue  # "X had already discussed it with Y in Paris": an earlier meeting
        if index in title:  # the page's title names who met; the lead comes after it
            found.extend(
                p for p, offsets in named_in[index].values()
                # "Readout by [spokesperson X] of ...": X wrote it, and took no part.
                if p not in found and not (authors and all(authors.start <= o < authors.end for o in offsets))
            )
            continue
        company_only = False
        if seen and not lex.event_reference.search(sentence) and not _continues(article, first, index):
            # "The defence chiefs of A and B met ...": the next sentence names them.
            by_office = [p for p, _ in named_in[index].values()
                         if p not in found and _right_after(article, first, index)
                         and _named_by_office(article.sentence_text(first), p, article.language)]
            found.extend(by_office)
            if not _next_paragraph_narrates(article, first, index):
                continue  # neither about this event nor the lead's next sentence in its paragraph
            company_only = True  # the next paragraph: only those who came along
        if seen and lex.sequel is not None and lex.sequel.match(sentence):
            continue  # "Later that day, X went on to ...": what came next, somewhere else
        if seen and is_event_to_come(lex, sentence):
            continue  # "They look to the summit X will host in May": that meeting's people
        start = article.sentences[index].start
        named = [
            person for person, offsets in named_in[index].values()
            if not ((seen and _in_background_clause(article, index, offsets))
                    or _only_as_owner(article.clean, person, offsets)
                    or _only_as_carried(article.clean, person, offsets)
                    or (company_only and not any(
                        _COMPANY.search(article.clean, start, o) for o in offsets)))
        ]
        # "..., the embassy's press officer X told reporters": the story's source, beside those
        # the sentence says take part.
        sources = [p for p in named if _only_as_source(article, index, p)]
        if len(sources) < len(named) or seen:
            named = [p for p in named if p not in sources]
        if not seen:
            # "President X has said ... He spoke at the palace when he hosted Y": the lead's
            # "he" is the person the sentences before it name.
            found.extend(p for p in _pronoun_subject(article, index, named_in, title)
                         if p not in found and p not in named)
        found.extend(p for p in named if p not in found)
        first = index if not seen else first
        seen += 1
        if seen == 2:
            break
    if first >= 0:
        found.extend(p for p in _present(article, first, named_in) if p not in found)
    return found


_SUBJECT_PRONOUN = re.compile(rf"(?:{reading_of_every_language().subject_pronouns})", re.IGNORECASE)


def _pronoun_subject(
    article: PreparedArticle, index: int,
    named_in: dict[int, dict[str, tuple[Person, list[int]]]], title: set[int],
) -> list[Person]:
    """The person a lead that opens on "He" or "She" points back to: the one the sentence
    before it that names anyone (not a title line) names first."""
    span = article.sentences[index]
    first_word = article.clean[span.start : span.end].split(maxsplit=1)[:1]
    if not first_word or _SUBJECT_PRONOUN.fullmatch(first_word[0]) is None:
        return []
    before = [i for i in named_in if i < index and i not in title]
    if not before:
        return []
    people = sorted(named_in[max(before)].values(), key=lambda entry: min(entry[1]))
    return [people[0][0]]


def _named_by_office(lead: str, person: Person, language: str) -> bool:
    """The lead names the person by office and country, not by name ("the defence chiefs
    of A and B" for A's Defence Chief X): the office's noun, one or many, and the country
    are in it."""
    if not person.title or not person.country or person.name in lead:
        return False
    office = person.title.split()[-1].lower()
    if not re.search(rf"\b{re.escape(office)}s?\b", lead.lower()):
        return False
    return any(m.country.name == person.country for m in find_country_mentions(lead, language))


def is_headline_line(article: PreparedArticle, index: int) -> bool:
    """The sentence is a line of its own that does not end as a sentence does: a title, a
    deck, a byline or a date line, not a lead."""
    span = article.sentences[index]
    para = article.paragraphs[article.paragraph_at(span.start)]
    line = article.clean[para.start : para.end].strip()
    return not ends_as_sentence(line, ".!?\"”")


def _unnamed_lead(
    article: PreparedArticle, title: set[int], named_in: dict[int, dict[str, tuple[Person, list[int]]]],
) -> int:
    """The body's first event sentence when it names no one, else -2 (no sentence's)."""
    lex = article.lexicon
    for index in range(len(article.sentences)):
        if index in title:
            continue
        sentence = article.sentence_text(index)
        if lex.event_words.search(sentence) and not lex.past.search(sentence):
            return -2 if index in named_in else index
    return -2


# A list of this many countries after "the ministers of" names a meeting's parties; two is a
# pair, which the lede's people already give.
_PARTY_LIST_MIN = 3
# How far into the page such a list still opens it (the title, the date, the source lines).
_PARTY_LIST_REACH = 8


def listed_parties(article: PreparedArticle, extraction: Extraction) -> list[str]:
    """The countries the page's opening lists as those whose envoys met or issued it ("the
    foreign ministers of A, B, C and D", "the envoys from A, B and C met in X"): a
    multilateral statement or meeting names its members so, and the countries it goes on to
    name are what they talked about."""
    lex = article.lexicon
    if lex.party_list_lead is None or lex.list_joiner is None:
        return []
    text = article.clean
    end = article.sentences[min(len(article.sentences), _PARTY_LIST_REACH) - 1].end \
        if article.sentences else 0
    mentions = [m for m in extraction.country_mentions if m.end <= end]
    for index, first in enumerate(mentions):
        if not lex.party_list_lead.search(text, max(0, first.start - 80), first.start):
            continue
        listed = [first.country.name]
        for before, after in zip(mentions[index:], mentions[index + 1 :], strict=False):
            if not lex.list_joiner.match(text[before.end : after.start]):
                break
            listed.append(after.country.name)
        listed = list(dict.fromkeys(listed))
        if len(listed) >= _PARTY_LIST_MIN:
            return listed
    return []


# How many of the body's first sentences may come before the lead.
_LEAD_REACH = 4


def other_side(article: PreparedArticle, extraction: Extraction) -> tuple[set[str], set[str]]:
    """The two sides the lead names ("A and B held a call with C and D"): the people named
    before the word that joins them, and those after it; empty when the lead does not say."""
    pattern = article.lexicon.other_side
    if pattern is None:
        return set(), set()
    title = title_sentences(article)
    for index in range(len(article.sentences)):
        if index in title:
            continue
        sentence = article.sentence_text(index)
        if not article.lexicon.event_words.search(sentence):
            continue
        joint = pattern.search(sentence)
        if joint is None:
            return set(), set()
        cut = article.sentences[index].start + joint.end()
        before: set[str] = set()
        after: set[str] = set()
        for person, offsets in (
            (p, o) for p in extraction.persons
            if (o := mentions_by_sentence(article, p).get(index)) is not None
        ):
            (after if offsets[0] >= cut else before).add(person.name)
        return before, after
    return set(), set()


def own_principal_unnamed(article: PreparedArticle) -> bool:
    """Whether the lead opens on an office with no name and no country ("The Premier
    phoned ..."): a government writes of its own principal so in its own readout, so its
    country took part though no participant is named for it."""
    pattern = article.lexicon.own_principal
    if pattern is None:
        return False
    title = title_sentences(article)
    body = [i for i in range(len(article.sentences)) if i not in title][:_LEAD_REACH]
    for index in body:
        sentence = article.sentence_text(index).lstrip()
        if article.lexicon.event_words.search(sentence):
            return pattern.match(sentence) is not None
    return False


# How far after the lead a list of who was there still tells of this event.
_PRESENCE_REACH = 6


def _present(
    article: PreparedArticle, first: int, named_in: dict[int, dict[str, tuple[Person, list[int]]]],
) -> list[Person]:
    """Everyone a sentence soon after the lead lists as there ("Seated at the table were A of
    X, B of Y and C of Z", "A joined the envoys", "B took part as well"), or a later
    one lists as at this event ("A and B were present too"), unless it looks back
    to an earlier event."""
    lex = article.lexicon
    if lex.presence is None:
        return []
    found: list[Person] = []
    for index in range(first + 1, len(article.sentences)):
        if index not in named_in:
            continue
        sentence = article.sentence_text(index)
        if not lex.presence.search(sentence) or lex.past.search(sentence):
            continue
        # Further on, only a list that names the event it lists ("Also attending the talks
        # were ...").
        if index > first + _PRESENCE_REACH and not lex.event_reference.search(sentence):
            continue
        found.extend(p for p, offsets in named_in[index].values()
                     if not _only_as_owner(article.clean, p, offsets))
    return found


def _only_as_source(article: PreparedArticle, index: int, person: Person) -> bool:
    """Every mention of the person in sentence `index` is the sentence's closing attribution
    ("..., press officer X told reporters."), which says nothing more of the event."""
    lex = article.lexicon
    if lex.source_after is None:
        return False
    span = article.sentences[index]
    ends = [m.end for m in person.mentions if span.start <= m.start < span.end]
    for end in ends:
        rest = article.clean[end : span.end]
        if lex.source_after.match(rest) is None or lex.event_words.search(rest):
            return False
    return bool(ends)


# After a name: its possessive, or "and [Title Name]'s" ("X and Chancellor Y's pledge").
# The owned thing is a common noun ("Finland's Aino Koski" names Aino Koski, not a thing),
# and not the event or the party at it: "X's talks with", "X's delegation" take part.
_WORDS = reading_of_every_language()
_OWNER = re.compile(
    rf"(?:['’]s|(?<!\s)\s+(?:{_WORDS.owner_joiners})\s+(?:[A-Z][\w.'’-]*\s+){{0,5}}?[A-Z][\w.-]*['’]s)"
    rf"(?=\s+[a-z])(?!\s+(?:[a-z]+\s+)?(?:{_WORDS.owned_event_nouns})\b)"
)


# What one side carries from or to someone not there, and how far before the name the noun
# may stand: "the greetings of President X to [His Highness Y]", "a letter from [X]".
_CARRIED = re.compile(rf"\b(?:{_WORDS.carried_nouns})\b", re.IGNORECASE)
_CARRIED_JOINER = re.compile(rf"\s(?:{_WORDS.carried_joiners})\s")
_CARRIED_REACH = 120


def _only_as_carried(text: str, person: Person, offsets: list[int]) -> bool:
    """Each mention names the sender or the addressee of greetings, a message or a letter
    one side passed on ("conveyed the greetings of President X to President Y"), who was
    not there: the noun comes shortly before the name, joined to it by "of", "from" or "to",
    with no clause break between."""
    def carried(start: int) -> bool:
        window = text[max(0, start - _CARRIED_REACH) : start]
        nouns = list(_CARRIED.finditer(window))
        if not nouns:
            return False
        between = window[nouns[-1].end() :]
        return (_CARRIED_JOINER.search(f"{between} ") is not None
                and not any(mark in between for mark in ",;:.!?"))
    return bool(offsets) and all(carried(start) for start in offsets)


def _only_as_owner(text: str, person: Person, offsets: list[int]) -> bool:
    """Each mention names the person as the owner of something ("emphasizing X's commitment
    to ..."), not as someone who acts in the sentence."""
    ends = {m.start: m.end for m in person.mentions}
    return all(_OWNER.match(text, ends.get(start, start)) is not None for start in offsets)


def title_sentences(article: PreparedArticle) -> set[int]:
    """The sentences of the article's title: a first line, followed by more, that does not end
    as a sentence does (a readout's title can be long: "Readout of ... Meeting with ...")."""
    if len(article.paragraphs) < 2:
        return set()
    # A site's label above the title ("Ministry of Foreign Affairs") is no lead either.
    first = article.paragraphs[article.title_index() or 0]
    if ends_as_sentence(article.clean[first.start : first.end].rstrip(), ".!?\"”"):
        return set()
    return {i for i, s in enumerate(article.sentences[:8]) if s.start < first.end}


def _continues(article: PreparedArticle, first: int, index: int) -> bool:
    """Sentence `index` is the one right after `first`, in the same paragraph, or opening the
    next numbered paragraph where the lead is a numbered paragraph of its own: a ministry's
    numbered readout gives each step of a visit its paragraph ("2. The Minister called on
    ..."), and the second still tells who else was there. A readout that gives each sentence
    a paragraph without numbers (a White House readout) goes straight on to the subjects,
    and the people, talked about; there only those who came along count (`_COMPANY`)."""
    if not _right_after(article, first, index):
        return False
    at = article.paragraph_at
    if at(article.sentences[index].start) == at(article.sentences[first].start):
        return True
    return _next_paragraph_narrates(article, first, index) and article.opens_numbered_paragraph(index)


def _right_after(article: PreparedArticle, first: int, index: int) -> bool:
    """Sentence `index` follows `first`, a paragraph's bare number ("2.") aside."""
    return index == first + 1 or (index == first + 2 and article.is_paragraph_label(first + 1))


def _next_paragraph_narrates(article: PreparedArticle, first: int, index: int) -> bool:
    """Sentence `index` opens the paragraph after the lead's, the lead is alone in its
    paragraph (a number label aside), and it narrates in the simple past."""
    if not _right_after(article, first, index):
        return False
    at = article.paragraph_at
    lead, following = at(article.sentences[first].start), at(article.sentences[index].start)
    alone = (first == 0 or at(article.sentences[first - 1].start) != lead
             or (article.is_paragraph_label(first - 1)
                 and (first == 1 or at(article.sentences[first - 2].start) != lead)))
    return alone and following == lead + 1 and _narrates(article, index)


# Who came along with a participant: "X, joined by [Y], ...", "accompanied by [Y]". The
# clause runs to the name, with no clause break (a comma, a semicolon) in between.
_COMPANY = re.compile(rf"\b(?:{_WORDS.company})\b[^,;:!?]{{0,160}}$")


def _narrates(article: PreparedArticle, index: int) -> bool:
    """The sentence's main verb tells what happened, in the simple past ("The minister then
    called on ..."), as a report goes on narrating the event; background is written in the
    perfect ("envoys have travelled there often") or the present."""
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    syntax = article.syntax
    roots = [t for t in chunk or () if syntax.is_root(t)]
    # The small parser may make a participle the root ("X, joined by Y, praised ..."): the
    # verbs it joins count too, and a bare participle reads as the past it stands for.
    verbs = [*roots, *(c for t in roots for c in syntax.conjoined_verbs(t))]
    if any(syntax.is_perfect(t) for t in verbs):
        return False
    return any(syntax.is_simple_past(t) for t in verbs)


def _told_as_before(article: PreparedArticle, index: int) -> bool:
    """The sentence's main verb is in the past perfect ("had met", "had already discussed"):
    it tells of something before the event the story reports."""
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    syntax = article.syntax
    roots = [t for t in chunk or () if syntax.is_root(t)]
    verbs = [*roots, *(c for t in roots for c in syntax.conjoined_verbs(t))]
    return bool(verbs) and all(syntax.is_past_perfect(t) for t in roots)


def takes_part(article: PreparedArticle, person: Person) -> bool:
    """Named in a sentence about this event (not an earlier one, not one to come) with a verb
    of taking part, and not only in a clause of circumstance about something else."""
    lex = article.lexicon
    for index, offsets in mentions_by_sentence(article, person).items():
        s = article.sentence_text(index)
        if lex.uninvolved is not None and lex.uninvolved.search(s):
            continue  # "..., a historian with no part in the round" took none
        if (lex.event_words.search(s) and lex.event_reference.search(s)
                and not lex.past.search(s) and not (lex.sequel and lex.sequel.match(s))
                and not _told_as_before(article, index)
                and not is_event_to_come(lex, s)
                and not _in_background_clause(article, index, offsets)
                and not _only_as_owner(article.clean, person, offsets)
                and not _only_as_carried(article.clean, person, offsets)
                and not _only_as_source(article, index, person)):
            return True
    return False


def mentions_by_sentence(article: PreparedArticle, person: Person) -> dict[int, list[int]]:
    """Sentence index -> where the person is named in it, in text order (one pass)."""
    found: dict[int, list[int]] = {}
    for mention in person.mentions:
        index = article.sentence_at(mention.start)
        if index is not None:
            found.setdefault(index, []).append(mention.start)
    return dict(sorted(found.items()))


def _in_background_clause(article: PreparedArticle, index: int, offsets: list[int]) -> bool:
    """Every one of these mentions in sentence `index` sits in a clause of circumstance ("The
    meeting came as minister X arrived in Rome") that does not itself name this event."""
    lex = article.lexicon
    if lex.background_clause is None or not offsets:
        return False
    span = article.sentences[index]
    sentence = article.clean[span.start : span.end]
    starts = [0, *(m.start() for m in lex.background_clause.finditer(sentence)), len(sentence)]
    for offset in offsets:
        clause = bisect.bisect_right(starts, offset - span.start) - 1
        if clause <= 0:
            return False  # the main clause: what the sentence is about
        if lex.event_reference.search(sentence[starts[clause] : starts[clause + 1]]):
            return False
    return True


def document_participants(article: PreparedArticle, extraction: Extraction) -> list[Person] | None:
    """Who a page that is the event itself says took part, or None for a page that does not
    say (a readout, a news story). Remarks and a briefing: the people its title says speak
    ("Remarks by A and B") and those who take turns (not the reporters' "Q"); leaders a
    briefing talks about are not there. A statement: those its title says issue it, else
    those its first sentence names ("We, A and B, ..."), else no one."""
    header = extraction.header
    if not header.self_reporting:
        return None
    named: list[Person] = []
    if header.by is not None:
        by = header.by
        named = [p for p in extraction.persons if any(by.start <= m.start < by.end for m in p.mentions)]
    if header.transcript:
        for surname in header.speakers:
            # Folded alike: a label in capitals keeps its accents ("ÅKESSON"), as the name does.
            named.extend(p for p in extraction.persons if surname_of(p) == fold(surname) and p not in named)
        return named
    if named:
        return named
    if header.title is not None:
        title = header.title
        # "Joint Press Release by Two Ministries on Consultations Between A and B": a title
        # that names two people or more names the parties ("Statement on the Passing of X"
        # names one, whom it is about).
        named = [p for p in extraction.persons
                 if any(title.start <= m.start < title.end for m in p.mentions)]
        if len(named) >= 2:
            return named
    # The body's first sentence that names people ("We, A and B, ..."; else, after a line
    # introducing the text, "The consultations were chaired by A ... and B ..."), a "1."
    # alone aside.
    body = [i for i, s in enumerate(article.sentences) if s.start >= header.body_start
            and len(article.sentence_text(i).split()) >= 4][:_STATEMENT_OPENING]
    presence, done = article.lexicon.presence, article.lexicon.event_done
    for position, index in enumerate(body):
        span = article.sentences[index]
        sentence = article.sentence_text(index)
        says_who = (presence is not None and presence.search(sentence)) \
            or (done is not None and done.search(sentence))
        if position and not says_who:
            continue  # after the first, only a sentence saying who met, led or took part
        named = [p for p in extraction.persons
                 if any(span.start <= m.start < span.end for m in p.mentions)]
        if named:
            return named
    return []


# How many of a statement's first sentences may come before the one naming its parties.
_STATEMENT_OPENING = 4


def surname_of(person: Person) -> str:
    """The last word of a person's name that is not an initial or a numeral, folded."""
    words = [t for t in person.tokens if not re.fullmatch(r"[A-Z]\.|[IVX]{1,4}", t)]
    return fold((words or person.tokens)[-1])
