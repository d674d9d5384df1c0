"""Workbooks as a rep uses them, in real Chromium: served by Voilà on 127.0.0.1, answered, checked, reloaded.

Screenshots go to test-artifacts/exercise_*.png. Headless Debian Chromium through Playwright (never
`playwright install`); skipped when /usr/bin/chromium is missing. One Voilà server per test, stopped with
Ctrl-C at the end.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from browser import ARTIFACTS, free_port, launch, needs_chromium, stop, wait_for_port

from callkit.exercises.items import load_workbook

ROOT = Path(__file__).resolve().parent.parent
pytestmark = needs_chromium


@contextlib.contextmanager
def voila(workbook: str, ws_path: Path) -> Iterator[str]:
    """Serve one workbook notebook with Voilà on 127.0.0.1, its progress saved to `ws_path`."""
    port = free_port()
    exe = Path(sys.executable).with_name("voila")
    proc = subprocess.Popen(
        [str(exe), str(ROOT / "exercises" / f"{workbook}.ipynb"), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1"],
        env=dict(os.environ, CALLKIT_WORKSPACE=str(ws_path)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(proc)


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 2200})  # the page scrolls inside Voilà
    page.goto(url, timeout=90_000)
    page.wait_for_selector(".ck-ex-picker input", timeout=90_000)
    return page


def type_name(page, name: str) -> None:
    page.fill(".ck-ex-picker input", name)
    page.click(".ck-ex-start")


@contextlib.contextmanager
def new_rep_on(workbook: str, ws_path: Path, name: str) -> Iterator[tuple]:
    """The workbook served by Voilà and opened in Chromium by a new rep who typed `name` and pressed Start:
    (the browser, the page, the page's address); the screenshots folder exists."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with voila(workbook, ws_path) as url, sync_api.sync_playwright() as pw:
        browser = launch(pw)
        page = open_page(browser, url)
        type_name(page, name)
        yield browser, page, url


def wait_text(page, selector: str, text: str, timeout: int = 60_000) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
        arg=[selector, text], timeout=timeout)


def shot(page, name: str) -> None:
    """A screenshot of the workbook's widgets (Voilà scrolls inside the page, so the element, not the viewport)."""
    page.locator(".ck-page").first.screenshot(path=str(ARTIFACTS / name))


def cut_off_labels(page, selector: str) -> list[str]:
    """Texts of the buttons or labels under `selector` that do not fit their box."""
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")


def test_sharpen_an_objective_reload_and_continue(fresh_ws_path: Path):
    book = load_workbook("02_sharpen_the_objective")
    with new_rep_on("02_sharpen_the_objective", fresh_ws_path, "Screen Sam") as (browser, page, url):
        wait_text(page, ".ck-ex-confirm", "Add Screen Sam as a new rep?")
        shot(page, "exercise_02_new_name.png")
        page.click(".ck-ex-confirm-new")
        wait_text(page, ".ck-ex-progress", f"0 of {len(book.items)} done")
        shown = page.inner_text(".ck-ex-item")
        item = next(i for i in book.items if " ".join(i.objective.split()) in " ".join(shown.split()))
        box = page.locator(".ck-page textarea").first
        box.fill("We send them our slides and follow up next week")
        page.click(".ck-ex-check-button")
        wait_text(page, ".ck-ex-feedback-view", "Not yet")
        assert "not what the client will do" in page.inner_text(".ck-ex-feedback-view")
        shot(page, "exercise_02_not_yet.png")
        box.fill(item.example)
        page.click(".ck-ex-check-button")
        wait_text(page, ".ck-ex-feedback-view", "The coach's version")
        feedback = page.inner_text(".ck-ex-feedback-view")
        assert "Passed" in feedback
        shot(page, "exercise_02_passed.png")
        page.close()

        page = open_page(browser, url)  # reload: the rep comes back, one letter off
        type_name(page, "Screen Samm")
        wait_text(page, ".ck-ex-confirm", "Did you mean Screen Sam?")
        shot(page, "exercise_02_did_you_mean.png")
        page.click(".ck-ex-confirm-rep")
        wait_text(page, ".ck-ex-progress", f"1 of {len(book.items)} done: 0 right first time, 1 passed")
        assert f"Item 2 of {len(book.items)}" in page.inner_text(".ck-ex-item")
        page.click(".ck-ex-previous-button")
        wait_text(page, ".ck-ex-feedback-view", "you checked this item 2 times")
        assert item.example in page.inner_text(".ck-ex-feedback-view")
        shot(page, "exercise_02_reloaded.png")
        browser.close()
    from callkit.workspace import Workspace

    with Workspace.open(fresh_ws_path) as ws:
        reps = [r for r in ws.reps() if r.name.startswith("Screen Sam")]
        saved = ws.exercise_results(rep_id=reps[0].rep_id)
    assert [r.name for r in reps] == ["Screen Sam"]  # no ghost rep from the typo
    assert [(r.try_number, r.passed, r.first_passed) for r in saved] == [(1, False, False), (2, True, False)]


def test_compress_a_call_in_the_browser(fresh_ws_path: Path):
    book = load_workbook("04_compress_the_process")
    with new_rep_on("04_compress_the_process", fresh_ws_path, "Tick Tia") as (browser, page, url):
        page.click(".ck-ex-confirm-new", timeout=60_000)
        wait_text(page, ".ck-ex-progress", f"0 of {len(book.items)} done")
        assert "minutes" in page.inner_text(".ck-ex-item") and "in the room" in page.inner_text(".ck-ex-item")
        page.wait_for_selector(".ck-ex-activity input", timeout=60_000)
        boxes = page.locator(".ck-ex-activity input[type=checkbox]")
        for n in range(boxes.count()):
            boxes.nth(n).check()
        page.click(".ck-ex-check-button")
        wait_text(page, ".ck-ex-feedback-view", "Not yet")
        feedback = page.inner_text(".ck-ex-feedback-view")
        assert "does not fit" in feedback or "Not enough time" in feedback
        assert cut_off_labels(page, ".ck-ex-activity label") == []
        shot(page, "exercise_04_everything_ticked.png")
        page.close()

        page = open_page(browser, url)
        type_name(page, "tick tia")
        wait_text(page, ".ck-ex-progress", f"1 of {len(book.items)} done: 0 right first time, 0 passed")
        page.click(".ck-ex-previous-button")
        wait_text(page, ".ck-ex-feedback-view", "Not passed yet")
        shot(page, "exercise_04_reloaded.png")
        browser.close()


def test_the_01_buttons_show_their_whole_labels(fresh_ws_path: Path):
    with new_rep_on("01_advance_or_continuation", fresh_ws_path, "Label Lou") as (browser, page, _):
        page.click(".ck-ex-confirm-new", timeout=60_000)
        page.wait_for_selector(".ck-ex-choice button", timeout=60_000)
        labels = page.locator(".ck-ex-choice button").all_inner_texts()
        assert set(labels) in ({"Advance", "Continuation", "Seller action"}, {"Order", "Advance", "Continuation", "No sale"})
        assert cut_off_labels(page, ".ck-ex-choice button") == []
        shot(page, "exercise_01_buttons.png")
        browser.close()
