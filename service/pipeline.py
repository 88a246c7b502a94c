"""article -> prepare -> extract -> prompt -> generate -> parse -> ground -> brief."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from service import event
from service.article import PreparedArticle, prepare
from service.constraint import LIST_BOUNDS, output_schema, people_candidates
from service.countries import fold
from service.dates import resolve_event_date
from service.engines.base import Engine, GenerationRequest, GenerationResult
from service.errors import Cancelled, GenerationFailed, InputTooLarge
from service.extract import Extraction, extract
from service.grounding import (
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
from service.language import detect_language
from service.prompts import PromptSet
from service.schemas import Brief, BriefRequest, Event, Evidence, Meta
from service.settings import Settings
from service.topics import key_phrases, listed_topics

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


@dataclass(frozen=True)
class PipelineConfig:
    max_input_chars: int
    max_input_tokens: int
    max_new_tokens: int
    repetition_penalty: float
    abstractive_summary: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineConfig:
        return cls(
            settings.max_input_chars, settings.max_input_tokens, settings.max_new_tokens,
            settings.repetition_penalty, settings.abstractive_summary,
        )


def brief_id(request: BriefRequest, model: str, prompt_version: str) -> str:
    key = json.dumps(
        [request.text, request.title, request.source, str(request.published), request.language,
         model, prompt_version],
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


class BriefPipeline:
    """Turns one article into a grounded brief with one engine and one prompt set."""

    def __init__(self, engine: Engine, prompts: PromptSet, config: PipelineConfig) -> None:
        self.engine = engine
        self.prompts = prompts
        self.config = config

    def check_size(self, text: str) -> None:
        if len(text) > self.config.max_input_chars:
            raise InputTooLarge(
                f"text is {len(text):,} characters; the limit is "
                f"{self.config.max_input_chars:,} characters (BRIEF_MAX_INPUT_CHARS)"
            )

    def run(self, request: BriefRequest, cancel: threading.Event | None = None) -> Brief:
        started = time.perf_counter()
        self.check_size(request.text)
        article = prepare(request.text)
        _check(cancel)
        warnings = list(article.warnings)
        extraction = extract(article)
        _check(cancel)
        visible = self._visible_sentences(article, warnings)
        messages = self.prompts.messages(
            article=article.numbered_view(visible),
            people=_people_lines(extraction, people_candidates(extraction)),
        )
        schema = output_schema(
            article, extraction, visible,
            ask_headline=not (request.title or article.title_line()),
            ask_summary=self.config.abstractive_summary,
        )
        draft, result = self._generate_draft(messages, schema, cancel)
        _check(cancel)
        brief = self._ground(request, article, extraction, draft, visible, warnings)
        brief.meta = Meta(
            model=self.engine.info.name,
            prompt_version=self.prompts.version,
            input_tokens=result.input_tokens,
            output_tokens=result.output_tokens,
            latency_ms=int((time.perf_counter() - started) * 1000),
            warnings=warnings,
        )
        return brief

    def _visible_sentences(self, article: PreparedArticle, warnings: list[str]) -> int:
        """How many sentences, from the start, fit in the model's input budget."""
        total = len(article.sentences)
        budget = self.config.max_input_tokens
        if self.engine.count_tokens(article.numbered_view(total)) <= budget:
            return total
        low, high = 1, total
        while low < high:
            middle = (low + high + 1) // 2
            if self.engine.count_tokens(article.numbered_view(middle)) <= budget:
                low = middle
            else:
                high = middle - 1
        warnings.append(
            f"the article is longer than the model's input budget ({budget} tokens, "
            f"BRIEF_MAX_INPUT_TOKENS): the model read {low} of its {total} sentences"
        )
        return low

    def _generate_draft(
        self, messages: list[dict[str, str]], schema: dict, cancel: threading.Event | None
    ) -> tuple[Draft, GenerationResult]:
        penalties = [self.config.repetition_penalty, self.config.repetition_penalty + 0.1]
        last_error = ""
        budget = self.config.max_new_tokens
        for attempt, penalty in enumerate(penalties, start=1):
            result = self.engine.generate(
                GenerationRequest(messages, schema, budget, penalty, cancel)
            )
            if result.truncated:
                budget *= 2  # cut off mid-object: the retry gets room to finish
            try:
                parsed = _DraftModel.model_validate_json(result.text)
            except ValidationError as exc:
                last_error = f"{exc.error_count()} validation errors"
                log.warning("model output invalid on attempt %d: %s", attempt, last_error)
                continue
            return Draft(**parsed.model_dump()), result
        raise GenerationFailed(
            f"the model's output could not be parsed into a brief after {len(penalties)} "
            f"attempts ({last_error})"
        )

    def _topics(self, article: PreparedArticle, extraction: Extraction, draft: Draft) -> list[str]:
        """The article's own list of subjects, then the model's, then its recurring phrases."""
        names = {fold(n) for p in extraction.persons for n in (p.name, *p.tokens)}
        names |= {fold(c.name) for c in extraction.countries} | {fold(p) for p in extraction.places}
        article_folded = fold(article.clean)
        # A model topic must be a phrase of the article: no invented or misspelt terms.
        model_topics = [
            t.strip() for t in draft.topics
            if fold(t) not in names and re.search(r"[^\W\d_]{3}", t)
            and fold(t.strip()) in article_folded
        ]
        listed = listed_topics(article)[:3]
        topics = dedupe([*listed, *model_topics[: 5 - len(listed)]], threshold=0.6)
        return dedupe([*topics, *key_phrases(article, names)], threshold=0.5)[:6]

    def _ground(
        self,
        request: BriefRequest,
        article: PreparedArticle,
        extraction: Extraction,
        draft: Draft,
        visible: int,
        warnings: list[str],
    ) -> Brief:
        participants = infer_missing_countries(
            ground_participants(draft, article, extraction, warnings), article, extraction
        )
        countries = countries_of(participants, extraction)
        event_date = resolve_event_date(
            article.clean, [(s.start, s.end) for s in article.sentences], request.published
        )
        evidence: list[Evidence] = []
        year = event_date.year if event_date else None
        lists = {
            name: sentence_items(
                article, select_sentences(article, name, list(getattr(draft, name)), visible, year),
                name, visible, evidence, warnings,
            )
            for name in LIST_BOUNDS
        }
        headline = choose_headline(draft.headline, request.title, article, warnings)
        summary = (
            choose_summary(draft.summary, headline, article, warnings)
            if self.config.abstractive_summary else lede_summary(article)
        )
        kind = event.event_type(article, draft.event_type or "other")
        location = event.event_location(article, extraction, draft.location, kind)
        if not participants:
            warnings.append("no participant could be identified in the article")
        language = detect_language(article.clean, default=request.language or "en")
        return Brief(
            id=brief_id(request, self.engine.info.name, self.prompts.version),
            language=language,
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
