"""Benchmark the coaching page in real Chromium: `callkit workshop` against a bare Voilà page of the same notebook.

Both servers run in the same run, on the same sample workspace: `callkit workshop WS` and plain `voila` (default
template and settings) on callkit's coaching notebook. Prints medians of a few runs (no pass/fail):
- page usable after opening (the rep picker can be used), callkit vs bare Voilà, ratio; target 2 s;
  also callkit when a second page is opened at once (the spare kernel was just taken);
- a deal switch (choose another deal until its tabs show that deal), callkit and bare; target 0.5 s;
- the scorecard updated after the last keystroke in the objective box, callkit and bare; target 150 ms;
with where the time goes: the page's own clock (performance.now()) stamps the navigation, the kernel websocket's
messages (an init script parses their headers) and the moment the page shows the result, so each figure splits
into browser -> kernel, kernel busy, and kernel -> page drawn. The deal switch's kernel time is also set against
the same switch run in plain Python (CoachingSession.open_deal, no browser), which is the callkit code alone.

Debian's Chromium at /usr/bin/chromium through Playwright (never `playwright install`), headless; every request
outside 127.0.0.1 is blocked (the bare page's Font Awesome CDN link fails at once, as it would offline).

Run: .venv/bin/python benchmarks/bench_workshop.py [--runs 5] [--switches 6] [--keystrokes 6]
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # Chromium and port helpers shared with the browser tests

from local_servers import CHROMIUM, ServerDidNotStart, free_port, interrupt, launch_chromium, wait_for_port  # noqa: E402
TARGETS = {"open": 2.0, "switch": 0.5, "score": 0.150}
# seller-side objectives: the scorecard quotes them, so it changes with every keystroke
OBJECTIVES = ("Demonstrate the reporting module to Dave", "Persuade the CFO that our pricing is fair")

# Runs in every page before its own scripts: stamps the kernel websocket's messages and the moment the rep
# picker can be used, on the page's clock.
INIT_JS = r"""
(() => {
  const log = window.__ckBench = {messages: [], marks: {}};
  const dec = new TextDecoder();
  function bufferOf(data) {
    if (data instanceof ArrayBuffer) return data;
    if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    return null;
  }
  function describe(data) {
    try {
      if (typeof data === 'string') {
        const m = JSON.parse(data);
        return {type: m.header.msg_type, channel: m.channel, state: (m.content || {}).execution_state,
                bytes: data.length};
      }
      const buf = bufferOf(data);
      const view = new DataView(buf);
      const n = Number(view.getBigUint64(0, true));
      const off = [];
      for (let i = 0; i < n; i++) off.push(Number(view.getBigUint64(8 * (i + 1), true)));
      // the last part (content, when there are no buffers) ends where the message ends
      const text = (a, b) => dec.decode(new Uint8Array(buf, a, (b === undefined ? buf.byteLength : b) - a));
      const header = JSON.parse(text(off[1], off[2]));
      const state = header.msg_type === 'status' ? JSON.parse(text(off[4], off[5])).execution_state : undefined;
      return {type: header.msg_type, channel: text(off[0], off[1]), state, bytes: buf.byteLength};
    } catch (e) {
      return {type: '?', bytes: 0};
    }
  }
  const Native = window.WebSocket;
  class BenchWebSocket extends Native {
    constructor(url, protocols) {
      if (protocols === undefined) { super(url); } else { super(url, protocols); }
      this.__kernel = String(url).includes('/api/kernels/');
      if (this.__kernel) {
        log.marks.wsCreated = log.marks.wsCreated || performance.now();
        this.addEventListener('open', () => { log.marks.wsOpen = log.marks.wsOpen || performance.now(); });
        this.addEventListener('message', (e) => log.messages.push({t: performance.now(), dir: 'in', ...describe(e.data)}));
      }
    }
    send(data) {
      if (this.__kernel) log.messages.push({t: performance.now(), dir: 'out', ...describe(data)});
      return super.send(data);
    }
  }
  window.WebSocket = BenchWebSocket;
  const usable = () => {
    const sel = document.querySelector('.ck-rep-picker select');
    return sel && !sel.disabled && sel.options.length > 1 && sel.getBoundingClientRect().height > 0;
  };
  const watch = new MutationObserver(() => {
    if (!log.marks.usable && usable()) { log.marks.usable = performance.now(); watch.disconnect(); }
  });
  watch.observe(document, {childList: true, subtree: true, attributes: true});
})();
"""

# Choose a deal by its label (as a coach would) and resolve when all the deal's tabs are new.
SWITCH_JS = r"""
async (label) => {
  const sel = document.querySelector('.ck-deal-picker select');
  // first: the new deal's history, the tab the coach lands on, with the old deal's tabs gone;
  // all: its plan form too (the deals chosen are open ones, so they have a plan tab)
  const parts = ['.ck-timeline', '.ck-save-plan'];
  document.querySelectorAll(parts.join(',')).forEach(el => el.setAttribute('data-bench-old', '1'));
  const fresh = p => document.querySelector(p + ':not([data-bench-old])');
  const first = () => fresh('.ck-timeline') && !document.querySelector('.ck-timeline[data-bench-old]')
    && !document.querySelector('.ck-save-plan[data-bench-old]');
  const done = () => parts.every(fresh) && !document.querySelector('[data-bench-old]');
  let tFirst = null;
  const index = Array.from(sel.options).findIndex(o => o.textContent.replace(/\u00a0/g, ' ') === label);
  if (index < 0) throw new Error('no deal ' + label);
  return await new Promise((resolve, reject) => {
    const t0 = performance.now();
    setTimeout(() => reject(new Error('the tabs of ' + label + ' did not appear within 60 s')), 60000);
    const watch = new MutationObserver(() => {
      if (tFirst === null && first()) tFirst = performance.now();
      if (done()) { watch.disconnect(); const t1 = performance.now(); resolve({t0, t1, tFirst: tFirst ?? t1}); }
    });
    watch.observe(document.body, {childList: true, subtree: true, attributes: true});
    sel.selectedIndex = index;
    sel.dispatchEvent(new Event('change', {bubbles: true}));
  });
}
"""

# Stamp every keystroke in the objective box and every change the plan scorecard shows.
SCORE_WATCH_JS = r"""
() => {
  const box = document.querySelector('.ck-objective textarea');
  const log = window.__ckScore = {inputs: [], updates: []};
  box.addEventListener('input', () => log.inputs.push(performance.now()));
  const card = document.querySelector('.ck-scorecard');
  const total = () => (card.querySelector('.ck-score-total [data-total]') || {dataset: {}}).dataset.total;
  new MutationObserver(() => log.updates.push({t: performance.now(), total: total()}))
    .observe(card, {childList: true, subtree: true, attributes: true, characterData: true});
}
"""


@contextmanager
def server(cmd: list[str], port: int, env: dict[str, str], query: str = "") -> Iterator[str]:
    """Run a server until the block ends (Ctrl-C, then kill); yields its URL (with `query`, e.g. the token)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        try:
            wait_for_port(port, proc, timeout=90)
        except ServerDidNotStart as exc:
            raise SystemExit(f"{' '.join(cmd[:4])}: {exc}") from None
        yield f"http://127.0.0.1:{port}/{query}"
    finally:
        interrupt(proc)


