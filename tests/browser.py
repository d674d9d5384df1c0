"""Shared pieces of the real-browser tests: Debian's Chromium through Playwright, a workshop server per test.

Never `playwright install`: the browser is /usr/bin/chromium (apt-get install chromium). Servers bind to
127.0.0.1 and are stopped by the test that started them (Ctrl-C, as a coach would).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from local_servers import CHROMIUM, free_port, interrupt, launch_chromium, wait_for_port  # noqa: F401 (re-exported)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                    "(apt-get install chromium): the real-browser tests need it")


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    """Ctrl-C, as a coach would; kill only if it does not stop. Returns what it printed (stdout, stderr)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


class Output:
    """What a server prints on one stream, read as it comes (so a test can wait for the printed address)."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append("")  # end of the stream
            self.changed.notify_all()

    def wait_for(self, pattern: str, proc: subprocess.Popen, timeout: float = 60) -> re.Match:
        """The first printed line matching `pattern`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines:
                    m = re.search(pattern, line)
                    if m:
                        return m
                if (self.lines and self.lines[-1] == "") or time.monotonic() > deadline:
                    raise AssertionError(f"the workshop server did not print {pattern!r}: {''.join(self.lines)}")
                self.changed.wait(0.2)

    def text(self) -> str:
        self.thread.join(timeout=10)
        return "".join(self.lines)


@dataclass
class Server:
    """A running `callkit workshop`: its process, port and URL; `out`/`err` are filled once it stopped."""

    proc: subprocess.Popen
    port: int
    url: str  # the address the server printed, with its token
    out: str = ""
    err: str = ""
    outside: list[str] = field(default_factory=list)  # requests the pages made outside 127.0.0.1
    stdout: Output | None = None
    stderr: Output | None = None

    @property
    def token(self) -> str:
        return self.url.split("?token=", 1)[1]

    @property
    def base(self) -> str:
        """The address without the token."""
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        """Ctrl-C, as a coach would; `out`/`err` hold what the server printed."""
        if self.proc.returncode is not None:
            return
        if self.stdout is None or self.stderr is None:
            self.out, self.err = stop(self.proc)
            return
        interrupt(self.proc)
        self.out, self.err = self.stdout.text(), self.stderr.text()

    def kernels(self) -> list:
        """The kernel processes this server runs (psutil.Process objects)."""
        import psutil

        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                pass
        return found

    def memory_mb(self) -> float:
        """Resident memory of the server and its kernels together, in MB."""
        import psutil

        total = 0
        for proc in [psutil.Process(self.proc.pid), *self.kernels()]:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20

    def route(self, r) -> None:
        """A Playwright route handler that lets only 127.0.0.1 and data: through (the page works offline)."""
        if re.match(rf"^http://127\.0\.0\.1:{self.port}/", r.request.url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            self.outside.append(r.request.url)
            r.abort()


@contextlib.contextmanager
def workshop_server(ws_path: Path, *extra: str, port: int | None = None) -> Iterator[Server]:
    """Start `callkit workshop ws_path` on a free port (or on `port`); stop it with Ctrl-C at the end
    (or earlier with server.stop()). `server.url` is the address it printed, with its token."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "callkit.cli", "workshop", str(ws_path), "--port", str(port), "--no-browser", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    server = Server(proc, port, "", stdout=Output(proc.stdout), stderr=Output(proc.stderr))
    try:
        # the address the coach is told to open, token and all
        server.url = server.stdout.wait_for(r"^Open (http://\S+) in a browser", proc).group(1)
        wait_for_port(port, proc)
        yield server
    finally:
        server.stop()


def launch(pw):
    """Debian's Chromium, headless."""
    return launch_chromium(pw)


def server_page(browser, server, width: int = 1400, height: int = 900):
    """A new page of `browser` on `server`'s URL, its requests checked by `server.route` (nothing leaves 127.0.0.1)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.route("**/*", server.route)
    page.goto(server.url, timeout=90_000)
    return page


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
