"""Where `brief batch` writes, so that a rerun resumes: one JSON record a line, `{"id",
"brief"}`, `{"id", "comparison"}` (a compare item) or `{"id", "error", "status"}`. Records
are appended as items finish (nothing done is lost to Ctrl-C or a crash); at the end the file
is rewritten, atomically, with exactly one record per input, in input order: a rerun skips
the items with a brief or comparison and redoes those with an error, whose new record
replaces the old. The Markdown form writes one file per brief or comparison, named by its
id's prefix and hash, and keeps errors in `errors.jsonl` beside them. Every rewrite is synced
to disk before it replaces the old file, and never follows a link."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import IO, Any, Protocol

from service.brief.render import to_markdown
from service.compare.render import comparison_markdown
from service.compare.schemas import Comparison, MultiComparison
from service.jobs.items import result_of
from service.schemas import Brief


class BatchOutput(Protocol):
    def done(self) -> set[str]:
        """Ids already briefed (skipped by a rerun)."""
        ...

    def write(self, record: dict[str, Any]) -> None: ...

    def finish(self, order: list[str]) -> None: ...


class JsonlOutput:
    def __init__(self, path: Path | None, stream: IO[str] | None = None) -> None:
        self.path = path
        self.records: dict[str, dict[str, Any]] = {}
        if path is not None and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash: its item is briefed again
                if isinstance(record, dict) and "id" in record:
                    self.records[str(record["id"])] = record
        self._stream = stream if path is None else path.open("a", encoding="utf-8")

    def done(self) -> set[str]:
        return {key for key, record in self.records.items() if result_of(record) is not None}

    def write(self, record: dict[str, Any]) -> None:
        self.records[str(record["id"])] = record
        assert self._stream is not None
        self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._stream.flush()

    def finish(self, order: list[str]) -> None:
        if self.path is None:
            return
        assert self._stream is not None
        self._stream.close()
        wanted = set(order)
        # Input order first; records of items no longer in the input are kept after them.
        ordered = [self.records[i] for i in order if i in self.records]
        ordered += [r for key, r in self.records.items() if key not in wanted]
        write_file_safely(
            self.path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered))


_NAME_PREFIX_CHARS = 40


def markdown_name(item_id: str) -> str:
    """A file name for an id: a short readable prefix and a hash of the whole id
    (`may/readout.txt` -> `may_readout.txt-3f2a9c81d0e4.md`). The same id gets the same name
    in every run, two ids never share one, and an id of any length fits a file system."""
    prefix = re.sub(r"[^A-Za-z0-9._-]+", "_", item_id).strip("._")[:_NAME_PREFIX_CHARS] or "item"
    return f"{prefix}-{hashlib.sha256(item_id.encode()).hexdigest()[:12]}.md"


def write_file_safely(path: Path, content: str) -> None:
    """Replaces `path` with `content` whole: written beside it without following a link (a
    link planted in the output folder cannot redirect the write), flushed to disk, then
    renamed over it (the rename replaces a link, never its target), and the folder synced."""
    partial = path.with_name(path.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()  # a leftover, or a planted link: removed, not followed
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(partial, flags, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class MarkdownOutput:
    def __init__(self, folder: Path, ids: list[str],
                 article_names: dict[str, list[str]] | None = None) -> None:
        """`article_names`: each compare item's articles as its Markdown names them."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.errors: dict[str, dict[str, Any]] = {}
        self._names = {item_id: markdown_name(item_id) for item_id in ids}
        self._article_names = article_names or {}

    def done(self) -> set[str]:
        return {item_id for item_id, name in self._names.items()
                if (self.folder / name).is_file() and not (self.folder / name).is_symlink()}

    def write(self, record: dict[str, Any]) -> None:
        item_id = str(record["id"])
        if "brief" in record:
            brief = Brief.model_validate(record["brief"])
            write_file_safely(self.folder / self._names[item_id], to_markdown(brief))
            self.errors.pop(item_id, None)
        elif "comparison" in record:
            write_file_safely(self.folder / self._names[item_id],
                              self._comparison(item_id, record["comparison"]))
            self.errors.pop(item_id, None)
        else:
            self.errors[item_id] = record

    def _comparison(self, item_id: str, fields: dict[str, Any]) -> str:
        result = (MultiComparison if "briefs" in fields else Comparison).model_validate(fields)
        count = len(result.briefs) if isinstance(result, MultiComparison) else 2
        given = self._article_names.get(item_id, [])
        names = [given[i] if i < len(given) else f"article {i + 1}" for i in range(count)]
        return comparison_markdown(result, names)

    def finish(self, order: list[str]) -> None:
        path = self.folder / "errors.jsonl"
        lines = [json.dumps(self.errors[i], ensure_ascii=False) + "\n" for i in order
                 if i in self.errors]
        if lines:
            write_file_safely(path, "".join(lines))
        elif path.exists() or path.is_symlink():
            path.unlink()
