"""What a language's lexicon holds, and the helpers its data is written with.

The pipeline finds events, dates, outcomes, tone and topics in set phrases ("met with",
"agreed to", "le 13 mars", "se reunió"). Those phrases are language data: one `Lexicon` per
language (`service/lang/<code>/lexicon.py`), so the steps stay the same for every
language. Month and weekday names come from the CLDR data Babel ships; the rest is readout
phrasing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

NOCASE = re.IGNORECASE

@dataclass(frozen=True)
class DocumentWords:
    """How official pages announce what they are, in their title and header lines
    (text/document.py). A government's page is titled by its kind ("Readout of ...", "Joint
    Statement by ...", "Remarks by ...", "Press Briefing by ..."), dated on a line of its own,
    and a transcript gives its place on the next line ("Aboard ... En Route ...")."""

    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    """Document kind -> what in the title announces it, most specific first: `statement`,
    `briefing`, `remarks` (the page is the event itself) or `readout` (a report of one)."""
    title_events: tuple[tuple[str, re.Pattern[str]], ...]
    """Event type -> its noun in a title; the one the title names first is the event."""
    by: re.Pattern[str]
    """The title's phrase naming who issued or spoke the page: group `who`. Its end differs
    by kind: a readout's author is followed by what it reports ("Readout by X of ...")."""
    readout_by: re.Pattern[str]
    not_speakers: frozenset[str]
    """Speaker labels of a transcript that are not the people briefing ("Q", "MODERATOR")."""
    place_prefix: re.Pattern[str]
    """What a transcript's place line opens with before the place ("Aboard")."""
    place_cut: re.Pattern[str]
    """Where the place ends in a place line ("... En Route Lisbon": the plane, not the city)."""
    virtual: re.Pattern[str]
    """An event held over video: it has no place."""
    joint: re.Pattern[str] | None = None
    """What in a statement's title says several governments issue it together ("Joint")."""
    undertaking_verbs: frozenset[str] = frozenset()
    """Lemmas of the verbs a joint statement's parties undertake or affirm something with
    ("intend", "commit", "reaffirm"); with a modal of `undertaking_modals` any verb does."""
    undertaking_modals: frozenset[str] = frozenset()
    """Modals that make a party's verb an undertaking ("[the party] will reduce ...")."""
    not_undertakings: frozenset[str] = frozenset()
    """Verb lemmas that say what befalls a party rather than what it undertakes."""
    undertaking_doubts: frozenset[str] = frozenset()
    """Words that make a clause a condition or a forecast ("if", "probably")."""
    not_party_modifiers: frozenset[str] = frozenset()
    """Modifiers that make a party's noun someone else ("other countries")."""
    party_words: frozenset[str] = frozenset()
    """Pronouns and nouns that name a joint statement's parties as a subject ("we", "both
    sides", "the two leaders")."""


