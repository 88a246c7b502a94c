"""The public HTTP API is what `tests/snapshots/openapi.json` says: a change to a route, a
request or a response field shows up here as a diff, never by accident.

After a deliberate change to the API, write the new snapshot and commit it with the change:

    python -m tests.test_openapi_snapshot
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from service.http.app import create_app
from service.settings import Settings
from tests.conftest import ScriptedEngine

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_openapi() -> dict[str, Any]:
    app = create_app(Settings(warmup=False), engine_factory=lambda _: ScriptedEngine())
    return app.openapi()


def _dump(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_openapi_document_is_the_committed_snapshot() -> None:
    expected, actual = SNAPSHOT.read_text(), _dump(current_openapi())
    diff = "".join(difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        "snapshot", "current", n=2,
    ))
    assert not diff, f"the public API changed (see this module's docstring):\n{diff[:4000]}"


if __name__ == "__main__":
    SNAPSHOT.write_text(_dump(current_openapi()))
    print(f"wrote {SNAPSHOT}")
