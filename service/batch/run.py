"""Running a batch: the items not yet briefed (or compared: a JSONL line `{"articles": [...]}`),
in-process (as many at a time as the engine batches) or through a server's jobs API; a
progress bar on a terminal, a line every few seconds otherwise; a summary at the end. An item
that fails is an error record and the batch goes on. Ctrl-C stops taking new items, lets
those in progress finish and be written, and ends with the output complete so far."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx2
from pydantic import ValidationError
from tqdm import tqdm

from service.batch.inputs import BatchItem
from service.batch.output import BatchOutput
from service.brief.pipeline import BriefPipeline
from service.errors import BriefError
from service.jobs.items import RESULT_FIELD, is_compare, item_request, kind_of, result_of, run_item

log = logging.getLogger(__name__)
Record = dict[str, Any]
_LINE_EVERY_S = 10.0
_POLL_S = 1.0


def error_record(item_id: str, code: str, message: str, status: int) -> Record:
    return {"id": item_id, "error": {"code": code, "message": message}, "status": status}


def with_defaults(fields: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """An item's request with the batch's defaults (--published, --language) under its own
    fields: a compare item's under each of its articles'."""
    articles = fields.get("articles")
    if is_compare(fields) and isinstance(articles, list):
        return {**fields, "articles": [{**defaults, **article} if isinstance(article, dict)
                                       else article for article in articles]}
    return {**defaults, **fields}


def brief_in_process(pipeline: BriefPipeline, item: BatchItem,
                     defaults: dict[str, Any]) -> Record:
    """The item's record: its brief, or for a compare item (`{"articles": [...]}`) the
    comparison, or the error that stopped it."""
    if item.request is None:
        return error_record(item.id, "invalid_input", item.problem or "not an article", 422)
    try:
        request = item_request(with_defaults(item.request, defaults))
        result = run_item(pipeline, request)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors(include_input=False))
        return error_record(item.id, "invalid_input", problems, 422)
    except BriefError as exc:
        return error_record(item.id, exc.code, exc.message, exc.status)
    except Exception as exc:  # one article's failure is its record, not the batch's end
        log.exception("unexpected error briefing %s", item.id)
        return error_record(item.id, "internal_error", f"{type(exc).__name__}: {exc}", 500)
    return {"id": item.id, RESULT_FIELD[kind_of(request)]: result.model_dump(mode="json")}


@dataclass
class Tally:
    total: int
    skipped: int
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        return self.done + self.failed

    def rate_per_min(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.finished / elapsed * 60 if elapsed > 0 else 0.0

    def summary(self, interrupted: bool) -> str:
        elapsed = time.monotonic() - self.started
        left = self.total - self.skipped - self.finished
        return (f"brief batch: {self.total} items: {self.done} briefed, {self.failed} failed, "
                f"{self.skipped} already briefed" + (f", {left} left (interrupted)"
                                                     if interrupted else "")
                + f"; {elapsed:.1f} s, {self.rate_per_min():.1f} briefs/min")


class Progress:
    """tqdm on a terminal; plain periodic lines when the output is a file or a pipe."""

    def __init__(self, tally: Tally, stream: TextIO) -> None:
        self.tally = tally
        self.stream = stream
        todo = tally.total - tally.skipped
        self.bar = tqdm(total=todo, unit="brief", file=stream, dynamic_ncols=True) \
            if stream.isatty() else None
        self._last_line = time.monotonic()

    def advance(self, record: Record) -> None:
        if result_of(record) is not None:
            self.tally.done += 1
        else:
            self.tally.failed += 1
            self.note(f"{record['id']}: {record['error']['message']}")
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=self.tally.failed)
        elif time.monotonic() - self._last_line >= _LINE_EVERY_S:
            self._last_line = time.monotonic()
            t = self.tally
            todo = t.total - t.skipped
            rate = t.rate_per_min()
            eta = (todo - t.finished) / rate if rate else 0.0
            print(f"brief batch: {t.finished}/{todo} ({t.failed} failed), {rate:.1f} briefs/min,"
                  f" about {eta:.0f} min left", file=self.stream, flush=True)

    def note(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_in_process(items: list[BatchItem], brief: Callable[[BatchItem], Record],
                   workers: int, output: BatchOutput, progress: Progress,
                   stop: threading.Event) -> None:
    """`workers` items at a time (their model calls share the engine's batch)."""
    pending = iter(items)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: set[Future[Record]] = set()
        while True:
            while not stop.is_set() and len(running) < workers:
                item = next(pending, None)
                if item is None:
                    break
                running.add(pool.submit(brief, item))
            if not running:
                return
            finished, running = wait(running, timeout=_POLL_S, return_when=FIRST_COMPLETED)
            for future in finished:
                record = future.result()
                output.write(record)
                progress.advance(record)


class ServerBatch:
    """Items sent as jobs (`POST /v1/jobs`), then polled. The jobs are cut from the whole
    input, `job_size` articles each in input order, and each carries an Idempotency-Key made
    from its articles: a rerun after a crash cuts the same jobs and finds them on the server
    (still running, or done) instead of briefing their articles again. A job that finished
    with failures is not the answer for a rerun: the articles still wanted go as a new job."""

    def __init__(self, url: str, api_key: str | None, job_size: int, defaults: dict[str, Any],
                 client: httpx2.Client | None = None) -> None:
        headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx2.Client(base_url=url.rstrip("/"), headers=headers,
                                              timeout=120)
        self.job_size = job_size
        self.defaults = defaults

    def run(self, items: list[BatchItem], todo: set[str], output: BatchOutput,
            progress: Progress, stop: threading.Event) -> None:
        """Briefs the items whose ids are in `todo` (the others are done already)."""
        jobs: list[tuple[str, list[str]]] = []
        refused = [error_record(i.id, "invalid_input", i.problem or "", 422)
                   for i in items if i.request is None and i.id in todo]
        for group in _chunks([i for i in items if i.request is not None], self.job_size):
            wanted = [item for item in group if item.id in todo]
            if stop.is_set() or not wanted:
                continue
            made = self._job_for(group, wanted)
            if made is not None:
                jobs.append(made)
                continue
            # The server refuses a whole job for one bad article: send them one by one, so
            # that only the bad one becomes an error record.
            for item in wanted:
                job_id, problem = self._submit([item], _key([item], self._body([item])))
                if job_id is not None:
                    jobs.append((job_id, [item.id]))
                else:
                    refused.append(error_record(item.id, "refused", problem, 422))
        for record in refused:
            output.write(record)
            progress.advance(record)
        written: set[str] = set()
        while jobs:
            finished_polling = stop.is_set()  # one last poll after Ctrl-C keeps what is done
            for job_id, ids in list(jobs):
                job = self._get(job_id)
                for entry in job["items"]:
                    item_id = ids[entry["index"]]
                    if item_id not in todo or item_id in written or \
                            entry["status"] in ("queued", "running"):
                        continue
                    written.add(item_id)
                    record = _record(item_id, entry)
                    output.write(record)
                    progress.advance(record)
                if job["status"] not in ("queued", "running"):
                    jobs.remove((job_id, ids))
            if finished_polling:
                break
            if jobs:
                stop.wait(_POLL_S)
        for job_id, _ in jobs:  # interrupted: what the server has not briefed yet is dropped
            self.client.delete(f"/v1/jobs/{job_id}")

    def _body(self, items: list[BatchItem]) -> dict[str, Any]:
        return {"items": [with_defaults(item.request or {}, self.defaults) for item in items]}

    def _job_for(self, group: list[BatchItem], wanted: list[BatchItem]
                 ) -> tuple[str, list[str]] | None:
        """The job that briefs `wanted`: the group's own (made now or by an earlier run), or
        a new one of `wanted` alone when the group's finished with some not briefed. None
        when the server refuses the articles."""
        job_id, _ = self._submit(group, _key(group, self._body(group)))
        if job_id is None:
            return None
        earlier = self._get(job_id)
        progress = earlier["progress"]
        if earlier["status"] in ("queued", "running") or progress["done"] == progress["total"]:
            return job_id, [item.id for item in group]
        again, _ = self._submit(wanted, f"{_key(wanted, self._body(wanted))}:"
                                        f"{secrets.token_hex(8)}")
        return (again, [item.id for item in wanted]) if again is not None else None

    def _submit(self, items: list[BatchItem], key: str) -> tuple[str | None, str]:
        """(the job's id, "") or, when the server refuses the articles (4xx but 401 and
        429), (None, why). Anything else stops the batch: retrying cannot help it."""
        response = self.client.post("/v1/jobs", json=self._body(items),
                                    headers={"idempotency-key": key})
        if response.status_code == 202:
            return str(response.json()["id"]), ""
        if response.status_code in (400, 413, 415, 422):
            return None, f"HTTP {response.status_code}: {_message(response)}"
        raise BriefError(f"the server refused a job: HTTP {response.status_code}: "
                         f"{_message(response)}")

    def _get(self, job_id: str) -> dict[str, Any]:
        response = self.client.get(f"/v1/jobs/{job_id}")
        if response.status_code != 200:
            raise BriefError(f"the server lost job {job_id}: HTTP {response.status_code}")
        return dict(response.json())


def _key(items: list[BatchItem], body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([[i.id for i in items], body], sort_keys=True)
                          .encode()).hexdigest()


def _record(item_id: str, entry: dict[str, Any]) -> Record:
    """A job item's batch record: its brief or comparison under the same field, or its
    error."""
    for name in RESULT_FIELD.values():
        if name in entry:
            return {"id": item_id, name: entry[name]}
    error = entry.get("error") or {"code": entry["status"], "message": f"item {entry['status']}"}
    return {"id": item_id, "error": error, "status": entry.get("status_code", 500)}


def _message(response: httpx2.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _chunks(items: list[BatchItem], size: int) -> Iterable[list[BatchItem]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