def local_only(url: str):
    prefix = re.compile(r"^http://127\.0\.0\.1:\d+/")

    def route(r) -> None:
        if prefix.match(r.request.url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            r.abort()

    return route


def new_page(browser, url: str, width: int = 1400):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    context.route("**/*", local_only(url))
    context.add_init_script(INIT_JS)
    return context, context.new_page()


def open_timing(page, url: str) -> dict[str, float]:
    """Open the page; seconds from navigation start to: HTML received, kernel websocket open, picker usable."""
    page.goto(url, timeout=120_000)
    page.wait_for_function("() => window.__ckBench && window.__ckBench.marks.usable", timeout=120_000)
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {html: n.responseEnd, ws: window.__ckBench.marks.wsOpen || NaN, usable: window.__ckBench.marks.usable}; }""")
    return {k: v / 1000 for k, v in nav.items()}


def messages_between(page, t0: float, t1: float) -> list[dict]:
    return [m for m in page.evaluate("window.__ckBench.messages") if t0 <= m["t"] <= t1]


def pick_rep(page, rep_label: str) -> None:
    page.select_option(".ck-rep-picker select", label=rep_label)
    page.wait_for_function("document.querySelectorAll('.ck-deal-picker select option').length > 1", timeout=60_000)


def switch_timing(page, label: str) -> dict[str, float]:
    """Choose a deal; seconds from the choice to: kernel busy, kernel idle, tabs drawn; messages received."""
    r = page.evaluate(SWITCH_JS, label)
    t0, t1, first = r["t0"], r["t1"], r["tFirst"]
    page.wait_for_timeout(300)  # let the kernel's last messages (idle) arrive
    msgs = messages_between(page, t0, t1 + 300)
    busy = next((m["t"] for m in msgs if m["dir"] == "in" and m.get("state") == "busy"), float("nan"))
    idle = next((m["t"] for m in msgs if m["dir"] == "in" and m.get("state") == "idle" and m["t"] > busy),
                float("nan"))
    received = [m for m in msgs if m["dir"] == "in" and m["t"] <= t1]
    return {"total": (first - t0) / 1000, "all_tabs": (t1 - t0) / 1000, "to_kernel": (busy - t0) / 1000, "kernel": (idle - busy) / 1000,
            "drawn_after_idle": (t1 - idle) / 1000, "messages": len(received),
            "widgets": sum(1 for m in received if m["type"] == "comm_open"),
            "kb": sum(m["bytes"] for m in received) / 1024}


def score_timing(page, text: str) -> dict[str, float]:
    """Type an objective over the one in the box; seconds from the last keystroke until the scorecard has caught
    up with the final text (its last change, once it is quiet for a second), and its parts."""
    page.locator(".ck-objective textarea").click()
    page.keyboard.press("Control+A")
    page.evaluate("window.__ckScore.inputs = []; window.__ckScore.updates = []")
    page.keyboard.type(text, delay=35)
    page.wait_for_function("""() => { const s = window.__ckScore; const last = s.inputs[s.inputs.length - 1];
        const u = s.updates.filter(x => x.t > last);
        return u.length && performance.now() - u[u.length - 1].t > 1000; }""", timeout=30_000, polling=100)
    s = page.evaluate("window.__ckScore")
    last_key = s["inputs"][-1]
    after = [u for u in s["updates"] if u["t"] > last_key]
    shown = after[-1]["t"]
    msgs = messages_between(page, last_key - 50, shown)
    sent = [m["t"] for m in msgs if m["dir"] == "out" and m["t"] >= last_key]
    got = [m["t"] for m in msgs if m["dir"] == "in" and m["type"] == "comm_msg" and m["t"] <= shown]
    last_sent = sent[-1] if sent else float("nan")
    last_got = got[-1] if got else float("nan")
    before = [u["total"] for u in s["updates"] if u["t"] <= last_key]
    return {"total": (shown - last_key) / 1000, "to_kernel": (last_sent - last_key) / 1000,
            "kernel": (last_got - last_sent) / 1000, "drawn": (shown - last_got) / 1000,
            "typing_updates": len({u["t"] // 20 for u in s["updates"] if u["t"] <= last_key}),
            "total_changed": bool(before) and after[-1]["total"] != before[-1]}


def med(rows: list[dict], key: str) -> float:
    values = [r[key] for r in rows if r[key] == r[key]]  # drop NaN
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return "   n/a" if seconds != seconds else f"{seconds * 1000:6.0f} ms"


def sec(seconds: float) -> str:
    return "  n/a" if seconds != seconds else f"{seconds:5.2f} s"


def plain_python_switch(ws_path: Path, deals: list, runs: int) -> float:
    """Median seconds of CoachingSession.open_deal for the same deals, in plain Python (no browser, no kernel)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from callkit.ui.session import CoachingSession
    from callkit.workspace import Workspace

    ws = Workspace.open(ws_path)
    session = CoachingSession(ws)
    times = []
    for i in range(runs + 1):
        deal = ws.deal(deals[i % len(deals)])
        start = time.perf_counter()
        session.open_deal(deal)
        if i:  # the first one warms the imports
            times.append(time.perf_counter() - start)
    ws.close()
    return statistics.median(times)


