"""A brief as readable Markdown, for the command line."""

from __future__ import annotations

from service.schemas import Brief


def to_markdown(brief: Brief) -> str:
    event = brief.event
    when = event.date.isoformat() if event.date else "date not stated"
    lines = [f"# {brief.headline}", "", f"*{event.type}, {event.location or 'no place stated'}, {when}; tone: {brief.tone}; article in {brief.language}*", "", brief.summary, ""]

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend([f"## {title}", *[f"- {item}" for item in items], ""])

    section("Key points", brief.key_points)
    section(
        "Participants",
        [", ".join(x for x in (p.name, p.title, p.country) if x) for p in brief.participants],
    )
    section("Countries", brief.countries)
    section("Topics", brief.topics)
    section("Agreements", brief.agreements)
    section("Disagreements", brief.disagreements)
    section("Next steps", brief.next_steps)
    section(
        "Quotes",
        [f"“{q.text}” — {q.speaker or 'unattributed'} [{q.start}:{q.end}]"
         + (f" ({q.translation})" if q.translation else "") for q in brief.quotes],
    )
    section("Warnings", brief.meta.warnings)
    lines.append(
        f"_{brief.meta.model}, {brief.meta.prompt_version}, {brief.meta.input_tokens} tokens in, "
        f"{brief.meta.output_tokens} out, {brief.meta.latency_ms / 1000:.1f} s_"
    )
    return "\n".join(lines) + "\n"
