"""Chromium and local servers, shared by the real-browser tests and benchmarks/bench_workshop.py.

Plain Python (no pytest), so a benchmark can use it too. The browser is Debian's Chromium at /usr/bin/chromium
(apt-get install chromium), driven by Playwright; never `playwright install`. Servers bind to 127.0.0.1.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class ServerDidNotStart(RuntimeError):
    """A server started for a test or a benchmark exited, or never listened on its port."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Return once `proc` listens on 127.0.0.1:`port`; ServerDidNotStart if it exits first or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stderr = proc.communicate()[1] if proc.stderr is not None else ""
            raise ServerDidNotStart(f"the server exited early (exit code {proc.returncode}): {stderr or ''}".strip())
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise ServerDidNotStart(f"the server did not start listening on port {port} within {timeout:g} s")


def interrupt(proc: subprocess.Popen) -> None:
    """Ctrl-C, as a coach would stop a server; kill only if it does not stop within 30 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(pw):
    """Debian's Chromium, headless, from a Playwright instance (`with sync_playwright() as pw`)."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
