"""index.html: the team at a glance for the manager, and reports.json, the run's manifest.

Sorted by what a manager looks at first: failed reports, then the lowest average plan score, then the most
stalled deals. Clicking a column header re-sorts (a few lines of inline script); without script the page
still reads top to bottom in that order.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .metrics import FIGURES
from .render import fmt_figure, human_date

if TYPE_CHECKING:  # pragma: no cover
    from .run import RepResult

INDEX = "index.html"
MANIFEST = "reports.json"
CSS_FILE = Path(__file__).resolve().parent.parent / "templates" / "callkit_report" / "report.css"
COLUMNS = ("calls", "plan_share", "plan_score", "advance_objectives", "advance_outcomes", "calls_per_advance")
SHORT = {"calls": "Calls", "plan_share": "With a plan", "plan_score": "Avg plan score",
         "advance_objectives": "Objectives that are advances", "advance_outcomes": "Calls ending in an advance",
         "calls_per_advance": "Calls per advance"}

SORT_SCRIPT = """
document.querySelectorAll("th[data-sort]").forEach(function (th) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], col = th.cellIndex, num = th.dataset.sort === "num";
    var dir = th.dataset.dir === "asc" ? -1 : 1; th.dataset.dir = dir === 1 ? "asc" : "desc";
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      return dir * (num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y));
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _load_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("reps"), dict) else {"reps": {}}
    except (OSError, ValueError):
        return {"reps": {}}


def _statuses(out: Path, team: Sequence[tuple[str, str]], results: Sequence["RepResult"], since: date,
              until: date) -> dict[str, dict[str, Any]]:
    """Each rep's report status: this run's result, else an earlier run's for the same period; saved as reports.json."""
    period = {"since": since.isoformat(), "until": until.isoformat()}
    old = _load_manifest(out)["reps"]
    known = {rep_id for rep_id, _ in team}
    statuses = {k: v for k, v in old.items() if k in known and v.get("period") == period}
    for r in results:
        statuses[r.rep_id] = {
            "status": "ok" if r.ok else "failed", "period": period,
            "file": r.html_path.name if r.html_path else None, "error": r.error,
            "notebook": r.failed_notebook.relative_to(out).as_posix() if r.failed_notebook else None,
        }
    for rep_id, entry in list(statuses.items()):
        if entry["status"] == "ok" and not (entry.get("file") and (out / entry["file"]).is_file()):
            del statuses[rep_id]
    (out / MANIFEST).write_text(json.dumps({"period": period, "reps": statuses}, indent=1, ensure_ascii=False),
                                encoding="utf-8")
    return statuses


def _sort_key(row: dict[str, Any]) -> tuple:
    data = row["data"]
    calls = data["counts"]["calls"] if data else 0
    score = data["figures"]["plan_score"] if data else None
    stalled = data["stalled_deals"] if data else 0
    return (row["status"] != "failed", calls == 0, -1 if score is None else score, -stalled, row["name"].lower())


def _cell(key: str, data: dict[str, Any] | None) -> str:
    value = data["figures"].get(key) if data else None
    sort_value = -1 if value is None else value
    return f'<td class="ck-num" data-v="{sort_value}">{fmt_figure(key, value)}</td>'


def write_index(out: Path, team: Sequence[tuple[str, str]], rep_data: dict[str, dict[str, Any] | None],
                team_figures: dict[str, Any], results: Sequence["RepResult"], since: date, until: date) -> Path:
    """Write index.html (and reports.json) for every rep of the team; returns the index path."""
    statuses = _statuses(out, team, results, since, until)
    rows = []
    for rep_id, name in team:
        entry = statuses.get(rep_id)
        rows.append({"rep_id": rep_id, "name": name, "data": rep_data.get(rep_id),
                     "status": entry["status"] if entry else "missing", "entry": entry or {}})
    rows.sort(key=_sort_key)

    body = []
    for row in rows:
        data, entry = row["data"], row["entry"]
        if row["status"] == "ok":
            who = f'<a href="{_e(entry["file"])}">{_e(row["name"])}</a>'
        elif row["status"] == "failed":
            who = f'{_e(row["name"])} <span class="ck-badge ck-badge-bad">failed</span>'
        else:
            who = f'{_e(row["name"])} <span class="ck-badge ck-badge-warn">no report yet</span>'
        point = data["points"][0]["title"] if data and data["points"] else ""
        stalled = data["stalled_deals"] if data else 0
        slipping = data["slipping_deals"] if data else 0
        body.append(
            f'<tr><td data-v="{_e(row["name"].lower())}">{who}<br><span class="ck-note">{_e(row["rep_id"])}</span></td>'
            + "".join(_cell(k, data) for k in COLUMNS)
            + f'<td class="ck-num" data-v="{stalled}">{stalled}</td><td class="ck-num" data-v="{slipping}">{slipping}</td>'
            f'<td data-v="{_e(point.lower())}">{_e(point)}</td></tr>')
    medians = team_figures["medians"]
    foot = ("<tr><th>Team median</th>" + "".join(f'<th class="ck-num">{fmt_figure(k, medians.get(k))}</th>'
                                                  for k in COLUMNS) + "<th></th><th></th><th></th></tr>")
    head = ('<tr><th data-sort="text">Rep</th>'
            + "".join(f'<th class="ck-num" data-sort="num" title="{_e(FIGURES[k][0])}">{_e(SHORT[k])}</th>'
                      for k in COLUMNS)
            + '<th class="ck-num" data-sort="num">Stalled deals</th><th class="ck-num" data-sort="num">Slipping deals</th>'
            '<th data-sort="text">Costs them most</th></tr>')

    failed = [r for r in rows if r["status"] == "failed"]
    failures = ""
    if failed:
        items = "".join(
            f'<li><strong>{_e(r["name"])}</strong> ({_e(r["rep_id"])}): {_e(r["entry"].get("error"))}'
            + (f' – <a href="{_e(r["entry"]["notebook"])}">the notebook that failed</a>' if r["entry"].get("notebook") else "")
            + "</li>" for r in failed)
        failures = (f'<div class="ck-failures"><p><strong>{len(failed)} report{"s" if len(failed) > 1 else ""} '
                    f"could not be built.</strong> Rerun them with <code>callkit reports … --rep ID</code>.</p>"
                    f"<ul>{items}</ul></div>")
    css = CSS_FILE.read_text(encoding="utf-8")
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="callkit">\n'
        f"<title>Team coaching reports, {human_date(since.isoformat())} to {human_date(until.isoformat())}</title>\n"
        f"<style>\n{css}</style>\n</head>\n<body>\n<main class=\"ck-page ck-wide\">\n"
        f"<h1>Team coaching reports</h1>\n<p class=\"ck-muted\">{human_date(since.isoformat())} to "
        f"{human_date(until.isoformat())} · {len(team)} reps · generated {datetime.now():%d %b %Y %H:%M}</p>\n"
        f"{failures}"
        "<p>Lowest average plan score first: the reps to coach this week are at the top. Click a rep for their "
        "report; click a column header to sort by it.</p>\n"
        f"<div class=\"ck-scroll\"><table id=\"team\"><thead>{head}</thead><tbody>{''.join(body)}</tbody>"
        f"<tfoot>{foot}</tfoot></table></div>\n"
        '<p class="ck-note">Shares of objectives, agendas and customer value are of planned calls; advances are of '
        "debriefed calls. Stalled: repeated slips or continuations with no stage progress.</p>\n"
        f"</main>\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
    path = out / INDEX
    tmp = path.with_name(INDEX + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
