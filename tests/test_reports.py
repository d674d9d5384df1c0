"""Batch coaching reports: one offline HTML page per rep, the manager's index, failures, odd rep ids, escaping."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import pytest
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook

from callkit.cli import main as cli_main
from callkit.exceptions import InvalidInputError, RecordNotFoundError
from callkit.models import CallPlan, Deal, Debrief, ExerciseResult, Rep
from callkit.reports import ReportRun, demo_command, generate_reports
from callkit.reports.export import markup_problems
from callkit.reports.names import report_slug
from callkit.reports.period import resolve_period
from callkit.reports.progress import Progress, terminal_text
from callkit.reports.run import PACKAGED_NOTEBOOK, PARAMETERS, _task
from callkit.reports.worker import RenderTask, render_rep
from callkit.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MAX_REPORT_BYTES = 200_000
DAY = date(2026, 11, 10)  # inside the sample team's default period (12 weeks ending 2026-11-20)


# -- helpers ---------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects the elements of a page that matter here: tags with their attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def network_references(page: _Page) -> list[str]:
    """Every script, stylesheet, font, image or frame the page would load from http(s) or a bare //host."""
    found = []
    for tag, attrs in page.tags:
        for name in ("src", "href", "data", "xlink:href"):
            value = (attrs.get(name) or "").strip().lower()
            if value.startswith(("http://", "https://", "//")) and not (tag == "a" and name == "href"):
                found.append(f"<{tag} {name}={value}>")
    text = "".join(page.text).lower()
    for marker in ("@import", "url(http", "url(//", "@font-face"):
        if marker in text:
            found.append(marker)
    return found


def add_rep_with_plan(ws: Workspace, rep_id: str, name: str, n: int, objective: str = "Priya books a demo by Friday",
                      value: str = "They get a benchmark of their downtime against peers", account: str = "Acme") -> None:
    ws.add_rep(Rep(rep_id=rep_id, name=name))
    deal_id = f"dx{n}"
    ws.add_deal(Deal(deal_id=deal_id, rep_id=rep_id, account=account, name="Line 4 upgrade",
                     stage="discover", close_date=date(2027, 1, 31)))
    for k in range(2):
        call_id = f"cx{n}{k}"
        ws.save_plan(CallPlan(call_id=call_id, deal_id=deal_id, rep_id=rep_id, call_date=DAY.replace(day=10 + k),
                              objective=objective, customer_value=value, agenda=["Their goals", "Next steps"]))
        ws.save_debrief(Debrief(call_id=call_id, outcome="continuation"))


