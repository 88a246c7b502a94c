"""Every setting of the service, read once from `BRIEF_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "brief"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "brief"


class Settings(BaseSettings):
    """Service configuration. Each field is the environment variable `BRIEF_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="BRIEF_", extra="ignore")

    engine: Literal["local", "openai"] = Field(
        "local",
        description="`local`: the model runs in this process (`BRIEF_MODEL`); `openai`: a "
        "model server that speaks the OpenAI chat-completions API (vLLM, SGLang, llama.cpp's "
        "server, Ollama) at `BRIEF_OPENAI_BASE_URL`.",
    )
    model: str = Field(
        "embedded",
        description="`embedded` (Qwen2.5-Coder-0.5B), `embedded-1.5b` (Qwen2.5-Coder-1.5B, "
        "from the model-1-5b extra), a local transformers model directory, a `.gguf` file, "
        "or a model-hub id.",
    )
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Where the embedded model is assembled and converted once.",
    )
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Where the model runs.")
    quantize: Literal["auto", "int8", "none"] = Field(
        "auto",
        description="`int8`: dynamic int8 linear layers (CPU only); `auto`: int8 on CPU.",
    )
    threads: int = Field(0, ge=0, description="torch threads; 0 = all cores.")
    host: str = Field("127.0.0.1", description="Address `brief serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `brief serve` listens on.")
    max_input_chars: int = Field(
        200_000, ge=1, description="Longest article accepted (characters); longer gets 413."
    )
    max_input_tokens: int = Field(
        6000, ge=256, description="Article tokens given to the model in one call."
    )
    long_mode: Literal["select", "parts"] = Field(
        "select",
        description="An article longer than one call: `select` has the model read one call of "
        "chosen sentences (lead, end, people, outcomes, quotes, dates, then the most central); "
        "`parts` has it read every part, one call each, and merges their drafts.",
    )
    long_read_tokens: int = Field(
        3000, ge=256,
        description="Article tokens the model reads of an article longer than one call, with "
        "`BRIEF_LONG_MODE=select`.",
    )
    # TF-IDF by default: on the long-input benchmark (bench/long_input.py) it scored the same
    # as the embeddings on every long article, 5 s faster on 20,000 words and ~200 MB lighter.
    salience: Literal["embeddings", "tfidf"] = Field(
        "tfidf",
        description="How the selection ranks the sentences no rule keeps: centrality by "
        "TF-IDF (no model) or by sentence embeddings (all-MiniLM-L6-v2, loaded at start-up).",
    )
    max_new_tokens: int = Field(700, ge=16, description="Upper bound on generated tokens.")
    abstractive_summary: bool = Field(
        False,
        description="Have the model write the summary; otherwise the article's lead is the summary.",
    )
    translation: Literal["facts", "checked"] = Field(
        "facts",
        description="For an article not in English: `facts` writes the headline and summary "
        "from the grounded facts and keeps key points, outcomes and topics in the article's "
        "words; `checked` also has the model translate them, each kept only if it passes the "
        "fidelity check.",
    )
    repetition_penalty: float = Field(
        1.05, ge=1.0, le=2.0, description="Penalty on repeated tokens during generation."
    )
    prompts_dir: Path | None = Field(
        None, description="Folder of prompt templates; default: the project's `prompts/`."
    )
    prompt_version: str = Field("v1", description="Which prompt templates to use.")
    warmup: bool = Field(True, description="Brief a short built-in article before reporting ready.")
    log_level: str = Field("info", description="Log level of the service.")
    log_content: bool = Field(
        False, description="Log article text and briefs (debugging only; off by default)."
    )
    max_concurrency: int = Field(
        4, ge=1,
        description="Briefs in progress at the same time; their model calls share one batch.",
    )
    max_batch: int = Field(
        4, ge=1, le=64,
        description="Model calls decoded together in one forward pass (concurrent briefs, parts "
        "of a long article).",
    )
    max_batch_tokens: int = Field(
        16_384, ge=1024,
        description="KV positions one batch may hold, counted as its buffer holds them: rows "
        "x the widest row's prompt and new tokens. Bounds the model's memory whatever the "
        "concurrency (~25 kB per position on the CPU); a row that does not fit waits for rows "
        "to finish, one wider than the budget runs alone. Short briefs still batch by four.",
    )
    prefill_chunk: int = Field(
        512, ge=16,
        description="Prompt tokens per prefill pass: bounds the memory a long prompt needs.",
    )
    max_queue: int = Field(
        8, ge=0, description="Requests that may wait for a slot; beyond it, 429 at once."
    )
    request_timeout_s: float = Field(
        300.0, gt=0, description="Deadline for a brief, waiting included; past it, 504."
    )
    shutdown_grace_s: float = Field(
        30.0, ge=0, description="On SIGTERM, how long in-flight requests get to finish."
    )
    body_read_timeout_s: float = Field(
        30.0, gt=0,
        description="The whole request body must arrive within this many seconds of the "
        "request's headers; a slower (or stalled) client gets 408 and the connection is closed.",
    )
    header_timeout_s: float = Field(
        10.0, gt=0,
        description="A connection must send a request's complete headers within this many "
        "seconds of opening (or of the request's first byte); otherwise it is closed.",
    )
    request_line_timeout_s: float = Field(
        2.0, gt=0,
        description="A new connection must send its request line within this many seconds, "
        "or it is closed; until it has, it does not count toward `BRIEF_MAX_CONNECTIONS`.",
    )
    max_connections: int = Field(
        64, ge=2,
        description="Open connections that have sent a request line (uvicorn "
        "`limit_concurrency`); once reached, new requests get 503 at once.",
    )
    keep_alive_s: int = Field(
        5, ge=1, description="An idle keep-alive connection is closed after this many seconds."
    )
    drain_limit_bytes: int = Field(
        64 * 1024 * 1024, ge=0,
        description="A refused request's unread body (413, 404, ...) is read and discarded up "
        "to this size, so a client that writes its whole body first still reads the answer; "
        "beyond it the connection is closed.",
    )
    openai_base_url: str = Field(
        "", description="`BRIEF_ENGINE=openai`: the server's API root, e.g. "
        "`http://vllm:8000/v1` (credentials in it are never logged or reported).",
    )
    openai_model: str = Field(
        "", description="The served model's name; empty: the first one the server lists."
    )
    openai_api_key: SecretStr | None = Field(
        None, description="Sent as `Authorization: Bearer`; never logged."
    )
    openai_timeout_s: float = Field(
        120.0, gt=0,
        description="One upstream call's bound on connecting and on each wait for data; "
        "past it the call is retried, then the brief gets 504.",
    )
    openai_max_concurrency: int = Field(
        8, ge=1,
        description="Upstream calls in flight at once from this replica (all briefs and the "
        "parts of long articles together); the server's own batching does the rest.",
    )
    openai_max_retries: int = Field(
        3, ge=0,
        description="Retries of an upstream call refused for a passing reason (connection "
        "refused, timeout, 429, 5xx), with backoff, within the request's deadline.",
    )
    openai_schema_mode: Literal["json_schema", "json_object", "auto"] = Field(
        "json_schema",
        description="How output is constrained: `json_schema` (OpenAI's form: vLLM, SGLang, "
        "llama.cpp's `llama-server`, Ollama), `json_object` (`{type: json_object, schema}`: "
        "llama-cpp-python's server), or `auto`: tried in that order once at start-up.",
    )
    openai_sampling: Literal["openai", "vllm", "llama.cpp"] = Field(
        "openai",
        description="Which sampling parameters the server understands beyond OpenAI's: "
        "`vllm` (vLLM, SGLang) and `llama.cpp` (llama-server, llama-cpp-python) get the "
        "repetition penalty in their own field; `openai` sends none (OpenAI's "
        "`frequency_penalty` is a different thing).",
    )
    openai_tokenizer: str = Field(
        "auto",
        description="How article tokens are counted: `server` (its tokenize endpoint: vLLM "
        "and llama-server `/tokenize`, llama-cpp-python `/extras/tokenize/count`), `estimate` "
        "(UTF-8 bytes / 3: over-counts English by about a third, so parts stay within the "
        "context), a path to a local `tokenizer.json` or tokenizer folder, or `auto`: the "
        "server's when it has one, else the estimate.",
    )
    openai_ca_bundle: Path | None = Field(
        None, description="CA certificates (PEM) for a server behind TLS with a private CA."
    )
    api_keys: SecretStr = Field(
        SecretStr(""), description="Comma-separated API keys; when set, requests need "
        "`Authorization: Bearer <key>` (health checks and the page excepted). Never shown in "
        "a log or a repr."
    )
    allow_no_keys: bool = Field(
        False, description="Let `brief serve` listen on an address other than loopback with "
        "no `BRIEF_API_KEYS` (every caller is then one owner, who sees every job): refused "
        "unless this says so, and then a warning at start.",
    )
    allowed_hosts: str = Field(
        "", description="Comma-separated host names (`Host` header, any port) the service "
        "answers besides `localhost`, `127.0.0.1` and `[::1]`; `*`: any. Others get 400 "
        "(`/healthz` and `/readyz` excepted): a page on another site cannot reach the service "
        "by DNS rebinding.",
    )
    allowed_origins: str = Field(
        "", description="Comma-separated origins (`https://app.example.org`) whose pages may "
        "send writes (POST, DELETE, ...) besides the service's own; a browser's write from any "
        "other `Origin` gets 403.",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where brief jobs are kept (`jobs.sqlite3`, SQLite in WAL mode): they "
        "survive a restart. In the container, the `/data` volume.",
    )
    jobs_url: SecretStr | None = Field(
        None, description="The job store: `sqlite:///path/jobs.db`, or `postgresql://user:"
        "password@host/db` for a PostgreSQL database that every API replica shares. Unset: "
        "SQLite at `BRIEF_DATA_DIR/jobs.sqlite3` (one replica).",
    )
    jobs_pool_size: int = Field(
        10, ge=2, le=200, description="Connections to PostgreSQL one replica may hold."
    )
    job_lease_s: float = Field(
        30.0, ge=2, le=30,
        description="How long a replica's claim on a job item holds without renewal (renewed "
        "every third of it while the item runs): a dead replica's item is claimed again by "
        "another this long after its last renewal.",
    )
    max_queued_items_per_key: int = Field(
        1_000, ge=1, description="Articles of one API key's jobs that may wait (queued or "
        "running) in the whole store; past it `POST /v1/jobs` answers 429 with Retry-After.",
    )
    max_queued_items: int = Field(
        10_000, ge=1, description="Articles of all jobs that may wait in the whole store; past "
        "it `POST /v1/jobs` answers 429 with Retry-After.",
    )
    job_queue_ttl_h: float = Field(
        24.0, gt=0, description="Articles of a job still queued this many hours after it was "
        "made are not briefed: they, and the job, end `expired`.",
    )
    max_job_items: int = Field(
        100, ge=1, le=10_000, description="Articles one job (`POST /v1/jobs`) may carry."
    )
    # A job's body costs about twice its size while it is read, parsed and stored: 16 MiB
    # lets a replica with 1 GiB take four at once beside the model.
    max_job_body_bytes: int = Field(
        16 * 1024 * 1024, ge=1024,
        description="Bound on a job's request body: its items times the per-article limit, "
        "but never more than this.",
    )
    job_retention_h: float = Field(
        72.0, gt=0,
        description="A finished job's briefs and stored article text are deleted this many "
        "hours after it finished.",
    )
    allow_callbacks: bool = Field(
        False, description="Let jobs name a `callback_url` to be told when they finish."
    )
    callback_hosts: str = Field(
        "", description="Comma-separated hosts, IP addresses or networks (CIDR) callbacks may "
        "go to; checked on the addresses the host resolves to, at each delivery.",
    )
    callback_secret: SecretStr | None = Field(
        None, description="The secret each API key's callback signing key is derived from "
        "(`brief callback-key` prints a key's); `X-Brief-Signature: sha256=<hex>` is an "
        "HMAC-SHA256 over `<timestamp>.<url>.<body>`. Needed for callbacks.",
    )
    callback_concurrency: int = Field(
        8, ge=1, le=256, description="Callbacks one replica delivers at once."
    )

    @property
    def api_key_list(self) -> list[str]:
        return [k.strip() for k in self.api_keys.get_secret_value().split(",") if k.strip()]

    @property
    def allowed_host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()]

    @property
    def allowed_origin_list(self) -> list[str]:
        return [o.strip().lower().rstrip("/") for o in self.allowed_origins.split(",")
                if o.strip()]

    @property
    def callback_host_list(self) -> list[str]:
        return [h.strip() for h in self.callback_hosts.split(",") if h.strip()]
