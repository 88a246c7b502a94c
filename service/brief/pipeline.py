"""article -> prepare -> extract -> prompt -> generate -> parse -> ground -> brief."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, replace

from pydantic import BaseModel, ValidationError

from service.brief.draft_schema import LIST_BOUNDS, output_schema, people_candidates
from service.brief.facts_english import fact_headline, fact_summary
from service.brief.grounding import (
    Draft,
    choose_headline,
    choose_summary,
    countries_of,
    country_codes,
    dedupe,
    ground_participants,
    ground_quotes,
    infer_missing_countries,
    lede_summary,
    select_sentences,
    sentence_items,
)
from service.brief.prompts import PromptSet
from service.brief.translate import Translator
from service.engines.base import Engine, GenerationRequest, GenerationResult
from service.errors import Cancelled, GenerationFailed, InvalidInput, too_large
from service.lang.lexicon import LEXICONS, SUPPORTED_LANGUAGES, english_title
from service.schemas import HTML_SIZE_FACTOR, Brief, BriefRequest, Event, Evidence, Meta
from service.settings import Settings
from service.text import event
from service.text.article import PreparedArticle, prepare
from service.text.countries import country_forms, fold
from service.text.dates import resolve_event_date
from service.text.extract import Extraction, extract
from service.text.html import extract_page
from service.text.nlp import check_language_pipelines
from service.text.topics import is_generic, key_phrases, listed_topics

log = logging.getLogger(__name__)


class _DraftModel(BaseModel):
    headline: str = ""
    summary: str = ""
    event_type: str
    location: str | None = None
    participants: list[dict[str, str | None]] = []
    key_points: list[int] = []
    topics: list[str] = []
    agreements: list[int] = []
    disagreements: list[int] = []
    next_steps: list[int] = []
    tone: str = "neutral"


@dataclass
class BriefPlan:
    request: BriefRequest
    article: PreparedArticle
    extraction: Extraction
    windows: list[range]
    calls: list[GenerationRequest]
    """One model call per window (part) of the article."""
    warnings: list[str]
    source_text: str | None
    output_language: str
    """The brief's language: English, or the article's own when the request asks for it."""


def _parse_draft(text: str) -> Draft:
    return Draft(**_DraftModel.model_validate_json(text).model_dump())


@dataclass(frozen=True)
class PipelineConfig:
    max_input_chars: int
    max_input_tokens: int
    max_new_tokens: int
    repetition_penalty: float
    abstractive_summary: bool = False
    translate_sentences: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineConfig:
        return cls(
            settings.max_input_chars, settings.max_input_tokens, settings.max_new_tokens,
            settings.repetition_penalty, settings.abstractive_summary,
            settings.translation == "checked",
        )


def brief_id(request: BriefRequest, model: str, prompt_version: str, *extra: str) -> str:
    key = json.dumps(
        [request.html if request.html is not None else request.text, request.title,
         request.source, str(request.published), request.language,
         model, prompt_version, *extra],
        ensure_ascii=False,
    )
    return "brf_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _people_lines(extraction: Extraction, names: list[str]) -> str:
    lines = []
    for name in names:
        person = extraction.person(name)
        details = "; ".join(x for x in (person.title, person.country) if x) if person else ""
        lines.append(f"- {name} ({details})" if details else f"- {name}")
    return "\n".join(lines) or "(none)"


def _check(cancel: threading.Event | None) -> None:
    """Stop between stages once the client has left or the deadline has passed."""
    if cancel is not None and cancel.is_set():
        raise Cancelled("brief cancelled")


def _round_robin(lists: list[list[int]]) -> list[int]:
    merged: list[int] = []
    for position in range(max((len(x) for x in lists), default=0)):
        merged.extend(x[position] for x in lists if position < len(x))
    return list(dict.fromkeys(merged))


def _merge(drafts: list[Draft]) -> Draft:
    """The reduce step: one draft from the parts' drafts. The event (type, place, tone,
    headline) is the first part's, where the lead is; choices are pooled, taking from each
    part in turn so the end of an article counts as much as its start."""
    if len(drafts) == 1:
        return drafts[0]
    first = drafts[0]
    return Draft(
        headline=first.headline,
        summary=first.summary,
        event_type=first.event_type,
        location=first.location or next((d.location for d in drafts if d.location), None),
        participants=[p for d in drafts for p in d.participants],
        key_points=_round_robin([d.key_points for d in drafts]),
        topics=[t for d in drafts for t in d.topics],
        agreements=_round_robin([d.agreements for d in drafts]),
        disagreements=_round_robin([d.disagreements for d in drafts]),
        next_steps=_round_robin([d.next_steps for d in drafts]),
        tone=first.tone,
    )


class BriefPipeline:
    """Turns one article into a grounded brief with one engine and one prompt set."""

    def __init__(self, engine: Engine, prompts: PromptSet, config: PipelineConfig) -> None:
        self.engine = engine
        self.prompts = prompts
        self.config = config
        self.translator = Translator(engine, prompts, config.repetition_penalty)
        # Every language's spaCy pipeline must be the pinned one: said now, not on the first
        # French article (each is loaded on first use).
        check_language_pipelines()

    def check_size(self, text: str, what: str = "text") -> None:
        # HTML carries markup around the text: it may be several times longer.
        limit = self.config.max_input_chars * (HTML_SIZE_FACTOR if what == "html" else 1)
        if len(text) > limit:
            raise too_large(what, len(text), limit)

    def plan(self, request: BriefRequest, cancel: threading.Event | None = None) -> BriefPlan:
        """Everything before the model: the article read, its facts found, the calls built."""
        source_text = None
        if request.html is not None:
            self.check_size(request.html, what="html")
            page = extract_page(request.html)
            source_text = page.text
            request = request.model_copy(update={
                "text": page.text, "title": request.title or page.title,
                "published": request.published or page.published,
            })
        text = request.text or ""
        self.check_size(text)
        article = prepare(text)
        requested = (request.language or "en").lower()
        if requested not in ("en", article.language):
            raise InvalidInput(
                f"language: a brief is written in English ('en') or in the article's own "
                f"language ('{article.language}'), not {requested!r}"
            )
        _check(cancel)
        warnings = list(article.warnings)
        output_language = requested
        if requested != article.language and article.language not in LEXICONS:
            # No lexicon to read it by, no facts to write English from: its own words stand.
            output_language = article.language
            warnings.append(
                f"the article is in '{article.language}': only French and Spanish articles "
                f"are briefed in English ({', '.join(SUPPORTED_LANGUAGES)} are read fully); "
                "its sentences keep their wording"
            )
        extraction = extract(article)
        _check(cancel)
        windows = self._plan_windows(article)
        if len(windows) > 1:
            warnings.append(
                f"the article is longer than one model call ({self.config.max_input_tokens} "
                f"tokens, BRIEF_MAX_INPUT_TOKENS): it was read in {len(windows)} parts"
            )
        ask_headline = not (request.title or article.title_line())
        people = _people_lines(extraction, people_candidates(extraction))
        calls = [
            GenerationRequest(
                self.prompts.messages(
                    article=article.numbered_view(window),
                    people=people,
                ),
                output_schema(
                    article, extraction, window,
                    ask_headline=ask_headline and index == 0,
                    ask_summary=self.config.abstractive_summary and index == 0,
                ),
                self.config.max_new_tokens, self.config.repetition_penalty, cancel,
            )
            for index, window in enumerate(windows)
        ]
        return BriefPlan(request, article, extraction, windows, calls, warnings, source_text,
                         output_language)

    def run(self, request: BriefRequest, cancel: threading.Event | None = None) -> Brief:
        started = time.perf_counter()
        plan = self.plan(request, cancel)
        # The map step: one draft per part, the parts decoded together as one batch.
        drafts, results = self._generate_drafts(plan.calls)
        _check(cancel)
        brief = self._ground(
            plan.request, plan.article, plan.extraction, _merge(drafts),
            range(plan.windows[-1].stop), len(plan.windows), plan.warnings,
        )
        brief.source_text = plan.source_text
        if plan.output_language != plan.article.language:
            _check(cancel)
            results = [*results, *self._translate(brief, plan, cancel)]
        brief.meta = Meta(
            model=self.engine.info.name,
            prompt_version=self.prompts.version,
            input_tokens=sum(r.input_tokens for r in results),
            output_tokens=sum(r.output_tokens for r in results),
            chunks=len(plan.windows),
            latency_ms=int((time.perf_counter() - started) * 1000),
            prefill_ms=int(sum(r.prefill_ms for r in results)),
            decode_ms=int(sum(r.decode_ms for r in results)),
            forward_steps=sum(r.forward_steps for r in results),
            warnings=plan.warnings,
        )
        return brief

    def _translate(
        self, brief: Brief, plan: BriefPlan, cancel: threading.Event | None
    ) -> list[GenerationResult]:
        """The brief of an article in another language, put into English. Headline and
        summary are written from the grounded facts; offices come from the lexicon's
        glossary; key points, outcomes, topics, other titles and quotes are translated by the
        model, each kept only if it passes the fidelity check (quotes keep their words and
        gain a `translation`); what fails keeps the article's wording and is named in a
        warning."""
        language = plan.article.language
        titles = [english_title(p.title, language, p.country) if p.title else None
                  for p in brief.participants]
        pieces = [
            *brief.key_points, *brief.agreements, *brief.disagreements, *brief.next_steps,
            *brief.topics,
            *(p.title for p, t in zip(brief.participants, titles, strict=True)
              if p.title and t is None),
            *(q.text for q in brief.quotes),
        ] if self.config.translate_sentences else []
        names = [p.name for p in plan.extraction.persons]
        outcome = self.translator.translate(pieces, language, names, cancel)
        done = outcome.translations
        titles = [t or (done.get(p.title) if p.title else None)
                  for p, t in zip(brief.participants, titles, strict=True)]
        kept: list[str] = []

        def english(text: str, field: str) -> str:
            if text in done:
                return done[text]
            reason = outcome.rejected.get(text)
            kept.append(f"{field} ({reason})" if reason else field)
            return text

        for field in ("key_points", "agreements", "disagreements", "next_steps", "topics"):
            setattr(brief, field, [english(item, f"{field}[{i}]")
                                   for i, item in enumerate(getattr(brief, field))])
        brief.headline = fact_headline(brief)
        brief.summary = fact_summary(brief, titles)
        for i, (participant, title) in enumerate(zip(brief.participants, titles, strict=True)):
            if participant.title and title is None:
                kept.append(f"participants[{i}].title")
        brief.participants = [p.model_copy(update={"title": t or p.title})
                              for p, t in zip(brief.participants, titles, strict=True)]
        brief.quotes = [q.model_copy(update={"translation": done.get(q.text)})
                        for q in brief.quotes]
        brief.output_language = "en"
        if kept and not self.config.translate_sentences:
            plan.warnings.append(
                f"the article is in '{plan.article.language}': headline and summary are "
                "written in English from the brief's facts; key points, outcomes and topics "
                "keep the article's wording (BRIEF_TRANSLATION=facts)"
            )
        elif kept:
            plan.warnings.append(
                f"{len(kept)} item(s) could not be translated faithfully by the model and "
                f"keep the article's wording ({plan.article.language}): {', '.join(kept)}"
            )
        return outcome.results

    def _plan_windows(self, article: PreparedArticle) -> list[range]:
        """Consecutive runs of sentences that each fit the per-call input budget, overlapping
        by one sentence so that nothing said across a boundary is lost. One run if it fits."""
        total = len(article.sentences)
        if total == 0:
            return [range(0, 0)]
        budget = self.config.max_input_tokens
        if self.engine.count_tokens(article.numbered_view()) <= budget:
            return [range(0, total)]
        costs = [
            self.engine.count_tokens(article.numbered_view(range(i, i + 1))) + 1
            for i in range(total)
        ]
        windows: list[range] = []
        start = 0
        while start < total:
            end, used = start, 0
            while end < total and (end == start or used + costs[end] <= budget):
                used += costs[end]
                end += 1
            windows.append(range(start, end))
            if end >= total:
                break
            start = end - 1 if end - 1 > start else end
        return windows

    def _generate_drafts(
        self, requests: list[GenerationRequest]
    ) -> tuple[list[Draft], list[GenerationResult]]:
        first = self.engine.generate_batch(requests)
        drafts: list[Draft] = []
        results: list[GenerationResult] = []
        for request, result in zip(requests, first, strict=True):
            draft, final = self._parse_or_retry(request, result)
            drafts.append(draft)
            results.append(final)
        return drafts, results

    def _parse_or_retry(
        self, request: GenerationRequest, result: GenerationResult
    ) -> tuple[Draft, GenerationResult]:
        """Parse the draft; once, on failure, generate again with a stronger repetition
        penalty (the usual failure is a loop) and, when it was cut off, twice the room."""
        try:
            return _parse_draft(result.text), result
        except ValidationError as exc:
            first_error = f"{exc.error_count()} validation errors"
            log.warning("model output invalid on attempt 1: %s", first_error)
        budget = request.max_new_tokens * (2 if result.truncated else 1)
        retry = self.engine.generate(replace(
            request, max_new_tokens=budget,
            repetition_penalty=self.config.repetition_penalty + 0.1,
        ))
        try:
            return _parse_draft(retry.text), retry
        except ValidationError as exc:
            raise GenerationFailed(
                "the model's output could not be parsed into a brief after 2 attempts "
                f"({exc.error_count()} validation errors)"
            ) from exc

    def _topics(self, article: PreparedArticle, extraction: Extraction, draft: Draft) -> list[str]:
        """The article's own list of subjects, then the model's, then its recurring phrases."""
        names = {fold(n) for p in extraction.persons for n in (p.name, *p.tokens)}
        names |= {fold(form) for c in extraction.countries
                  for form in country_forms(c, article.language)}
        names |= {fold(p) for p in extraction.places}
        article_folded = fold(article.clean)
        # A model topic must be a phrase of the article: no invented or misspelt terms.
        model_topics = [
            t.strip() for t in draft.topics
            if fold(t) not in names and re.search(r"[^\W\d_]{3}", t) and not is_generic(t)
            and fold(t.strip()) in article_folded
        ]
        listed = listed_topics(article)[:3]
        topics = dedupe([*listed, *model_topics[: 5 - len(listed)]], threshold=0.6)
        phrases = [] if article.lexicon.borrowed_pipeline else key_phrases(article, names)
        return dedupe([*topics, *phrases], threshold=0.5)[:6]

    def _ground(
        self,
        request: BriefRequest,
        article: PreparedArticle,
        extraction: Extraction,
        draft: Draft,
        read: range,
        parts: int,
        warnings: list[str],
    ) -> Brief:
        participants = infer_missing_countries(
            ground_participants(draft, article, extraction, warnings), article, extraction
        )
        countries = countries_of(participants, extraction)
        event_date = resolve_event_date(
            article.clean, [(s.start, s.end) for s in article.sentences], request.published,
            article.language,
        )
        evidence: list[Evidence] = []
        year = event_date.year if event_date else None
        lists = {}
        for name, (_, most) in LIST_BOUNDS.items():
            # A long article read in parts may have more outcomes, but no more key points.
            cap = most if name == "key_points" else min(8, most + 2 * (parts - 1))
            numbers = select_sentences(article, name, list(getattr(draft, name)), read, year, cap)
            lists[name] = sentence_items(article, numbers, name, read, evidence, warnings)
        headline = choose_headline(draft.headline, request.title, article, warnings)
        summary = (
            choose_summary(draft.summary, headline, article, warnings)
            if self.config.abstractive_summary else lede_summary(article)
        )
        kind = event.event_type(article, draft.event_type or "other")
        location = event.event_location(article, extraction, draft.location, kind)
        if not participants:
            warnings.append("no participant could be identified in the article")
        return Brief(
            id=brief_id(request, self.engine.info.name, self.prompts.version,
                        *(["translation=checked"] if self.config.translate_sentences else [])),
            language=article.language,
            output_language=article.language,
            headline=headline,
            summary=summary,
            key_points=lists["key_points"],
            event=Event(type=kind, date=event_date, location=location),
            participants=participants,
            countries=countries,
            country_codes=country_codes(countries),
            topics=self._topics(article, extraction, draft),
            agreements=lists["agreements"],
            disagreements=lists["disagreements"],
            next_steps=lists["next_steps"],
            tone=event.tone(article, draft.tone),
            quotes=ground_quotes(article, extraction, warnings),
            evidence=evidence,
            meta=Meta(model="", prompt_version="", input_tokens=0, output_tokens=0,
                      latency_ms=0),
        )
