"""Time what a new user waits for: a fresh clone to a ready server with `make serve`.

    python bench/fresh_clone.py [--repo .] [--port 8765] [--keep]

Clones the repository's committed HEAD into a temporary folder, runs `make serve` there with
an empty model cache (`BRIEF_CACHE_DIR`), and polls `/readyz` on 127.0.0.1 until it answers
200. Prints when the install finished (the venv's `brief` appears and make starts it), how
long the model's first-use conversion took (the service's own line), and the total. The
package caches (uv's, pip's) are left as they are: empty them first for a first-ever install.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
            status: int = reply.status
            return status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop make and the server it started (their process group): politely, then not."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return  # all gone already
        try:
            server.wait(timeout=60)
            return
        except subprocess.TimeoutExpired:
            continue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--limit", type=float, default=900, help="seconds before giving up")
    parser.add_argument("--keep", action="store_true", help="keep the clone and its log")
    args = parser.parse_args()

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"port {args.port} is taken: another server would answer /readyz")
    work = Path(tempfile.mkdtemp(prefix="brief-fresh-"))
    clone, cache, log_path = work / "clone", work / "cache", work / "serve.log"
    cache.mkdir()
    started = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(args.repo), str(clone)], check=True)
    cloned = time.perf_counter() - started
    env = {**os.environ, "BRIEF_CACHE_DIR": str(cache), "BRIEF_PORT": str(args.port)}
    installed = None
    with log_path.open("w") as log:
        # A process group of its own: make, then the server it starts, stopped together.
        server = subprocess.Popen(["make", "serve"], cwd=clone, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while not _ready(args.port):
                elapsed = time.perf_counter() - started
                if server.poll() is not None:
                    raise SystemExit(f"make serve exited with {server.returncode}: see {log_path}")
                if elapsed > args.limit:
                    raise SystemExit(f"not ready after {args.limit:.0f} s: see {log_path}")
                if installed is None and "brief serve" in log_path.read_text(errors="replace"):
                    installed = elapsed
                time.sleep(0.25)
            ready = time.perf_counter() - started
        finally:
            _stop(server)
    text = log_path.read_text(errors="replace")
    conversion = re.search(r"embedded model ready in (\d+) s", text)
    load = re.search(r'"load_s": ([\d.]+)', text)
    print(f"clone {cloned:.1f} s; install done at {installed or 0:.1f} s; "
          f"model conversion {conversion.group(1) if conversion else '-'} s; "
          f"model load and warm-up {load.group(1) if load else '-'} s; ready at {ready:.1f} s")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
