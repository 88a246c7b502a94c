"""Command line: `brief serve`, `brief summarize`, `brief compare`, `brief batch`, `brief eval`,
`brief callback-key`."""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from service.errors import BriefError, ModelSourceError
from service.settings import Settings

if TYPE_CHECKING:  # the pipeline (and torch with the engine) is imported only when used
    from service.brief.pipeline import BriefPipeline


SERVER_KEY_VARIABLE = "BRIEF_SERVER_API_KEY"
"""`brief batch --server`: the server's API key (never an argument, which `ps` shows)."""


def _pipeline(settings: Settings, replay: Path | None = None) -> BriefPipeline:
    from service.brief.pipeline import BriefPipeline, PipelineConfig
    from service.brief.prompts import load_prompts
    from service.engines import load_centrality, load_engine
    from service.engines.base import Engine
    from service.engines.replay import ReplayEngine

    engine: Engine = load_engine(settings)
    if replay is not None:
        engine = ReplayEngine(engine, replay)
    prompts = load_prompts(settings.prompts_dir, settings.prompt_version)
    return BriefPipeline(engine, prompts, PipelineConfig.from_settings(settings),
                         load_centrality(settings))


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.engines import load_centrality, load_engine
    from service.engines.model_source import resolve_model
    from service.http.app import create_app
    from service.http.logs import configure_logging
    from service.http.protocol import bounded_protocol

    settings = settings.model_copy(
        update={k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    open_warning = _open_without_keys(settings)
    # Fail here, with one line, on a wrong BRIEF_MODEL; and convert the embedded model before
    # the server starts, so its console says what the first slow start is doing.
    resolve_model(settings.model, settings.cache_dir)
    configure_logging(settings.log_level, settings.log_content)
    if open_warning:
        logging.getLogger("service.cli").warning(open_warning)
    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal against the
    # handler that was there before it: make that one a clean exit (status 0), not a kill.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        create_app(settings, load_engine, close_engine=True,
                   centrality_factory=load_centrality),
        host=settings.host,
        port=settings.port,
        log_config=None,  # our JSON lines, configured above
        access_log=False,  # the service logs each request itself, with its request id
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        # Slow or idle clients cannot hold the server: a deadline for a request's headers
        # (the body's is the app's, BRIEF_BODY_READ_TIMEOUT_S), idle keep-alive connections
        # closed, and at most so many connections (beyond it, 503 at once).
        http=bounded_protocol(settings.header_timeout_s, settings.request_line_timeout_s),
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.max_connections,
    )
    return 0


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def _open_without_keys(settings: Settings) -> str | None:
    """Refuses (ValueError) to listen beyond loopback with no API key, unless
    BRIEF_ALLOW_NO_KEYS says so; then the warning to log at start. With no key every caller
    is the same owner: anyone who can reach the port reads every job's briefs."""
    if settings.api_key_list or is_loopback(settings.host):
        return None
    if not settings.allow_no_keys:
        raise ValueError(
            f"refusing to listen on {settings.host} with no API key: anyone who can reach it "
            "could use the service and read every job. Set BRIEF_API_KEYS, listen on "
            "127.0.0.1 (BRIEF_HOST), or set BRIEF_ALLOW_NO_KEYS=true to serve without keys."
        )
    return (f"listening on {settings.host} with no API key (BRIEF_ALLOW_NO_KEYS=true): every "
            "caller can use the service and read every job")


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _summarize(args: argparse.Namespace, settings: Settings) -> int:
    from service.brief.render import to_markdown
    from service.schemas import BriefRequest

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    request = BriefRequest(
        text=text,
        title=args.title,
        source=args.source,
        published=dt.date.fromisoformat(args.published) if args.published else None,
        language=args.language,
    )
    pipeline = _pipeline(settings)
    try:
        brief = pipeline.run(request)
    finally:
        _close(pipeline)
    if args.format == "markdown":
        sys.stdout.write(to_markdown(brief))
    else:
        sys.stdout.write(brief.model_dump_json(indent=2) + "\n")
    return 0


def _compare(args: argparse.Namespace, settings: Settings) -> int:
    """Two to four article files (or - for stdin, once) compared: JSON as `POST /v1/compare`
    answers, or Markdown."""
    from service.compare.comparer import Comparer
    from service.compare.render import comparison_markdown
    from service.compare.schemas import MAX_ARTICLES, MIN_ARTICLES
    from service.schemas import BriefRequest

    if not MIN_ARTICLES <= len(args.files) <= MAX_ARTICLES:
        raise ValueError(f"compare takes {MIN_ARTICLES} to {MAX_ARTICLES} files, not "
                         f"{len(args.files)}")
    published = dt.date.fromisoformat(args.published) if args.published else None
    requests = [
        BriefRequest(text=sys.stdin.read() if name == "-" else Path(name).read_text(
            encoding="utf-8"), source=None if name == "-" else Path(name).name,
            published=published, language=args.language)
        for name in args.files
    ]
    pipeline = _pipeline(settings)
    try:
        result = Comparer(pipeline).compare(requests)
    finally:
        _close(pipeline)
    if args.format == "markdown":
        sys.stdout.write(comparison_markdown(result, [r.source or f"article {i + 1}"
                                                      for i, r in enumerate(requests)]))
    else:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    return 0


