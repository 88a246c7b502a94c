"""What one language knows, as one object: its lexicon of set phrases, the questions its
parse answers (`syntax`), how names and offices are written in it, the words that ground
nothing, what a pasted page carries in it, and, for the language briefs are written in, the
words of the sentences the brief writes itself.

`service/lang/<code>/` builds one `Language` (as spaCy's `spacy/lang/<code>/` builds one
`Language` subclass); `service/lang/registry.py` holds them. Text analysis and the brief reach
a language only through the article (`article.language_data`) or the registry, never a
language's own module, so a new language is one folder.

Every group's field defaults to nothing: a language that has no such words leaves it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from service.lang.base import Lexicon, OrderWords
from service.lang.syntax import Syntax


@dataclass(frozen=True)
class NameWords:
    """How people's names and offices are written (text/people.py, text/places.py). A name
    in an article of any language may carry any supported language's words (an English
    title in a French story), so the reading rules take every language's words together."""

    titles: str = ""
    """An alternation of the offices and forms of address written right before a name."""
    title_words: str = ""
    """An alternation of the capitalised words of an office ("Minister", "Envoy")."""
    not_name_words: frozenset[str] = frozenset()
    """Words of a capitalised run that make it no person (lower case)."""
    headline_words: frozenset[str] = frozenset()
    """Words a title-case headline glues to a name: never the end of a name."""
    institution_words: frozenset[str] = frozenset()
    """The words of an office's or an institution's own name: a run holding one is no person."""
    edge_words: frozenset[str] = frozenset()
    """Words that open or close a capitalised run without being part of a name."""
    hyphen_adjective_ends: frozenset[str] = frozenset()
    """What after a hyphen makes a name an adjective ("UN-led")."""
    prefix_words: frozenset[str] = frozenset()
    """Honorifics and offices written before a name: cut from its front."""
    suffix_words: frozenset[str] = frozenset()
    """Written after a name, not part of it ("Jr.", post-nominals)."""
    counterpart_nouns: str = ""
    """An alternation of the nouns a nationality comes before ("his Azerbaijani counterpart")."""
    title_connectors: frozenset[str] = frozenset()
    """Small words inside an office's name ("Minister of the Interior")."""
    particles: frozenset[str] = frozenset()
    """Lower-case particles inside a name ("de la", "von der")."""
    honorifics: frozenset[str] = frozenset()
    """Forms of address before a name, never part of it."""
    country_given_names: frozenset[str] = frozenset()
    """Countries' names that are also given names in the language's texts ("Chad Wolf")."""
    joiners: str = ""
    """An alternation of the words joining two names ("and", "y")."""
    place_particles: frozenset[str] = frozenset()
    """Small words inside a place's name."""
    trailing_of: str = ""
    """The "of" tying a country to the title before it, at the title's end ("... de")."""
    counterpart_alone: str = ""
    """The word for a counterpart, which is no one's office ("son homologue")."""
    leading_possessive: str = ""
    """A possessive before an office ("su", "son")."""
    former_markers: str = ""
    """An alternation of what makes an office a former one, written before it ("ex-président",
    "ex presidenta")."""
    office_of: str = ""
    """An alternation of the words tying an office to its body ("Envoy for Climate")."""
    office_small_words: frozenset[str] = frozenset()
    """Lower-case words an office's name in an apposition may hold besides its connectors."""
    address_words: frozenset[str] = frozenset()
    """Forms of address and ranks that are no office of their own ("Senator", "His Majesty")."""
    state_qualifiers: str = ""
    """An alternation of the words qualifying a form of state ("Federal", "Islamic")."""
    state_forms: str = ""
    """An alternation of the forms of state left once a country is cut from its long name
    ("Republic", "Kingdom")."""


