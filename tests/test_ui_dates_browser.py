"""Date boxes, the scorecard's fold and the projector style in a real browser (headless Debian Chromium, 1280x720).

- tests/data/date_fields.ipynb (a date box, a commitments table and a scorecard) served by Voilà: an impossible
  date is refused with one sentence next to the box and the text stays; "next Friday" is shown back in words;
  the scorecard opens with three findings and folds the rest under "N more findings".
- the coaching page (`callkit workshop`): the header above the tabs is compact, nothing fixed covers the page,
  text and inputs are 16 px or more, placeholders are italic examples that start with "e.g.".

Screenshots go to test-artifacts/. Skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from browser import ARTIFACTS, Server, free_port, launch, needs_chromium, pick, server_page, stop, wait_for_port, workshop_server

pytestmark = needs_chromium

NOTEBOOK = Path(__file__).parent / "data" / "date_fields.ipynb"
VIEWPORT = {"width": 1280, "height": 720}


@contextlib.contextmanager
def voila_server(notebook: Path) -> Iterator[Server]:
    """Serve one notebook with plain Voilà (its lab template) on a free 127.0.0.1 port; Ctrl-C at the end.

    Not callkit's workshop template: its script asks the workshop server whether the page's kernel runs, which
    plain Voilà cannot answer. The lab template links Font Awesome from a CDN; Server.route blocks that.
    """
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
         "--Voila.log_level=CRITICAL"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ), cwd=str(notebook.parent),
    )
    server = Server(proc, port, f"http://127.0.0.1:{port}/")
    try:
        wait_for_port(port, proc)
        yield server
    finally:
        server.out, server.err = stop(proc)


def commit(page, selector: str, text: str) -> None:
    """Type into a box and leave it with Tab, as a coach does (the box reads what was typed on leaving it)."""
    box = page.locator(selector)
    box.click()
    box.fill(text)
    box.press("Tab")


def test_date_box_keeps_an_impossible_date_and_says_why():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.dates import read_date
    from callkit.ui.markup import long_date

    ARTIFACTS.mkdir(exist_ok=True)
    with voila_server(NOTEBOOK) as server:
        with sync_api.sync_playwright() as pw:
            browser = launch(pw)
            page = server_page(browser, server, VIEWPORT["width"], VIEWPORT["height"])
            page.wait_for_selector(".ck-next-call input", timeout=90_000)

            commit(page, ".ck-next-call input", "02/30/2027")
            error = page.locator(".ck-next-call .ck-date-error")
            error.wait_for(state="visible", timeout=30_000)
            assert error.inner_text().strip() == "“02/30/2027” is not a real date: February 2027 has 28 days."
            assert page.locator(".ck-next-call input").input_value() == "02/30/2027"  # nothing cleared
            assert page.locator(".ck-next-call .ck-date-shown").is_hidden()
            error_box, input_box = error.bounding_box(), page.locator(".ck-next-call input").bounding_box()
            assert 0 <= error_box["y"] - (input_box["y"] + input_box["height"]) < 30  # right under the box

            commit(page, ".ck-col-by input", "31/31/2026")
            row_error = page.locator(".ck-row-error").first
            row_error.wait_for(state="visible", timeout=30_000)
            assert "is not a real date" in row_error.inner_text()
            assert page.locator(".ck-col-by input").input_value() == "31/31/2026"
            page.screenshot(path=str(ARTIFACTS / "date_fields_refused.png"))

            commit(page, ".ck-next-call input", "next Friday")
            friday = long_date(read_date("next Friday", date.today()))
            page.wait_for_selector(f".ck-next-call .ck-date-shown:has-text('{friday}')", timeout=30_000)
            assert error.is_hidden() and page.locator(".ck-next-call input").input_value() == "next Friday"
            commit(page, ".ck-col-by input", "in 2 weeks")
            fortnight = long_date(read_date("in 2 weeks", date.today()))
            page.wait_for_selector(f".ck-col-by .ck-date-shown:has-text('{fortnight}')", timeout=30_000)
            assert page.locator(".ck-row-error").first.is_hidden()
            page.screenshot(path=str(ARTIFACTS / "date_fields_read.png"))

            # the scorecard: three findings to fix first, the rest under a fold that says how many
            assert page.locator(".ck-fix-first .ck-finding").count() == 3
            fold = page.locator(".ck-more .jupyter-widget-Collapse-header, .ck-more .p-Collapse-header").first
            title = fold.inner_text().strip()
            hidden = int(title.split()[0])
            assert title == f"{hidden} more finding{'s' if hidden != 1 else ''}" and hidden >= 1
            assert page.locator(".ck-more .ck-finding").first.is_hidden()
            fold.click()
            page.locator(".ck-more .ck-finding").first.wait_for(state="visible", timeout=10_000)
            assert page.locator(".ck-more .ck-finding").count() == hidden
            page.screenshot(path=str(ARTIFACTS / "date_fields_scorecard_open.png"))
            browser.close()
    assert all("fontawesome" in url for url in server.outside), f"asked outside 127.0.0.1: {server.outside}"


# Every piece of text a coach reads on the page (elements with text of their own, and every input), under 16 px.
FONT_SIZES = """() => {
  const small = [];
  for (const el of document.querySelectorAll('.ck-page *')) {
    if (!el.offsetParent) continue;  // not shown now
    const field = ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(el.tagName);
    const text = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!field && !text) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) small.push(`${el.tagName}.${el.className} ${size}px: ${(el.innerText || el.value || '').slice(0, 40)}`);
  }
  return small;
}"""
COVERING = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  if (style.position !== 'fixed' && style.position !== 'sticky') return false;
  const box = el.getBoundingClientRect();
  return box.width > window.innerWidth * 0.6 && box.height > 60;  // a bar across the page, not a side column
}).map(el => `${el.tagName}.${el.className}`)"""
PLACEHOLDERS = """() => [...document.querySelectorAll('.ck-page input[placeholder], .ck-page textarea[placeholder]')]
  .filter(el => el.offsetParent && el.placeholder)
  .map(el => ({text: el.placeholder, style: getComputedStyle(el, '::placeholder').fontStyle}))"""


