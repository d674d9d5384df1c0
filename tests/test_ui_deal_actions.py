"""The deal actions on the deal tab: move to a stage, mark won or lost with a reason, reopen; one sentence on a problem."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest

from callkit.models import Deal, StageChange
from callkit.process import SalesProcess
from callkit.ui.deal_actions import DealActions, confirmation, stage_choices
from callkit.workspace import Workspace

TODAY = date(2026, 11, 24)
PROCESS = SalesProcess.default()


def open_deal(ws: Workspace, stage: str = "discover") -> Deal:
    return next(d for d in ws.deals() if d.is_open and d.stage == stage)


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_an_open_deal_offers_move_won_and_lost(ws):
    deal = open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    assert shown(actions.open_box) and not shown(actions.closed_box)
    assert actions.stage.value == "discover" and actions.on_date.value == TODAY
    assert [v for _, v in actions.stage.options] == PROCESS.stage_ids == [v for _, v in stage_choices(PROCESS)]
    assert actions.move_button.disabled  # nothing to move to yet
    actions.stage.value = "validate"
    assert not actions.move_button.disabled
    assert "Open, in <b>Discover</b>" in actions.state.value


def listening(ws) -> tuple[Deal, DealActions, list[Deal]]:
    """An open deal's actions, and the list of deals its listener heard about."""
    deal = open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    heard: list[Deal] = []
    actions.on_change(heard.append)
    return deal, actions, heard


def test_move_confirms_tells_the_listeners_and_records_the_history(ws):
    deal, actions, heard = listening(ws)
    actions.stage.value = "validate"
    moved = actions.move()
    assert moved is not None and moved.stage == "validate"
    assert "Moved from Discover to Validate on Tue 24 Nov 2026." in actions.status.value
    assert "ck-status-ok" in actions.status.value
    assert heard == [ws.deal(deal.deal_id)] and actions.deal == heard[0]
    assert ws.deal(deal.deal_id).stage_history[-1] == StageChange(changed_on=TODAY, stage="validate", status="open")
    assert actions.move_button.disabled  # it is in Validate now


def test_lost_needs_a_reason_and_writes_nothing_without_one(ws):
    deal, actions, heard = listening(ws)
    assert actions.mark_lost() is None
    assert actions.status.value.count(".") == 1 and "Say why the deal was lost" in actions.status.value
    assert "ck-status-error" in actions.status.value
    assert heard == [] and ws.deal(deal.deal_id) == deal


def test_lost_with_a_reason_then_reopened(ws):
    deal, actions, heard = listening(ws)
    actions.on_date.value = date(2026, 11, 20)
    actions.reason.value = "Went with <b>Acme</b>"
    lost = actions.mark_lost()
    assert lost.status == "lost" and lost.closed_on == date(2026, 11, 20) and lost.lost_reason == "Went with <b>Acme</b>"
    assert "Marked lost on Fri 20 Nov 2026. Reason: Went with &lt;b&gt;Acme&lt;/b&gt;." in actions.status.value
    assert "<b>Acme</b>" not in actions.status.value
    assert not shown(actions.open_box) and shown(actions.closed_box) and actions.reason.value == ""
    assert actions.reopen_stage.value == "discover" and "was <b>lost</b> on Fri 20 Nov 2026" in actions.state.value
    reopened = actions.reopen()
    assert reopened.is_open and reopened.stage == "discover" and reopened.lost_reason is None
    assert reopened.closed_on is None and "Reopened on Fri 20 Nov 2026, in Discover" in actions.status.value
    assert shown(actions.open_box) and [d.status for d in heard] == ["lost", "open"]
    assert [(s.stage, s.status) for s in reopened.stage_history[-2:]] == [("discover", "lost"), ("discover", "open")]


def test_won_without_a_reason_goes_to_the_last_stage(ws):
    deal = open_deal(ws, "negotiate") if any(d.is_open and d.stage == "negotiate" for d in ws.deals()) else open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    won = actions.mark_won()
    assert won.status == "won" and won.stage == PROCESS.stages[-1].id and won.closed_on == TODAY
    assert "Marked won on Tue 24 Nov 2026. Reopen it if that was a mistake." in actions.status.value


def test_a_deal_changed_elsewhere_is_not_overwritten(ws):
    deal, actions, heard = listening(ws)
    ws.close_deal(deal.deal_id, "lost", on=TODAY, reason="No budget")  # another coach, in another browser
    actions.stage.value = "validate"
    assert actions.move() is None
    assert "Someone else changed this deal since the page showed it (now lost)" in actions.status.value
    now = ws.deal(deal.deal_id)
    assert now.status == "lost" and now.stage == "discover"  # their change stands
    assert actions.deal == now and shown(actions.closed_box) and heard == [now]  # the page shows it as it is


def test_a_date_before_the_last_change_is_one_sentence(ws):
    deal = open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    actions.stage.value = "validate"
    actions.move()
    actions.on_date.value = date(2026, 11, 1)
    actions.stage.value = "propose"
    assert actions.move() is None
    assert "The date cannot be before the deal's last change of stage (Tue 24 Nov 2026)." in unescape(actions.status.value)
    assert ws.deal(deal.deal_id).stage == "validate"