def against_bare(name: str, rows: list[dict], runs: dict[str, list[dict]]) -> str:
    """'  ratio 1.23 vs bare': a page's median total against bare Voila's in the same run ('' for bare itself)."""
    return "" if name == "bare" else f"  ratio {med(rows, 'total') / med(runs['bare'], 'total'):4.2f} vs bare"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page opens per server")
    parser.add_argument("--switches", type=int, default=6, help="deal switches per server")
    parser.add_argument("--keystrokes", type=int, default=6, help="objectives typed per server")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("Chromium is not installed at /usr/bin/chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workshop import coaching_notebook
    from callkit.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="callkit-bench-workshop-"))
    try:
        env = dict(os.environ)
        for var, sub in {"JUPYTER_DATA_DIR": "jd", "JUPYTER_RUNTIME_DIR": "jr", "JUPYTER_CONFIG_DIR": "jc",
                         "IPYTHONDIR": "ip", "MPLCONFIGDIR": "mpl"}.items():
            (tmp / sub).mkdir()
            env[var] = str(tmp / sub)
        env["JUPYTER_PREFER_ENV_PATH"] = "1"
        env["MPLBACKEND"] = "Agg"
        ws_path = tmp / "ws"
        with Workspace.create(ws_path, sample=True) as ws:
            counts = ws.counts()
            labels = dict((v, k) for k, v in rep_options(ws.reps()))
            rep_id = max({d.rep_id for d in ws.deals()}, key=lambda r: len(ws.deals(rep_id=r)))
            rep_deals = [d for d in ws.deals(rep_id=rep_id) if d.is_open][:2] or ws.deals(rep_id=rep_id)[:2]
            rep_label = labels[rep_id]
            deal_labels = [deal_label(d, ws.process) for d in rep_deals]
            deal_ids = [d.deal_id for d in rep_deals]
        env["CALLKIT_WORKSPACE"] = str(ws_path)
        notebook = coaching_notebook()
        ck_port, bare_port = free_port(), free_port()
        token = secrets.token_urlsafe(24)  # as the coach gets it: the printed address carries the token
        ck_cmd = [sys.executable, "-m", "callkit.cli", "workshop", str(ws_path), "--port", str(ck_port),
                  "--no-browser", "--token", token]
        bare_cmd = [sys.executable, "-m", "voila", str(notebook), "--no-browser", "--port", str(bare_port),
                    "--Voila.ip=127.0.0.1"]
        print(f"sample workspace: {counts['reps']} reps, {counts['deals']} deals, {counts['calls']} calls; "
              f"Chromium headless; {os.cpu_count()} cores; medians")
        with server(ck_cmd, ck_port, env, f"?token={token}") as ck_url, server(bare_cmd, bare_port, env) as bare_url, \
                sync_playwright() as pw:
            browser = launch_chromium(pw)
            urls = {"callkit": ck_url, "bare": bare_url}

            # -- page open: a fresh browser profile each time (cold cache), both servers in turn
            opens: dict[str, list] = {"callkit": [], "bare": [], "callkit, no spare": []}
            for name, url in urls.items():  # warm up (not timed): imports, template compiling
                context, page = new_page(browser, url)
                open_timing(page, url)
                context.close()
            time.sleep(8)
            for _ in range(args.runs):
                for name, url in urls.items():
                    context, page = new_page(browser, url)
                    opens[name].append(open_timing(page, url))
                    page.close(run_before_unload=True)
                    context.close()
                time.sleep(8)  # the spare kernel is ready again
            for _ in range(max(2, args.runs // 2)):  # two pages at once: the second finds no spare
                first_context, first = new_page(browser, ck_url)
                first.goto(ck_url, timeout=120_000, wait_until="commit")
                context, page = new_page(browser, ck_url)
                opens["callkit, no spare"].append(open_timing(page, ck_url))
                for c in (first_context, context):
                    c.close()
                time.sleep(8)

            print("\npage usable after opening (the rep picker can be used), target 2 s:")
            bare_open = med(opens["bare"], "usable")
            for name, rows in opens.items():
                ratio = f"  ratio {med(rows, 'usable') / bare_open:4.2f} vs bare Voila" if name != "bare" else ""
                print(f"  {name:18s} {sec(med(rows, 'usable'))}{ratio}   (HTML received {sec(med(rows, 'html'))}, "
                      f"kernel websocket open {sec(med(rows, 'ws'))}, then widgets drawn "
                      f"{sec(med(rows, 'usable') - med(rows, 'ws'))})")

            # -- deal switch and scorecard, one page per server
            switches: dict[str, list] = {}
            scores: dict[str, list] = {}
            for name, url in urls.items():
                context, page = new_page(browser, url)
                open_timing(page, url)
                pick_rep(page, rep_label)
                switch_timing(page, deal_labels[0])  # first deal (not timed: first imports in the kernel)
                switches[name] = [switch_timing(page, deal_labels[(i + 1) % 2]) for i in range(args.switches)]
                page.get_by_text("2. Plan the next call").click()
                page.wait_for_selector(".ck-objective textarea", state="visible", timeout=30_000)
                page.evaluate(SCORE_WATCH_JS)
                score_timing(page, OBJECTIVES[0])  # not timed
                scores[name] = [score_timing(page, OBJECTIVES[(i + 1) % 2]) for i in range(args.keystrokes)]
                page.close(run_before_unload=True)
                context.close()
            browser.close()

        python_switch = plain_python_switch(ws_path, deal_ids, args.switches)
        print("\ndeal switch (choose another deal until the tab the coach lands on shows it), target 0.5 s;"
              " then until all four tabs are built:")
        for name, rows in switches.items():
            print(f"  {name:18s} {sec(med(rows, 'total'))}{against_bare(name, rows, switches)}, all tabs {sec(med(rows, 'all_tabs'))}   (browser -> kernel {ms(med(rows, 'to_kernel'))}, "
                  f"kernel busy {ms(med(rows, 'kernel'))}, tabs drawn {ms(med(rows, 'drawn_after_idle'))} after the "
                  f"kernel is idle; {med(rows, 'messages'):.0f} messages, {med(rows, 'widgets'):.0f} new widgets, "
                  f"{med(rows, 'kb'):.0f} KB)")
        print(f"  the same switch in plain Python (CoachingSession.open_deal, no browser): {ms(python_switch)}")

        from callkit.ui.plan_form import PlanForm

        delay = inspect.signature(PlanForm.__init__).parameters["score_delay"].default
        print(f"\nscorecard updated after the last keystroke in the objective box, target 150 ms "
              f"(PlanForm's debounce: {delay * 1000:.0f} ms):")
        for name, rows in scores.items():
            print(f"  {name:18s} {ms(med(rows, 'total'))}{against_bare(name, rows, scores)}   (keystroke -> sent {ms(med(rows, 'to_kernel'))}, "
                  f"kernel: debounce + scoring + sending {ms(med(rows, 'kernel'))}, drawn {ms(med(rows, 'drawn'))}; "
                  f"{med(rows, 'typing_updates'):.0f} scorecard updates while typing "
                  f"{len(OBJECTIVES[1])} characters)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
