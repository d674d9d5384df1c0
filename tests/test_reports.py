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
from callkit.reports.run import PARAMETERS, _task, default_notebook
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
        ws.add_deal(Deal(deal_id="dx-lost", rep_id="../evil", account=SCRIPT, name=f"{IMG} renewal", stage="propose",
                         amount=12000, created=date(2026, 9, 1), status="lost", closed_on=DAY, lost_reason=SCRIPT))
        add_rep_with_plan(ws, "zoë åsa 1", "Zoë Åsa", 3)
        add_rep_with_plan(ws, "broken", "Bea Broken", 4)
        ws.add_rep(Rep(rep_id="quiet", name="Quinn Quiet"))
        for item, passed in (("a", True), ("b", False), ("a", False), ("a", True)):  # first tries: a right, b missed
            ws.save_exercise_result(ExerciseResult(rep_id="007", workbook="01_advance_or_continuation", item_id=item,
                                                   answer=SCRIPT if item == "b" else "advance",
                                                   score=1.0 if passed else 0.0, passed=passed))
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
            assert "data.load_report" not in "".join(page.text)  # no code cells


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


def _index_tables(html: str) -> list[list[tuple[str, float]]]:
    """Each manager's table in the index: (report file, coaching priority) per row, top to bottom."""
    tables = []
    for chunk in html.split("<tbody>")[1:]:
        rows = []
        for row in chunk.split("</tbody>")[0].split("<tr>")[1:]:
            href = row.split('href="')[1].split('"')[0]
            priority = float(row.split("<td")[2].split('data-v="')[1].split('"')[0])  # the "why coach them" cell
            rows.append((href, priority))
        tables.append(rows)
    return tables


def test_index_groups_reps_by_manager_and_puts_who_to_coach_first_on_top(team_run: ReportRun,
                                                                       sample_ws_path: Path) -> None:
    manifest = json.loads((team_run.out_dir / "reports.json").read_text())["reps"]
    assert all(manifest[r.rep_id]["status"] == "ok" for r in team_run.results)
    html = team_run.index_path.read_text(encoding="utf-8")
    with Workspace.open(sample_ws_path) as ws:
        reps = ws.reps()
    managers = sorted({r.manager for r in reps})
    assert len(managers) == 2
    headings = [html.index(f"Manager: {m}") for m in managers]
    assert headings == sorted(headings)
    tables = _index_tables(html)
    assert len(tables) == 2
    for manager, rows in zip(managers, tables):
        assert {href for href, _ in rows} == {f"{report_slug(r.rep_id)}.html" for r in reps if r.manager == manager}
        assert [p for _, p in rows] == sorted((p for _, p in rows), reverse=True), "highest priority first"
    first = html.split('class="ck-first"')[1].split("</div>")[0]
    assert "Who to coach first" in first and "<ol>" in first
    top = max((row for rows in tables for row in rows), key=lambda r: r[1])[0]
    assert first.index(top) < first.index("</li>"), "the first name is the rep with the highest priority"
    assert "$" in first and ("past their close date" in first or "stalled" in first or "pushed back" in first)


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
    assert "Right first time" in text and "First-try accuracy" in text and "Items missed at the first try" in text
    assert SCRIPT in text and SCRIPT not in result(odd_run, "007").html_path.read_text(encoding="utf-8")
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
    won_lost = text.split("Won and lost")[1].split("Deal hygiene")[0]
    assert SCRIPT in won_lost and f"{IMG} renewal" in won_lost and "$12,000" in won_lost  # account, name, reason


def test_a_rep_without_calls_gets_a_short_friendly_report(odd_run: ReportRun) -> None:
    r = result(odd_run, "quiet")
    assert r.ok, r.error
    text = " ".join("".join(parse(r.html_path).text).split())
    assert "No calls in this period" in text
    assert "Your figures against the team" not in text and "What to change" not in text and "Your pipeline" not in text


def test_bad_data_fails_one_rep_only(odd_run: ReportRun) -> None:
    bad = result(odd_run, "broken")
    assert not bad.ok and odd_run.exit_code == 1
    assert bad.error and "\n" not in bad.error and "The stored plan of call 'cx40'" in bad.error and "is damaged" in bad.error
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


def test_default_period_is_twelve_weeks_ending_at_the_latest_activity() -> None:
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


def test_the_report_notebook_is_the_repositorys_one_copy() -> None:
    repo = ROOT / "notebooks" / "rep_report.ipynb"
    assert default_notebook().resolve() == repo.resolve()
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
                      notebook=str(default_notebook()), parameters={"rep_id": rep_id}, out_dir=str(tmp_path),
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


