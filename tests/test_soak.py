"""Soak: 500 mixed requests against one real `brief serve` process with the tiny model.

Short readouts, a long article, HTML pages, French and Spanish texts and invalid requests
(malformed JSON, empty text, wrong content type, over-limit bodies, unknown routes), sent by a
few client threads. Every answer must be the status its kind expects (never a 5xx), and the
server's RSS after the first 100 requests and after all 500 must differ by less than 10 %:
nothing grows without bound across requests.

Bounded: 500 requests, each with a client timeout; loopback only.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.test_server_process import Server

REQUESTS = 500
PHASE = 100  # RSS is read after each hundred, with no request in flight
CLIENTS = 4
MAX_INPUT_CHARS = 40_000
LONG_CHARS = 30_000
MAX_GROWTH = 0.10

EN_MEETING = """ACCRA, March 4, 2025 — Ghanaian Foreign Minister Ama Mensah met Norwegian Foreign Minister Ingrid Solberg in Accra on Tuesday for talks on fisheries, climate finance and maritime security in the Gulf of Guinea.

The two ministers signed a memorandum of understanding on sustainable fisheries and agreed to set up a joint working group on ocean data.

"Our coastal communities depend on healthy waters, and this agreement protects them," Mensah told reporters after the meeting.

Solberg said Norway would contribute {n} million kroner to a regional programme against illegal fishing.

The ministers did not agree on the timetable for phasing out fuel subsidies for trawlers.

They will meet again in Oslo in September, the two ministries said.
"""

EN_CALL = """WELLINGTON, June 12, 2025 — New Zealand Foreign Minister Rachel Tane spoke by telephone on Thursday with Canadian Foreign Minister Marc Dubois about trade in critical minerals and security in the Pacific.

The ministers welcomed progress on a bilateral agreement on mineral supply chains and asked officials to finish the text by the end of the year.

Dubois said Canada would send a trade delegation of {n} companies to Auckland in November.

"We share an interest in open, predictable markets," Tane said in a statement after the call.
"""

FR_MEETING = """Berne et Dakar renforcent leur coopération agricole

BERNE — La ministre suisse des Affaires étrangères, Claire Favre, a reçu mardi 4 février 2025 à Berne son homologue sénégalais, Moussa Diallo, pour une séance de travail consacrée à l'agriculture et à la formation professionnelle.

Les deux ministres ont signé un accord sur la formation de {n} techniciens agricoles d'ici à 2028.

« Nos deux pays partagent la même volonté de donner un avenir aux jeunes », a déclaré Mme Favre lors d'une conférence de presse commune.

Des divergences persistent toutefois sur le calendrier des visas étudiants.

Les deux ministres sont convenus de se retrouver à Dakar en octobre.
"""

ES_MEETING = """Perú y Polonia firman un acuerdo sobre minería sostenible

LIMA — La ministra de Relaciones Exteriores del Perú, Carmen Quispe, se reunió el jueves 6 de marzo de 2025 en Lima con su homólogo polaco, Piotr Nowak, durante la visita oficial del diplomático europeo.

Ambos ministros firmaron un memorando de entendimiento sobre minería sostenible que prevé {n} becas para ingenieros peruanos.

"Polonia es un socio clave para nuestra transición energética", afirmó Quispe en una rueda de prensa conjunta.

