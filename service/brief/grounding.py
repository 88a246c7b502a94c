"""Tie every part of the model's draft to the article: names, countries, quotes, evidence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.brief.draft_schema import LIST_BOUNDS
from service.brief.warnings import Warnings
from service.lang import en
from service.schemas import Evidence, Participant, Quote
from service.text.article import PreparedArticle
from service.text.countries import BY_NAME, find_country_mentions, fold, normalize_country
from service.text.extract import Extraction, Person
from service.text.statements import (
    about_earlier_year,
    plain_outcomes,
    statement_sentences,
)

MAX_QUOTES = 10
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass
class Draft:
    """The model's output, parsed but not yet trusted. List fields hold sentence numbers."""

    headline: str
    summary: str
    event_type: str
    location: str | None
    participants: list[dict[str, str | None]]
    key_points: list[int]
    topics: list[str]
    agreements: list[int]
    disagreements: list[int]
    next_steps: list[int]
    tone: str


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(fold(text)) if w not in en.STOP_WORDS and len(w) > 1}


def _stem(word: str) -> str:
    for suffix in en.STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def clean_item(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return drop_repeated_tail(text)


def drop_repeated_tail(text: str) -> str:
    """Cut a sentence that a looping model repeats ("X. X. X" -> "X.")."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept: list[str] = []
    for sentence in sentences:
        if sentence and all(fold(sentence) != fold(k) for k in kept):
            kept.append(sentence)
    return " ".join(kept)


def dedupe(items: list[str], threshold: float = 0.7) -> list[str]:
    """Items in order, without empty ones or near-duplicates of an earlier one."""
    kept: list[str] = []
    seen: list[set[str]] = []
    for item in (clean_item(i) for i in items):
        words = content_words(item)
        if not item or not words:
            continue
        if any(len(words & s) / len(words | s) >= threshold for s in seen):
            continue
        kept.append(item)
        seen.append(words)
    return kept


_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")


def unsupported_names(text: str, article_folded: str) -> list[str]:
    """Capitalised words in `text` that the article never uses (a likely invention)."""
    missing: list[str] = []
    for match in _CAPITALISED.finditer(text):
        for word in match.group(0).split():
            word = re.sub(r"['’]s$", "", word).strip("'’-")
            key = fold(word)
            if len(key) < 2 or key in en.GENERIC_CAPITALISED or key in article_folded:
                continue
            country = normalize_country(word)
            if country and any(
                fold(form) in article_folded
                for form in (country.name, *country.aliases, *country.demonyms)
            ):
                continue
            if _stem(key) in article_folded:
                continue
            missing.append(word)
    return missing


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
    title = _title_sentences(article)
    authors = extraction.header.authors
    for index in sorted(named_in):
        sentence = article.sentence_text(index)
        if not lex.event_words.search(sentence) or lex.past.search(sentence):
            continue
        if lex.uninvolved is not None and lex.uninvolved.search(sentence):
            continue  # "..., a lawyer who did not attend the round" took no part
        if index in title:  # the page's title names who met; the lead comes after it
            found.extend(
                p for p, offsets in named_in[index].values()
                # "Readout by [spokesperson X] of ...": X wrote it, and took no part.
                if p not in found and not (authors and all(authors.start <= o < authors.end for o in offsets))
            )
            continue
        company_only = False
        if seen and not lex.event_reference.search(sentence) and not _continues(article, first, index):
            if not _next_paragraph_narrates(article, first, index):
                continue  # neither about this event nor the lead's next sentence in its paragraph
            company_only = True  # the next paragraph: only those who came along
        if seen and lex.sequel is not None and lex.sequel.match(sentence):
            continue  # "Later that day, X went on to ...": what came next, somewhere else
        start = article.sentences[index].start
        named = [
            person for person, offsets in named_in[index].values()
            if not ((seen and _in_background_clause(article, index, offsets))
                    or _only_as_owner(article.clean, person, offsets)
                    or (company_only and not any(
                        _COMPANY.search(article.clean, start, o) for o in offsets)))
        ]
        # "..., the embassy's press officer X told reporters": the story's source, beside those
        # the sentence says take part.
        sources = [p for p in named if _only_as_source(article, index, p)]
        if len(sources) < len(named) or seen:
            named = [p for p in named if p not in sources]
        found.extend(p for p in named if p not in found)
        first = index if not seen else first
        seen += 1
        if seen == 2:
            break
    if first >= 0:
        found.extend(p for p in _present(article, first, named_in) if p not in found)
    return found


# How far after the lead a list of who was there still tells of this event.
_PRESENCE_REACH = 6


def _present(
    article: PreparedArticle, first: int, named_in: dict[int, dict[str, tuple[Person, list[int]]]],
) -> list[Person]:
    """Everyone a sentence soon after the lead lists as there ("Seated at the table were A of
    X, B of Y and C of Z", "The envoys were joined by A", "B took part as well"), unless it
    looks back to an earlier event."""
    lex = article.lexicon
    if lex.presence is None:
        return []
    found: list[Person] = []
    for index in range(first + 1, min(len(article.sentences), first + 1 + _PRESENCE_REACH)):
        if index not in named_in:
            continue
        sentence = article.sentence_text(index)
        if not lex.presence.search(sentence) or lex.past.search(sentence):
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
_OWNER = re.compile(
    r"(?:['’]s|(?<!\s)\s+and\s+(?:[A-Z][\w.'’-]*\s+){0,5}?[A-Z][\w.-]*['’]s)(?=\s+[a-z])"
    r"(?!\s+(?:[a-z]+\s+)?(?:meeting|meetings|talks|visit|call|trip|delegation|team|"
    r"counterpart|invitation|hosts?|guests?|arrival|remarks)\b)"
)


def _only_as_owner(text: str, person: Person, offsets: list[int]) -> bool:
    """Each mention names the person as the owner of something ("emphasizing X's commitment
    to ..."), not as someone who acts in the sentence."""
    ends = {m.start: m.end for m in person.mentions}
    return all(_OWNER.match(text, ends.get(start, start)) is not None for start in offsets)


def _title_sentences(article: PreparedArticle) -> set[int]:
    """The sentences of the article's title: a first line, followed by more, that does not end
    as a sentence does (a readout's title can be long: "Readout of ... Meeting with ...")."""
    if len(article.paragraphs) < 2:
        return set()
    # A site's label above the title ("Ministry of Foreign Affairs") is no lead either.
    first = article.paragraphs[article.title_index() or 0]
    if article.clean[first.start : first.end].rstrip()[-1:] in ".!?\"”":
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
_COMPANY = re.compile(r"\b(?:joined|accompanied) by\b[^,;:!?]{0,160}$")


def _narrates(article: PreparedArticle, index: int) -> bool:
    """The sentence's main verb tells what happened, in the simple past ("The minister then
    called on ..."), as a report goes on narrating the event; background is written in the
    perfect ("envoys have travelled there often") or the present."""
    span = article.sentences[index]
    chunk = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    roots = [t for t in chunk or () if t.dep_ == "ROOT"]
    # The small parser may make a participle the root ("X, joined by Y, praised ..."): the
    # verbs it joins count too, and a bare participle reads as the past it stands for.
    verbs = [*roots, *(c for t in roots for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    if any(c.dep_ == "aux" and c.lemma_ == "have" for t in verbs for c in t.children):
        return False
    return any(t.tag_ == "VBD" or (t.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in t.children))
               for t in verbs)


def _takes_part(article: PreparedArticle, person: Person) -> bool:
    """Named in a sentence about this event (not an earlier one) with a verb of taking part,
    and not only in a clause of circumstance about something else."""
    lex = article.lexicon
    for index, offsets in mentions_by_sentence(article, person).items():
        s = article.sentence_text(index)
        if lex.uninvolved is not None and lex.uninvolved.search(s):
            continue  # "..., a historian with no part in the round" took none
        if (lex.event_words.search(s) and lex.event_reference.search(s)
                and not lex.past.search(s) and not (lex.sequel and lex.sequel.match(s))
                and not _in_background_clause(article, index, offsets)
                and not _only_as_owner(article.clean, person, offsets)
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
            named.extend(p for p in extraction.persons if surname_of(p) == surname and p not in named)
        return named
    if named:
        return named
    # The body's first sentence that names people ("We, A and B, ..."; else, after a line
    # introducing the text, "The consultations were chaired by A ... and B ..."), a "1."
    # alone aside.
    body = [i for i, s in enumerate(article.sentences) if s.start >= header.body_start
            and len(article.sentence_text(i).split()) >= 4][:_STATEMENT_OPENING]
    presence = article.lexicon.presence
    for position, index in enumerate(body):
        span = article.sentences[index]
        if position and (presence is None or not presence.search(article.sentence_text(index))):
            continue  # after the first, only a sentence saying who led or took part
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


def ground_participants(
    draft: Draft, article: PreparedArticle, extraction: Extraction, warnings: Warnings
) -> list[Participant]:
    """Those the page's own structure names, where it does (document_participants); else
    the model's choice, kept where the text supports it, plus the lede's named actors. Each
    with the country the text gives them (the model's countries are guesses, never taken;
    what the text implies is weighed after: brief/participant_countries.py)."""
    stated = document_participants(article, extraction)
    if stated is not None:
        return [Participant(name=p.name, title=p.title, country=p.country) for p in stated]
    lede = lede_participants(article, extraction)
    chosen_people: list[Person] = []
    for chosen in draft.participants:
        person = extraction.person(str(chosen.get("name") or ""))
        if person is None:
            warnings.add(f"participant {chosen.get('name')!r} is not named in the article; dropped")
            continue
        if person in lede or _takes_part(article, person):
            chosen_people.append(person)
    people = [p for p in extraction.persons if p in lede or p in chosen_people]
    return [Participant(name=p.name, title=p.title, country=p.country) for p in people]


def countries_of(
    participants: list[Participant], extraction: Extraction, article: PreparedArticle
) -> list[str]:
    """Countries represented at the event: those a statement's title names as its parties
    ("Portugal-Norway Joint Statement"), those of the participants, else the most named."""
    names: list[str] = []
    header = extraction.header
    if header.kind == "statement" and header.title is not None:
        title = article.clean[header.title.start : header.title.end]
        names = list(dict.fromkeys(m.country.name for m in find_country_mentions(title, article.language)))
    for participant in participants:
        if participant.country and participant.country not in names:
            names.append(participant.country)
    if not names:
        names = [name for name, count in extraction.country_counts.most_common(3) if count >= 2]
    return names


def country_codes(countries: list[str]) -> list[str]:
    return [BY_NAME[name].code for name in countries if name in BY_NAME]


def ground_quotes(article: PreparedArticle, extraction: Extraction, warnings: Warnings) -> list[Quote]:
    quotes: list[Quote] = []
    for candidate in extraction.quotes:
        if article.clean[candidate.start : candidate.end] != candidate.text:
            # The quotation spans hidden or blanked text (an HTML comment, an injected line):
            # returning it verbatim would carry that text into the brief.
            warnings.add(f"quote at {candidate.start} contains hidden text; dropped")
            continue
        quotes.append(
            Quote(speaker=candidate.speaker, text=candidate.text, start=candidate.start,
                  end=candidate.end)
        )
    # Attributed quotes first: a quote without a speaker is the least useful to an analyst.
    quotes.sort(key=lambda q: (q.speaker is None, q.start))
    kept = sorted(quotes[:MAX_QUOTES], key=lambda q: q.start)
    return kept


def sentences_near(article: PreparedArticle, people: list[Person], reach: int = 1) -> set[int]:
    """Sentences (0-based) in a paragraph that names one of `people`, or within `reach`
    paragraphs of one: where an article tells what those people did."""
    named = {article.paragraph_at(m.start) for person in people for m in person.mentions}
    wanted = {q for p in named for q in range(p - reach, p + reach + 1)}
    return {i for i, span in enumerate(article.sentences)
            if article.paragraph_at(span.start) in wanted}


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
    low, most = LIST_BOUNDS[field_name]
    plain = sorted({*plain_outcomes(article, field_name, window, event_year), *undertakings})
    numbers = list(dict.fromkeys(chosen + [n for n in plain if n not in chosen]))
    title = _title_sentences(article)

    def keep(number: int) -> bool:
        if number - 1 not in window:
            return True  # reported as missing by sentence_items
        if number - 1 in title:
            return False  # the page's title announces the event; it is no point of it
        sentence = article.sentence_text(number - 1)
        if about_earlier_year(sentence, event_year):
            return False
        lex = article.lexicon
        if field_name in ("agreements", "next_steps") and lex.negation is not None \
                and lex.negation.search(sentence):
            return False
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
        text = article.sentence_text(number - 1)
        if any(fold(text) == fold(i) for i in items):
            continue
        span = article.sentences[number - 1]
        evidence.append(Evidence(field=f"{field_name}[{len(items)}]", start=span.start, end=span.end))
        items.append(text)
    return items