# -- deals: a team that keeps its deals in a CRM and writes few call plans ---------------------------

CRM_REPS = """sales_agent,manager,regional_office
Darcel Schlecht,Melvin Marxen,Central
Moses Frase,Melvin Marxen,Central
Anna Snelling,Cara Losch,East
Quinn Quiet,Cara Losch,East
"""
CRM_MAPPING = """reps:   {rep_id: sales_agent, name: sales_agent, team: regional_office, manager: manager}
deals:  {deal_id: opportunity_id, rep: sales_agent, account: account, name: product,
         stage: deal_stage, close_date: close_date, amount: close_value, created: engage_date}
stages: {Prospecting: prospect, Engaging: discover, Won: won, Lost: lost}
"""
CRM_DEALS = [  # opportunity_id, sales_agent, product, account, deal_stage, engage_date, close_date, close_value
    ("1C1I7A6R", "Darcel Schlecht", "GTX Plus Basic", "Cancity", "Won", "2017-09-14", "2017-11-02", "1054"),
    ("Z063OYW0", "Darcel Schlecht", "GTK 500", "Isdom", "Won", "2017-10-01", "2017-12-20", "26768"),
    ("EC4QE1BX", "Darcel Schlecht", "MG Special", "Cheers", "Lost", "2017-10-03", "2017-12-01", "0"),
    ("MV1LWRNH", "Darcel Schlecht", "GTX Pro", "Codehow", "Won", "2017-06-01", "2017-07-15", "4821"),
    ("PE84CX4O", "Darcel Schlecht", "MG Advanced", "", "Engaging", "2017-05-20", "", ""),
    ("ZZY4516W", "Darcel Schlecht", "GTX Basic", "", "Prospecting", "", "", ""),
    ("LCVBTYHB", "Moses Frase", "GTX Pro", "Hatfan", "Lost", "2017-11-10", "2017-12-28", "0"),
    ("KWVA7VR1", "Moses Frase", "GTX Plus Pro", "Ron-tech", "Engaging", "2017-12-01", "", ""),
    ("UP409DSB", "Anna Snelling", "MG Advanced", "J-Texon", "Won", "2017-10-20", "2017-12-11", "3393"),
    ("OLD00001", "Quinn Quiet", "GTX Basic", "Sonron", "Won", "2016-03-01", "2016-05-02", "550"),
]
CRM_LATEST = date(2017, 12, 28)


def crm_2017_workspace(folder: Path) -> Path:
    """A workspace filled the way a manager fills it from a real CRM export: deals only, from 2017, through a
    mapping file; blank accounts and close dates; won and lost deals with amounts; no calls at all."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sales_teams.csv").write_text(CRM_REPS, encoding="utf-8")
    (folder / "mapping.yaml").write_text(CRM_MAPPING, encoding="utf-8")
    rows = ["opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value"]
    rows += [",".join(r) for r in CRM_DEALS]
    (folder / "sales_pipeline.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ws_path = folder / "ws"
    with Workspace.create(ws_path) as ws:
        ws.import_files(folder / "sales_pipeline.csv", reps=folder / "sales_teams.csv", columns=folder / "mapping.yaml")
    return ws_path


@pytest.fixture(scope="module")
def crm_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crm_2017_workspace(tmp_path_factory.mktemp("crm"))


@pytest.fixture(scope="module")
def crm_run(crm_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    return generate_reports(crm_ws, tmp_path_factory.mktemp("crm-out") / "reports", workers=2, progress=False)


def text_of(path: Path) -> str:
    """A page's visible text, one space between the pieces (table cells read 'Your last call no calls recorded')."""
    return " ".join(" ".join(parse(path).text).split())


def test_crm_reports_follow_the_data_and_speak_about_deals(crm_run: ReportRun) -> None:
    assert crm_run.until == CRM_LATEST and crm_run.since == date(2017, 10, 6), "12 weeks ending at the data, not today"
    assert crm_run.exit_code == 0, [r.error for r in crm_run.failed]
    darcel = text_of(result(crm_run, "Darcel Schlecht").html_path)
    assert "No calls in this period, so this report is about the deals." in darcel
    for heading in ("Your figures against the team", "Your pipeline", "Won and lost", "Deal hygiene"):
        assert heading in darcel, heading
    assert "Week by week" not in darcel and "Skill profile" not in darcel  # nothing to chart without calls
    won_lost = darcel.split("Won and lost")[1].split("Deal hygiene")[0]
    assert "2 won ($28k) and 1 lost ($0) in the period: a win rate of 67%, against the team's 60%." in won_lost
    assert "$26,768" in won_lost and "$1,054" in won_lost and "Codehow" not in won_lost  # July is before the period
    assert "No reason recorded" in won_lost
    pipeline = darcel.split("Your pipeline")[1].split("Won and lost")[0]
    assert "2 open deals (the CRM gives none of them an amount yet)" in pipeline
    assert "Prospect" in pipeline and "Discover" in pipeline
    assert "Your last call no calls recorded" in darcel and "No call for more than" not in darcel
    assert "Rep id" not in darcel, "an id that is the rep's name is not repeated"


