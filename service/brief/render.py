"""A brief as readable Markdown, for the command line."""

from __future__ import annotations

import re

from service.brief.draft import SENTENCE_FIELDS
from service.schemas import Brief

# Everything in a brief comes from an article or a client (`/v1/render/markdown` renders any
# brief it is sent), so every field is text, never markup: the characters that make links,
# images, emphasis, code, tables, raw HTML or entities are escaped, and a field is one line.
_MARKUP = re.compile(r"([\\`*_\[\]<>&#|~])")
# What opens a block at the start of a line: a list item, a quote, a heading, a rule.
_BLOCK_START = re.compile(r"^([-+=]|\d+[.)])")


def text(value: str) -> str:
    """`value` as Markdown that shows exactly these characters: no link, image, HTML or
    emphasis, on one line."""
    line = " ".join(value.split())
    escaped = _MARKUP.sub(r"\\\1", line)
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def to_markdown(brief: Brief) -> str:
    event = brief.event
    when = event.date.isoformat() if event.date else "date not stated"
    about = (f"{event.type}, {event.location or 'no place stated'}, {when}; tone: {brief.tone}; "
             f"article in {brief.language}")
    lines = [f"# {text(brief.headline)}", "", f"*{text(about)}*", "", text(brief.summary), ""]

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend([f"## {title}", *[f"- {text(item)}" for item in items], ""])

    # What the article says first, then who took part and what about, then what came of it.
    for field in SENTENCE_FIELDS:
        if not field.outcome:
            section(field.label, getattr(brief, field.name))
    section(
        "Participants",
        [", ".join(x for x in (p.name, p.title, p.country) if x) for p in brief.participants],
    )
    section("Countries", brief.countries)
    section("Topics", brief.topics)
    for field in SENTENCE_FIELDS:
        if field.outcome:
            section(field.label, getattr(brief, field.name))
    section(
        "Quotes",
        [f"“{q.text}” — {q.speaker or 'unattributed'} [{q.start}:{q.end}]"
         + (f" ({q.translation})" if q.translation else "") for q in brief.quotes],
    )
    section("Warnings", brief.meta.warnings)
    made = text(
        f"{brief.meta.model}, {brief.meta.prompt_version}, {brief.meta.input_tokens} tokens in, "
        f"{brief.meta.output_tokens} out, {brief.meta.latency_ms / 1000:.1f} s"
    )
    lines.append(f"_{made}_")
    return "\n".join(lines) + "\n"