@pytest.fixture(scope="module")
def team_run(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    """Every rep of the session's sample team, once for the module, with two workers."""
    return generate_reports(sample_ws_path, tmp_path_factory.mktemp("team") / "out", workers=2, progress=False)


@pytest.fixture(scope="module")
def odd_ws(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample team plus reps with awkward ids, markup in their words, no calls, and bad data."""
    path = tmp_path_factory.mktemp("odd") / "ws"
    shutil.copytree(sample_ws_path, path, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    with Workspace.open(path) as ws:
        add_rep_with_plan(ws, "007", "Bond", 1)
        add_rep_with_plan(ws, "../evil", "<b>Evil</b> & Co", 2, objective=f"{SCRIPT} {IMG}", value=IMG, account=IMG)
        add_rep_with_plan(ws, "zoë åsa 1", "Zoë Åsa", 3)
        add_rep_with_plan(ws, "broken", "Bea Broken", 4)
        ws.add_rep(Rep(rep_id="quiet", name="Quinn Quiet"))
        for item, passed in (("a", True), ("b", False), ("a", False), ("a", True)):  # the latest answer counts
            ws.save_exercise_result(ExerciseResult(rep_id="007", workbook="01_advance_or_continuation", item_id=item,
                                                   answer="advance", score=1.0 if passed else 0.0, passed=passed))
    with sqlite3.connect(path / "callkit.sqlite") as conn:  # one rep's plan no longer parses: bad data
        conn.execute("UPDATE plans SET json = '{\"call_id\": 42}' WHERE call_id = 'cx40'")
    return path


@pytest.fixture(scope="module")
def odd_run(odd_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    out = tmp_path_factory.mktemp("odd-out") / "reports"
    return generate_reports(odd_ws, out, workers=2, reps=["007", "../evil", "zoë åsa 1", "broken", "quiet"],
                            progress=False)


def result(run: ReportRun, rep_id: str):
    return next(r for r in run.results if r.rep_id == rep_id)


# -- the sample team -------------------------------------------------------------------------------


def test_one_report_per_rep_and_an_index(team_run: ReportRun, sample_ws_path: Path) -> None:
    with Workspace.open(sample_ws_path) as ws:
        rep_ids = [r.rep_id for r in ws.reps()]
    assert [r.rep_id for r in team_run.results] == rep_ids
    assert team_run.exit_code == 0, [r.error for r in team_run.failed]
    html_files = sorted(p.name for p in team_run.out_dir.glob("*.html"))
    assert html_files == sorted([f"{report_slug(i)}.html" for i in rep_ids] + ["index.html"])
    links = {a.get("href") for tag, a in parse(team_run.index_path).tags if tag == "a"}
    assert {f"{report_slug(i)}.html" for i in rep_ids} <= links
    assert not (team_run.out_dir / ".callkit-work").exists()
    assert team_run.since < team_run.until


def test_reports_are_offline_small_and_without_code(team_run: ReportRun) -> None:
    for path in team_run.out_dir.glob("*.html"):
        page = parse(path)
        assert network_references(page) == [], path.name
        assert path.stat().st_size < MAX_REPORT_BYTES, path.name
        if path.name != "index.html":
            assert not [t for t, _ in page.tags if t in ("script", "link", "iframe")], path.name
            assert "metrics.load_report" not in "".join(page.text)  # no code cells


def test_report_coaches_with_the_reps_own_words(team_run: ReportRun, sample_ws_path: Path) -> None:
    with Workspace.open(sample_ws_path) as ws:
        rep = ws.reps()[0]
        calls = ws.calls(rep_id=rep.rep_id, since=team_run.since, until=team_run.until)
    own_words = set()
    for call in calls:
        if call.plan:
            plan = call.plan
            own_words |= {plan.objective, plan.fallback, plan.customer_value, "; ".join(plan.agenda),
                          "; ".join(plan.planned_steps), "; ".join(plan.questions)}
    page = parse(result(team_run, rep.rep_id).html_path)
    text = " ".join("".join(page.text).split())
    for heading in ("Your figures against the team", "Team median", "Week by week", "Skill profile",
                    "What to change in your next call"):
        assert heading in text
    assert sum(1 for tag, _ in page.tags if tag == "svg") == 2  # trend and skill profile, inline
    quotes = [q for q in text.split("“")[1:]]
    assert quotes, "the coaching points quote the rep"
    assert any(any(q.startswith(" ".join(w.split())[:40]) for w in own_words if w.strip()) for q in quotes)


def test_index_puts_the_lowest_plan_score_first(team_run: ReportRun) -> None:
    page = parse(team_run.index_path)
    names = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").endswith(".html")]
    scores = {}
    for r in team_run.results:
        data = json.loads((team_run.out_dir / "reports.json").read_text())["reps"][r.rep_id]
        assert data["status"] == "ok"
    html = team_run.index_path.read_text(encoding="utf-8")
    for r in team_run.results:
        start = html.index(f'href="{r.slug}.html"')
        row = html[start:html.index("</tr>", start)]
        scores[f"{r.slug}.html"] = float(row.split('data-v="')[3].split('"')[0])  # calls, share, then plan score
    ordered = [scores[n] for n in names]
    assert ordered == sorted(ordered)


# -- odd rep ids, markup, empty periods, failures --------------------------------------------------


def test_rep_ids_stay_strings_and_file_names_stay_inside(odd_run: ReportRun) -> None:
    for rep_id in ("007", "../evil", "zoë åsa 1"):
        r = result(odd_run, rep_id)
        assert r.ok, r.error
        assert r.html_path.parent == odd_run.out_dir
        assert r.html_path.name == f"{report_slug(rep_id)}.html"
    text = " ".join("".join(parse(result(odd_run, "007").html_path).text).split())
    assert "Rep id 007" in text
    assert "Exercise progress" in text and "Advance or continuation?" in text
    assert "Exercise progress" not in "".join(parse(result(odd_run, "quiet").html_path).text)
    assert not (odd_run.out_dir.parent / "evil.html").exists()
    task = _task("007", "Bond", Path("/w"), DAY, DAY, Path("/c"), Path("/n.ipynb"), Path("/o"), Path("/t"))
    assert task.parameters["rep_id"] == "007" and all(isinstance(v, str) for v in task.parameters.values())
    assert tuple(task.parameters) == PARAMETERS


def test_rep_typed_markup_shows_as_text(odd_run: ReportRun) -> None:
    for path in (result(odd_run, "../evil").html_path, odd_run.index_path):
        page = parse(path)
        assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)], path.name
        assert not [t for t, a in page.tags if t == "img" and a.get("src") == "x"], path.name
        assert "<b>Evil</b> & Co" in "".join(page.text)
    report = parse(result(odd_run, "../evil").html_path)
    assert [t for t, _ in report.tags if t == "script"] == []
    text = "".join(report.text)
    assert SCRIPT in text and IMG in text


def test_a_rep_without_calls_gets_a_short_friendly_report(odd_run: ReportRun) -> None:
    r = result(odd_run, "quiet")
    assert r.ok, r.error
    text = " ".join("".join(parse(r.html_path).text).split())
    assert "No calls in this period" in text
    assert "Team median" not in text and "What to change" not in text


def test_bad_data_fails_one_rep_only(odd_run: ReportRun) -> None:
    bad = result(odd_run, "broken")
    assert not bad.ok and odd_run.exit_code == 1
    assert bad.error and "\n" not in bad.error and "is damaged: save it again or re-import the call" in bad.error
    assert bad.failed_notebook == odd_run.out_dir / "_failed" / f"{report_slug('broken')}.ipynb"
    executed = nbformat.read(bad.failed_notebook, as_version=4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
    assert [r.rep_id for r in odd_run.failed] == ["broken"]
    assert "Bea Broken" in "".join(parse(odd_run.index_path).text)


def test_rerun_just_the_failed_rep(odd_run: ReportRun, odd_ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(odd_ws / "callkit.sqlite") as conn:
        conn.execute("DELETE FROM plans WHERE call_id = 'cx40'")
    code = cli_main(["reports", str(odd_ws), "--out", str(odd_run.out_dir), "--rep", "broken", "--workers", "1",
                     "--since", odd_run.since.isoformat(), "--until", odd_run.until.isoformat()])
    out = capsys.readouterr().out
    assert code == 0
    assert str(odd_run.index_path) in out
    links = {a.get("href") for t, a in parse(odd_run.index_path).tags if t == "a"}
    assert {f"{report_slug(i)}.html" for i in ("007", "../evil", "zoë åsa 1", "quiet", "broken")} <= links
    assert not (odd_run.out_dir / "_failed" / f"{report_slug('broken')}.ipynb").exists()


def test_a_kernel_that_dies_fails_only_its_rep(sample_ws_path: Path, tmp_path: Path) -> None:
    notebook = tmp_path / "dies.ipynb"
    cells = [new_code_cell("\n".join(f"{p} = None" for p in PARAMETERS), metadata={"tags": ["parameters"]}),
             new_code_cell("import os\nif rep_id == 'r02':\n    os._exit(1)\nprint('fine')")]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                        "display_name": "Python 3"}}), notebook)
    run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02"], notebook=notebook,
                           progress=False)
    assert [r.ok for r in run.results] == [True, False]
    assert "kernel stopped" in run.results[1].error
    assert run.results[1].failed_notebook.is_file() and run.exit_code == 1


def test_unknown_rep_is_refused_before_any_work(sample_ws_path: Path, tmp_path: Path) -> None:
    with pytest.raises(RecordNotFoundError, match="nobody"):
        generate_reports(sample_ws_path, tmp_path / "out", reps=["nobody"], progress=False)
    assert not (tmp_path / "out").exists()


def test_demo_reuses_its_workspace_and_prints_the_index(sample_ws_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(sample_ws_path, tmp_path / "workspace", ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    code = demo_command(argparse.Namespace(dir=str(tmp_path), workers=2))
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert "Using the sample workspace" in out[0]
    assert out[-1] == str(tmp_path.resolve() / "reports" / "index.html")
    assert Path(out[-1]).is_file()


# -- small parts -----------------------------------------------------------------------------------


def test_slugs_are_safe_and_distinct() -> None:
    ids = ["../evil", "..", "a b", "a-b", "R01", "r01", "Zoë", "", "/etc/passwd", "con", "x" * 300]
    slugs = [report_slug(i) for i in ids]
    assert len(set(slugs)) == len(ids)
    for slug in slugs:
        assert slug.replace("-", "").isalnum() and slug.isascii() and slug == slug.lower() and len(slug) < 60
    assert report_slug("007").startswith("007-")


def test_default_period_is_twelve_weeks_ending_at_the_latest_call() -> None:
    assert resolve_period(None, None, date(2026, 11, 20)) == (date(2026, 8, 29), date(2026, 11, 20))
    assert resolve_period("2026-01-05", None, date(2026, 11, 20))[1] == date(2026, 3, 29)
    assert resolve_period(None, "2026-03-01", None)[0] == date(2025, 12, 8)
    with pytest.raises(InvalidInputError):
        resolve_period("2026-03-02", "2026-03-01", None)
    with pytest.raises(InvalidInputError, match="2026-13-01"):
        resolve_period("2026-13-01", None, None)


def test_markup_guard_catches_what_escaping_missed() -> None:
    assert markup_problems("<p>&lt;script&gt;</p><img src='data:image/png;base64,AA' alt=''>") == []
    assert markup_problems(SCRIPT)
    assert markup_problems(IMG)
    assert markup_problems('<a href="javascript:alert(1)">x</a>')
    assert markup_problems('<img src="https://example.com/x.png">')
    assert markup_problems('<div style="background:url(http://x)">')


def test_progress_is_plain_lines_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(2, "Writing reports")
    bar.say("done: r01")
    bar.step()
    bar.close()
    err = capsys.readouterr().err.splitlines()
    assert err == ["Writing reports: 2 reps", "[1/2] done: r01"]
    assert terminal_text("a\x1b[2Jb\n") == "a?[2Jb?"


def test_packaged_notebook_is_the_repository_notebook() -> None:
    repo = ROOT / "notebooks" / "rep_report.ipynb"
    assert PACKAGED_NOTEBOOK.read_bytes() == repo.read_bytes(), (
        "copy notebooks/rep_report.ipynb to callkit/notebooks/ (the package ships that copy)")
    nb = nbformat.read(repo, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert all(f"{p} = None" in params[0].source for p in PARAMETERS)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


# -- one worker's notebook run, in this process, with papermill replaced ----------------------------


def _executed(html: str) -> nbformat.NotebookNode:
    cell = new_code_cell("render.header(report)")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": html, "text/plain": "x"},
                                           execution_count=1)]
    return new_notebook(cells=[cell])


def _render_task(tmp_path: Path, rep_id: str = "r01") -> RenderTask:
    return RenderTask(rep_id=rep_id, title="Coaching report: Ann", slug=report_slug(rep_id),
                      notebook=str(PACKAGED_NOTEBOOK), parameters={"rep_id": rep_id}, out_dir=str(tmp_path),
                      failed_dir=str(tmp_path / "_failed"), work_dir=str(tmp_path))


def test_a_kernel_that_fails_to_start_is_tried_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def flaky(*args: object, **kwargs: object) -> nbformat.NotebookNode:
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return _executed("<h1>Coaching report: Ann</h1>")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    outcome = render_rep(_render_task(tmp_path))
    assert outcome.error is None and len(calls) == 2
    assert calls[0]["request_save_on_cell_execute"] is False and calls[0]["progress_bar"] is False
    assert "Coaching report: Ann" in Path(outcome.html_path).read_text(encoding="utf-8")


def test_a_kernel_that_dies_mid_run_is_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def dies(*args: object, **kwargs: object) -> None:
        if not kwargs.get("prepare_only"):  # prepare_only: keeping the parameterized notebook for debugging
            calls.append(1)
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dies)
    outcome = render_rep(_render_task(tmp_path))
    assert len(calls) == 1 and "kernel stopped" in outcome.error


def test_unescaped_markup_fails_the_report_instead_of_shipping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{report_slug('r01')}.html").write_text("last week's page")
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: _executed(f"<p>{SCRIPT}</p>"))
    outcome = render_rep(_render_task(tmp_path))
    assert outcome.error and "<script>" in outcome.error
    assert not (tmp_path / f"{report_slug('r01')}.html").exists()