def test_crm_index_warns_about_reps_with_nothing_in_the_period(crm_run: ReportRun) -> None:
    assert crm_run.warnings == ["Nothing happened from 6 Oct 2017 to 28 Dec 2017 for 1 of 4 reps (no calls, and no "
                                "deals created, won, lost or moved): Quinn Quiet."]
    assert not crm_run.empty
    index = text_of(crm_run.index_path)
    assert "Warning: Nothing happened from 6 Oct 2017 to 28 Dec 2017 for 1 of 4 reps" in index
    assert "Manager: Cara Losch" in index and "Manager: Melvin Marxen" in index
    assert "No calls were recorded in this period, so the figures are about deals only" in index
    html = crm_run.index_path.read_text(encoding="utf-8")
    assert "Avg plan score" not in html and "Costs them most" not in html, "no call columns without calls"
    assert "3 open deals at the end of the period; 3 won ($31k) and 2 lost in it, a win rate of 60%" in index


def test_a_period_with_nothing_in_it_is_a_warning_and_a_failed_run(crm_ws: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["reports", str(crm_ws), "--out", str(tmp_path / "out"), "--workers", "2",
                     "--since", "2026-08-29", "--until", "2026-11-20"])
    captured = capsys.readouterr()
    assert code == 1
    warning = ("Nothing happened from 29 Aug 2026 to 20 Nov 2026 (no calls, and no deals created, won, lost or moved): "
               "the workspace's data ends on 28 Dec 2017, so leave out --since and --until to report on the 12 "
               "weeks up to then.")
    assert f"warning: {warning}" in captured.err
    assert "Wrote 4 reports" in captured.out and "index.html" in captured.out
    assert f"Warning: {warning}" in text_of(tmp_path / "out" / "index.html")


