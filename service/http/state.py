"""What the routes share, kept on the app (`app.state.service`) and handed to them typed
through `service/http/deps.py`: the settings, admission, metrics, the pipeline once the model
has loaded, and the jobs' store and runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from service.brief.pipeline import BriefPipeline
from service.errors import EngineUnavailable
from service.http.admission import AdmissionController
from service.http.metrics import Metrics
from service.jobs.callbacks import CallbackPolicy, CallbackSender
from service.jobs.runner import JobRunner
from service.jobs.store import JobStore
from service.settings import Settings


@dataclass
class JobsService:
    """Brief jobs: their store, their runner, and the policy for their callbacks."""

    store: JobStore
    runner: JobRunner
    callback_policy: CallbackPolicy
    callbacks: CallbackSender | None
    """None unless BRIEF_ALLOW_CALLBACKS."""
    changed: Callable[[], None]
    """Call after a change the metrics should show (a job created or cancelled)."""


@dataclass
class ServiceState:
    """What the routes need, filled in once the model has loaded."""

    settings: Settings
    admission: AdmissionController
    metrics: Metrics = field(default_factory=Metrics)
    pipeline: BriefPipeline | None = None
    ready: bool = False
    load_error: str | None = None
    jobs: JobsService | None = None
    jobs_error: str | None = None

    def loaded_pipeline(self, loading: str = "the model is still loading; retry shortly"
                        ) -> BriefPipeline:
        """The pipeline, once the model is loaded and warm; 503 until then (why it failed to
        load, or `loading`)."""
        if not self.ready or self.pipeline is None:
            raise EngineUnavailable(self.load_error or loading)
        return self.pipeline
