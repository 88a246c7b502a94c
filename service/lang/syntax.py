"""The questions the pipeline asks of a parse, answered for one language's spaCy pipeline (as
spaCy's own `syntax_iterators.py` does per language): is this verb a simple past, is this the
subject of its clause, is this token a possessive marker, which entity labels name a person
or a place. Tag, dependency and entity label names differ between pipelines (the English one
uses Penn tags, ClearNLP dependencies and OntoNotes entities; the French one universal tags and
dependencies and WikiNER entities), so text analysis asks here and never names a label itself.

`Syntax` answers with the English pipeline's labels; a language whose pipeline labels
otherwise subclasses it (`service/lang/<code>/syntax.py`). An answer a pipeline cannot give
(a French tag never says "simple past") is a plain no, written down where it is decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar, cast


class Token(Protocol):
    """What is read of a parsed token (spaCy's `Token` has it): language data imports no
    parser."""

    @property
    def i(self) -> int: ...
    @property
    def dep_(self) -> str: ...
    @property
    def tag_(self) -> str: ...
    @property
    def pos_(self) -> str: ...
    @property
    def lemma_(self) -> str: ...
    @property
    def lower_(self) -> str: ...
    @property
    def children(self) -> Iterator[Token]: ...
    @property
    def left_edge(self) -> Token: ...
    def nbor(self, i: int = 1) -> Token: ...


T = TypeVar("T", bound=Token)


class Syntax:
    """Penn tags, ClearNLP dependencies, OntoNotes entity labels (`en_core_web_*`)."""

    person_labels: frozenset[str] = frozenset({"PERSON"})
    """Entity labels of people."""
    organisation_labels: frozenset[str] = frozenset({"ORG"})
    place_labels: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})
    """Countries, cities, regions, waters and buildings."""
    region_label: str = "LOC"
    """The label of regions, landforms and waters (no city, no building)."""
    name_labels: frozenset[str] = frozenset({"ORG", "GPE", "PERSON", "NORP"})
    """Labels of a line that only names (a byline's agency, a dateline's place)."""
    heading_place_labels: frozenset[str] = frozenset({"GPE", "LOC"})
    """Labels of a place that makes a short line a section's heading."""
    party_labels: frozenset[str] = frozenset({"NORP", "GPE"})
    """Labels of a nationality or a country that qualify a party's noun ("the Russian side")."""
    time_labels: frozenset[str] = frozenset({"DATE", "TIME"})
    not_topic_labels: frozenset[str] = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})
    """Labels of what is never a topic: a date, a time, a number."""
    amount_labels: frozenset[str] = frozenset({"MONEY"})
    """Labels of a sum of money ("about 300 million euros"): how much, not of what. A
    share ("18 percent") is left to the phrase it measures: the text's own subjects name
    a rate by it."""
    named_subject_labels: frozenset[str] = frozenset({"LOC", "EVENT", "LAW"})
    """The labels of named subjects that are neither people nor countries: a sea or strait,
    a named event, a law or treaty."""
    subject_labels: frozenset[str] = frozenset({"LOC", "EVENT", "LAW"})
    """Labels that make a phrase without a noun a subject ("the Baltic Sea")."""
    aside_dependencies: frozenset[str] = frozenset({"appos", "parataxis", "advcl"})
    """Parts of a clause dropped first when a claim is cut short: apposition, aside, clause
    of circumstance."""
    detail_dependencies: frozenset[str] = frozenset({"prep", "agent"})
    """Parts of a clause dropped next: prepositional phrases and a passive's agent."""
    condition_dependencies: frozenset[str] = frozenset({"advcl", "advmod", "mark"})
    """Children of a verb that may make it a condition or a forecast ("if ...", "probably")."""
    object_dependencies: frozenset[str] = frozenset({"dobj", "attr", "oprd"})
    """What a verb acts on: its direct object ("discussed trade"), or what it says a thing
    is."""
    preposition_dependency: str = "prep"
    """A preposition hanging from the word its phrase qualifies ("talks on trade"); empty
    where the pipeline hangs a preposition from its noun instead (universal dependencies)."""
    preposition_object_dependencies: frozenset[str] = frozenset({"pobj", "pcomp"})
    """The noun or clause a preposition introduces."""
    phrase_dependencies: frozenset[str] = frozenset({"prep", "agent", "pobj", "pcomp", "conj"})
    """The links of a phrase of prepositions ("for as long as needed", "in X and with regard
    to Y"): a cut that leaves one unfinished drops it along them."""
    subject_dependencies: frozenset[str] = frozenset({
        "nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
    """The links of a clause's subject, a placeholder's ("there is") among them."""
    clause_subject_dependencies: frozenset[str] = frozenset({"csubj", "csubjpass"})
    """The links of a clause as subject ("Looking ahead, ..." as the parser may read
    an opening phrase)."""
    tie_dependencies: frozenset[str] = frozenset({"cc", "advmod", "intj", "pobj"})
    """The links of a word that, opening a sentence, may only tie it to the one before
    ("And", "So", "Well", "of course")."""
    complement_dependencies: frozenset[str] = frozenset({"xcomp", "ccomp"})
    """A verb's clause that completes it ("agreed to expand trade")."""
    relative_clause_dependencies: frozenset[str] = frozenset({"relcl", "acl"})
    """A noun's clause that tells of it ("the accord reached last year", "the pact, which
    the bloc signed in 2019"): a time in it dates the noun's story, not the sentence's."""
    noun_clause_dependencies: frozenset[str] = frozenset({"acl"})
    """A noun's clause that says what it is for ("efforts to expand trade")."""
    phrase_aside_dependencies: frozenset[str] = frozenset({
        "relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "preconj"})
    """Parts of a noun phrase that are no part of its name: a relative clause, an apposition,
    the next item of its list."""

    pointing_determiners: frozenset[str] = frozenset({"the", "this", "that", "these", "those"})
    """Determiners that point at something already told ("the incident", "this move")."""

    def is_root(self, token: Token) -> bool:
        return token.dep_ == "ROOT"

    def points_back(self, noun: Token) -> bool:
        """A noun with nothing of its own but a determiner that points back ("the incident",
        "this move"): it names something the text has already told."""
        children = list(noun.children)
        return (len(children) == 1 and children[0].dep_ == "det"
                and children[0].lower_ in self.pointing_determiners)

    def subject(self, verb: T) -> T | None:
        """The verb's subject, if the parse gives it one."""
        return cast("T | None", next((c for c in verb.children if c.dep_ == "nsubj"), None))

    def opens_with_subject(self, verb: Token, start: int) -> bool:
        """The verb's subject opens the sentence that starts at token `start`."""
        return any(c.dep_ == "nsubj" and c.left_edge.i == start for c in verb.children)

    def is_conjunct(self, token: Token) -> bool:
        """Joined to the word before it ("will lower ... and buy")."""
        return token.dep_ == "conj"

    def conjoined_verbs(self, head: T) -> Iterable[T]:
        """The verbs joined to `head` ("X arrived and met ...")."""
        return (cast(T, c) for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB")

    def has_auxiliary(self, verb: Token, words: frozenset[str]) -> bool:
        """An auxiliary of the verb is one of `words` ("will", "shall")."""
        return any(c.dep_ == "aux" and c.lower_ in words for c in verb.children)

    def is_perfect(self, verb: Token) -> bool:
        """Written in a perfect tense ("have travelled", "had met")."""
        return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)

    def is_pronoun(self, token: Token) -> bool:
        """A personal or possessive pronoun ("we", "its", "our"): by the tag, as "U.S.-Chile"
        may be taken for a pronoun's part of speech."""
        return token.tag_ in ("PRP", "PRP$")

    def is_present_participle(self, verb: Token) -> bool:
        """A verb's "-ing" form ("Discussing the accord, they ...")."""
        return verb.tag_ == "VBG"

    def is_present_perfect(self, verb: Token) -> bool:
        """Written in the present perfect ("tensions have climbed")."""
        return verb.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("have", "has") for c in verb.children)

    def is_past_perfect(self, verb: Token) -> bool:
        """Written in the past perfect ("had met"): before the past the story tells."""
        return verb.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("had", "'d", "’d") for c in verb.children)

    def is_simple_past(self, verb: Token) -> bool:
        """A simple past ("called"), or a bare participle standing for one ("X, joined by Y,
        praised ...": the small parser may make the participle the root)."""
        return verb.tag_ == "VBD" or (
            verb.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in verb.children))

    tells_finite: bool = True
    """Whether the tags say which verbs have a tense (`is_finite`)."""

    def is_finite(self, token: Token) -> bool:
        """A verb with a tense or a modal ("would", "agreed", "holds"): a clause's verb,
        which no name of a subject holds."""
        return token.tag_ in ("VBD", "VBZ", "VBP", "MD")

    def is_infinitive(self, token: Token) -> bool:
        """A verb's bare form after "to" ("to host")."""
        return token.tag_ == "VB" and any(c.tag_ == "TO" for c in token.children)

    def is_possessive_marker(self, token: Token) -> bool:
        """The token marks its noun phrase as a possessor ("'s")."""
        return token.tag_ == "POS"