Los cancilleres acordaron reunirse de nuevo en Varsovia en noviembre.
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ghana and Norway sign fisheries memorandum | Coastal Wire</title>
<meta property="article:published_time" content="2025-03-04T10:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> &gt; <a href="/world">World</a> &gt; Africa</nav>
<button>Subscribe</button></header>
<main><article>
<h1>Ghana and Norway sign fisheries memorandum</h1>
<div class="share">Share this article: Facebook Twitter Email</div>
{paragraphs}
<div class="ad">Advertisement</div>
</article>
<aside><h2>Related stories</h2><ul><li><a href="/a">Fuel prices rise</a></li>
<li><a href="/b">Election results</a></li></ul></aside></main>
<footer>© 2025 Coastal Wire. All rights reserved.</footer>
</body></html>
"""

_LONG_SUBJECTS = [
    ("trade", "the tariff schedule for coffee and cocoa exports"),
    ("energy", "the cross-border power line planned for the northern region"),
    ("health", "the joint laboratory for tropical diseases"),
    ("education", "scholarships for engineering students"),
    ("security", "patrols against piracy in coastal waters"),
]
_LONG_TEMPLATES = [
    "Delegations reviewed {detail}, a question that has come up in {topic} talks for years "
    "without a settlement (note {n}).",
    "A briefing paper described {detail} as a priority of {topic} cooperation between the two "
    "countries, according to officials who had read it (note {n}).",
    "Experts said {detail} would need several more rounds of {topic} consultations before "
    "any decision could be taken (note {n}).",
]


def en_page(n: int) -> str:
    """The English meeting as a news page: its paragraphs in `<p>`, amid page furniture."""
    paragraphs = EN_MEETING.format(n=n).strip().split("\n\n")
    return PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs))


def long_article(n: int) -> str:
    """About LONG_CHARS characters: a lead, numbered background paragraphs, then the outcome."""
    paragraphs = [EN_MEETING.format(n=n).split("\n\n")[0]]
    size = len(paragraphs[0])
    for index in range(1000):  # bounded; ~170 characters a paragraph
        if size >= LONG_CHARS - 300:
            break
        topic, detail = _LONG_SUBJECTS[index // 3 % len(_LONG_SUBJECTS)]
        text = _LONG_TEMPLATES[index % 3].format(topic=topic, detail=detail, n=index + 1)
        paragraphs.append(text)
        size += len(text) + 2
    paragraphs.append("The ministers agreed to open a joint fisheries office in Takoradi.")
    return "\n\n".join(paragraphs) + "\n"


@dataclass(frozen=True)
class Kind:
    """One kind of request: how to send it and the status it must get."""

    name: str
    send: Callable[[httpx.Client, int], httpx.Response]
    status: int
    code: str | None = None  # the error code of a 4xx


def _json(payload: object) -> Callable[[httpx.Client, int], httpx.Response]:
    return lambda http, n: http.post("/v1/briefs", json=payload)


def _brief(make: Callable[[int], dict[str, str]]) -> Callable[[httpx.Client, int], httpx.Response]:
    return lambda http, n: http.post("/v1/briefs", json=make(n))


def _raw(content: bytes, content_type: str, path: str = "/v1/briefs"
         ) -> Callable[[httpx.Client, int], httpx.Response]:
    return lambda http, n: http.post(path, content=content, headers={"content-type": content_type})


KINDS: dict[str, Kind] = {kind.name: kind for kind in [
    # Each request's text has its own number: a cache keyed by text would show up as growth.
    Kind("en_json", _brief(lambda n: {"text": EN_MEETING.format(n=n)}), 200),
    Kind("en_call_published", _brief(lambda n: {"text": EN_CALL.format(n=n),
                                                "published": "2025-06-12"}), 200),
    Kind("en_plain", lambda http, n: http.post(
        "/v1/briefs", content=EN_CALL.format(n=n).encode(),
        headers={"content-type": "text/plain; charset=utf-8"}), 200),
    Kind("html_json", _brief(lambda n: {"html": en_page(n)}), 200),
    Kind("html_body", lambda http, n: http.post(
        "/v1/briefs", content=en_page(n).encode(), headers={"content-type": "text/html"}), 200),
    Kind("fr", _brief(lambda n: {"text": FR_MEETING.format(n=n)}), 200),
    Kind("fr_own_language", _brief(lambda n: {"text": FR_MEETING.format(n=n),
                                              "language": "fr"}), 200),
    Kind("es", _brief(lambda n: {"text": ES_MEETING.format(n=n)}), 200),
    Kind("long", _brief(lambda n: {"text": long_article(n)}), 200),
    Kind("malformed_json", _raw(b'{"text": "Ministers met', "application/json"), 400,
         "malformed_request"),
    Kind("invalid_utf8", _raw(b'{"text": "Minist\xff\xfers met"}', "application/json"), 400,
         "malformed_request"),
    Kind("empty_text", _json({"text": "   "}), 422, "invalid_input"),
    Kind("no_words", _json({"text": "🙂🙂 123 !!"}), 422, "invalid_input"),
    Kind("not_an_object", _json(["text"]), 422, "invalid_input"),
    Kind("wrong_language", _brief(lambda n: {"text": EN_MEETING.format(n=n), "language": "de"}),
         422, "invalid_input"),
    Kind("wrong_content_type", _raw(b"<text>Ministers met</text>", "application/xml"), 415,
         "unsupported_media_type"),
    # Just over the text limit (the field check), and past the body's byte bound (the
    # streaming check, which closes the connection).
    Kind("over_limit_text", _json({"text": "word " * (MAX_INPUT_CHARS // 5 + 200)}), 413,
         "input_too_large"),
    Kind("over_limit_body", _raw(b"a" * (MAX_INPUT_CHARS * 8), "text/plain"), 413,
         "input_too_large"),
    Kind("unknown_route", lambda http, n: http.get("/v1/nope"), 404, "not_found"),
]}
# One cycle of 20: 12 briefs (one long), 8 invalid requests; 25 cycles make the 500.
CYCLE = [
    "en_json", "malformed_json", "fr", "html_body", "empty_text", "es", "en_plain",
    "wrong_content_type", "en_call_published", "long", "over_limit_text", "html_json",
    "unknown_route", "fr_own_language", "invalid_utf8", "es", "no_words", "en_json",
    "over_limit_body", "html_body",
]
# The rarer invalid kinds take the place of a common one every other cycle.
ALTERNATES = {"empty_text": "not_an_object", "unknown_route": "wrong_language"}


def schedule(count: int) -> list[str]:
    kinds: list[str] = []
    for index in range(count):
        name = CYCLE[index % len(CYCLE)]
        if (index // len(CYCLE)) % 2 and name in ALTERNATES:
            name = ALTERNATES[name]
        kinds.append(name)
    return kinds


def server_rss_mb(pid: int) -> float:
    """VmRSS of the server process and of its children, if any, in MB."""
    total_kb = 0
    pending, seen = [pid], 0
    while pending and seen < 100:  # bounded
        current = pending.pop()
        seen += 1
        status = Path(f"/proc/{current}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            pending.extend(int(c) for c in children.read_text().split())
    return total_kb / 1024


@pytest.fixture
def soak_server(tiny_model_dir: Path, tmp_path: Path) -> Iterator[Server]:
    server = Server(tiny_model_dir, tmp_path / "server.log")
    server.env.update({
        # The schema's required fields take the random model 75-230 tokens; with fewer its
        # drafts are cut off and fail to parse (502), which is not what this test is about.
        "BRIEF_MAX_NEW_TOKENS": "300", "BRIEF_QUANTIZE": "none",
        "BRIEF_MAX_CONCURRENCY": "2",
        # Every client's request finds a place: a 429 would be a failure here.
        "BRIEF_MAX_QUEUE": str(CLIENTS * 2),
        "BRIEF_MAX_INPUT_CHARS": str(MAX_INPUT_CHARS),
        "BRIEF_REQUEST_TIMEOUT_S": "120",
        # Warmed before ready, so the first hundred includes no model warm-up.
        "BRIEF_WARMUP": "true",
    })
    server.start()
    yield server
    server.stop()


@pytest.mark.server_process
@pytest.mark.slow
def test_500_mixed_requests_get_their_status_and_rss_stays_flat(soak_server: Server) -> None:
    assert soak_server.process is not None
    pid = soak_server.process.pid
    kinds = schedule(REQUESTS)
    assert {*kinds} == set(KINDS) and {*kinds[:PHASE]} == set(KINDS)
    wrong: list[str] = []
    statuses: dict[int, int] = {}
    by_kind_s: dict[str, list[float]] = {}
    lock = threading.Lock()

    def run(indexes: range) -> None:
        todo: queue.Queue[int] = queue.Queue()
        for index in indexes:
            todo.put(index)

        def client() -> None:
            with httpx.Client(base_url=soak_server.url, timeout=150) as http:
                for _ in range(len(indexes)):  # bounded: at most every request of the phase
                    try:
                        index = todo.get_nowait()
                    except queue.Empty:
                        return
                    kind = KINDS[kinds[index]]
                    started = time.perf_counter()
                    try:
                        response = kind.send(http, index)
                    except httpx.HTTPError as exc:
                        with lock:
                            wrong.append(f"#{index} {kind.name}: {exc!r}")
                        continue
                    elapsed = time.perf_counter() - started
                    problem = _check(kind, response)
                    with lock:
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                        by_kind_s.setdefault(kind.name, []).append(elapsed)
                        if problem:
                            wrong.append(f"#{index} {kind.name}: {problem}")

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        assert not any(thread.is_alive() for thread in threads), "a client is stuck"

    started = time.monotonic()
    rss_idle = server_rss_mb(pid)
    rss: dict[int, float] = {}
    for done in range(PHASE, REQUESTS + 1, PHASE):
        run(range(done - PHASE, done))
        time.sleep(1)  # let the last responses' buffers go before reading the RSS
        rss[done] = server_rss_mb(pid)
        print(f"\nsoak: {done} requests in {time.monotonic() - started:.0f} s, "
              f"RSS {rss[done]:.0f} MB", flush=True)
    elapsed = time.monotonic() - started
    growth = (rss[REQUESTS] - rss[PHASE]) / rss[PHASE]
    slowest = {name: round(max(times), 2) for name, times in sorted(by_kind_s.items())}
    figures = (
        f"RSS idle {rss_idle:.0f} MB, after {PHASE} {rss[PHASE]:.0f} MB, after {REQUESTS} "
        f"{rss[REQUESTS]:.0f} MB ({growth:+.1%}); by hundred "
        f"{ {k: round(v) for k, v in rss.items()} }; {REQUESTS} requests in {elapsed:.0f} s; "
        f"statuses {dict(sorted(statuses.items()))}; slowest by kind (s) {slowest}"
    )
    print(f"soak: {figures}")
    assert soak_server.process.poll() is None, "the server died"
    assert not wrong, f"{len(wrong)} unexpected answers, e.g. {wrong[:5]}; {figures}"
    assert sum(statuses.values()) == REQUESTS, figures
    assert abs(growth) < MAX_GROWTH, figures


def _check(kind: Kind, response: httpx.Response) -> str | None:
    """What is wrong with this answer for this kind of request, if anything."""
    if response.status_code != kind.status:
        return f"status {response.status_code}, expected {kind.status}: {response.text[:300]}"
    try:
        body = response.json()
    except json.JSONDecodeError:
        return f"not JSON: {response.text[:200]}"
    if kind.status == 200:
        if not isinstance(body.get("headline"), str) or "meta" not in body:
            return f"not a brief: {response.text[:200]}"
        return None
    code = body.get("error", {}).get("code")
    return None if code == kind.code else f"error code {code!r}, expected {kind.code!r}"