@dataclass(frozen=True)
class Lexicon:
    code: str
    spacy_pipeline: str
    event_words: re.Pattern[str]
    """A verb or noun of the event itself: met, talks, called, visited, signed..."""
    event_reference: re.Pattern[str]
    """'the meeting', 'this call': a sentence about this event rather than another."""
    past: re.Pattern[str]
    """Marks of an earlier event or a former office."""
    not_an_agreement: re.Pattern[str]
    not_a_next_step: re.Pattern[str]
    """A plan called off ("the visit planned for May was cancelled"): no step to come."""
    own_commitment: re.Pattern[str]
    """A speaker's commitment in the first person that says no agreement ("we stay committed
    to ..."): in a transcript, one side's stance, not an outcome both reached."""
    sentence_cues: dict[str, re.Pattern[str]]
    """Which sentences may be offered to the model for agreements, disagreements, next steps."""
    plain_outcomes: dict[str, re.Pattern[str]]
    """Outcomes stated so plainly that they belong in the brief even if the model misses them."""
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, str]
    """Words for the writing day ('today') or the day before ('yesterday')."""
    date_joiner: str
    """What may stand between day, month and year: 'of' in English, 'de' in Spanish."""
    day_suffix: str
    event_types: tuple[tuple[str, re.Pattern[str]], ...]
    tones: dict[str, re.Pattern[str]]
    topic_listing: re.Pattern[str]
    topic_split: re.Pattern[str]
    topic_leading: re.Pattern[str]
    topic_trailing: re.Pattern[str]
    event_to_come: re.Pattern[str] | None = None
    """A meeting still to come, said plainly ("will meet again", "the next round", "the
    upcoming summit"): a later sentence saying so dates and names that meeting, not this one."""
    next_doing: re.Pattern[str] | None = None
    """After the lead: a sentence that tells what someone will do next ("Later, the
    President will address a forum on Friday"), of an event after the one reported."""
    event_done: re.Pattern[str] | None = None
    """A verb of this event having happened ("met", "spoke"): a sentence with one is about
    it, whatever it adds about the next."""
    arrived_for_talks: re.Pattern[str] | None = None
    """A lead that tells of an arrival or a journey for talks ("The Chancellor arrives in
    Rome today for talks with X", "heads to Rome for talks"): the talks
    are still to come, unless the next sentences report them held."""
    said_on: re.Pattern[str] | None = None
    """A verb of saying right before a date ("the embassy announced on Friday"), matched at the
    end of the text before the date: that date is the announcement's, not the event's."""
    source_after: re.Pattern[str] | None = None
    """What follows the name of a story's source at the end of its sentence ("..., the envoy's
    office X told reporters."): the source reports the event and takes no part in it."""
    uninvolved: re.Pattern[str] | None = None
    """A sentence saying someone took no part ("..., a historian with no
    role in the negotiations", "X did not attend"): the people it names are commentators or absentees."""
    presence: re.Pattern[str] | None = None
    """A sentence listing who was there ("Seated at the table:
    ...", "X and Y took part as well", "were joined by"): everyone it names took part."""
    not_place_heads: frozenset[str] = frozenset()
    """Last words of a name the tagger takes for a place that names an event, a forum or a
    body instead ("the Joint Ministerial Roundtable", "the Eastern Partnership"): no venue."""
    borrowed_pipeline: bool = False
    """The spaCy pipeline is another language's: its names and places are usable, its parse
    is not, so sentences are split by punctuation rules and no noun phrases are taken."""
    place_prepositions: str = "in|at"
    arrival: re.Pattern[str] | None = None
    """What comes before a place one arrives at ("welcomed X to", "travelled to the"),
    matched on the end of the text before the place: there the event sat."""
    """What puts an event in a place: 'in Paris', 'à Paris', 'en Madrid'."""
    negation: re.Pattern[str] | None = None
    """An outcome said not to have happened ("n'ont pas signé", "tampoco acordaron"): not an
    agreement or a next step."""
    title_words: re.Pattern[str] | None = None
    """Languages that write titles in lower case before a name ('le ministre ..., X')."""
    title_glossary: tuple[tuple[re.Pattern[str], Office], ...] = ()
    """Common titles and their usual English form, matched against the whole title: an
    office's name is not left to a small model's translation."""
    background_clause: re.Pattern[str] | None = None
    """The blank before a conjunction that opens a clause of circumstance ("... met in Oslo
    | as X arrived in Rome"): a person named only in such a clause, with no word of this
    event in it, is doing something else at the time."""
    relation_pair: re.Pattern[str] | None = None
    """What joins two countries as the two sides of one relationship ("between [Norway] and
    [Chile]", "[Norway]-[Chile]"), matched on the text between the two mentions, ending with
    the second's start; `relation_lead` on the text before the first ("between")."""
    relation_lead: re.Pattern[str] | None = None
    between_lead: re.Pattern[str] | None = None
    """The word before a country pair that sets something between them ("between"), matched
    on the text before the first: without `relation_lead`'s noun of a relationship before it,
    the pair names a subject ("the dispute between [A] and [B]"), no two sides."""
    hostile_after: re.Pattern[str] | None = None
    """What follows a country named as doing harm ("[X]'s annexation", "[X] invaded",
    "[X-ian] provocations"), matched right after the mention: no government writes
    its own side so, so that country is what the talks were about, not a side at them."""
    party_list_lead: re.Pattern[str] | None = None
    """What comes before a list of the countries whose envoys met or signed ("the foreign
    ministers of A, B and C", "the envoys from A, B and C"), matched on the end of the text
    before the list's first country; `list_joiner` on the text between two of its countries."""
    list_joiner: re.Pattern[str] | None = None
    other_side: re.Pattern[str] | None = None
    """What a lead writes to join one side of a call or meeting to the other ("A and B spoke
    today with | C and D", "A met with | C"): those named after it are the counterparts."""
    own_principal: re.Pattern[str] | None = None
    """A sentence opening on an office with no name and no country ("The Premier
    phoned ...", "The Defence Minister flew ..."): how a government writes of its own
    principal in its own readout, so the publisher's country took part."""
    publisher_markers: tuple[tuple[str, str], ...] = ()
    """Seats and offices of government, as the language names them ("Maison-Blanche"), and
    the country each speaks for: who published a readout that leaves its own side unqualified."""
    sequel: re.Pattern[str] | None = None
    """A sentence that opens on what came after or before this event ("Later that day,
    ..."): the people it names were at that other event."""
    document: DocumentWords | None = None
    """The page's own structure: its kind, title, date and place lines (None: not read)."""
    day_first: bool | None = None
    """How the language's writers order a date of numbers with slashes or dashes
    ("24/03/2025"): True day first; None where both orders are written (English: "3/24/2025"
    in American usage, "24/3/2025" in most other places), so only a date whose order its
    numbers settle (a part above 12) is read."""
    clause_openers: re.Pattern[str] | None = None
    """Where a lead sentence may be cut to make a headline, in named groups from the best
    cut to the weakest: `pause` (a comma or dash), `clause` (a blank before a word opening a
    clause of circumstance: "amid ...", "to discuss ...") and `phrase` (before a preposition:
    "at a forum in ..."). What comes before is the main clause: who did what."""


