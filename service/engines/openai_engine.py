"""An engine on a model server that speaks the OpenAI chat-completions API: vLLM or SGLang on
GPUs, llama.cpp's `llama-server`, llama-cpp-python's server, Ollama.

The pipeline calls engines from worker threads and blocks; this engine runs one asyncio loop
of its own, where the maintained `openai` client streams every call. A brief that is
cancelled (client gone, deadline) cancels its upstream task, which closes the stream: the
server sees the disconnect and stops generating. Upstream calls in flight are bounded by
`BRIEF_OPENAI_MAX_CONCURRENCY` across all briefs, so the parts of a long article go
together and the server's continuous batching does the work.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx2  # the HTTP library of the openai client
import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from service.engines.base import EngineInfo, GenerationRequest, GenerationResult
from service.errors import (
    BriefError,
    Cancelled,
    DeadlineExceeded,
    EngineUnavailable,
    GenerationFailed,
)
from service.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
SchemaMode = Literal["json_schema", "json_object"]

_POLL_S = 0.05
_HEALTH_TTL_S = 2.0
_HEALTH_TIMEOUT_S = 3.0
_RETRY_AFTER_S = 5
# A probe that any constraining server answers in a few tokens.
_PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
# Passing refusals: worth a retry after a pause. Everything else (400, 401, 404, 422) is
# the same on every try.
_RETRIABLE = (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError,
              httpx2.TransportError)  # the last: a stream cut off midway


class EngineMisconfigured(EngineUnavailable):
    """The engine server refuses what the settings ask of it (a response_format it does not
    take, an unknown model, a wrong API key): said once at start-up, fixed by a setting."""

    code = "engine_misconfigured"


@dataclass(frozen=True)
class RemoteConfig:
    base_url: str
    model: str = ""
    api_key: str | None = None
    timeout_s: float = 120.0
    max_concurrency: int = 8
    max_retries: int = 3
    schema_mode: Literal["json_schema", "json_object", "auto"] = "json_schema"
    sampling: Literal["openai", "vllm", "llama.cpp"] = "openai"
    tokenizer: str = "auto"
    ca_bundle: Path | None = None
    backoff_s: float = 0.5
    """The first retry's pause; each further one doubles it (at most 8 s), unless the server
    said how long in Retry-After."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteConfig:
        if not settings.openai_base_url:
            raise EngineMisconfigured(
                "BRIEF_ENGINE=openai needs BRIEF_OPENAI_BASE_URL (e.g. http://vllm:8000/v1)"
            )
        key = settings.openai_api_key
        return cls(
            base_url=settings.openai_base_url.rstrip("/"),
            model=settings.openai_model,
            api_key=key.get_secret_value() if key is not None else None,
            timeout_s=settings.openai_timeout_s,
            max_concurrency=settings.openai_max_concurrency,
            max_retries=settings.openai_max_retries,
            schema_mode=settings.openai_schema_mode,
            sampling=settings.openai_sampling,
            tokenizer=settings.openai_tokenizer,
            ca_bundle=settings.openai_ca_bundle,
        )

    @property
    def public_url(self) -> str:
        """The base URL without credentials, for logs and `GET /v1/model`."""
        return str(httpx2.URL(self.base_url).copy_with(username=None, password=None))

    @property
    def server_root(self) -> str:
        """Where tokenize endpoints live: outside `/v1`."""
        url = httpx2.URL(self.public_url)
        return str(url.copy_with(path=url.path.removesuffix("/").removesuffix("/v1") or "/"))


def estimate_tokens(text: str) -> int:
    """A count no tokenizer in use exceeds on ordinary text: BPE vocabularies of current
    models take 3.5-4.5 bytes of English per token, and about one token per CJK character
    (three bytes). Over-counting only makes a long article's parts smaller."""
    return math.ceil(len(text.encode("utf-8")) / 3)


class _TokenCounter:
    """Counts tokens the way the served model does, where that can be had without a
    download: the server's endpoint, a local tokenizer file, or the estimate."""

    def __init__(self, kind: str, count: Callable[[str], int]) -> None:
        self.kind = kind
        self.count = count