def _batch(args: argparse.Namespace, settings: Settings) -> int:
    """Many articles (or pairs to compare): resumable output, progress, a summary; exit 0
    when every item was briefed, 1 when some failed (their error records say why; a rerun
    retries them), 130 when interrupted."""
    from service.batch.inputs import article_names, read_inputs
    from service.batch.output import BatchOutput, JsonlOutput, MarkdownOutput
    from service.batch.run import Progress, ServerBatch, Tally, brief_in_process, run_in_process

    items = read_inputs(args.inputs)
    ids = [item.id for item in items]
    output: BatchOutput
    if args.format == "markdown":
        if not args.output:
            raise ValueError("--format markdown writes one file per item: give -o FOLDER")
        output = MarkdownOutput(Path(args.output), ids, article_names(items))
    else:
        output = JsonlOutput(Path(args.output) if args.output else None, sys.stdout)
    done = output.done()
    todo = [item for item in items if item.id not in done]
    defaults = {k: v for k, v in (("published", args.published), ("language", args.language))
                if v is not None}
    tally = Tally(len(items), len(items) - len(todo))
    progress = Progress(tally, sys.stderr)
    stop = threading.Event()

    def interrupted(signum: int, frame: object) -> None:
        if stop.is_set():
            # Again: at once. Every finished record is already in the output (appended and
            # flushed as it came); the next run compacts it.
            progress.note("brief batch: stopped at once")
            os._exit(130)
        stop.set()
        progress.note("brief batch: stopping after the items in progress (Ctrl-C again: at once)")

    try:
        if args.server:
            signal.signal(signal.SIGINT, interrupted)
            api_key = os.environ.get(SERVER_KEY_VARIABLE) or None
            ServerBatch(args.server, api_key, args.job_size, defaults).run(
                items, {item.id for item in todo}, output, progress, stop)
        elif todo:
            pipeline = _pipeline(settings)
            signal.signal(signal.SIGINT, interrupted)
            try:
                run_in_process(todo, lambda item: brief_in_process(pipeline, item, defaults),
                               args.workers or settings.max_batch, output, progress, stop)
            finally:
                _close(pipeline)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        output.finish(ids)
        progress.close()
    print(tally.summary(stop.is_set()), file=sys.stderr)
    if stop.is_set():
        return 130
    return 1 if tally.failed else 0


def _close(pipeline: BriefPipeline) -> None:
    """Stop the engine's model thread before the interpreter exits: torch's thread pool
    torn down under a still-running thread aborts the process (exit status 134)."""
    pipeline.engine.close()


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    """Brief every article of each folder with one loaded model, score each folder, and end
    with one line per folder, so that several development sets compare at a glance."""
    folders = [Path(d) for d in args.dirs]
    outputs = _output_folders(folders, Path(args.out))
    pipeline = _pipeline(settings, Path(args.replay) if args.replay else None)
    try:
        for folder, out in zip(folders, outputs, strict=True):
            _brief_folder(pipeline, folder, out)
    finally:
        _close(pipeline)
    status, summary = 0, []
    for folder, out in zip(folders, outputs, strict=True):
        scorer = Path(args.scorer)
        if not scorer.is_file():
            summary.append(f"{folder}: no scorer at {scorer}; briefs are in {out}")
            continue
        scored = subprocess.run(
            [sys.executable, str(scorer), "--gold", str(folder), "--briefs", str(out)],
            capture_output=True, text=True, check=False,
        )
        sys.stdout.write(scored.stdout)
        sys.stderr.write(scored.stderr)
        status = status or scored.returncode
        last = scored.stdout.strip().splitlines()[-1:] or [f"scorer exited {scored.returncode}"]
        summary.append(f"{folder}: {last[0]}")
    print("\n".join(summary))
    return status


def _output_folders(folders: list[Path], out: Path) -> list[Path]:
    """One folder's briefs go in OUT itself (as they always have); several folders' each in
    OUT/<folder name>, numbered when two folders share a name."""
    if len(folders) == 1:
        return [out]
    names = [folder.resolve().name or "set" for folder in folders]
    return [
        out / (name if names.count(name) == 1 else f"{name}-{index}")
        for index, name in enumerate(names, start=1)
    ]


