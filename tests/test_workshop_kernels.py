"""`callkit workshop` over a day of sessions, in a real browser: one kernel per open page, a quiet terminal, a banner
when the session stops, and a restart on the same port at once.

Headless Debian Chromium through Playwright (never `playwright install`); skipped when /usr/bin/chromium is missing.
Kernels are counted as the server's ipykernel processes, memory as the resident memory of the server and its
kernels (psutil).
"""

from __future__ import annotations

import re
import time

import pytest

from browser import ARTIFACTS, launch, needs_chromium, pick, server_page, workshop_server

pytestmark = needs_chromium

SPARE = 1  # the kernel the server keeps running ahead of the next page
SESSION_LINE = re.compile(r"^\d\d:\d\d session (started|ended) \((\d+) open\)$")
NOISE = ("403", "WebSocket", "ping", "Traceback", "WARNING", "xsrf", "Kernel", "[")
SAVE_BUTTONS = (".ck-save-plan", ".ck-save-debrief")
ENABLED_CONTROLS = """() => Array.from(document.querySelectorAll(
    '.ck-page button, .ck-page input, .ck-page textarea, .ck-page select')).filter(e => !e.disabled).length"""


def sync_api():
    return pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")


def deals(ws_path, n: int = 2) -> list[tuple[str, str, str]]:
    """(rep label, deal label, deal name) of n deals of different reps, as the picker shows them."""
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(ws_path) as ws:
        labels = dict((v, k) for k, v in rep_options(ws.reps()))
        chosen = {}
        for deal in ws.deals():
            chosen.setdefault(deal.rep_id, (labels[deal.rep_id], deal_label(deal, ws.process), deal.name))
        return list(chosen.values())[:n]


def a_deal(ws_path) -> tuple[str, str]:
    """A rep label and one of their deal labels."""
    rep_label, deal_text, _ = deals(ws_path, 1)[0]
    return rep_label, deal_text


def open_page(context, url):
    page = context.new_page()
    page.goto(url, timeout=90_000)
    page.wait_for_selector(".ck-rep-picker select", timeout=90_000)
    return page


