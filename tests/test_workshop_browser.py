"""`callkit workshop` in a real browser: pick a deal, fix a seller-centric objective, save, reload, see the plan.

Headless Debian Chromium through Playwright (never `playwright install`); every request the page makes
must stay on 127.0.0.1 (the page works offline). Skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import time

import pytest

from browser import ARTIFACTS, launch, needs_chromium, pick, server_page, total, workshop_server

SELLER_OBJECTIVE = "Demonstrate the reporting module"

pytestmark = needs_chromium


def test_plan_a_call_in_the_browser(fresh_ws_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(fresh_ws_path) as ws:
        deal = next(d for d in ws.deals() if all(c.debrief for c in ws.calls(deal_id=d.deal_id)))
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        deal_text = deal_label(deal, ws.process)
        calls_before = len(ws.calls(deal_id=deal.deal_id))

    shot = ARTIFACTS / "workshop_plan.png"
    with workshop_server(fresh_ws_path) as server:
        with sync_api.sync_playwright() as pw:
            browser = launch(pw)
            page = server_page(browser, server, 1400, 1100)
            pick(page, rep_label, deal_text)
            assert page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count() == 0  # no code on the page

            page.get_by_text("2. Plan the next call").click()
            page.locator(".ck-objective textarea").fill(SELLER_OBJECTIVE)
            page.wait_for_selector('.ck-score-body [data-code*="objective"]', timeout=30_000)
            page.wait_for_function(  # the scorecard has caught up with what was typed (it quotes the rep's words)
                "s => document.querySelector('.ck-scorecard').innerText.includes(s)", arg=SELLER_OBJECTIVE,
                timeout=30_000)
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
    assert server.outside == [], f"the page asked for something outside 127.0.0.1: {server.outside}"
    assert server.proc.returncode == 0 and "Traceback" not in server.err, server.err
    assert server.url in server.out
    with Workspace.open(fresh_ws_path) as ws:
        calls = ws.calls(deal_id=deal.deal_id)
        assert len(calls) == calls_before + 1
        assert calls[-1].plan is not None and calls[-1].plan.objective == suggestion


BROWSER_ID = "() => ({stored: localStorage.getItem('callkit-browser-id'), field: document.querySelector('.ck-browser-id input')?.value})"


def test_drafts_belong_to_the_browser_across_reloads(fresh_ws_path):
    """Two browsers (contexts) get different ids; a reload keeps the id, so the draft typed before a reload comes
    back in the same browser and never in the other one."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.ui.draft import plan_draft_key
    from callkit.workspace import Workspace

    with Workspace.open(fresh_ws_path) as ws:
        deal = next(d for d in ws.deals() if d.is_open and all(c.debrief for c in ws.calls(deal_id=d.deal_id)))
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        deal_text = deal_label(deal, ws.process)
    typed = "Priya books the pilot review with her CFO by Friday"

    def open_plan(page):
        pick(page, rep_label, deal_text)
        page.get_by_text("2. Plan the next call").click()
        page.wait_for_selector(".ck-objective textarea", timeout=30_000)

    def browser_id(page) -> str:
        page.wait_for_function("() => (document.querySelector('.ck-browser-id input')?.value || '').length === 32",
                               timeout=30_000)
        ids = page.evaluate(BROWSER_ID)
        assert ids["stored"] == ids["field"], ids
        return ids["field"]

    with workshop_server(fresh_ws_path) as server, sync_api.sync_playwright() as pw:
        browser = launch(pw)
        first, second = (browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2))
        a = first.new_page()
        a.route("**/*", server.route)
        a.goto(server.url, timeout=90_000)
        a_id = browser_id(a)
        open_plan(a)
        a.locator(".ck-objective textarea").fill(typed)

        key = plan_draft_key(deal.deal_id, a_id)  # the draft is kept under this browser's id
        deadline = time.monotonic() + 30
        while True:
            with Workspace.open(fresh_ws_path) as ws:
                draft = ws.load_draft(key)
            if draft and typed in json.dumps(draft):
                break
            assert time.monotonic() < deadline, "no draft was kept for this browser"
            time.sleep(0.3)

        a.reload(timeout=90_000)
        assert browser_id(a) == a_id  # the same browser after a reload
        open_plan(a)
        a.wait_for_function("s => document.querySelector('.ck-objective textarea').value === s", arg=typed,
                            timeout=30_000)

        b = second.new_page()
        b.route("**/*", server.route)
        b.goto(server.url, timeout=90_000)
        b_id = browser_id(b)
        assert b_id != a_id
        open_plan(b)
        assert b.locator(".ck-objective textarea").input_value() != typed
        assert "Restored what you typed before" not in b.locator(".ck-page").inner_text()
        browser.close()
    assert server.proc.returncode == 0 and "Traceback" not in server.err, server.err
