"""Shared pieces of the real-browser tests: Debian's Chromium through Playwright, a workshop server per test.

Never `playwright install`: the browser is /usr/bin/chromium (apt-get install chromium). Servers bind to
127.0.0.1 and are stopped by the test that started them (Ctrl-C, as a coach would).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                    "(apt-get install chromium): the real-browser tests need it")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the workshop server exited early: {proc.communicate()[1]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the workshop server did not start listening")


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    """Ctrl-C, as a coach would; kill only if it does not stop."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


@dataclass
class Server:
    """A running `callkit workshop`: its process, port and URL; `out`/`err` are filled once it stopped."""

    proc: subprocess.Popen
    port: int
    url: str
    out: str = ""
    err: str = ""
    outside: list[str] = field(default_factory=list)  # requests the pages made outside 127.0.0.1

    def route(self, r) -> None:
        """A Playwright route handler that lets only 127.0.0.1 and data: through (the page works offline)."""
        if re.match(rf"^http://127\.0\.0\.1:{self.port}/", r.request.url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            self.outside.append(r.request.url)
            r.abort()


@contextlib.contextmanager
def workshop_server(ws_path: Path, *extra: str) -> Iterator[Server]:
    """Start `callkit workshop ws_path` on a free port; stop it with Ctrl-C at the end."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "callkit.cli", "workshop", str(ws_path), "--port", str(port), "--no-browser", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    server = Server(proc, port, f"http://127.0.0.1:{port}/")
    try:
        wait_for_port(port, proc)
        yield server
    finally:
        server.out, server.err = stop(proc)


def launch(pw):
    """Debian's Chromium, headless."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def pick(page, rep_label: str, deal_label: str) -> None:
    """Choose a rep and a deal in the picker and wait for the deal's tabs."""
    page.wait_for_selector(".ck-rep-picker select", timeout=90_000)
    page.select_option(".ck-rep-picker select", label=rep_label)
    page.wait_for_function("document.querySelectorAll('.ck-deal-picker select option').length > 1")
    page.select_option(".ck-deal-picker select", label=deal_label)
    page.wait_for_selector(".ck-timeline", timeout=60_000)


def total(page) -> int:
    """The plan scorecard's total as shown."""
    return int(page.locator(".ck-score-total [data-total]").get_attribute("data-total"))