def _brief_folder(pipeline: BriefPipeline, folder: Path, out: Path) -> None:
    from service.schemas import BriefRequest

    out.mkdir(parents=True, exist_ok=True)
    timings = []
    for path in sorted(folder.glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        if "text" not in article:
            continue
        request = BriefRequest(
            text=article["text"],
            published=article.get("published"),
            title=article.get("title"),
            source=article.get("source_url") or article.get("source"),
        )
        started = time.perf_counter()
        # The file is named after the article's file, never after an id taken from inside it.
        article_id = path.stem
        try:
            brief = pipeline.run(request)
        except BriefError as exc:
            print(f"{article_id}: failed: {exc.message}", flush=True)
            continue
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        (out / f"{article_id}.json").write_text(brief.model_dump_json(indent=2), encoding="utf-8")
        print(f"{article_id}: {elapsed:.1f} s, {brief.meta.output_tokens} tokens out", flush=True)
    if timings:
        print(f"{folder}: time per article: mean {sum(timings) / len(timings):.1f} s, "
              f"max {max(timings):.1f} s over {len(timings)} articles", flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brief", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default=None, help="bind address (BRIEF_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (BRIEF_PORT)")
    summarize = commands.add_parser("summarize", help="brief one article file, or - for stdin")
    summarize.add_argument("file")
    summarize.add_argument("--format", choices=["json", "markdown"], default="json")
    summarize.add_argument("--published", help="publication date, YYYY-MM-DD")
    summarize.add_argument("--title")
    summarize.add_argument(
        "--source", help="where the article is from, its web address: a government's own page "
        "says whose it is")
    summarize.add_argument(
        "--language", help="the brief's language: en (default) or the article's own code"
    )
    compare = commands.add_parser(
        "compare", help="compare 2-4 articles about one event (two sides' readouts of a call)")
    compare.add_argument("files", nargs="+", metavar="FILE", help="article files, or - for stdin")
    compare.add_argument("--format", choices=["json", "markdown"], default="json")
    compare.add_argument("--published", help="publication date for every file, YYYY-MM-DD")
    compare.add_argument("--language", help="the briefs' language: en (default) or the "
                         "articles' own code")
    batch = commands.add_parser(
        "batch", help="brief many articles (JSONL files, folders of .txt/.html, or -) to JSONL; "
        "a JSONL line {\"articles\": [...]} is compared",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT")
    batch.add_argument("-o", "--output", help="JSONL file (resumed if it exists; default: "
                       "stdout), or a folder with --format markdown")
    batch.add_argument("--format", choices=["jsonl", "markdown"], default="jsonl")
    batch.add_argument("--server", help="a running service's URL: brief through its jobs API "
                       f"(its API key from the environment variable {SERVER_KEY_VARIABLE})")
    # The key is read from the environment: a command line is visible to every user in `ps`.
    batch.add_argument("--workers", type=int, default=0,
                       help="articles at a time in-process (default: BRIEF_MAX_BATCH)")
    batch.add_argument("--job-size", type=int, default=50,
                       help="articles per job with --server (at most the server's "
                       "BRIEF_MAX_JOB_ITEMS)")
    batch.add_argument("--published", help="publication date for items that give none")
    batch.add_argument("--language", help="the briefs' language for items that give none")
    evaluate = commands.add_parser(
        "eval", help="brief folders of gold articles and score each, one line per folder"
    )
    evaluate.add_argument(
        "dirs", nargs="+", metavar="dir", help="folder of <id>.json articles with a 'text' field"
    )
    evaluate.add_argument(
        "--out", default="eval-out",
        help="where the briefs are written (several folders: OUT/<folder name>)",
    )
    # Required: a scorer found beside the data would run whatever code that folder holds.
    evaluate.add_argument("--scorer", required=True,
                          help="the scoring script to run on each folder's briefs")
    evaluate.add_argument(
        "--replay", metavar="FILE",
        help="the model's answers kept in FILE (written by the first run) and given again to "
        "the same requests: a change after the model measured on fixed drafts, in a minute")
    commands.add_parser(
        "callback-key", help="print the key that signs one API key's job callbacks (the API "
        "key read from stdin, never from the command line; derived from BRIEF_CALLBACK_SECRET)",
    )
    return parser


def _callback_key(args: argparse.Namespace, settings: Settings) -> int:
    """What an operator hands a tenant so it can check its callbacks' signatures."""
    if settings.callback_secret is None:
        print("brief: BRIEF_CALLBACK_SECRET is not set", file=sys.stderr)
        return 2
    from service.jobs.callbacks import callback_key, owner_of

    api_key = sys.stdin.readline().strip()
    secret = settings.callback_secret.get_secret_value().encode()
    print(callback_key(secret, owner_of(api_key)).decode())
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
        handler = {"serve": _serve, "summarize": _summarize, "compare": _compare,
                   "batch": _batch, "eval": _eval, "callback-key": _callback_key}[args.command]
        return handler(args, settings)
    except ModelSourceError as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("brief: interrupted", file=sys.stderr)
        return 130
    except (BriefError, ValueError, OSError) as exc:
        message = exc.message if isinstance(exc, BriefError) else str(exc)
        print(f"brief: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