def kernel_id(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def test_twenty_page_loads_leave_one_kernel_per_open_page_and_a_quiet_terminal(sample_ws_path):
    api = sync_api()
    (rep_label, deal_text, _), (other_rep, other_deal, other_name) = deals(sample_ws_path)
    with workshop_server(sample_ws_path) as server:
        with api.sync_playwright() as pw:
            browser = launch(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", server.route)
            projector = open_page(context, server.url)  # load 1: open on the projector, idle all along
            pick(projector, rep_label, deal_text)
            tab = open_page(context, server.url)  # load 2
            assert wait_until(lambda: len(server.kernels()) == 2 + SPARE, 60)
            before_mb = server.memory_mb()
            kernel_mb = max(k.memory_info().rss for k in server.kernels()) / 2**20

            closed_ids = []  # the kernels of the pages that are closed or reloaded
            for i in range(10):  # loads 3-12: tabs closed, half of them without running the page's unload
                page = open_page(context, server.url)
                closed_ids.append(kernel_id(page))
                page.close(run_before_unload=i % 2 == 1)
            for _ in range(8):  # loads 13-20: reloads
                closed_ids.append(kernel_id(tab))
                tab.reload(timeout=90_000)
                tab.wait_for_selector(".ck-rep-picker select", timeout=90_000)
            open_ids = [kernel_id(projector), kernel_id(tab)]
            assert len(set(closed_ids + open_ids)) == 20  # one kernel per page load

            def running(ids: list[str]) -> list[str]:
                cmdlines = [" ".join(k.cmdline()) for k in server.kernels()]
                return [kid for kid in ids if any(kid in line for line in cmdlines)]

            # every closed or reloaded page's kernel is shut down within 60 s; open pages keep theirs
            wait_until(lambda: not running(closed_ids), 60)
            kernels = server.kernels()
            after_mb = server.memory_mb()
            print(f"\nkernels after 20 page loads, 2 pages open: {len(kernels)}; memory {before_mb:.0f} MB with "
                  f"2 pages open before, {after_mb:.0f} MB after (one kernel: {kernel_mb:.0f} MB)")
            assert running(closed_ids) == []
            assert running(open_ids) == open_ids
            assert len(kernels) <= 2 + SPARE
            assert after_mb < before_mb + kernel_mb  # not even one leaked kernel's worth

            # the projector page, idle through all of that, still works
            pick(projector, other_rep, other_deal)
            projector.wait_for_function("name => (document.querySelector('.ck-deal-card')?.textContent || '').includes(name)",
                                        arg=other_name, timeout=60_000)
            assert projector.locator(".ck-stopped-banner").count() == 0 and tab.locator(".ck-stopped-banner").count() == 0
            browser.close()
    assert server.outside == [], f"the page asked for something outside 127.0.0.1: {server.outside}"
    assert server.proc.returncode == 0

    out = server.out.splitlines()
    assert out[:2] == [f"Coaching session for the workspace {sample_ws_path.resolve()}",
                       f"Open {server.url} in a browser. Press Ctrl-C to stop."]
    sessions = [SESSION_LINE.match(line) for line in out[2:]]
    assert all(sessions), f"the terminal shows more than session lines: {out[2:]}"
    events = [m.group(1) for m in sessions]
    assert events.count("started") == 20 and events.count("ended") == 18, out
    assert sessions[-1].group(2) == "2"
    assert server.err.strip() == "Workshop stopped.", server.err
    for word in NOISE:
        assert word not in "\n".join(out[2:]), word


def open_plan_tab(page) -> None:
    """Open the plan tab and wait for the plan and debrief forms (built just after the deal's history)."""
    page.get_by_text("2. Plan the next call").click()
    for button in SAVE_BUTTONS:
        page.wait_for_selector(button, state="attached", timeout=30_000)


def assert_stopped(page, banner_text: str, shot: str) -> None:
    assert banner_text in page.locator(".ck-stopped-banner").inner_text()
    for button in SAVE_BUTTONS:
        assert page.locator(button).count() == 1 and page.locator(button).is_disabled(), button
    assert page.evaluate(ENABLED_CONTROLS) == 0  # every button and box of the page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    print(f"\nscreenshot: {ARTIFACTS / shot}")


def test_a_killed_kernel_shows_the_banner_and_disables_the_page(sample_ws_path):
    api = sync_api()
    rep_label, deal_text = a_deal(sample_ws_path)
    with workshop_server(sample_ws_path) as server:
        with api.sync_playwright() as pw:
            browser = launch(pw)
            page = server_page(browser, server, 1400, 900)
            pick(page, rep_label, deal_text)
            open_plan_tab(page)
            assert page.locator(".ck-stopped-banner").count() == 0
            kid = kernel_id(page)
            [kernel] = [k for k in server.kernels() if kid in " ".join(k.cmdline())]
            kernel.kill()
            page.wait_for_selector(".ck-stopped-banner", timeout=5_000)
            assert_stopped(page, "This page's coaching session stopped: what is on this page is no longer saved.",
                           "workshop_kernel_stopped.png")
            browser.close()
    out = server.out.splitlines()
    assert [line[6:] for line in out[2:]] == ["session started (1 open)", "session ended (0 open)"], out
    assert server.err.strip() == "Workshop stopped.", server.err


def test_a_stopped_server_shows_the_banner_and_restarts_on_the_same_port_at_once(fresh_ws_path):
    api = sync_api()
    rep_label, deal_text = a_deal(fresh_ws_path)
    with api.sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        with workshop_server(fresh_ws_path) as server:
            page.route("**/*", server.route)
            page.goto(server.url, timeout=90_000)
            pick(page, rep_label, deal_text)
            open_plan_tab(page)
            page.locator(".ck-objective textarea").fill("Priya introduces us to her CFO by Friday")
            server.stop()  # Ctrl-C
            page.wait_for_selector(".ck-stopped-banner", timeout=5_000)
            assert_stopped(page, "The coaching server stopped: what is on this page is no longer saved. "
                           "Restart callkit workshop and reload the page.", "workshop_server_stopped.png")
        assert server.proc.returncode == 0 and server.err.strip() == "Workshop stopped.", server.err

        with workshop_server(fresh_ws_path, port=server.port) as again:  # at once, on the same port
            page.reload(timeout=90_000)
            pick(page, rep_label, deal_text)
            assert page.locator(".ck-stopped-banner").count() == 0
            assert page.evaluate(ENABLED_CONTROLS) > 0
        browser.close()
    assert again.proc.returncode == 0, again.err
    assert again.url in again.out and "already in use" not in again.err