def _local_counter(path: Path) -> _TokenCounter:
    from tokenizers import Tokenizer

    file = path / "tokenizer.json" if path.is_dir() else path
    try:
        tokenizer = Tokenizer.from_file(str(file))
    except Exception as exc:  # the library raises its own Exception type for a bad file
        raise EngineMisconfigured(f"BRIEF_OPENAI_TOKENIZER={path}: not a tokenizer ({exc})") from exc
    return _TokenCounter(
        f"local:{path}", lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)
    )


# Each server's tokenize endpoint: (path under the server root, body, how to read the count).
_TOKENIZE_ENDPOINTS: list[tuple[str, Callable[[str, str], dict[str, Any]],
                                Callable[[dict[str, Any]], int]]] = [
    # vLLM (and SGLang): {"count": n, "tokens": [...]}
    ("tokenize", lambda model, text: {"model": model, "prompt": text,
                                      "add_special_tokens": False},
     lambda body: int(body["count"]) if "count" in body else len(body["tokens"])),
    # llama.cpp's llama-server: {"tokens": [...]}
    ("tokenize", lambda model, text: {"content": text}, lambda body: len(body["tokens"])),
    # llama-cpp-python's server
    ("extras/tokenize/count", lambda model, text: {"model": model, "input": text},
     lambda body: int(body["count"])),
]