Office = str | dict[str, str]
"""An office's English name, or names by country ("*" for the others): a Latin American
"canciller" is a Foreign Minister, a German one a Chancellor."""


def glossary(*pairs: tuple[str, Office]) -> tuple[tuple[re.Pattern[str], Office], ...]:
    return tuple((re.compile(rf"(?:le |la |l'|el )?(?:{p})", NOCASE), english) for p, english in pairs)




@lru_cache(maxsize=8)
def full_calendar_names(locale: str) -> tuple[dict[int, str], dict[int, str]]:
    """CLDR's full month (1-12) and weekday (0 = Monday) names in a language, as written."""
    return (dict(get_month_names("wide", locale=locale)),
            dict(get_day_names("wide", locale=locale)))


def cldr_months(locale: str) -> dict[str, int]:
    names = {name.lower(): number for number, name in full_calendar_names(locale)[0].items()}
    for number, name in get_month_names("abbreviated", locale=locale).items():
        names.setdefault(name.lower().rstrip("."), number)
    return names


def cldr_weekdays(locale: str) -> dict[str, int]:
    return {name.lower(): number for number, name in full_calendar_names(locale)[1].items()}


def either_apostrophe(lex: Lexicon) -> Lexicon:
    """French and Spanish newsrooms write ’ as often as ': every pattern takes both."""

    def fix(value: object) -> object:
        if isinstance(value, re.Pattern):
            return re.compile(value.pattern.replace("'", "['’]"), value.flags)
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return value

    changes = {f.name: fix(getattr(lex, f.name)) for f in dataclasses.fields(lex)
               if f.name not in ("months", "weekdays", "relative_days")}
    return dataclasses.replace(lex, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class OrderWords:
    """The words of two orders addressed to a language model, "ignore the previous
    instructions" and "you are now an AI", in one language (each field an alternation).
    text/sanitize.py builds one pattern per order from every language's words together, so
    an order that mixes two languages' words (a way to slip past one language's pattern)
    is found as well."""

    ignore: str
    every: str
    the: str
    instructions: str
    earlier: str
    you_are: str
    now: str
    a: str
    ai: str


def order_patterns(languages: tuple[OrderWords, ...]) -> list[str]:
    """The two orders, any language's word in any slot."""

    def any_of(slot: str) -> str:
        return "|".join(getattr(words, slot) for words in languages)

    return [
        rf"\b(?:{any_of('ignore')})\s+(?:(?:{any_of('every')})\s+)?(?:{any_of('the')})\s+"
        rf"(?:\w+\s+)?(?:{any_of('instructions')})\s+(?:{any_of('earlier')})\b",
        rf"\b(?:{any_of('you_are')}) (?:{any_of('now')})?\s*(?:{any_of('a')})\s+(?:{any_of('ai')})\b",
    ]


def background_clause(conjunctions: str) -> re.Pattern[str]:
    """`Lexicon.background_clause` from a language's conjunctions of circumstance."""
    return re.compile(rf"(?<=\S) (?=(?:{conjunctions})\b)", NOCASE)


def clause_openers(clause: str, phrase: str) -> re.Pattern[str]:
    """`Lexicon.clause_openers` from the words that open a clause of circumstance and the
    prepositions that open a phrase; a comma or a dash is a pause in every language."""
    return re.compile(
        rf"(?P<pause>,(?= )| [—–-]+(?= ))|(?P<clause>(?<=\S) (?=(?:{clause})\b))"
        rf"|(?P<phrase>(?<=\S) (?=(?:{phrase})\b))",
        NOCASE,
    )

