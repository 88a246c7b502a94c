"""What `brief batch` reads: JSONL files (one request object a line: `text` or `html`, and
optional `id`, `title`, `published`, `language`, `source`; or `{"articles": [...]}`, two to
four such articles to compare, and an optional `id`), folders of `.txt` and `.html` files,
or `-` (JSONL on stdin). Every item has an id, its own or one made from where it came
from, so that a rerun finds what was already briefed."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ARTICLE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class BatchItem:
    id: str
    request: dict[str, Any] | None
    """The request's fields; None when the input line was not a JSON object (`problem`)."""
    problem: str | None = None


def _jsonl(lines: Iterator[str], name: str) -> Iterator[BatchItem]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BatchItem(where, None, f"line {number} is not JSON: {exc.msg}")
            continue
        if not isinstance(value, dict):
            yield BatchItem(where, None, f"line {number} is not a JSON object")
            continue
        given = value.pop("id", None)
        yield BatchItem(str(given) if given is not None else where, value)


def _folder(folder: Path) -> Iterator[BatchItem]:
    for path in sorted(folder.rglob("*")):
        field = _ARTICLE_SUFFIXES.get(path.suffix.lower())
        if field and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            yield BatchItem(path.relative_to(folder).as_posix(), {field: text})


def read_inputs(inputs: list[str]) -> list[BatchItem]:
    """Every item of every input, in order. ValueError on an input that is not there or on
    two items with one id (a rerun could not tell them apart)."""
    items: list[BatchItem] = []
    for given in inputs:
        if given == "-":
            items += _jsonl(iter(sys.stdin), "stdin")
            continue
        path = Path(given)
        if path.is_dir():
            items += _folder(path)
        elif path.is_file():
            with path.open(encoding="utf-8") as lines:
                items += _jsonl(lines, path.name)
        else:
            raise ValueError(f"{given}: no such file or folder")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"two items have the id {item.id!r}: ids must be unique")
        seen.add(item.id)
    return items


def article_names(items: list[BatchItem]) -> dict[str, list[str]]:
    """Each compare item's articles as its Markdown names them: their `source`, else "article
    N"."""
    names: dict[str, list[str]] = {}
    for item in items:
        articles = (item.request or {}).get("articles")
        if isinstance(articles, list):
            names[item.id] = [
                str(article["source"]) if isinstance(article, dict) and article.get("source")
                else f"article {number}" for number, article in enumerate(articles, start=1)]
    return names