class _LoopThread:
    """One asyncio loop in a daemon thread; blocking callers submit coroutines to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="openai-engine",
                                        daemon=True)
        self._thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return self.submit(coro).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        if not self.loop.is_running():
            self.loop.close()


class OpenAICompatibleEngine:
    """The Engine protocol over an OpenAI-compatible server (see the module's docstring)."""

    def __init__(
        self, config: RemoteConfig, *, transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        verify: ssl.SSLContext | bool = True
        if config.ca_bundle is not None:
            try:
                verify = ssl.create_default_context(cafile=str(config.ca_bundle))
            except (OSError, ssl.SSLError) as exc:
                raise EngineMisconfigured(
                    f"BRIEF_OPENAI_CA_BUNDLE={config.ca_bundle}: not a PEM bundle ({exc})"
                ) from exc
        timeout = httpx2.Timeout(config.timeout_s, connect=min(10.0, config.timeout_s))
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}

        # Credentials in the URL become Basic auth (the HTTP library logs URLs as they are),
        # unless an API key is set: then that is the Authorization.
        url = httpx2.URL(config.base_url)
        auth = (httpx2.BasicAuth(url.username, url.password)
                if url.username and not config.api_key else None)

        async def clients() -> tuple[openai.AsyncOpenAI, httpx2.AsyncClient]:
            # Made on the loop that uses them: httpx's pools belong to one loop.
            http = httpx2.AsyncClient(transport=transport, verify=verify, timeout=timeout,
                                      auth=auth)
            root = httpx2.AsyncClient(transport=transport, verify=verify, timeout=timeout,
                                      base_url=config.server_root, headers=headers, auth=auth)
            # max_retries=0: retries are ours, bounded by the brief's deadline (its cancel).
            client = openai.AsyncOpenAI(
                base_url=config.public_url, api_key=config.api_key or "none", max_retries=0,
                timeout=timeout, http_client=http,
            )
            return client, root

        self._loop = _LoopThread()
        self._client, self._root = self._loop.run(clients())
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._verify_lock = threading.Lock()
        self._model = config.model
        self._schema_mode: SchemaMode | None = (
            None if config.schema_mode == "auto" else config.schema_mode
        )
        self._counter: _TokenCounter | None = None
        self._verified = False
        self._problem: str | None = None
        self._health: tuple[float, str | None] | None = None

    @classmethod
    def load(cls, settings: Settings) -> OpenAICompatibleEngine:
        """The engine, checked against its server once: the model, the response_format form
        and the tokenizer. A server that does not answer yet is not an error (it is checked
        again when it does, and /readyz says 503 meanwhile); one that refuses the settings is."""
        engine = cls(RemoteConfig.from_settings(settings))
        try:
            engine.verify()
        except EngineMisconfigured:
            engine.close()
            raise
        except EngineUnavailable as exc:
            log.warning("engine server not reachable yet (serving once it is): %s", exc)
        return engine

    # --- the Engine protocol ----------------------------------------------------------------

    @property
    def info(self) -> EngineInfo:
        counter = self._counter.kind if self._counter else "estimate (server not checked yet)"
        return EngineInfo(
            name=self._model or "(the server's first model)",
            source="openai",
            location=self.config.public_url,
            parameters={
                "schema_mode": self._schema_mode or "auto (server not checked yet)",
                "tokenizer": counter,
                "sampling": self.config.sampling,
                "max_concurrency": self.config.max_concurrency,
                "timeout_s": self.config.timeout_s,
                "max_retries": self.config.max_retries,
            },
            kind="openai",
        )

    def count_tokens(self, text: str) -> int:
        if self._counter is None:
            return estimate_tokens(text)
        try:
            return self._counter.count(text)
        except (httpx2.HTTPError, KeyError, ValueError, FutureTimeout) as exc:
            # One count is not worth a failed brief: over-count rather than stop.
            log.warning("token count from %s failed (%s); estimating", self._counter.kind, exc)
            return estimate_tokens(text)

    def generate(self, request: GenerationRequest) -> GenerationResult:
        return self.generate_batch([request])[0]

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        self._ensure_verified()
        futures = [self._loop.submit(self._complete(request)) for request in requests]
        try:
            results = [self._wait(future, request) for future, request in zip(
                futures, requests, strict=True)]
        except BaseException:
            for future in futures:
                future.cancel()  # cancels the upstream call: the server stops generating
            raise
        return [self._with_input_tokens(result, request)
                for result, request in zip(results, requests, strict=True)]

    def health(self) -> str | None:
        now = time.monotonic()
        if self._health is not None and now - self._health[0] < _HEALTH_TTL_S:
            return self._health[1]
        problem: str | None
        try:
            self._call(self._client.models.list(timeout=_HEALTH_TIMEOUT_S), _HEALTH_TIMEOUT_S + 1)
            problem = None if self._verified else self._try_verify()
        except BriefError as exc:
            problem = exc.message
        except openai.APIError as exc:
            problem = f"the engine server at {self.config.public_url} answers: {_describe(exc)}"
        self._health = (now, problem)
        return problem

    def close(self) -> None:
        async def shut() -> None:
            await self._client.close()
            await self._root.aclose()

        try:
            self._loop.run(shut(), 5)
        finally:
            self._loop.close()

    # --- checking the server once -----------------------------------------------------------

    def verify(self) -> None:
        """Model name, response_format form and tokenizer, from the server; raises
        EngineUnavailable when it does not answer, EngineMisconfigured when it refuses."""
        with self._verify_lock:
            if self._verified:
                return
            self._model = self._model or self._first_model()
            if self._schema_mode is None:
                self._schema_mode = self._detect_schema_mode()
            else:
                self._check_schema_mode(self._schema_mode)
            self._counter = self._make_counter()
            self._verified = True
            log.info("engine server checked", extra={
                "engine_url": self.config.public_url, "model": self._model,
                "schema_mode": self._schema_mode, "tokenizer": self._counter.kind,
            })

    def _try_verify(self) -> str | None:
        try:
            self.verify()
        except BriefError as exc:
            return exc.message
        return None

    def _ensure_verified(self) -> None:
        if not self._verified:
            self.verify()

    def _first_model(self) -> str:
        models = self._call(self._client.models.list())
        ids = [m.id for m in models.data]
        if not ids:
            raise EngineMisconfigured(f"the engine server at {self.config.public_url} serves "
                                      "no model; set BRIEF_OPENAI_MODEL")
        return ids[0]

    def _check_schema_mode(self, mode: SchemaMode) -> str:
        """Sends the probe in this form; its output, or EngineMisconfigured when refused."""
        request = GenerationRequest(
            messages=[{"role": "user", "content": 'Answer with the JSON {"ok": true}.'}],
            json_schema=_PROBE_SCHEMA, max_new_tokens=16,
        )
        try:
            return self._call(self._once(request, mode)).text
        except openai.APIStatusError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise _unavailable(exc, self.config.public_url) from exc
            hint = (" (llama-cpp-python's server takes BRIEF_OPENAI_SCHEMA_MODE=json_object)"
                    if mode == "json_schema" else "")
            raise EngineMisconfigured(
                f"the engine server refused response_format {mode!r} (HTTP {exc.status_code}: "
                f"{_describe(exc)}){hint}; set BRIEF_OPENAI_SCHEMA_MODE"
            ) from exc

    def _detect_schema_mode(self) -> SchemaMode:
        refused: list[str] = []
        modes: tuple[SchemaMode, ...] = ("json_schema", "json_object")
        for mode in modes:
            try:
                text = self._check_schema_mode(mode)
            except EngineMisconfigured as exc:
                refused.append(exc.message)
                continue
            if _json_object(text) is not None:
                return mode
            refused.append(f"{mode}: the output was not the JSON asked for ({text[:80]!r})")
        raise EngineMisconfigured("no response_format form constrains this server's output: "
                                  + "; ".join(refused))

    def _make_counter(self) -> _TokenCounter:
        kind = self.config.tokenizer
        if kind == "estimate":
            return _TokenCounter("estimate (UTF-8 bytes / 3)", estimate_tokens)
        if kind not in ("auto", "server"):
            return _local_counter(Path(kind))
        for path, body, read in _TOKENIZE_ENDPOINTS:
            try:
                response = self._call(self._root.post(path, json=body(self._model, "probe")))
                if response.status_code != 200:
                    continue
                read(response.json())
            except (httpx2.HTTPError, KeyError, ValueError, TypeError):
                continue

            def count(text: str, path: str = path, body: Any = body, read: Any = read) -> int:
                answer = self._call(self._root.post(path, json=body(self._model, text)))
                answer.raise_for_status()
                return int(read(answer.json()))

            return _TokenCounter(f"server:/{path}", count)
        if kind == "server":
            raise EngineMisconfigured(
                f"the engine server at {self.config.public_url} has no tokenize endpoint; set "
                "BRIEF_OPENAI_TOKENIZER to a tokenizer.json or to `estimate`"
            )
        return _TokenCounter("estimate (UTF-8 bytes / 3; the server has no tokenize endpoint)",
                             estimate_tokens)

    def _call(self, coro: Awaitable[T], timeout: float | None = None) -> T:
        """Awaits on the loop within the upstream timeout; connection failures become
        EngineUnavailable."""
        async def run() -> T:
            return await coro

        try:
            return self._loop.run(run(), timeout or self.config.timeout_s + 5)
        except (openai.APIConnectionError, httpx2.TransportError, FutureTimeout) as exc:
            raise _unavailable(exc, self.config.public_url) from exc

    # --- one brief's calls ------------------------------------------------------------------

    def _wait(self, future: Future[GenerationResult], request: GenerationRequest) -> GenerationResult:
        while True:
            if request.cancel is not None and request.cancel.is_set():
                raise Cancelled("generation cancelled")
            try:
                return future.result(_POLL_S)
            except FutureTimeout:
                continue

    def _with_input_tokens(
        self, result: GenerationResult, request: GenerationRequest
    ) -> GenerationResult:
        if result.input_tokens:
            return result
        prompt = "\n".join(m["content"] for m in request.messages)
        return replace(result, input_tokens=self.count_tokens(prompt))

    async def _complete(self, request: GenerationRequest) -> GenerationResult:
        """One call, retried with backoff while the server refuses for a passing reason
        (at most `max_retries` times; `_retry_pause`); the brief's cancel (deadline, client
        gone) ends the waiting."""
        assert self._schema_mode is not None
        queued = time.perf_counter()
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_RETRIABLE),
            stop=stop_after_attempt(self.config.max_retries + 1),
            wait=partial(_retry_pause, first_s=self.config.backoff_s),
            before_sleep=self._before_retry, reraise=True,
        )
        try:
            result: GenerationResult = await retrying(
                self._slotted_once, request, self._schema_mode, queued)
        except _RETRIABLE as exc:
            self._health = None  # /readyz asks the server again
            attempts = self.config.max_retries + 1  # a passing refusal ends only at the last
            if isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
                raise DeadlineExceeded(
                    f"the engine server did not answer within {self.config.timeout_s:g} "
                    f"s (BRIEF_OPENAI_TIMEOUT_S), {attempts} attempts"
                ) from exc
            raise _unavailable(exc, self.config.public_url) from exc
        except openai.APIStatusError as exc:
            if exc.status_code in (401, 403, 404):
                raise EngineMisconfigured(
                    f"the engine server refused the call (HTTP {exc.status_code}: "
                    f"{_describe(exc)}); check BRIEF_OPENAI_MODEL and BRIEF_OPENAI_API_KEY"
                ) from exc
            raise GenerationFailed(
                f"the engine server refused the call (HTTP {exc.status_code}: "
                f"{_describe(exc)})"
            ) from exc
        except openai.APIError as exc:  # an error event inside the stream
            raise GenerationFailed(f"the engine server failed the call: {_describe(exc)}") \
                from exc
        self._health = None
        return result

    async def _slotted_once(
        self, request: GenerationRequest, mode: SchemaMode, queued: float,
    ) -> GenerationResult:
        async with self._slots:
            return await self._once(request, mode, queued)

    def _before_retry(self, state: RetryCallState) -> None:
        self._health = None  # /readyz asks the server again
        failure = state.outcome.exception() if state.outcome is not None else None
        pause = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning("engine call failed (%s); retry %d in %.1f s",
                    _describe(failure) if failure else "?", state.attempt_number, pause)

    async def _once(
        self, request: GenerationRequest, mode: SchemaMode, queued: float | None = None,
    ) -> GenerationResult:
        started = time.perf_counter()
        kwargs: dict[str, Any] = {
            "model": self._model,
            "messages": request.messages,
            "max_tokens": request.max_new_tokens,
            "temperature": 0.0,
            "stream": True,
            # The token counts in the last chunk, where the server gives them (vLLM, SGLang,
            # llama-server); others are counted afterwards (_with_input_tokens).
            "stream_options": {"include_usage": True},
        }
        if request.json_schema is not None:
            kwargs["response_format"] = _response_format(request.json_schema, mode)
        extra = _sampling_fields(self.config.sampling, request.repetition_penalty)
        stream = await self._client.chat.completions.create(**kwargs, extra_body=extra or None)
        pieces: list[str] = []
        first: float | None = None
        finish: str | None = None
        usage = None
        async with stream:
            async for chunk in stream:
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices:
                    if choice.delta.content:
                        first = first or time.perf_counter()
                        pieces.append(choice.delta.content)
                        # A streamed piece is a token on the servers we know of; the count
                        # is for progress only, the result takes the server's own.
                        _tell(request, len(pieces), finished=False)
                    finish = choice.finish_reason or finish
        done = time.perf_counter()
        first = first or done
        output_tokens = usage.completion_tokens if usage else len(pieces)
        _tell(request, output_tokens, finished=True)
        return GenerationResult(
            text="".join(pieces),
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=output_tokens,
            prefill_ms=(first - started) * 1000,
            total_ms=(done - (queued or started)) * 1000,
            truncated=finish == "length",
            decode_ms=(done - first) * 1000,
            queued_ms=(started - (queued or started)) * 1000,
        )


