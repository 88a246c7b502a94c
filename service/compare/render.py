"""A comparison as Markdown, for a cable or a desk's notes: whether it is one event and why,
what the texts share (each text's own words, side by side), what only one says, and the
fields they state differently."""

from __future__ import annotations

from typing import Any

from service.compare.schemas import Comparison, Difference, MultiComparison, OnlyPoint


def _value(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _difference_values(difference: Difference, count: int) -> list[Any]:
    if difference.values is not None:
        return difference.values
    return [difference.a, difference.b][:count]


def _only_line(point: OnlyPoint) -> str:
    where = ", ".join(f"[{e.start}:{e.end}]" for e in point.evidence)
    if point.kind == "detail" and point.shared_index is not None:
        return f"- {point.text} *(adds to shared point {point.shared_index + 1})* {where}"
    return f"- {point.text} {where}"


def comparison_markdown(result: Comparison | MultiComparison, names: list[str]) -> str:
    briefs = [result.a, result.b] if isinstance(result, Comparison) else result.briefs
    only = [result.only_a, result.only_b] if isinstance(result, Comparison) else result.only
    verdict = "the same event" if result.same_event else "different events"
    lines = [f"# Comparison of {len(briefs)} texts: {verdict}", "", result.same_event_reason, ""]
    for name, brief in zip(names, briefs, strict=True):
        when = brief.event.date.isoformat() if brief.event.date else "date not stated"
        lines.append(f"- **{name}**: {brief.headline} *({brief.event.type}, "
                     f"{brief.event.location or 'no place stated'}, {when}; tone: {brief.tone})*")
    lines.append("")
    if result.shared:
        lines += ["## Reported by more than one", ""]
        for number, point in enumerate(result.shared, 1):
            lines.append(f"{number}. *({', '.join(point.terms) or 'the event itself'})*")
            for name, said in zip(names, point.texts, strict=True):
                lines.append(f"   - {name}: {said or '—'}")
        lines.append("")
    for name, own in zip(names, only, strict=True):
        if own:
            lines += [f"## Only in {name}", "", *[_only_line(p) for p in own], ""]
    if result.differences:
        lines += ["## Stated differently", "", "| field | " + " | ".join(names) + " |",
                  "|---" * (len(names) + 1) + "|"]
        for difference in result.differences:
            values = _difference_values(difference, len(names))
            lines.append(f"| {difference.field} | "
                         + " | ".join(_value(v).replace("|", "/") for v in values) + " |")
        lines.append("")
    return "\n".join(lines)
