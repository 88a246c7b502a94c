"""The brief of an article in another language, put into English.

Headline and summary are written from the grounded facts; offices come from the lexicon's
glossary; key points, outcomes, topics, other titles and quotes are translated by the model,
each kept only if it passes the fidelity check (quotes keep their words and gain a
`translation`); what fails keeps the article's wording and is named in a warning.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from service.brief.assemble import BriefContent
from service.brief.facts_english import fact_headline, fact_summary
from service.brief.plan import BriefPlan
from service.brief.translate import Translator
from service.engines.base import GenerationResult
from service.lang.lexicon import english_title
from service.lang.registry import BRIEF_LANGUAGE


def into_english(
    brief: BriefContent, plan: BriefPlan, translator: Translator, translate_sentences: bool,
    cancel: threading.Event | None,
) -> tuple[BriefContent, list[GenerationResult]]:
    language = plan.article.language
    titles = [english_title(p.title, language, p.country) if p.title else None
              for p in brief.participants]
    pieces = [
        *(item for items in brief.sentences.values() for item in items),
        *brief.topics,
        *(p.title for p, t in zip(brief.participants, titles, strict=True)
          if p.title and t is None),
        *(q.text for q in brief.quotes),
    ] if translate_sentences else []
    names = [p.name for p in plan.extraction.persons]
    outcome = translator.translate(pieces, language, names, cancel)
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

    def translated_list(field: str, items: list[str]) -> list[str]:
        return [english(item, f"{field}[{i}]") for i, item in enumerate(items)]

    with_lists = replace(
        brief,
        sentences={name: translated_list(name, items) for name, items in brief.sentences.items()},
        topics=translated_list("topics", brief.topics),
    )
    for i, (participant, title) in enumerate(zip(brief.participants, titles, strict=True)):
        if participant.title and title is None:
            kept.append(f"participants[{i}].title")
    translated = replace(
        with_lists,
        # Written from the facts: the offices in English are `titles`, given explicitly.
        headline=fact_headline(with_lists),
        summary=fact_summary(with_lists, titles),
        participants=[p.model_copy(update={"title": t or p.title})
                      for p, t in zip(brief.participants, titles, strict=True)],
        quotes=[q.model_copy(update={"translation": done.get(q.text)}) for q in brief.quotes],
        output_language=BRIEF_LANGUAGE,
    )
    if kept and not translate_sentences:
        plan.warnings.add(
            f"the article is in '{language}': headline and summary are written in English from "
            "the brief's facts; key points, outcomes and topics keep the article's wording "
            "(BRIEF_TRANSLATION=facts)"
        )
    elif kept:
        plan.warnings.add(
            f"{len(kept)} item(s) could not be translated faithfully by the model and keep the "
            f"article's wording ({language}): {', '.join(kept)}"
        )
    return translated, outcome.results