def _tell(request: GenerationRequest, tokens: int, *, finished: bool) -> None:
    if request.on_tokens is None:
        return
    try:
        request.on_tokens(tokens, finished)
    except Exception:
        log.exception("token listener failed")


def _response_format(schema: dict[str, Any], mode: SchemaMode) -> dict[str, Any]:
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema",
            "json_schema": {"name": "brief_draft", "schema": schema, "strict": True}}


def _sampling_fields(dialect: str, repetition_penalty: float) -> dict[str, Any]:
    """HF's repetition penalty divides a repeated token's logit; OpenAI's frequency_penalty
    subtracts per occurrence, a different thing, so it is never sent in its place."""
    if repetition_penalty == 1.0 or dialect == "openai":
        return {}
    if dialect == "vllm":
        return {"repetition_penalty": repetition_penalty}
    return {"repeat_penalty": repetition_penalty}  # llama.cpp and llama-cpp-python


def _retry_pause(state: RetryCallState, first_s: float) -> float:
    """The pause before the next try: what the server asked for in Retry-After (at most
    30 s), else `first_s` doubled at each failure (at most 8 s)."""
    exc = state.outcome.exception() if state.outcome is not None else None
    if isinstance(exc, openai.APIStatusError):
        after = exc.response.headers.get("retry-after")
        try:
            if after is not None:
                return min(30.0, max(0.0, float(after)))
        except ValueError:
            pass
    return min(8.0, first_s * 2 ** (state.attempt_number - 1))


def _unavailable(exc: BaseException, url: str) -> EngineUnavailable:
    return EngineUnavailable(
        f"the engine server at {url} is unavailable: {_describe(exc)}",
        headers={"Retry-After": str(_RETRY_AFTER_S)},
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FutureTimeout):
        return "no answer in time"
    message = exc.message if isinstance(exc, openai.APIError) else str(exc)
    return (message or type(exc).__name__).split("\n")[0][:300]


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
