"""One article to one brief: plan (read the article, find its facts, build the calls) ->
write drafts (the model, one call per part, merged) -> assemble (ground, topics, headline,
summary) -> into English when the article is in another language -> the public `Brief`."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, replace

from service.brief.assemble import assemble
from service.brief.cancellation import stop_if_cancelled
from service.brief.config import PipelineConfig
from service.brief.drafts import DraftWriter, merge_drafts
from service.brief.into_english import into_english
from service.brief.plan import BriefPlan, Planner
from service.brief.progress import ProgressListener, ProgressReporter
from service.brief.prompts import PromptSet
from service.brief.selection import Centrality
from service.brief.translate import Translator
from service.engines.base import Engine, GenerationResult
from service.schemas import Brief, BriefRequest, Meta
from service.text.centrality import TfidfCentrality
from service.text.nlp import check_language_pipelines

__all__ = ["ArticleBrief", "BriefPipeline", "PipelineConfig", "brief_id"]


def brief_id(request: BriefRequest, model: str, prompt_version: str, *extra: str) -> str:
    key = json.dumps(
        [request.html if request.html is not None else request.text, request.title,
         request.source, str(request.published), request.language,
         model, prompt_version, *extra],
        ensure_ascii=False,
    )
    return "brf_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class ArticleBrief:
    """One article's brief with the plan it was made from (the article read, its facts), for
    work that goes on from the brief (the comparison of several articles)."""

    plan: BriefPlan
    brief: Brief


class BriefPipeline:
    """Turns one article into a grounded brief with one engine and one prompt set."""

    def __init__(
        self, engine: Engine, prompts: PromptSet, config: PipelineConfig,
        centrality: Centrality | None = None,
    ) -> None:
        self.engine = engine
        self.prompts = prompts
        self.config = config
        # `centrality` is made with the engine, at start-up (engines/sentence_embeddings.py);
        # without one, TF-IDF (no model).
        self.planner = Planner(engine, prompts, config, centrality or TfidfCentrality())
        self.drafts = DraftWriter(engine, config.repetition_penalty)
        self.translator = Translator(engine, prompts, config.repetition_penalty)
        # Every language's spaCy pipeline must be the pinned one: said now, not on the first
        # French article (each is loaded on first use).
        check_language_pipelines()

    def check_size(self, text: str, what: str = "text") -> None:
        self.planner.check_size(text, what)

    def plan(
        self, request: BriefRequest, cancel: threading.Event | None = None,
        progress: ProgressReporter | None = None,
    ) -> BriefPlan:
        """Everything before the model: the article read, its facts found, the calls built."""
        return self.planner.plan(request, cancel, progress or ProgressReporter(None))

    def run(
        self, request: BriefRequest, cancel: threading.Event | None = None,
        progress: ProgressListener | None = None,
    ) -> Brief:
        """The brief. `progress`, when given, is told each stage as it starts and the tokens
        written (brief/progress.py); its first report comes once the request is known to be
        acceptable (sizes and language checked), so an error before it is the request's."""
        started = time.perf_counter()
        reporter = ProgressReporter(progress)
        plan = self.plan(request, cancel, reporter)
        calls = [replace(call, on_tokens=reporter.token_listener(i))
                 for i, call in enumerate(plan.calls)]
        reporter.stage("writing", parts=len(calls))
        # The map step: one draft per part, the parts decoded together as one batch.
        drafts, results = self.drafts.write(calls)
        stop_if_cancelled(cancel)
        reporter.stage("grounding")
        content = assemble(plan, merge_drafts(drafts), self.config)
        if plan.output_language != plan.article.language:
            stop_if_cancelled(cancel)
            reporter.stage("translating")
            content, translation = into_english(
                content, plan, self.translator, self.config.translate_sentences, cancel
            )
            results = [*results, *translation]
        return content.to_brief(self._id(plan), self._meta(plan, results, started))

    def run_batch(
        self, requests: list[BriefRequest], cancel: threading.Event | None = None,
        progress: ProgressListener | None = None,
    ) -> list[ArticleBrief]:
        """Several articles' briefs, every model call of all of them decoded as one batch (two
        readouts of one meeting cost about one brief's decoding time, not two). Each brief is
        the one `run` gives for its article; progress reports the stages of all together."""
        started = time.perf_counter()
        reporter = ProgressReporter(progress)
        plans = [self.plan(request, cancel, reporter) for request in requests]
        calls = [call for plan in plans for call in plan.calls]
        calls = [replace(call, on_tokens=reporter.token_listener(i)) for i, call in enumerate(calls)]
        reporter.stage("writing", parts=len(calls))
        drafts, results = self.drafts.write(calls)
        stop_if_cancelled(cancel)
        reporter.stage("grounding")
        out: list[ArticleBrief] = []
        first = 0
        for plan in plans:
            own = slice(first, first + len(plan.calls))
            first = own.stop
            content = assemble(plan, merge_drafts(drafts[own]), self.config)
            own_results = results[own]
            if plan.output_language != plan.article.language:
                stop_if_cancelled(cancel)
                reporter.stage("translating")
                content, translation = into_english(
                    content, plan, self.translator, self.config.translate_sentences, cancel
                )
                own_results = [*own_results, *translation]
            brief = content.to_brief(self._id(plan), self._meta(plan, own_results, started))
            out.append(ArticleBrief(plan, brief))
        return out

    def _id(self, plan: BriefPlan) -> str:
        extra = ["translation=checked"] if self.config.translate_sentences else []
        return brief_id(plan.request, self.engine.info.name, self.prompts.version, *extra)

    def _meta(self, plan: BriefPlan, results: list[GenerationResult], started: float) -> Meta:
        return Meta(
            model=self.engine.info.name,
            prompt_version=self.prompts.version,
            input_tokens=sum(r.input_tokens for r in results),
            output_tokens=sum(r.output_tokens for r in results),
            chunks=len(plan.calls),
            latency_ms=int((time.perf_counter() - started) * 1000),
            prefill_ms=int(sum(r.prefill_ms for r in results)),
            decode_ms=int(sum(r.decode_ms for r in results)),
            forward_steps=sum(r.forward_steps for r in results),
            warnings=plan.warnings.as_list(),
            read_sentences=len({i for read in plan.reads for i in read}),
            total_sentences=len(plan.article.sentences),
        )