def test_reports_for_one_manager_or_one_team(crm_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["reports", str(crm_ws), "--out", str(tmp_path / "m"), "--manager", "melvin marxen", "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 0 and "(manager melvin marxen)" in out
    index = text_of(tmp_path / "m" / "index.html")
    assert "Darcel Schlecht" in index and "Moses Frase" in index and "Anna Snelling" not in index
    assert "Manager: Melvin Marxen" in index and "Cara Losch" not in index and "2 reps" in index
    assert sorted(p.name for p in (tmp_path / "m").glob("*.html")) == sorted(
        ["index.html", f"{report_slug('Darcel Schlecht')}.html", f"{report_slug('Moses Frase')}.html"])
    run = generate_reports(crm_ws, tmp_path / "t", workers=1, team="East", progress=False)
    assert [r.rep_id for r in run.results] == ["Anna Snelling", "Quinn Quiet"]
    assert "team East" in text_of(run.index_path)
    with pytest.raises(InvalidInputError, match=r"No rep has the team 'North': the teams are Central and East\."):
        generate_reports(crm_ws, tmp_path / "x", team="North", progress=False)


def test_the_reports_command_passes_typed_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from callkit.cli import reports as commands

    seen = {}

    def fake(*args, **kwargs):
        seen.update(kwargs, args=args)
        raise RecordNotFoundError("rep", "stop")

    monkeypatch.setattr(commands, "generate_reports", fake)
    assert cli_main(["reports", str(tmp_path), "--out", str(tmp_path / "o"), "--team", "East", "--manager", "Cara"]) == 1
    assert seen["team"] == "East" and seen["manager"] == "Cara" and seen["reps"] is None
    assert seen["engine"] == "warm" and seen["scheduler"] is None
    assert not any(isinstance(v, argparse.Namespace) for v in (*seen["args"], *seen.values()))
    assert cli_main(["reports", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "standard",
                     "--scheduler", "tcp://10.1.2.3:8786"]) == 1
    assert seen["engine"] == "standard" and seen["scheduler"] == "tcp://10.1.2.3:8786"


# -- the functions behind the deal sections -------------------------------------------------------

from callkit.deals import deal_health  # noqa: E402
from callkit.models import Call, CloseDateChange, StageChange  # noqa: E402
from callkit.process import SalesProcess  # noqa: E402
from callkit.reports import deal_figures, priority, render, words  # noqa: E402
from callkit.reports.compute import compute_rep_data, default_period, team_data  # noqa: E402
from callkit.reports.run import period_warnings, select_group  # noqa: E402
from callkit.reports.words import money  # noqa: E402
from callkit.scoring.plan import Rubric  # noqa: E402

END = date(2017, 12, 28)
START = date(2017, 10, 6)


def deal(deal_id: str, **kw) -> Deal:
    base = dict(rep_id="r1", account="Acme", name=f"Deal {deal_id}", stage="discover", amount=10000.0,
                created=date(2017, 6, 1))
    base.update(kw)
    return Deal(deal_id=deal_id, **base)


def period_of(deals: list[Deal], calls: dict | None = None, norms: dict | None = None,
              start: date = START, end: date = END) -> dict:
    return deal_figures.deal_period(deals, calls or {}, start, end, SalesProcess.default(), Rubric.default(),
                                    norms or {}, deal_health)


def test_deal_as_of_reads_the_history() -> None:
    d = deal("a", stage="propose", status="won", closed_on=date(2017, 12, 1), close_date=date(2017, 12, 1),
             created=date(2017, 9, 1),
             stage_history=[StageChange(changed_on=date(2017, 9, 1), stage="qualify"),
                            StageChange(changed_on=date(2017, 10, 9), stage="propose"),
                            StageChange(changed_on=date(2017, 12, 4), stage="propose", status="won")],
             close_date_history=[CloseDateChange(changed_on=date(2017, 9, 1), close_date=date(2017, 10, 31)),
                                 CloseDateChange(changed_on=date(2017, 10, 30), close_date=date(2017, 11, 30))])
    assert deal_figures.deal_as_of(d, date(2017, 8, 31)) is None, "not created yet"
    sept = deal_figures.deal_as_of(d, date(2017, 9, 30))
    assert (sept.status, sept.stage, sept.close_date, sept.closed_on) == ("open", "qualify", date(2017, 10, 31), None)
    nov = deal_figures.deal_as_of(d, date(2017, 11, 15))
    assert (nov.stage, nov.close_date) == ("propose", date(2017, 11, 30))
    assert deal_figures.deal_as_of(d, END) is d, "nothing changed after the day: the deal itself"


def test_pipeline_won_lost_and_win_rate_with_amounts() -> None:
    deals = [deal("o1", stage="discover", amount=100000), deal("o2", stage="propose", amount=250000),
             deal("o3", stage="discover", amount=None),
             deal("w1", stage="close", status="won", closed_on=date(2017, 11, 2), amount=40000),
             deal("w2", stage="close", status="won", closed_on=date(2017, 7, 1), amount=99000),  # before the period
             deal("l1", stage="propose", status="lost", closed_on=date(2017, 12, 1), amount=30000, lost_reason="Price"),
             deal("l2", stage="qualify", status="lost", closed_on=date(2017, 12, 2), amount=5000, lost_reason="Price"),
             deal("l3", stage="qualify", status="lost", closed_on=date(2017, 12, 3), amount=None),
             deal("later", created=date(2018, 1, 5))]
    got = period_of(deals)
    figures, summary = got["figures"], got["summary"]
    assert [(r["stage"], r["count"], r["amount"], r["unpriced"]) for r in summary["pipeline"]] == [
        ("Discover", 2, 100000.0, 1), ("Propose", 1, 250000.0, 0)]
    assert figures["pipeline"] == 350000 and figures["open_deals"] == 3
    assert (figures["won_deals"], figures["won_amount"], figures["lost_deals"]) == (1, 40000, 3)
    assert figures["win_rate"] == 0.25
    assert summary["lost_reasons"] == [{"reason": "Price", "count": 2, "amount": 35000.0},
                                       {"reason": "No reason recorded", "count": 1, "amount": 0.0}]
    assert [d["deal_id"] for d in summary["closed"]] == ["w1", "l1", "l2", "l3"], "won first, biggest first"
    assert got["activity"] == {"created": 0, "closed": 4, "moved": 0, "open": 3}
    unpriced = period_of([deal("x", amount=None)])["figures"]
    assert unpriced["pipeline"] is None and unpriced["open_deals"] == 1, "no amount is not $0"
    assert period_of([])["figures"]["open_deals"] is None, "no deals: no deal figures"


def test_deal_hygiene_flags_and_the_deals_that_need_attention() -> None:
    calls = {"quiet": [Call(call_id="c1", deal_id="quiet", rep_id="r1", date=date(2017, 10, 2))]}
    deals = [
        deal("past", close_date=date(2017, 12, 1), amount=412000),
        deal("pushed", close_date=date(2018, 3, 1), amount=50000,
             close_date_history=[CloseDateChange(changed_on=date(2017, 6, 1), close_date=date(2017, 12, 1)),
                                 CloseDateChange(changed_on=date(2017, 11, 6), close_date=date(2018, 1, 31)),
                                 CloseDateChange(changed_on=date(2017, 12, 11), close_date=date(2018, 3, 1))]),
        deal("stuck", stage="propose", close_date=date(2018, 2, 1), amount=70000,
             stage_history=[StageChange(changed_on=date(2017, 6, 1), stage="qualify"),
                            StageChange(changed_on=date(2017, 9, 4), stage="propose")]),
        deal("quiet", close_date=date(2018, 2, 1), amount=9000),
        deal("fine", close_date=date(2018, 2, 1), amount=1000000, created=date(2017, 12, 1)),
    ]
    got = period_of(deals, calls, norms={"propose": 30.0})
    hygiene = got["summary"]["hygiene"]
    assert (hygiene["past_close"]["count"], hygiene["past_close"]["amount"]) == (1, 412000)
    assert hygiene["pushed"]["count"] == 1 and hygiene["stuck"]["count"] == 1 and hygiene["quiet"]["count"] == 1
    rows = got["summary"]["attention"]
    assert [r["deal_id"] for r in rows] == ["past", "stuck", "pushed", "quiet"], "at risk first, then by amount"
    assert "fine" not in [r["deal_id"] for r in rows]
    assert rows[0]["amount"] == 412000 and "past_close" in rows[0]["flags"]
    assert any("passed 27 days ago" in r for r in rows[0]["reasons"])
    assert rows[1]["usual_days"] == 30.0 and rows[1]["days_in_stage"] == 115
    assert got["summary"]["at_risk"] == {"count": 3, "amount": 532000.0, "unpriced": 0}
    assert got["figures"]["at_risk_amount"] == 532000 and got["figures"]["past_close"] == 1
    many = period_of([deal(f"d{n}", close_date=date(2017, 12, 1), amount=1000 * n) for n in range(1, 21)])
    assert len(many["summary"]["attention"]) == deal_figures.ATTENTION_LIMIT
    assert many["summary"]["attention_more"] == {"count": 5, "amount": 15000.0, "unpriced": 0}


def test_the_previous_period_is_measured_as_it_was_then() -> None:
    d = deal("a", stage="close", status="won", closed_on=date(2017, 11, 20), close_date=date(2017, 11, 20),
             amount=60000, created=date(2017, 5, 1),
             stage_history=[StageChange(changed_on=date(2017, 5, 1), stage="discover"),
                            StageChange(changed_on=date(2017, 11, 20), stage="close", status="won")])
    before = period_of([d], start=date(2017, 7, 14), end=date(2017, 10, 5))["figures"]
    assert (before["open_deals"], before["pipeline"], before["won_deals"]) == (1, 60000, 0)
    now = period_of([d])["figures"]
    assert (now["open_deals"], now["pipeline"], now["won_deals"], now["won_amount"]) == (0, 0, 1, 60000)


def test_default_period_follows_the_data_not_today(crm_ws: Path) -> None:
    with Workspace.open(crm_ws) as ws:
        assert default_period(ws) == (START, END)
        assert default_period(ws, until="2017-11-30") == (date(2017, 9, 8), date(2017, 11, 30))
        data = compute_rep_data(ws, "Darcel Schlecht", START, END)
    assert data["counts"]["calls"] == 0 and not data["empty"]
    assert data["previous_period"] == {"since": "2017-07-14", "until": "2017-10-05"}
    assert data["figures"]["won_deals"] == 2 and data["previous"]["won_deals"] == 1  # Codehow, July
    assert data["activity"] == {"calls": 0, "created": 0, "closed": 3, "moved": 0, "open": 2}


def test_period_warnings_name_what_is_missing() -> None:
    reps = [Rep(rep_id="a", name="Ann"), Rep(rep_id="b", name="Bo"), Rep(rep_id="c", name="Cy")]
    data = {"a": {"empty": True}, "b": {"empty": False}, "c": None}
    empty, warnings = period_warnings(reps, data, START, END, END)
    assert not empty and warnings == ["Nothing happened from 6 Oct 2017 to 28 Dec 2017 for 1 of 2 reps (no calls, "
                                      "and no deals created, won, lost or moved): Ann."]
    empty, warnings = period_warnings(reps, {"a": {"empty": True}}, START, END, None)
    assert empty and "the workspace has no calls or deals yet" in warnings[0] and len(warnings) == 1
    assert period_warnings(reps, {"a": {"empty": False}}, START, END, END) == (False, [])


def test_select_group_matches_team_and_manager_ignoring_case() -> None:
    reps = [Rep(rep_id="a", name="A", team="East", manager="Cara Losch"),
            Rep(rep_id="b", name="B", team="West", manager="Cara Losch"),
            Rep(rep_id="c", name="C", team="East", manager="Rocco Neubert")]
    assert [r.rep_id for r in select_group(reps, manager=" cara losch ")] == ["a", "b"]
    assert [r.rep_id for r in select_group(reps, team="east", manager="Cara Losch")] == ["a"]
    assert select_group(reps) == reps
    with pytest.raises(InvalidInputError, match="No rep has the manager 'Sam': the managers are Cara Losch and Rocco"):
        select_group(reps, manager="Sam")


def _rep_data(**kw) -> dict:
    """Report data with just what the priority and the index read."""
    empty_total = {"count": 0, "amount": 0.0, "unpriced": 0}
    hygiene = {f: dict(empty_total) for f in deal_figures.FLAGS}
    hygiene.update(kw.pop("hygiene", {}))
    figures = {"plan_score": None, "plan_share": None, "win_rate": None}
    figures.update(kw.pop("figures", {}))
    return {"counts": kw.pop("counts", {"calls": 0, "planned": 0}), "figures": figures,
            "deals": {"hygiene": hygiene, "at_risk": kw.pop("at_risk", dict(empty_total)),
                      "won": kw.pop("won", dict(empty_total)), "lost": kw.pop("lost", dict(empty_total))}}


def test_who_to_coach_first_combines_plans_and_deal_risk_in_words() -> None:
    team = {"medians": {"plan_score": 52.0, "plan_share": 0.9}, "benchmark": {"win_rate": 0.6},
            "most_at_risk": {"amount": 412000.0, "count": 3}}
    risky = _rep_data(hygiene={"past_close": {"count": 3, "amount": 412000.0, "unpriced": 0}},
                      at_risk={"count": 3, "amount": 412000.0, "unpriced": 0},
                      counts={"calls": 20, "planned": 19}, figures={"plan_score": 50.0, "plan_share": 0.95})
    weak = _rep_data(counts={"calls": 20, "planned": 18}, figures={"plan_score": 9.0, "plan_share": 0.9})
    loser = _rep_data(won={"count": 1, "amount": 5.0, "unpriced": 0}, lost={"count": 4, "amount": 0.0, "unpriced": 0},
                      figures={"win_rate": 0.2})
    fine = _rep_data(counts={"calls": 20, "planned": 20}, figures={"plan_score": 80.0, "plan_share": 1.0})
    p = {name: priority.coaching_priority(data, team) for name, data in
         (("risky", risky), ("weak", weak), ("loser", loser), ("fine", fine))}
    assert p["risky"].reasons == ["3 open deals past their close date, $412k", "plan score 50, team median 52"]
    assert p["weak"].reasons == ["plan score 9, team median 52"]
    assert p["loser"].reasons == ["won 20% of 5 closed deals, the team 60%"]
    assert p["fine"].reasons == [] and p["fine"].score == 0
    assert p["risky"].score > p["weak"].score > p["loser"].score > p["fine"].score
    unplanned = _rep_data(counts={"calls": 40, "planned": 12}, figures={"plan_score": 60.0, "plan_share": 0.3})
    assert priority.coaching_priority(unplanned, team).reasons == ["no written plan for 28 of 40 calls"]


def test_money_and_changes_read_as_the_page_shows_them() -> None:
    assert [money(v) for v in (950, 4200, 48000, 412499, 1_250_000, None)] == ["$950", "$4.2k", "$48k", "$412k",
                                                                               "$1.2M", "–"]
    assert words.change("plan_share", 0.62, 0.574) == ("ck-better", "+5 pts")  # 62% after 57%
    assert words.change("at_risk_amount", 400000, 440000) == ("ck-better", "-$40k")
    assert words.change("plan_score", 70.4, 69.6) == ("ck-same", "same")
    assert words.change("win_rate", None, 0.5) == ("ck-same", "–")
    assert words.fmt_figure("open_deals", 4.5) == "4.5" and words.fmt_figure("pipeline", 0) == "$0"


# -- numbers that agree with each other -------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_team_data(sample_ws_path: Path) -> tuple[dict, dict]:
    from callkit.reports.compute import compute_team

    with Workspace.open(sample_ws_path) as ws:
        start, end = default_period(ws)
        team, reps = compute_team(ws, start, end)
    return team, reps


def test_objective_figures_agree_with_the_skill_profile(sample_team_data: tuple[dict, dict]) -> None:
    team, reps = sample_team_data
    for rep_id, data in reps.items():
        objective = next(s for s in data["skills"] if s["id"] == "objective")
        advance = next(c for c in objective["checks"] if c["id"] == "advance")
        assert advance["of"] == data["counts"]["planned"]
        assert advance["passed"] / advance["of"] == pytest.approx(data["figures"]["advance_objectives"]), rep_id
        shares = [c["passed"] / c["of"] for c in objective["checks"]]
        assert objective["score"] == pytest.approx(sum(shares) / len(shares)), rep_id
    r02 = reps["r02"]
    html = render.skills({"rep": r02, "team": team}).html
    advance = next(c for c in next(s for s in r02["skills"] if s["id"] == "objective")["checks"] if c["id"] == "advance")
    assert f"An advance - the client acts: {advance['passed']} of {advance['of']}" in html
    assert words.fmt_figure("advance_objectives", r02["figures"]["advance_objectives"]) == \
        f"{round(100 * advance['passed'] / advance['of'])}%"


def test_the_trend_sentence_uses_the_headline_plan_score(sample_team_data: tuple[dict, dict]) -> None:
    _team, reps = sample_team_data
    for rep_id, data in reps.items():
        sentence = render.trend_sentence(data)
        halves, overall = data["halves"], data["figures"]["plan_score"]
        assert halves["first_planned"] + halves["second_planned"] == data["counts"]["planned"]
        assert min(halves["first"], halves["second"]) - 1e-9 <= overall <= max(halves["first"], halves["second"]) + 1e-9
        whole = words.fmt_figure("plan_score", overall)
        assert f"held steady at about {whole}:" in sentence or f"({whole} over the whole period)" in sentence, rep_id
    r01 = reps["r01"]
    assert r01["figures"]["plan_score"] < 20  # the rep who wings it: the sentence says the same number as the table
    assert f"about {words.fmt_figure('plan_score', r01['figures']['plan_score'])}" in render.trend_sentence(r01)


def test_team_data_compares_win_rates_with_the_whole_team(sample_team_data: tuple[dict, dict]) -> None:
    team, reps = sample_team_data
    won = sum(r["deals"]["won"]["count"] for r in reps.values())
    lost = sum(r["deals"]["lost"]["count"] for r in reps.values())
    assert won >= 3 and lost >= 3
    assert team["benchmark"]["win_rate"] == pytest.approx(won / (won + lost))
    assert team["totals"]["won_amount"] == sum(r["deals"]["won"]["amount"] for r in reps.values())
    assert team["most_at_risk"]["amount"] == max(r["deals"]["at_risk"]["amount"] for r in reps.values())
    assert team_data([], START, END)["medians"]["pipeline"] is None


# -- the sample team's reports show all of it --------------------------------------------------------

def test_sample_reports_show_deals_changes_and_history(team_run: ReportRun) -> None:
    pages = {r.rep_id: text_of(r.html_path) for r in team_run.results}
    for rep_id, text in pages.items():
        for heading in ("Your pipeline", "Won and lost", "Deal hygiene", "Change"):
            assert heading in text, (rep_id, heading)
        assert "against your previous period of the same length (6 Jun 2026 to 28 Aug 2026)" in text
    assert any("won" in t.split("Won and lost")[1][:200] for t in pages.values())
    assert sum("Lost reason" in t and "Why deals were lost" in t for t in pages.values()) >= 3
    assert any("pushed back" in t for t in pages.values()) and any("stuck in" in t for t in pages.values())
    assert any("the team usually moves on after" in t for t in pages.values()), "stage norms from the snapshots"
    index = text_of(team_run.index_path)
    assert "The team:" in index and "won (" in index and "win rate of" in index
    assert " pts" in index and ("+$" in index or "-$" in index), "changes against the previous period"


# -- report wording (issue 15) ---------------------------------------------------------------------


def _words_report(points: list[dict], calls: int = 1) -> dict:
    who = {"rep_id": "r9", "name": "Dana Reyes", "team": None, "manager": None}
    return {"rep": {"rep": who, "period": {"since": "2030-01-01", "until": "2030-03-25"},
                    "previous_period": {"since": "2029-10-08", "until": "2029-12-31"},
                    "counts": {"calls": calls, "planned": calls, "debriefed": 0, "advances": 0},
                    "figures": {}, "deals": {}, "points": points}, "team": {}}


def _point(title: str) -> dict:
    return {"title": title, "messages": ["The objective is something you will do."], "count": 1, "out_of": 1,
            "criterion": "objective", "cost": 8.0, "quote": "demo the module", "quote_label": "Your objective",
            "suggestion": None, "tip": None,
            "example": {"date": "2030-03-03", "deal": "Line 4", "account": "Acme", "amount": None}}


def test_coaching_points_count_their_habits_in_agreement() -> None:
    one = render.coaching_points(_words_report([_point("Make the objective an advance")])).html
    assert "The habit that cost your plans" in one and "1 habits" not in one
    three = render.coaching_points(_words_report([_point(t) for t in "abc"])).html
    assert "The 3 habits that cost your plans" in three
    assert "the call on Sun 3 Mar 2030" in one, "a sentence's date has its weekday, as deal health writes them"


def test_an_empty_period_reads_from_a_day_to_a_day() -> None:
    html = render.header(_words_report([], calls=0)).html
    assert "from 1 Jan 2030 to 25 Mar 2030" in html and "between" not in html


def test_the_index_writes_its_dates_in_the_one_short_format(team_run: ReportRun) -> None:
    import re

    html = team_run.index_path.read_text(encoding="utf-8")
    stamp = re.search(r"generated (\d+) (\w{3}) (\d{4}) at \d\d:\d\d", html)
    assert stamp and not stamp.group(1).startswith("0"), "'2 Dec 2026' as in the period, never '02 Dec 2026'"
    days = re.findall(r"\b(\d{1,2}) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", html)
    assert days and not [d for d in days if d.startswith("0")]


def test_weeks_start_on_monday() -> None:
    from callkit.reports.period import week_index, week_starts

    since, until = date(2030, 1, 5), date(2030, 3, 25)  # a Saturday to a Monday
    weeks = week_starts(since, until)
    assert {w.weekday() for w in weeks} == {0}
    assert weeks[0] == date(2029, 12, 31) and weeks[-1] == date(2030, 3, 25)
    assert week_index(since, since) == 0 and week_index(date(2030, 1, 7), since) == 1  # the Monday after
    assert week_index(until, since) == len(weeks) - 1


def test_a_stalled_deal_gives_its_reason_once() -> None:
    slipping = deal("slow", close_date=date(2018, 2, 28), amount=50000,
                    close_date_history=[CloseDateChange(changed_on=date(2017, 6, 1), close_date=date(2017, 10, 31)),
                                        CloseDateChange(changed_on=date(2017, 10, 30), close_date=date(2017, 11, 30)),
                                        CloseDateChange(changed_on=date(2017, 11, 29), close_date=date(2017, 12, 29)),
                                        CloseDateChange(changed_on=date(2017, 12, 20), close_date=date(2018, 2, 28))])
    row = period_of([slipping])["summary"]["attention"][0]
    assert "stalled" in row["flags"]
    slip_lines = [r for r in row["reasons"] if "month" in r]
    assert len(slip_lines) == 1 and slip_lines[0].startswith("The deal looks stalled"), row["reasons"]


def test_index_columns_sort_worst_first_on_the_first_click(team_run: ReportRun) -> None:
    from callkit.reports.index import worst_first

    assert worst_first("at_risk_amount") == "desc" and worst_first("plan_score") == "asc"
    html = team_run.index_path.read_text(encoding="utf-8")
    assert 'data-first="desc" title="plan quality and deal risk; highest first"' in html
    assert 'data-first="desc" title="Open pipeline at risk"' in html
    assert 'data-first="asc" title="Average plan score (0-100)"' in html
    assert "th.dataset.first" in html, "the script reads the first direction from the header"


def test_the_index_template_escapes_every_value_it_shows() -> None:
    from callkit.reports import index

    evil = '<img src=x onerror="alert(1)">'
    row = {"status": "ok", "file": 'a".html', "name": evil, "rep_id": evil, "manager": evil, "reasons": [evil],
           "priority": 1.0, "cells": [{"v": 1, "shown": evil, "delta": evil, "delta_css": "ck-same"}], "point": evil}
    group = {"title": evil, "count": "1 rep", "table_id": "team-1", "calls": True, "rows": [row],
             "columns": [{"short": evil, "label": evil, "first": "asc"}], "medians": [evil]}
    html = index._TEMPLATES.get_template(index.TEMPLATE).render(
        period=evil, scope=evil, rep_count="1 rep", generated="now", warnings=[evil], failed=[], failed_words="",
        totals=[evil], first=[row], no_calls=False, groups=[group], css="")
    assert "<img" not in html and html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 10
    assert 'href="a&quot;.html"' in html
