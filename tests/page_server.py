"""`python -m tests.page_server --port N [--api-keys K]`: the real app under uvicorn on
127.0.0.1 with a scripted engine, for the analyst page's browser tests. What the page does
(progress, highlights, copying, errors, keys) does not depend on which model writes: this
engine writes the same grounded draft for any article, ten tokens a second for 1.5 s, or
for a minute when the article contains "[slow]" (for cancelling)."""

from __future__ import annotations

import argparse

import uvicorn

from service.engines.base import GenerationRequest, GenerationResult
from service.http.app import create_app
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft

DRAFT = draft(key_points=[2, 3], agreements=[3], next_steps=[8])


class PageEngine(ScriptedEngine):
    def generate(self, request: GenerationRequest) -> GenerationResult:
        slow = "[slow]" in request.messages[-1]["content"]
        writer = ScriptedEngine([DRAFT], delay_s=60.0 if slow else 1.5)
        result = writer.generate(request)
        self.requests.append(request)
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-keys", default="")
    args = parser.parse_args()
    settings = Settings(warmup=False, api_keys=args.api_keys, max_concurrency=2)
    app = create_app(settings, engine_factory=lambda _: PageEngine())
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
