"""The routes' typed dependencies (as the FastAPI project template's `api/deps.py`): a route
names `state: State` or `jobs: Jobs` and gets the service's own object, checked by mypy,
instead of reaching into `request.app.state` for an Any."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.errors import EngineUnavailable
from service.http.state import JobsService, ServiceState


def service_state(request: Request) -> ServiceState:
    state = request.app.state.service
    if not isinstance(state, ServiceState):  # only create_app builds the app
        raise TypeError("the app carries no ServiceState: build it with create_app")
    return state


State = Annotated[ServiceState, Depends(service_state)]


def jobs_service(state: State) -> JobsService:
    """The jobs' store and runner; 503 when the store could not be opened (briefs work)."""
    if state.jobs is None:
        raise EngineUnavailable(state.jobs_error or "brief jobs are not available")
    return state.jobs


Jobs = Annotated[JobsService, Depends(jobs_service)]
