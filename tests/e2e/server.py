"""Start the dashboard as users do and find a Chromium, for browser tests and benchmarks.

``streamlit run dashboard.py`` on a free 127.0.0.1 port against a store given by
URL, polled on ``/_stcore/health`` until it answers (bounded), stopped by its pid.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
START_TIMEOUT_S = 60.0
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none.

    ``CONFLICTMAP_CHROMIUM``, when set, is the only candidate (so a wrong value
    shows up as a missing browser instead of silently using another one).
    """
    chosen = os.environ.get("CONFLICTMAP_CHROMIUM")
    candidates = [chosen] if chosen else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(db_url: str, log_name: str = "streamlit", pids: list[int] | None = None) -> Iterator[str]:
    """Run the dashboard against ``db_url``; yield its base URL; stop it by pid at the end.

    ``pids``, when given, receives the server's process id (benchmarks read its CPU time).
    """
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}-{port}.log"
    env = {**os.environ, "CONFLICTMAP_DB": db_url, "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        if pids is not None:
            pids.append(proc.pid)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT_S:.0f} s; see {log_path}")
                try:
                    # Waiting on the process doubles as the poll interval and notices an early exit.
                    proc.wait(timeout=0.25)
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log_path}")
                except subprocess.TimeoutExpired:
                    pass
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