def test_a_failing_listener_is_reported_and_the_others_still_hear(ws):
    deal = open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    heard: list[Deal] = []

    def broken(_deal: Deal) -> None:
        raise RuntimeError("boom")

    actions.on_change(broken)
    actions.on_change(heard.append)
    actions.stage.value = "solution"
    actions.move_button.click()  # through the guarded button handler, as in the page
    assert len(heard) == 1 and heard[0].stage == "solution"
    assert "Something went wrong (RuntimeError)" in actions.status.value


def test_confirmation_sentences():
    before = Deal(deal_id="d", rep_id="r", name="x", stage="discover")
    assert confirmation(before, before.model_copy(update={"stage": "solution"}), PROCESS, TODAY) == \
        "Moved from Discover to Solution on Tue 24 Nov 2026."
    won = before.model_copy(update={"status": "won", "stage": "close", "closed_on": TODAY})
    assert confirmation(before, won, PROCESS, TODAY) == "Marked won on Tue 24 Nov 2026. Reopen it if that was a mistake."
    assert confirmation(won, before, PROCESS, TODAY) == "Reopened on Tue 24 Nov 2026, in Discover: plan the next call again."


def test_a_date_typed_wrong_is_one_sentence_and_writes_nothing(ws):
    deal = open_deal(ws)
    actions = DealActions(ws, deal, today=TODAY)
    actions.on_date.box.value = "31/31/2026"  # as typed in the page
    actions.stage.value = "validate"
    assert actions.move() is None and ws.deal(deal.deal_id) == deal
    assert "ck-status-error" in actions.status.value and actions.on_date.error in unescape(actions.status.value)
    actions.on_date.box.value = "2026-11-23"
    assert actions.move().stage_history[-1].changed_on == date(2026, 11, 23)


# -- in a real browser: the deal tab's actions as a coach clicks them --------------------------------------------

PAGE = """import os
from datetime import date
from IPython.display import display
import ipywidgets as widgets
from callkit.workspace import Workspace
from callkit.ui.style import style_html
from callkit.ui.timeline import DealTimeline
ws = Workspace.open(os.environ["CALLKIT_WORKSPACE"])
timeline = DealTimeline.for_workspace(ws, ws.deal(os.environ["CALLKIT_TEST_DEAL"]), today=date(2026, 11, 24))
page = widgets.VBox([widgets.HTML(style_html()), timeline])
page.add_class("ck-page")
display(page)
"""


def test_deal_actions_in_the_browser(fresh_ws_path, tmp_path):
    import os
    import subprocess
    import sys

    from browser import ARTIFACTS, CHROMIUM, Server, free_port, launch, server_page, stop, wait_for_port

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    nbformat = pytest.importorskip("nbformat")
    with Workspace.open(fresh_ws_path) as ws:
        deal = open_deal(ws)
    notebook = tmp_path / "deal_actions.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PAGE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    port = free_port()
    env = dict(os.environ, CALLKIT_WORKSPACE=str(fresh_ws_path), CALLKIT_TEST_DEAL=deal.deal_id)
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--no-browser",
                             "--Voila.ip=127.0.0.1", "--Voila.log_level=CRITICAL"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
    server = Server(proc, port, f"http://127.0.0.1:{port}/")
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        wait_for_port(port, proc)
        with sync_api.sync_playwright() as pw:
            browser = launch(pw)
            page = server_page(browser, server, 1280, 900)
            page.wait_for_selector(".ck-deal-actions", timeout=90_000)
            status = page.locator(".ck-deal-actions-status")
            page.locator("button.ck-deal-lost").click()
            status.locator(":text('Say why the deal was lost')").wait_for(timeout=30_000)
            page.locator(".ck-deal-reason input").fill("Chose a cheaper tool")
            page.locator(".ck-deal-reason input").press("Tab")
            page.locator("button.ck-deal-lost").click()
            status.locator(":text('Marked lost on Tue 24 Nov 2026')").wait_for(timeout=30_000)
            health = page.locator(".ck-health")
            health.locator(":text('This deal was lost on Tue 24 Nov 2026.')").wait_for(timeout=30_000)
            assert "Chose a cheaper tool" in health.inner_text() and "Reopen deal" in health.inner_text()
            assert page.locator("button.ck-deal-reopen").is_visible() and not page.locator("button.ck-deal-won").is_visible()
            page.locator(".ck-deal-actions").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "deal_actions_lost.png"))
            page.locator("button.ck-deal-reopen").click()
            status.locator(":text('Reopened on Tue 24 Nov 2026')").wait_for(timeout=30_000)
            page.locator(".ck-verdict").first.wait_for(timeout=30_000)
            assert page.locator("button.ck-deal-won").is_visible()
            browser.close()
    finally:
        server.out, server.err = stop(proc)
    # plain Voila's lab template links Font Awesome from a CDN (blocked here); nothing else may leave 127.0.0.1
    assert all("fontawesome" in url for url in server.outside), f"asked outside 127.0.0.1: {server.outside}"
    assert "Traceback" not in server.err, server.err
    with Workspace.open(fresh_ws_path) as ws:
        now = ws.deal(deal.deal_id)
        assert now.is_open and [(s.status) for s in now.stage_history[-2:]] == ["lost", "open"]
