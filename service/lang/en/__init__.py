"""English: the language of most readouts, and the language every brief is written in."""

from __future__ import annotations

from service.lang.en import lexicon as words
from service.lang.en.syntax import EnglishSyntax
from service.lang.language import Language, NameWords, PageWords, ReadingWords, WritingWords

ENGLISH = Language(
    lexicon=words.ENGLISH,
    syntax=EnglishSyntax(),
    names=NameWords(
        titles=words.TITLES,
        title_words=words.TITLE_WORDS,
        not_name_words=words.NOT_NAME_WORDS,
        headline_words=words.HEADLINE_WORDS,
        institution_words=words.INSTITUTION_WORDS,
        edge_words=words.NAME_EDGE_WORDS,
        hyphen_adjective_ends=words.HYPHEN_ADJECTIVE_ENDS,
        prefix_words=words.NAME_PREFIX_WORDS,
        suffix_words=words.NAME_SUFFIX_WORDS,
        counterpart_nouns=words.COUNTERPART_NOUNS,
        title_connectors=words.TITLE_CONNECTORS,
        honorifics=words.HONORIFICS,
        joiners="and",
        place_particles=frozenset({"of", "the", "upon", "on", "and"}),
    ),
    reading=ReadingWords(
        stop_words=words.STOP_WORDS,
        stem_suffixes=words.STEM_SUFFIXES,
        generic_capitalised=words.GENERIC_CAPITALISED,
        generic_nouns=words.GENERIC_NOUNS,
        not_a_topic_start=words.NOT_A_TOPIC_START,
        office_heads=words.OFFICE_HEADS,
        speech_verbs=words.SPEECH_VERBS,
        subject_pronouns=words.SUBJECT_PRONOUNS,
        caption_words=words.CAPTION_WORDS,
        case_sensitive_country_abbreviations=words.CASE_SENSITIVE_COUNTRY_ABBREVIATIONS,
    ),
    page=PageWords(
        order_patterns=tuple(words.ORDER_PATTERNS),
        address_patterns=tuple(words.ADDRESS_PATTERNS),
        furniture_line=words.PAGE_FURNITURE_LINE,
        caption_patterns=tuple(words.CAPTION_PATTERNS),
    ),
    writing=WritingWords(
        event_nouns=words.EVENT_NOUNS,
        event_verbs=words.EVENT_VERBS,
        one_person_verbs=words.ONE_PERSON_VERBS,
        planned_verbs=words.PLANNED_VERBS,
        one_person_planned_verbs=words.ONE_PERSON_PLANNED_VERBS,
        planned_fallback_verb=words.PLANNED_FALLBACK_VERB,
        translation_capitalised=frozenset(words.TRANSLATION_CAPITALISED),
    ),
)