@dataclass(frozen=True)
class ReadingWords:
    """Words that say little on their own, as the rules reading an article weigh them."""

    stop_words: frozenset[str] = frozenset()
    """Common words that ground nothing when a draft's sentence is compared with the text."""
    stem_suffixes: tuple[str, ...] = ()
    """Endings cut before words are compared, longest first."""
    generic_capitalised: frozenset[str] = frozenset()
    """Capitalised words that name nothing particular (lower case)."""
    generic_nouns: frozenset[str] = frozenset()
    """Nouns too generic to be a topic on their own (lemmas)."""
    not_a_topic_start: frozenset[str] = frozenset()
    """Words a topic never opens with (a relative pronoun)."""
    vague_words: frozenset[str] = frozenset()
    """Words that stand for a subject without naming it ("cooperation", "support",
    "importance", "a new chapter"): a phrase made only of them is no topic, and one headed
    by such a noun names its subject after it ("support for the ceasefire")."""
    subject_prepositions: frozenset[str] = frozenset()
    """Prepositions that introduce what a vague noun or a verb is about ("support for X",
    "talks on X", "the importance of X")."""
    referring_subjects: frozenset[str] = frozenset()
    """Pronouns that, as a clause's subject, point back at something said before ("It is
    designed to ...", "That is why ..."): read alone, such a clause says nothing."""
    office_heads: frozenset[str] = frozenset()
    """Heads of a phrase that names a person by office: who, not what."""
    amount_units: frozenset[str] = frozenset()
    """Currencies a sum is counted in ("dollars", "euros"): a number of them and no more
    ("about 300 million euros") says how much, not of what."""
    vague_counts: frozenset[str] = frozenset()
    """Words that count without saying how many ("several", "various"): a phrase of one of them
    and its noun ("several students") says how many of what, not a subject."""
    gathering_nouns: frozenset[str] = frozenset()
    """Nouns that name a gathering ("a closing photo session", "the meeting", "a
    working session"): unnamed, such a phrase is the event or a part of it, not a subject of
    its talks; a named one ("the Lisbon Ports Summit") is."""
    occasion_nouns: frozenset[str] = frozenset()
    """Nouns that name an occasion by the time it marks ("the 50th anniversary of
    relations", "the centenary"): a subject, although the parser reads it as a date."""
    first_person: frozenset[str] = frozenset()
    """The words by which speakers name themselves ("I", "we", "our"): a claim in them, read
    alone, needs to say who speaks."""
    connectives: frozenset[str] = frozenset()
    """Words that tie a sentence to the one before it ("also", "moreover", "in addition"):
    a claim read alone has nothing before it, and says the same without them."""
    opening_connectives: frozenset[str] = frozenset()
    """Words that tie a sentence to the one before it only where they open it, as speech
    does ("And we plan ...", "So the crossing ...", "And so, of course, ..."); inside a
    sentence they join its parts."""
    speech_verbs: str = ""
    """An alternation of the verbs that report speech."""
    subject_pronouns: str = ""
    """An alternation of the pronouns a quote's "he said" may point back with."""
    caption_words: str = ""
    """An alternation of the words a caption or a credit line opens with."""
    case_sensitive_country_abbreviations: frozenset[str] = frozenset()
    """Country abbreviations that are ordinary words in lower case ("US"/"us")."""
    definite_articles: str = ""
    """An alternation of the definite article(s) before a place's or a title's name."""
    indefinite_articles: str = ""
    """An alternation of the indefinite article(s): a year after one dates the thing it
    introduces ("a 2011 accord"), not the sentence."""
    directions: str = ""
    """An alternation of the prepositions that make a country a place or a purpose ("to",
    "from", "for": "Envoy for X" is an office's portfolio, not its holder's country)."""
    settlement_nouns: str = ""
    """An alternation of the nouns of a place's kind before its name ("the port of X")."""
    earlier_time: str = ""
    """A pattern of a sentence that says it tells of an earlier time ("years ago")."""
    beside_the_event: str = ""
    """A pattern of a sentence that sets the event beside another happening ("The talks come
    as ...", "... coincides with ..."): the setting, not what happened at the event."""
    happening_nouns: frozenset[str] = frozenset()
    """Nouns by which a story points back at a happening it has just told ("the incident",
    "the escalation", "the move"): a sentence whose subject is one goes on telling it."""
    preamble: str = ""
    """A pattern of a page's preamble pointing at the text after it ("What follows is")."""
    spoken_address: str = ""
    """A pattern of the words a speaker opens with to address someone ("Mr. President, ")."""
    spoken_openers: str = ""
    """A pattern of the words a speaker opens a sentence with that say nothing of the event
    ("Obviously, ", "Of course, ", "So, ", "The next point is: ")."""
    floor_talk: str = ""
    """A pattern of what a speaker says of the exchange rather than of the event: declining
    to say ("I won't go into that"), handing the floor on ("fire away")."""
    page_label: str = ""
    """A pattern of a title that labels the page rather than saying what happened."""
    page_words: frozenset[str] = frozenset()
    """Capitalised words of a page's header that are no place ("Press", "Release")."""
    title_labels: frozenset[str] = frozenset()
    """A site's labels of a section or a format, written before a title with a colon or a
    bar ("OPINION | ...", "UPDATE: ..."): no part of what the title says."""
    number_words: frozenset[str] = frozenset()
    """Numbers and ordinals written in words."""
    negations: frozenset[str] = frozenset()
    """Words that negate what follows them ("not", "failed")."""
    negation_fillers: frozenset[str] = frozenset()
    """Words between a negation and what it negates that are not what it negates ("did")."""
    commitments: frozenset[str] = frozenset()
    """Words that bind a side to something ("agreed", "pledges", "will")."""
    reporting_verbs: frozenset[str] = frozenset()
    """Lemmas of the verbs that report what someone said or wrote: a claim's frame."""
    aside_prepositions: frozenset[str] = frozenset()
    """Prepositions whose phrase is an aside: circumstance ("amid") or a source."""
    listing_prepositions: frozenset[str] = frozenset()
    """Prepositions that open a list a claim gives ("including")."""
    sources: frozenset[str] = frozenset()
    """Who reports without being a side to what is reported: a page, an office, "it"."""
    list_joiners: str = ""
    """An alternation of the words that join the items of a list ("and", "as well as")."""
    owned_event_nouns: str = ""
    """An alternation of the nouns of the event or of a party at it, owned by a name ("X's
    talks", "X's delegation"): the owner takes part."""
    owner_joiners: str = ""
    """An alternation of the words joining two owners ("X and Y's")."""
    company: str = ""
    """A pattern of the words that bring someone along ("joined by", "accompanied by")."""
    carried_nouns: str = ""
    """An alternation of the nouns of what one side carries from or to someone not there
    ("the greetings of X to Y", "a letter from X"): their sender and addressee take no part."""
    carried_joiners: str = ""
    """An alternation of the words that join such a noun to its sender or addressee ("of",
    "from", "to")."""
    time_of_words: tuple[str, ...] = ()
    """Nouns of a time whose "of" dates the sentence ("the morning of")."""
    of_words: str = ""
    """An alternation of the words of "of" in a name ("the port of X", "Republic of X")."""
    date_of_words: str = ""
    """An alternation of the words of "of" before a date ("the decree of 3 May")."""


