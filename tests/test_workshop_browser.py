"""`callkit workshop` in a real browser: pick a deal, fix a seller-centric objective, save, reload, see the plan.

Headless Debian Chromium through Playwright (never `playwright install`); every request the page makes
must stay on 127.0.0.1 (the page works offline). Skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SELLER_OBJECTIVE = "Demonstrate the reporting module"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                "(apt-get install chromium): the real-browser workshop test needs it")


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


def pick(page, rep_label: str, deal_label: str) -> None:
    page.wait_for_selector(".ck-rep-picker select", timeout=90_000)
    page.select_option(".ck-rep-picker select", label=rep_label)
    page.wait_for_function("document.querySelectorAll('.ck-deal-picker select option').length > 1")
    page.select_option(".ck-deal-picker select", label=deal_label)
    page.wait_for_selector(".ck-timeline", timeout=60_000)


def total(page) -> int:
    return int(page.locator(".ck-score-total [data-total]").get_attribute("data-total"))


def test_plan_a_call_in_the_browser(fresh_ws_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(fresh_ws_path) as ws:
        deal = next(d for d in ws.deals() if all(c.debrief for c in ws.calls(deal_id=d.deal_id)))
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        deal_text = deal_label(deal, ws.process)
        calls_before = len(ws.calls(deal_id=deal.deal_id))

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "callkit.cli", "workshop", str(fresh_ws_path), "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    outside: list[str] = []
    shot = ARTIFACTS / "workshop_plan.png"
    try:
        wait_for_port(port, proc)
        url = f"http://127.0.0.1:{port}/"
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1100})

            def route(r):
                if re.match(rf"^http://127\.0\.0\.1:{port}/", r.request.url) or r.request.url.startswith("data:"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(url, timeout=90_000)
            pick(page, rep_label, deal_text)
            assert page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count() == 0  # no code on the page

            page.get_by_text("2. Plan the next call").click()
            page.locator(".ck-objective textarea").fill(SELLER_OBJECTIVE)
            page.wait_for_selector('.ck-score-body [data-code*="objective"]', timeout=30_000)
            seller_total = total(page)
            suggestion = page.locator(".ck-suggestion").inner_text().strip()
            assert suggestion and suggestion != SELLER_OBJECTIVE

            page.locator(".ck-use-suggestion").click()
            page.wait_for_function(
                f"() => Number(document.querySelector('.ck-score-total [data-total]').dataset.total) > {seller_total}",
                timeout=30_000)
            page.wait_for_function("s => document.querySelector('.ck-objective textarea').value === s", arg=suggestion,
                                   timeout=30_000)

            page.locator(".ck-save-plan").click()
            page.wait_for_selector(".ck-plan-status:has-text('Saved the plan')", timeout=30_000)

            page.reload(timeout=90_000)
            pick(page, rep_label, deal_text)
            page.wait_for_selector(".ck-calls-table :text('Planned')", timeout=30_000)
            page.get_by_text("2. Plan the next call").click()
            page.wait_for_selector(".ck-plan-heading :text('Plan for the call on')", timeout=30_000)
            page.wait_for_function("s => document.querySelector('.ck-objective textarea').value === s", arg=suggestion,
                                   timeout=30_000)
            page.locator(".ck-objective").scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(shot))
            print(f"\nscreenshot: {shot}")
            browser.close()
    finally:
        out, err = stop(proc)
    assert outside == [], f"the page asked for something outside 127.0.0.1: {outside}"
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert f"http://127.0.0.1:{port}/" in out
    with Workspace.open(fresh_ws_path) as ws:
        calls = ws.calls(deal_id=deal.deal_id)
        assert len(calls) == calls_before + 1
        assert calls[-1].plan is not None and calls[-1].plan.objective == suggestion
