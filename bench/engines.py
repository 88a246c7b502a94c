"""The seed brief through each engine, side by side in one run, on the same machine:

  local   `brief serve` with the embedded model in the process (BRIEF_ENGINE=local)
  openai  `brief serve` with BRIEF_ENGINE=openai against llama.cpp's server
          (llama-cpp-python's, `--n_threads` as below) serving the same GGUF

For each: latency of the seed brief alone (median of --repeat), then aggregate briefs/min
with 1, 4 and 8 clients at once (each client sends --rounds briefs one after another).

    python bench/engines.py [--seed ../shared/seeds/000_*.txt] [--concurrency 1,4,8]
                            [--repeat 3] [--rounds 1] [--out bench-out/engines.json]

Only 127.0.0.1 is used. llama-cpp-python's server decodes one request at a time (a queue,
no batching), so its briefs/min stays flat with more clients; vLLM or SGLang batch the
requests of all clients (and all API replicas) continuously, which is what the remote engine
is for. Needs `pip install -e '.[llama-server]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

THREADS = int(os.environ.get("BRIEF_THREADS") or 2)
ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)


def _post(port: int, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/briefs", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=1800) as response:
        brief = json.loads(response.read())
    return time.perf_counter() - began, brief


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(env: dict[str, str], body: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    port = _port()
    env = {**os.environ, **env, "BRIEF_PORT": str(port), "BRIEF_HOST": "127.0.0.1",
           "BRIEF_LOG_LEVEL": "warning", "BRIEF_REQUEST_TIMEOUT_S": "1800",
           "BRIEF_MAX_QUEUE": "64"}
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/readyz", process, "brief serve")
        alone = [_post(port, body) for _ in range(args.repeat)]
        latencies = [wall for wall, _ in alone]
        brief = alone[-1][1]
        scaling = []
        for clients in args.concurrency:
            walls: list[float] = []
            errors: list[str] = []

            def client(walls: list[float] = walls, errors: list[str] = errors) -> None:
                for _ in range(args.rounds):
                    try:
                        walls.append(_post(port, body)[0])
                    except Exception as exc:  # counted, not fatal: the figure shows it
                        errors.append(repr(exc))

            began = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            scaling.append({"clients": clients, "briefs": len(walls), "errors": len(errors),
                            "wall_s": round(elapsed, 1),
                            "briefs_per_min": round(60 * len(walls) / elapsed, 2),
                            "latency_p50_s": round(statistics.median(walls), 1) if walls else None})
            print(f"    x{clients}: {len(walls)} briefs in {elapsed:.1f} s", file=sys.stderr)
        return {
            "latency_s": round(statistics.median(latencies), 2),
            "latencies_s": [round(x, 2) for x in latencies],
            "participants": [p["name"] for p in brief["participants"]],
            "date": brief["event"]["date"],
            "service_peak_rss_mb": round(_hwm_mb(process.pid)),
            "scaling": scaling,
        }
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    parser.add_argument("--seed", type=Path, default=seeds[0] if seeds else None)
    parser.add_argument("--concurrency", default="1,4,8",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench-out/engines.json"))
    args = parser.parse_args()
    if args.seed is None:
        raise SystemExit("no seed article: pass --seed FILE")
    sys.path.insert(0, str(ROOT))
    from service.engines.model_source import assemble_embedded_gguf

    body = {"text": args.seed.read_text(encoding="utf-8"), "published": "2023-09-19"}
    results: dict[str, Any] = {"threads": THREADS}
    print("  local (embedded model in the process)", file=sys.stderr)
    results["local"] = measure({"BRIEF_ENGINE": "local", "BRIEF_THREADS": str(THREADS)}, body, args)

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        gguf = assemble_embedded_gguf(Path(folder) / "model.gguf")
        port = _port()
        llama = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host",
             "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", str(THREADS),
             "--model_alias", "qwen2.5-coder-0.5b", "--interrupt_requests", "False"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait(f"http://127.0.0.1:{port}/v1/models", llama, "llama.cpp server")
            results["llama_server_start_s"] = round(time.perf_counter() - started, 1)
            print("  openai (llama.cpp server)", file=sys.stderr)
            results["openai"] = measure({
                "BRIEF_ENGINE": "openai", "BRIEF_OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1",
                "BRIEF_OPENAI_SCHEMA_MODE": "json_object", "BRIEF_OPENAI_SAMPLING": "llama.cpp",
            }, body, args)
            results["openai"]["llama_server_peak_rss_mb"] = round(_hwm_mb(llama.pid))
        finally:
            llama.terminate()
            llama.wait(30)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\nseed brief, {THREADS} threads each; briefs/min at 1, 4, 8 clients at once")
    print(f"{'engine':28} {'alone s':>8} " + " ".join(
        f"{'x' + str(c) + ' /min':>9}" for c in args.concurrency) + "   peak RSS MB")
    for name, label in (("local", "local (in process)"), ("openai", "openai -> llama.cpp server")):
        row = results[name]
        rates = " ".join(f"{s['briefs_per_min']:>9.1f}" for s in row["scaling"])
        rss = f"{row['service_peak_rss_mb']}"
        if "llama_server_peak_rss_mb" in row:
            rss += f" + {row['llama_server_peak_rss_mb']} (server)"
        print(f"{label:28} {row['latency_s']:>8.1f} {rates}   {rss}")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
