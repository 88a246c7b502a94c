"""Where `brief batch` writes, so that a rerun resumes: one JSON record a line, `{"id",
"brief"}` or `{"id", "error", "status"}`. Records are appended as items finish (nothing done
is lost to Ctrl-C or a crash); at the end the file is rewritten, atomically, with exactly one
record per input, in input order: a rerun skips the items with a brief and redoes those with
an error, whose new record replaces the old. The Markdown form writes `<id>.md` per brief
and keeps errors in `errors.jsonl` beside them."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import IO, Any, Protocol

from service.brief.render import to_markdown
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
        return {key for key, record in self.records.items() if "brief" in record}

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
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered),
                           encoding="utf-8")
        os.replace(partial, self.path)


def markdown_name(item_id: str) -> str:
    """A file name for an id (a path like `may/readout.txt` becomes `may_readout.txt.md`)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", item_id).strip("._") or "item"


class MarkdownOutput:
    def __init__(self, folder: Path, ids: list[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.errors: dict[str, dict[str, Any]] = {}
        self._names: dict[str, str] = {}
        taken: set[str] = set()
        for item_id in ids:
            name = markdown_name(item_id)
            if name in taken:  # two ids that read alike (`a/b.txt`, `a_b.txt`): kept apart
                name += "-" + hashlib.sha256(item_id.encode()).hexdigest()[:8]
            taken.add(name)
            self._names[item_id] = name + ".md"

    def done(self) -> set[str]:
        return {item_id for item_id, name in self._names.items()
                if (self.folder / name).exists()}

    def write(self, record: dict[str, Any]) -> None:
        item_id = str(record["id"])
        if "brief" in record:
            brief = Brief.model_validate(record["brief"])
            (self.folder / self._names[item_id]).write_text(to_markdown(brief), encoding="utf-8")
            self.errors.pop(item_id, None)
        else:
            self.errors[item_id] = record

    def finish(self, order: list[str]) -> None:
        path = self.folder / "errors.jsonl"
        lines = [json.dumps(self.errors[i], ensure_ascii=False) + "\n" for i in order
                 if i in self.errors]
        if lines:
            path.write_text("".join(lines), encoding="utf-8")
        elif path.exists():
            path.unlink()
