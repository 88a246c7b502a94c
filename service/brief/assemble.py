"""The brief's content from the merged draft and the article: participants, countries and
quotes grounded in the text, sentences chosen for each list, the event's date, place, kind and
tone, topics, headline and summary. A domain object; the public response is built from it once,
at the end (`BriefContent.to_brief`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from service.brief.claims import event_sentences
from service.brief.config import PipelineConfig
from service.brief.draft import SENTENCE_FIELDS, Draft
from service.brief.grounding import countries_of, country_codes, ground_participants, ground_quotes
from service.brief.headline import choose_headline, choose_summary, event_headline, lede_summary
from service.brief.outcomes import select_sentences, sentence_items, sentences_near
from service.brief.participant_countries import assign_countries
from service.brief.plan import BriefPlan
from service.brief.summary import Condensed, condense, place_phrase
from service.brief.warnings import Warnings
from service.lang.registry import BRIEF_LANGUAGE
from service.schemas import Brief, Event, Evidence, Meta, Participant, Quote
from service.text import event
from service.text.article import PreparedArticle
from service.text.countries import country_forms, fold
from service.text.dates import reported_meeting_date, resolve_event_date
from service.text.extract import Extraction
from service.text.publisher import government_of
from service.text.sections import heading_subjects
from service.text.similarity import content_words, dedupe
from service.text.subjects import sentence_subjects
from service.text.topics import (
    is_clean_topic,
    is_generic,
    key_phrases,
    listed_topics,
    named_subjects,
    names_a_subject,
    without_pronouns,
)
from service.text.undertakings import joint_undertakings

# Tags an analyst scans at a glance: the article's own lists, the model's picks, its named
# subjects, what its sentences act on and what it keeps repeating, as many as name a subject.
_MOST_TOPICS = 10
# A joint statement is a list of its parties' undertakings, more of them than a readout has
# outcomes: its brief keeps more.
_JOINT_AGREEMENTS = 6


@dataclass(frozen=True)
class BriefContent:
    language: str
    output_language: str
    headline: str
    summary: str
    sentences: dict[str, list[str]]
    """Each sentence field's items (brief/draft.py: `SENTENCE_FIELDS`), by the field's name."""
    event: Event
    participants: list[Participant]
    countries: list[str]
    country_codes: list[str]
    topics: list[str]
    tone: str
    """One of `schemas.Tone`: checked when the public brief is built."""
    quotes: list[Quote]
    evidence: list[Evidence]
    source_text: str | None

    def to_brief(self, brief_id: str, meta: Meta) -> Brief:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sentences"}
        return Brief(id=brief_id, meta=meta, **values, **self.sentences)


def assemble(plan: BriefPlan, draft: Draft, config: PipelineConfig) -> BriefContent:
    article, extraction, warnings = plan.article, plan.extraction, plan.warnings
    # Outcomes are looked for in the whole article, whatever the model read of it; one that
    # spans several calls' worth may have more of them.
    read, parts = range(len(article.sentences)), len(plan.windows)
    stated = ground_participants(draft, article, extraction, warnings)
    publisher = government_of(plan.request.source)
    participants = assign_countries(stated, article, extraction, publisher)
    countries = countries_of(participants, extraction, article, publisher)
    spans = [(s.start, s.end) for s in article.sentences]
    header = extraction.header
    event_date = header.page_date if header.self_reporting else None
    if event_date is not None and header.kind == "statement":
        # A statement put out after the meeting it reports is dated by that meeting.
        event_date = reported_meeting_date(article.clean, spans, event_date, article.language) \
            or event_date
    status = event.event_status(article)
    planned = status == "planned"
    # A statement, remarks or a briefing is dated by its page; a readout by what it says; a
    # meeting to come never by the day its story was filed.
    event_date = event_date or resolve_event_date(
        article.clean, spans, plan.request.published, article.language, planned,
    ) or (None if planned else header.dateline_date)
    evidence: list[Evidence] = []
    names = {p.name for p in participants}
    near = sentences_near(article, [p for p in extraction.persons if p.name in names],
                          joint=extraction.header.joint)
    lists, numbers = _sentence_lists(article, extraction, draft, read, parts,
                                     event_date.year if event_date else None, near, evidence,
                                     warnings)
    kind = event.event_type(article, extraction, draft.event_type or "other")
    location = event.event_location(article, extraction, kind, event_date, planned)
    the_event = Event(type=kind, date=event_date, location=location, status=status)
    topics = brief_topics(article, extraction, draft, countries,
                          event_date.year if event_date else None)
    condensed = None
    if article.language == BRIEF_LANGUAGE:
        # In the brief's language only: an article in another language is summed up in the
        # brief's language from the facts (brief/into_english.py), and keeps its own
        # sentences as key points.
        condensed = condense(article, participants, the_event, numbers, topics, warnings, near)
        lists["key_points"] = [c.text for c in condensed.key_points]
        evidence[:] = [e for e in evidence if not e.field.startswith("key_points[")]
        for i, claim in enumerate(condensed.key_points):
            evidence.extend(claim.evidence(f"key_points[{i}]", article))
    headline = choose_headline(draft.headline, plan.request.title, article, warnings,
                               _headline(participants, the_event, topics, condensed, article))
    if config.abstractive_summary:
        summary = choose_summary(draft.summary, headline, article, warnings)
    elif condensed is not None and len(condensed.summary) > 0:
        summary = condensed.summary_text
        for i, claim in enumerate(condensed.summary):
            evidence.extend(claim.evidence(f"summary[{i}]", article))
    else:
        summary = lede_summary(article)
    if not participants:
        warnings.add("the article names no one the brief could confirm took part")
    return BriefContent(
        language=article.language,
        output_language=article.language,
        headline=headline,
        summary=summary,
        sentences=lists,
        event=the_event,
        participants=participants,
        countries=countries,
        country_codes=country_codes(countries),
        topics=topics,
        tone=event.tone(article, draft.tone),
        quotes=ground_quotes(article, extraction, warnings),
        evidence=evidence,
        source_text=plan.source_text,
    )


def _headline(
    participants: list[Participant], the_event: Event, topics: list[str],
    condensed: Condensed | None, article: PreparedArticle,
) -> str | None:
    """Who did what, where, and the topics the summary names (best first)."""
    if condensed is None:
        return None
    said = fold(condensed.summary_text)
    # Only subjects a reader can place: the summary's list may name a vaguer one.
    named = [t for t in topics if fold(t) in said and names_a_subject(article, t)]
    # A headline's verb is one of meeting ("meet in Vienna"), whatever the event's kind.
    place = place_phrase(the_event, article, visit=False) if the_event.location else None
    return event_headline(participants, the_event, named, place)


def _sentence_lists(
    article: PreparedArticle, extraction: Extraction, draft: Draft, read: range, parts: int,
    year: int | None, near: set[int], evidence: list[Evidence], warnings: Warnings,
) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """Each list's sentences as text, and their 1-based numbers."""
    lists = {}
    chosen = {}
    header = extraction.header
    undertakings = joint_undertakings(article, header, extraction.country_mentions, read)
    for field in SENTENCE_FIELDS:
        name, (_, most) = field.name, field.bounds
        # A long article read in parts may have more outcomes, but no more key points.
        cap = min(8, most + 2 * (parts - 1)) if field.outcome else most
        if name == "agreements" and header.joint:
            cap = max(cap, _JOINT_AGREEMENTS)
        numbers = select_sentences(article, name, list(draft.numbers(field)), read, year, cap,
                                   near, undertakings if name == "agreements" else ())
        lists[name] = sentence_items(article, numbers, name, read, evidence, warnings)
        chosen[name] = numbers
    return lists, chosen


