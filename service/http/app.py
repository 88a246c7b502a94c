"""The FastAPI application: built by a factory, the engine loaded in the lifespan."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import __version__
from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.brief.selection import Centrality
from service.engines.base import Engine
from service.errors import BriefError
from service.http.admission import AdmissionController
from service.http.compare_routes import router as compare_router
from service.http.error_handlers import install_error_handlers
from service.http.fields_routes import router as fields_router
from service.http.host_guard import HostGuard
from service.http.jobs_routes import router as jobs_router
from service.http.middleware import BodyLimits, ServiceMiddleware
from service.http.page import STATIC_PREFIX, static_files
from service.http.page import router as page_router
from service.http.routes import router
from service.http.state import JobsService, ServiceState
from service.jobs.callbacks import CallbackPolicy, CallbackSender
from service.jobs.runner import JobRunner
from service.jobs.store import JobStoreUnavailable, QueueLimits, open_job_store
from service.schemas import BriefRequest
from service.settings import Settings

log = logging.getLogger(__name__)

EngineFactory = Callable[[Settings], Engine]
CentralityFactory = Callable[[Settings], Centrality | None]
"""The salience measure of a long article's selection; None: the pipeline's TF-IDF."""


JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled", "expired")


def _open_jobs(state: ServiceState) -> JobsService | None:
    """The job store BRIEF_JOBS_URL names (SQLite in BRIEF_DATA_DIR without it) and its
    runner; None (jobs answer 503, briefs work) when the store cannot be opened, e.g. on a
    read-only disk without a data volume, or a PostgreSQL that does not answer."""
    settings = state.settings
    url = settings.jobs_url.get_secret_value() if settings.jobs_url else None
    limits = QueueLimits(per_key=settings.max_queued_items_per_key,
                         total=settings.max_queued_items)
    try:
        store = open_job_store(url, settings.data_dir, limits, pool_size=settings.jobs_pool_size)
    except (OSError, sqlite3.Error, JobStoreUnavailable, ValueError) as exc:
        where = "BRIEF_JOBS_URL" if url else str(settings.data_dir / "jobs.sqlite3")
        state.jobs_error = f"brief jobs are not available: cannot open {where} ({exc})"
        log.error(state.jobs_error)
        return None
    secret = settings.callback_secret.get_secret_value() if settings.callback_secret else None
    policy = CallbackPolicy.from_entries(settings.allow_callbacks, settings.callback_host_list,
                                         secret)
    metrics = state.metrics

    def changed() -> None:
        counts = store.job_counts()
        for status in JOB_STATUSES:
            metrics.jobs.labels(status).set(counts.get(status, 0))
        metrics.job_items_queued.set(store.queued_items())

    sender = CallbackSender(policy) if settings.allow_callbacks else None
    runner = JobRunner(
        store, state.admission,
        lambda: state.pipeline if state.ready else None,
        workers=settings.max_concurrency, request_timeout_s=settings.request_timeout_s,
        retention_h=settings.job_retention_h, queue_ttl_h=settings.job_queue_ttl_h,
        lease_s=settings.job_lease_s,
        callbacks=sender, callback_concurrency=settings.callback_concurrency,
        on_change=changed, on_job_finished=metrics.job_duration.observe,
    )
    return JobsService(store, runner, policy, sender, changed)


WARMUP_ARTICLE = (
    "GENEVA, March 3 (Wire) - Foreign Minister Anna Berg of Sweden met Foreign Minister "
    "Paulo Reis of Portugal in Geneva on Monday. The pair settled on regular "
    "talks on energy and fisheries. They will meet again in Lisbon in June."
)


def _load(
    state: ServiceState, factory: EngineFactory, centrality_factory: CentralityFactory | None,
) -> None:
    settings = state.settings
    try:
        started = time.monotonic()
        engine = factory(settings)
        state.pipeline = BriefPipeline(
            engine, load_prompts(settings.prompts_dir, settings.prompt_version),
            PipelineConfig.from_settings(settings),
            centrality_factory(settings) if centrality_factory else None,
        )
        if settings.warmup:
            # A whole brief, so the first real request finds the instructions' KV cached,
            # the grammar machinery compiled and spaCy loaded. The model is loaded either way:
            # a warm-up that fails (a model that cannot brief it, a tiny input limit) is logged.
            try:
                state.pipeline.run(BriefRequest(text=WARMUP_ARTICLE))
            except BriefError as exc:
                log.warning("warm-up brief failed (serving anyway): %s", exc)
        state.ready = True
        load_s = time.monotonic() - started
        state.metrics.model_load_seconds.set(load_s)
        log.info("model ready", extra={"model": engine.info.name, "load_s": round(load_s, 2)})
    except Exception as exc:  # reported by /readyz; the process stays up to say why
        state.load_error = f"{type(exc).__name__}: {exc}"
        log.error("model failed to load: %s", state.load_error)


def create_app(
    settings: Settings, engine_factory: EngineFactory, *, close_engine: bool = False,
    centrality_factory: CentralityFactory | None = None,
) -> FastAPI:
    """The app, its engine made by `engine_factory` in the lifespan (the composition root,
    `service.cli`, hands in the real loader; tests hand in their own). With `close_engine`
    the engine is closed at shutdown; otherwise it belongs to whoever made it.
    `centrality_factory` makes the long-article selection's salience measure at load time."""
    state = ServiceState(
        settings, AdmissionController(settings.max_concurrency, settings.max_queue)
    )
    state.metrics.queue_depth.set_function(lambda: state.admission.waiting)
    state.metrics.in_flight.set_function(lambda: state.admission.running)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load in a thread so /healthz answers (and /readyz says 503) while the model loads.
        loader = threading.Thread(target=_load, args=(state, engine_factory, centrality_factory),
                                  daemon=True)
        loader.start()
        state.jobs = _open_jobs(state)
        if state.jobs is not None:
            await state.jobs.runner.start()
        try:
            yield
        finally:
            if state.jobs is not None:
                # Items running here go back to the queue (JobRunner.stop).
                await state.jobs.runner.stop()
                state.jobs.store.close()
            await asyncio.to_thread(loader.join, 0.1)
            # After uvicorn has drained the requests: stop the engine's worker thread.
            if close_engine and state.pipeline is not None:
                await asyncio.to_thread(state.pipeline.engine.close)

    app = FastAPI(
        title="Brief service",
        version=__version__,
        description="Structured, grounded briefs of diplomatic news from a local language model.",
        lifespan=lifespan,
    )
    app.state.service = state
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(compare_router)
    app.include_router(jobs_router)
    app.include_router(page_router)
    app.include_router(fields_router)
    app.mount(STATIC_PREFIX, static_files(), name="static")
    # Inside ServiceMiddleware (added first): its refusals are logged and counted too.
    app.add_middleware(HostGuard, allowed_hosts=settings.allowed_host_list,
                       allowed_origins=settings.allowed_origin_list)
    app.add_middleware(
        ServiceMiddleware, api_keys=settings.api_key_list, metrics=state.metrics,
        limits=BodyLimits(settings.body_read_timeout_s, settings.drain_limit_bytes),
    )
    return app
