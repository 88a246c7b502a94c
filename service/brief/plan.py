"""Everything before the model: the page's text taken out of its HTML, sizes checked, the
article read and its facts found, the language policy applied, the article cut into parts
that fit one call each, and a call built for every part."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale

from service.brief.cancellation import stop_if_cancelled
from service.brief.config import PipelineConfig
from service.brief.draft_schema import output_schema, people_candidates
from service.brief.progress import ProgressReporter
from service.brief.prompts import PromptSet
from service.brief.selection import Centrality, sentences_to_read
from service.brief.warnings import Warnings
from service.engines.base import Engine, GenerationRequest
from service.errors import InvalidInput, too_large
from service.lang.lexicon import LEXICONS, SUPPORTED_LANGUAGES
from service.lang.registry import BRIEF_LANGUAGE
from service.schemas import HTML_SIZE_FACTOR, BriefRequest
from service.text.article import PreparedArticle, prepare
from service.text.extract import Extraction, extract
from service.text.html import extract_page


@dataclass
class BriefPlan:
    request: BriefRequest
    article: PreparedArticle
    extraction: Extraction
    windows: list[range]
    """The parts the article spans, each one call's worth of consecutive sentences."""
    reads: list[Sequence[int]]
    """The sentences (0-based) each model call reads: the parts (`windows`), or one call of
    sentences chosen from the whole (brief/selection.py)."""
    calls: list[GenerationRequest]
    """One model call per entry of `reads`."""
    warnings: Warnings
    source_text: str | None
    """The text taken out of the page, when the request sent HTML."""
    output_language: str
    """The brief's language: English, or the article's own when the request asks for it."""


def people_lines(extraction: Extraction, names: list[str]) -> str:
    lines = []
    for name in names:
        person = extraction.person(name)
        details = "; ".join(x for x in (person.title, person.country) if x) if person else ""
        lines.append(f"- {name} ({details})" if details else f"- {name}")
    return "\n".join(lines) or "(none)"


class Planner:
    def __init__(
        self, engine: Engine, prompts: PromptSet, config: PipelineConfig, centrality: Centrality,
    ) -> None:
        self.engine = engine
        self.prompts = prompts
        self.config = config
        self.centrality = centrality

    def check_size(self, text: str, what: str = "text") -> None:
        # HTML carries markup around the text: it may be several times longer.
        limit = self.config.max_input_chars * (HTML_SIZE_FACTOR if what == "html" else 1)
        if len(text) > limit:
            raise too_large(what, len(text), limit)

    def plan(
        self, request: BriefRequest, cancel: threading.Event | None, progress: ProgressReporter,
    ) -> BriefPlan:
        source_text = None
        if request.html is not None:
            self.check_size(request.html, what="html")
            page = extract_page(request.html)
            source_text = page.text
            request = request.model_copy(update={
                "text": page.text, "title": request.title or page.title,
                "published": request.published or page.published,
                "source": request.source or page.url,
            })
        text = request.text or ""
        self.check_size(text)
        article = prepare(text)
        requested = (request.language or BRIEF_LANGUAGE).lower()
        if requested not in (BRIEF_LANGUAGE, article.language):
            raise InvalidInput(
                f"language: a brief is written in English ('en') or in the article's own "
                f"language ('{article.language}'), not {requested!r}"
            )
        stop_if_cancelled(cancel)
        progress.stage("finding")
        warnings = Warnings(article.warnings)
        output_language = requested
        if requested != article.language and article.language not in LEXICONS:
            # No lexicon to read it by, no facts to write English from: its own words stand.
            output_language = article.language
            warnings.add(
                f"the article is in '{article.language}': only {_translated_languages()} articles "
                f"are briefed in English ({', '.join(SUPPORTED_LANGUAGES)} are read fully); "
                "its sentences keep their wording"
            )
        extraction = extract(article)
        stop_if_cancelled(cancel)
        costs = self.sentence_costs(article)
        windows = self.windows(len(article.sentences), costs)
        reads: list[Sequence[int]] = list(windows)
        longer = (f"the article is longer than one model call ({self.config.max_input_tokens} "
                  f"tokens, BRIEF_MAX_INPUT_TOKENS)")
        if costs is not None and self.config.long_mode == "select":
            stop_if_cancelled(cancel)
            progress.stage("selecting")
            chosen = sentences_to_read(article, extraction, costs, self.config.long_read_tokens,
                                       self.centrality)
            reads = [chosen.indices]
            warnings.add(
                f"{longer}: it was condensed before reading; the model read "
                f"{len(chosen.indices)} of its {chosen.total} sentences (the lead, the end, "
                "those naming people or stating outcomes, quotes and dates, then the most "
                "central), and people, quotes, dates and plainly stated outcomes were found "
                "in all of them"
            )
        elif len(windows) > 1:
            warnings.add(f"{longer}: it was read in {len(windows)} parts")
        ask_headline = not (request.title or article.title_line())
        people = people_lines(extraction, people_candidates(extraction))
        calls = [
            GenerationRequest(
                self.prompts.messages(article=article.numbered_view(read), people=people),
                output_schema(
                    article, extraction, read,
                    ask_headline=ask_headline and index == 0,
                    ask_summary=self.config.abstractive_summary and index == 0,
                ),
                self.config.max_new_tokens, self.config.repetition_penalty, cancel,
            )
            for index, read in enumerate(reads)
        ]
        return BriefPlan(request, article, extraction, windows, reads, calls, warnings,
                         source_text, output_language)

    def sentence_costs(self, article: PreparedArticle) -> list[int] | None:
        """Every sentence's numbered line in tokens, or None when the whole article fits one
        call (then nothing needs counting sentence by sentence)."""
        total = len(article.sentences)
        if total == 0 or self.engine.count_tokens(article.numbered_view()) <= \
                self.config.max_input_tokens:
            return None
        return [
            self.engine.count_tokens(article.numbered_view(range(i, i + 1))) + 1
            for i in range(total)
        ]

    def windows(self, total: int, costs: list[int] | None) -> list[range]:
        """Consecutive runs of sentences that each fit the per-call input budget, overlapping
        by one sentence so that nothing said across a boundary is lost. One run if it fits
        (`costs` None: see `sentence_costs`)."""
        if costs is None:
            return [range(0, total)]
        budget = self.config.max_input_tokens
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


def _translated_languages() -> str:
    """The supported languages besides the brief's own, by their English names ("French and
    Spanish")."""
    names = [Locale.parse(code).english_name or code for code in SUPPORTED_LANGUAGES
             if code != BRIEF_LANGUAGE]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
