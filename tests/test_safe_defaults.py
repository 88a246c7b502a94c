"""Safe by default: no open service on a network without a key, no answer to another site's
host name or write, nothing a stranger should know in the probes, the page's headers on
every form of the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.cli import _open_without_keys, is_loopback
from service.http.app import create_app
from service.settings import Settings
from tests.conftest import REPO, ScriptedEngine, draft, wait_ready

ARTICLE = ("OSLO, May 2 - Foreign Minister Ola Berg of Norway met Foreign Minister Rui Sá of "
           "Portugal in Oslo on Friday. They agreed to meet again in June.")


# --- brief serve: no key, no network ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "brief.example.org"])
def test_serve_refuses_a_network_address_without_keys(host: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(REPO), "PYTHONPATH": str(REPO),
           "BRIEF_HOST": host}
    done = subprocess.run([sys.executable, "-m", "service.cli", "serve"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert f"refusing to listen on {host} with no API key" in done.stderr
    assert "BRIEF_ALLOW_NO_KEYS=true" in done.stderr
    assert "Uvicorn running" not in done.stderr  # it never listened


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_key(host: str) -> None:
    assert is_loopback(host)
    assert _open_without_keys(Settings(host=host, api_keys="")) is None


def test_a_key_or_the_explicit_opt_out_lets_it_listen_and_the_opt_out_warns() -> None:
    assert _open_without_keys(Settings(host="0.0.0.0", api_keys="k1")) is None
    warning = _open_without_keys(Settings(host="0.0.0.0", api_keys="", allow_no_keys=True))
    assert warning is not None and "no API key" in warning


def test_keys_never_show_in_a_repr_or_a_dump() -> None:
    settings = Settings(api_keys="very-secret-key,other-secret")
    assert "very-secret" not in repr(settings) and "very-secret" not in str(settings.model_dump())
    assert settings.api_key_list == ["very-secret-key", "other-secret"]


# --- Host and Origin ------------------------------------------------------------------------


def _client(base_url: str = "http://127.0.0.1:8000", **settings: Any) -> TestClient:
    settings.setdefault("allowed_hosts", "")
    app = create_app(Settings(warmup=False, **settings),
                     engine_factory=lambda _: ScriptedEngine([draft()] * 5))
    return TestClient(app, base_url=base_url, raise_server_exceptions=False)


@pytest.fixture
def local() -> Iterator[TestClient]:
    with _client() as client:
        wait_ready(client)
        yield client


@pytest.mark.parametrize("host", ["localhost", "localhost:9", "127.0.0.1:8000", "[::1]:8000",
                                  "[::1]", "LOCALHOST"])
def test_loopback_host_names_on_any_port_are_answered(local: TestClient, host: str) -> None:
    assert local.get("/v1/model", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io",
                                  "", "localhost.attacker.example"])
def test_another_host_name_gets_400_but_the_probes_answer(local: TestClient, host: str) -> None:
    refused = local.get("/v1/jobs", headers={"host": host})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "host_not_allowed"
    assert local.get("/healthz", headers={"host": host}).status_code == 200
    assert local.get("/readyz", headers={"host": host}).status_code == 200


def test_names_in_allowed_hosts_are_answered() -> None:
    with _client("http://brief.internal:8000", allowed_hosts="brief.internal, api") as client:
        wait_ready(client)
        assert client.get("/v1/model").status_code == 200
        assert client.get("/v1/model", headers={"host": "api:8000"}).status_code == 200
        assert client.get("/v1/model", headers={"host": "other"}).status_code == 400


def test_a_write_from_another_sites_page_is_refused(local: TestClient) -> None:
    # A "simple" request a page on any site may send without a CORS preflight.
    refused = local.post("/v1/briefs", content=ARTICLE, headers={
        "content-type": "text/plain", "origin": "https://attacker.example"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "cross_origin_refused"
    for origin in ("null", "http://127.0.0.1:9999", "http://localhost:8000"):
        assert local.post("/v1/jobs", json={"text": ARTICLE},
                          headers={"origin": origin}).status_code == 403, origin
    # Reads, the service's own page, and clients that send no Origin are served.
    assert local.get("/v1/jobs", headers={"origin": "https://attacker.example"}).status_code == 200
    assert local.post("/v1/briefs", content=ARTICLE, headers={
        "content-type": "text/plain", "origin": "http://127.0.0.1:8000"}).status_code == 200
    assert local.post("/v1/briefs", content=ARTICLE,
                      headers={"content-type": "text/plain"}).status_code == 200


def test_origins_in_allowed_origins_may_write() -> None:
    with _client(allowed_origins="https://desk.example.org/") as client:
        wait_ready(client)
        headers = {"content-type": "text/plain", "origin": "https://desk.example.org"}
        assert client.post("/v1/briefs", content=ARTICLE, headers=headers).status_code == 200


# --- what a stranger learns -----------------------------------------------------------------


def _failing_engine(settings: Settings) -> Any:
    raise ConnectionError("engine at http://vllm.internal:8000/v1 refused the connection")


def test_readyz_says_why_only_to_a_caller_with_a_key() -> None:
    app = create_app(Settings(warmup=False, api_keys="k1", allowed_hosts=""),
                     engine_factory=_failing_engine)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for _ in range(200):
            stranger = client.get("/readyz")
            if stranger.json()["error"]["code"] != "loading":
                break
        assert stranger.status_code == 503
        assert "vllm.internal" not in stranger.text and "ConnectionError" not in stranger.text
        assert stranger.json()["error"]["code"] == "not_ready"
        keyed = client.get("/readyz", headers={"authorization": "Bearer k1"})
        assert keyed.status_code == 503 and "vllm.internal" in keyed.text
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer k1"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/static/index.html", "/static/page.js"])
def test_every_form_of_the_page_carries_its_security_headers(local: TestClient,
                                                              path: str) -> None:
    response = local.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


# --- a job's body at the cap ------------------------------------------------------------------


def test_the_default_job_body_cap_is_16_mib() -> None:
    assert Settings().max_job_body_bytes == 16 * 1024 * 1024


@pytest.mark.slow
def test_a_job_body_at_the_cap_costs_about_twice_its_size() -> None:
    import json
    import tracemalloc

    settings = Settings(warmup=False, allowed_hosts="testserver")
    cap = settings.max_job_body_bytes
    text = ("The ministers met in Oslo and agreed to meet again in June. " * 4000)[:199_000]
    items = [{"text": f"{text} {i}"} for i in range(cap // (len(text) + 24))]
    body = json.dumps({"items": items}).encode()
    del items
    assert cap - 300_000 < len(body) <= cap
    # No model: the job is stored and waits, so only its upload is measured.
    app = create_app(settings, engine_factory=_failing_engine)
    with TestClient(app) as client:
        tracemalloc.start()
        try:
            response = client.post("/v1/jobs", content=body,
                                   headers={"content-type": "application/json"})
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status_code == 202, response.text
    # The body read, then decoded, parsed, checked and stored, one form after another
    # (copies, a canonical re-dump for the hash: four times its size before).
    print(f"\njob body {len(body) / 2**20:.1f} MiB: peak {peak / 2**20:.1f} MiB")
    assert peak < 2.6 * len(body), peak / len(body)