def brief_topics(
    article: PreparedArticle, extraction: Extraction, draft: Draft, represented: list[str],
    event_year: int | None = None,
) -> list[str]:
    """The article's own list of subjects and its section headings, then the model's picks,
    then the named places, events and laws it writes, then what the event's sentences act
    on (text/subjects.py), then its recurring phrases, those about the event first.
    Not a topic: who took part and the countries they stand for; a country the talks were
    about ("Taiwan", "Ukraine") is one."""
    names = {fold(n) for p in extraction.persons for n in (p.name, *p.tokens)}
    names |= {fold(form) for c in extraction.countries if c.name in represented
              for form in country_forms(c, article.language)}
    # A named sea or strait is a subject even where the text's places include it; the
    # event's own place is not.
    sides = set(names)
    if draft.location:
        sides.add(fold(draft.location))
    names |= {fold(p) for p in extraction.places}
    article_folded = fold(article.clean)
    # A model topic must be a phrase of the article: no invented or misspelt terms.
    model_topics = [
        t.strip() for t in draft.topics
        if fold(t) not in names and re.search(r"[^\W\d_]{3}", t) and not is_generic(t)
        and fold(t.strip()) in article_folded
    ]

    def subject(phrase: str) -> bool:
        return is_clean_topic(article, phrase) and names_a_subject(article, phrase)

    listed = [t for t in listed_topics(article) if subject(t)][:3]
    # The headings of its sections are the text's own names for its subjects, as its lists are.
    headed = [] if article.lexicon.borrowed_pipeline else [
        t for t in heading_subjects(article) if fold(t) not in names and subject(t)][:3]
    own = dedupe([*listed, *headed], threshold=0.6)[:4]
    named = [] if article.lexicon.borrowed_pipeline else named_subjects(article, sides)
    model_topics = [t for t in model_topics if subject(t)]
    topics = dedupe([*own, *model_topics[: 5 - len(own)]], threshold=0.6)
    about_event = event_sentences(article, event_year)
    # What the text repeats about the event, then what it repeats of the background.
    phrases = [] if article.lexicon.borrowed_pipeline else [
        p for p in key_phrases(article, names, limit=24, within=about_event) if subject(p)]
    # What the event's sentences act on, before the phrases the text merely repeats.
    about = [t for t in sentence_subjects(article, about_event)
             if fold(t) not in names and subject(t) and not is_generic(t)]
    # At most five from the article's list and the model: a named subject always finds room.
    # Each as a reader can place it without its sentence ("its port fees": "port fees").
    placed = [p for t in [*topics, *named, *about, *phrases]
              if (p := without_pronouns(article, t)) is not None]
    return _without_parts(dedupe(placed, threshold=0.5))[:_MOST_TOPICS]


def _without_parts(topics: list[str]) -> list[str]:
    """Without a one-word topic that another one contains: "war" says less than "the war in
    the Sahel" beside it, and takes a slot a subject of its own could have. A name stays
    ("Taiwan" beside "the Taiwan Strait"): the place is a subject of its own."""
    words = [content_words(t) for t in topics]
    return [
        t for t, own in zip(topics, words, strict=True)
        if len(own) != 1 or t[:1].isupper() or not any(own < other for other in words)
    ]
