"""The agenda tab in a real browser: the email shows job titles only, and "Copy the email" puts it on the clipboard.

Headless Debian Chromium through Playwright (never `playwright install`), with clipboard permissions so the
test can read back what the button copied. The page is served on http://127.0.0.1, a secure context, so the
button uses navigator.clipboard. Skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from browser import ARTIFACTS, launch, needs_chromium, pick, workshop_server

pytestmark = needs_chromium

AGENDA_TAB = "3. Agenda for the customer"


def _plan_for_a_deal(ws_path):
    """Save a plan with attendees (titles mixed with our labels) on a deal whose calls are all debriefed."""
    from callkit.models import Attendee, CallPlan
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(ws_path) as ws:
        deal = next(d for d in ws.deals() if d.is_open and ws.calls(deal_id=d.deal_id)
                    and all(c.debrief for c in ws.calls(deal_id=d.deal_id)))
        last = max(c.date for c in ws.calls(deal_id=deal.deal_id))
        rep = ws.rep(deal.rep_id)
        plan = CallPlan(
            call_id=ws.new_call_id(deal.deal_id), deal_id=deal.deal_id, rep_id=deal.rep_id,
            call_date=last + timedelta(days=7), stage=deal.stage,
            attendees=[Attendee(name="Priya Shah", role="COO, economic buyer", email="priya@client.example"),
                       Attendee(name="Tom Reed", role="champion"),
                       Attendee(name=rep.name, role="account executive", side="us")],
            objective="Priya books the pilot review with her CFO by Friday",
            customer_value="They get a benchmark of their downtime against 40 peer plants",
            agenda=["Your goals for the quarter", "What a pilot must show", "Next steps"],
        )
        ws.save_plan(plan)
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        return rep_label, deal_label(deal, ws.process), plan


def test_copy_the_email_in_the_browser(fresh_ws_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    rep_label, deal_text, plan = _plan_for_a_deal(fresh_ws_path)
    shot = ARTIFACTS / "agenda_copy.png"
    with workshop_server(fresh_ws_path) as server:
        with sync_api.sync_playwright() as pw:
            browser = launch(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 1300},
                                          permissions=["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.route("**/*", server.route)
            page.goto(server.url, timeout=90_000)
            pick(page, rep_label, deal_text)
            page.get_by_text(AGENDA_TAB).click()
            box = page.locator(".ck-agenda-text textarea")
            page.wait_for_function(
                "() => (document.querySelector('.ck-agenda-text textarea') || {}).value?.includes('Next steps')",
                timeout=30_000)
            shown = box.input_value()
            assert "Joining from your side: Priya Shah (COO), Tom Reed\n" in shown
            assert "economic buyer" not in shown and "champion" not in shown
            assert "What you will get from this call: a benchmark of your downtime against 40 peer plants." in shown

            page.locator(".ck-copy-email").click()
            page.wait_for_selector(".ck-copied:has-text('Copied')", timeout=10_000)
            copied = page.evaluate("() => navigator.clipboard.readText()")
            assert copied == shown
            assert copied.startswith("Subject: Agenda for our call on ")
            ARTIFACTS.mkdir(exist_ok=True)
            page.locator(".ck-agenda-panel").screenshot(path=str(shot))  # what the rep sees: the email and "Copied"
            print(f"\nscreenshot: {shot}")

            # the rep's own edit in the box is what gets copied
            box.fill(shown.replace("Best regards,", "Kind regards,"))
            page.locator(".ck-copy-email").click()
            page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('Kind regards,'))",
                                   timeout=10_000)

            page.locator(".ck-agenda-where input").fill("https://meet.example.com/abc-defg")
            page.wait_for_function(
                "() => document.querySelector('.ck-agenda-text textarea').value.includes('Where: https://meet')",
                timeout=30_000)
            assert page.locator(".ck-ics-link").get_attribute("download").endswith(f"{plan.call_date}.ics")
            browser.close()
    assert server.outside == [], f"the page asked for something outside 127.0.0.1: {server.outside}"
    assert "Traceback" not in server.err, server.err