def test_coaching_page_reads_on_a_projector(sample_ws_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(sample_ws_path) as ws:
        deal = next(d for d in ws.deals() if d.is_open and ws.calls(deal_id=d.deal_id))
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        deal_text = deal_label(deal, ws.process)

    ARTIFACTS.mkdir(exist_ok=True)
    with workshop_server(sample_ws_path) as server:
        with sync_api.sync_playwright() as pw:
            browser = launch(pw)
            page = server_page(browser, server, VIEWPORT["width"], VIEWPORT["height"])
            pick(page, rep_label, deal_text)
            tabs_top = page.locator(".ck-tabs .lm-TabBar, .ck-tabs .p-TabBar").first.bounding_box()["y"]
            page.screenshot(path=str(ARTIFACTS / "projector_deal.png"))
            assert tabs_top < 240, f"the header above the tabs takes {tabs_top:.0f} of 720 px"
            assert page.evaluate(COVERING) == []
            assert page.evaluate(FONT_SIZES) == []

            page.get_by_text("2. Plan the next call").click()
            page.wait_for_selector(".ck-objective textarea", timeout=30_000)
            assert page.evaluate(FONT_SIZES) == []
            placeholders = page.evaluate(PLACEHOLDERS)
            assert placeholders, "the plan form shows example placeholders"
            for p in placeholders:
                assert p["text"].startswith("e.g. ") and p["style"] == "italic", p
            assert page.locator(".ck-fix-first .ck-finding").count() <= 3
            page.screenshot(path=str(ARTIFACTS / "projector_plan.png"))

            page.get_by_text("4. Debrief the call").click()
            page.wait_for_selector(".ck-debrief-form", timeout=30_000)
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate(FONT_SIZES) == []
            page.screenshot(path=str(ARTIFACTS / "projector_debrief.png"))
            browser.close()
    assert server.outside == [], f"the page asked for something outside 127.0.0.1: {server.outside}"