@dataclass(frozen=True)
class PageWords:
    """What text pasted from a web page carries that is not the article (text/sanitize.py)."""

    order_patterns: tuple[str, ...] = ()
    """Imperatives to a language model to ignore or reveal what came before."""
    order_words: OrderWords | None = None
    """The words of two orders to a model, slot by slot, mixed across languages."""
    address_patterns: tuple[str, ...] = ()
    """Text that speaks to a model wherever it stands."""
    furniture_line: re.Pattern[str] | None = None
    """A whole line a web page leaves in pasted text (share buttons, credits)."""
    furniture_heading: re.Pattern[str] | None = None
    """A whole line that heads a page's block of links or contacts ("Related news", "Media
    enquiries"): it and the lines under it that are no sentences are furniture."""
    caption_patterns: tuple[str, ...] = ()
    """A photo's caption or credit pasted with the article."""
    order_openers: str = ""
    """An alternation of the words an order may open with ("please", "now")."""


@dataclass(frozen=True)
class WritingWords:
    """The words of the sentences a brief writes itself from the facts, in the language
    briefs are written in (brief/facts_english.py, brief/summary.py, brief/translate.py)."""

    event_nouns: dict[str, str] = field(default_factory=dict)
    event_verbs: dict[str, str] = field(default_factory=dict)
    one_person_verbs: dict[str, str] = field(default_factory=dict)
    planned_verbs: dict[str, str] = field(default_factory=dict)
    one_person_planned_verbs: dict[str, str] = field(default_factory=dict)
    planned_fallback_verb: str = ""
    translation_capitalised: frozenset[str] = frozenset()
    """Capitalised words a faithful translation may use that are no cognate of the original's."""
    venue_words: str = ""
    """An alternation of the words that make a place a building or a venue, met "at" it."""
    with_article: str = ""
    """A pattern of the country names written with "the" ("the Philippines")."""
    definite_article: str = ""
    articles: str = ""
    """An alternation of the articles a topic may be written with ("the", "a")."""
    list_item_subject: str = ""
    """The subject a claim gives a list's item that leaves its subject to the list's lead-in
    ("The Envoys:" / "Backed the plan ..." -> "They backed the plan ..."). Empty in a
    language that leaves a clause's subject unsaid ("Acordaron ..."): there a claim may open
    on its verb."""


@dataclass(frozen=True)
class Language:
    """Everything one language knows."""

    lexicon: Lexicon
    syntax: Syntax
    names: NameWords = NameWords()
    reading: ReadingWords = ReadingWords()
    page: PageWords = PageWords()
    writing: WritingWords = WritingWords()
    demonym_forms: Callable[[str], list[str]] | None = None
    """The forms of a demonym from its masculine singular (`demonyms.txt` in the folder)."""
    extra_country_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """How the language writes a country beyond its CLDR name, by ISO code."""
    not_country_names: frozenset[str] = frozenset()
    """CLDR's names for countries that texts in the language mostly mean otherwise."""
    pipeline_sha256: str = ""
    """sha256 of the installed spaCy pipeline package (`lexicon.spacy_pipeline`, pinned in
    pyproject.toml), checked at start-up (text/nlp.py): what is loaded is what was pinned."""

    @property
    def code(self) -> str:
        return self.lexicon.code
