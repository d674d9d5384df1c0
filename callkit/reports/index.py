"""index.html: the team at a glance for the manager, and reports.json, the run's manifest.

The page opens with any warning about the period, the reports that failed, and "who to coach first": the
reps whose plan quality and deal risk need a manager most, each with the reason in words
(`priority.coaching_priority`). Then one table per manager, reps in the same order; each figure shows its
change against the previous period. Clicking a column header re-sorts that table (a few lines of inline
script); without script the page still reads top to bottom in that order.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .metrics import FIGURES
from .priority import Priority, coaching_priority
from ..text import counted, date_range, short_date
from .render import change, fmt_figure
from .words import count_and_money, money

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Rep
    from .run import RepResult

INDEX = "index.html"
MANIFEST = "reports.json"
CSS_FILE = Path(__file__).resolve().parent.parent / "templates" / "callkit_report" / "report.css"
CALL_COLUMNS = ("calls", "plan_share", "plan_score", "advance_outcomes")
DEAL_COLUMNS = ("pipeline", "won_amount", "win_rate", "at_risk_amount")
COLUMNS = CALL_COLUMNS + DEAL_COLUMNS
SHORT = {"calls": "Calls", "plan_share": "With a plan", "plan_score": "Avg plan score",
         "advance_objectives": "Objectives that are advances", "advance_outcomes": "Calls ending in an advance",
         "calls_per_advance": "Calls per advance", "pipeline": "Open pipeline", "won_amount": "Won",
         "win_rate": "Win rate", "at_risk_amount": "At risk"}
NO_MANAGER = "No manager recorded"
FIRST_LIMIT = 5  # reps named under "who to coach first"

SORT_SCRIPT = """
document.querySelectorAll("th[data-sort]").forEach(function (th) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], col = th.cellIndex, num = th.dataset.sort === "num";
    var next = th.dataset.dir ? (th.dataset.dir === "asc" ? "desc" : "asc") : (th.dataset.first || "asc");
    th.dataset.dir = next; var dir = next === "asc" ? 1 : -1;
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


def manifest_period(out: Path) -> dict[str, str] | None:
    """The period the reports now in `out` are about ({'since': ..., 'until': ...}), or None for a new folder."""
    period = _load_manifest(out).get("period")
    return period if isinstance(period, dict) else None


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
    tmp = out / (MANIFEST + ".tmp")  # a kill while writing leaves the old list, never half of one
    tmp.write_text(json.dumps({"period": period, "reps": statuses}, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)
    return statuses


def _rows(team: Sequence["Rep"], rep_data: dict[str, dict[str, Any] | None], statuses: dict[str, dict[str, Any]],
          team_figures: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per rep: their data, report status and coaching priority, in the order a manager reads them."""
    rows = []
    for rep in team:
        entry = statuses.get(rep.rep_id)
        data = rep_data.get(rep.rep_id)
        status = entry["status"] if entry else "missing"
        priority = coaching_priority(data, team_figures)
        if status == "failed":  # first in the list whatever the figures say; the figures, when there are some, next
            extra = priority.reasons[:1] if data is not None else []
            priority = Priority(score=priority.score, reasons=["the report could not be built", *extra],
                                parts=priority.parts)
        rows.append({"rep_id": rep.rep_id, "name": rep.name, "manager": rep.manager, "data": data, "status": status,
                     "entry": entry or {}, "priority": priority})
    rows.sort(key=lambda r: (r["status"] != "failed", -r["priority"].score, r["name"].lower(), r["rep_id"]))
    return rows


def _cell(key: str, data: dict[str, Any] | None) -> str:
    value = data["figures"].get(key) if data else None
    before = (data.get("previous") or {}).get(key) if data else None
    sort_value = -1 if value is None else value
    css, words = change(key, value, before)
    delta = f'<br><span class="ck-delta {css}" title="change against the previous period">{_e(words)}</span>' \
        if value is not None and words not in ("–",) else ""
    if key == "at_risk_amount" and data and data["deals"]["at_risk"]["count"]:
        shown = _e(count_and_money(data["deals"]["at_risk"]["count"], value))
    elif key == "at_risk_amount" and data and data["deals"]["open"]["count"]:
        shown = "none"
    elif key == "pipeline" and data and value is None and data["deals"]["open"]["count"]:
        shown = _e(counted(data["deals"]["open"]["count"], "deal"))  # open deals the CRM gives no amount yet
    else:
        shown = fmt_figure(key, value)
    return f'<td class="ck-num" data-v="{sort_value}">{shown}{delta}</td>'


def _who(row: dict[str, Any]) -> str:
    entry = row["entry"]
    if row["status"] == "ok":
        return f'<a href="{_e(entry["file"])}">{_e(row["name"])}</a>'
    if row["status"] == "failed":
        return f'{_e(row["name"])} <span class="ck-badge ck-badge-bad">failed</span>'
    return f'{_e(row["name"])} <span class="ck-badge ck-badge-warn">no report yet</span>'


def worst_first(key: str) -> str:
    """The order a figure's column takes on the first click, worst first: "asc" where higher is better (or where
    more is neither better nor worse, so the smallest comes first), "desc" where higher is worse (money at risk)."""
    return "desc" if FIGURES[key][2] is False else "asc"


def _table(rows: list[dict[str, Any]], medians: dict[str, Any], table_id: str, calls: bool = True) -> str:
    """One manager's reps; without any call in the run, the call-plan columns are left out."""
    columns = COLUMNS if calls else DEAL_COLUMNS
    body = []
    for row in rows:
        data = row["data"]
        point = data["points"][0]["title"] if data and data["points"] else ""
        reasons = "; ".join(row["priority"].reasons)
        rep_id = (f'<br><span class="ck-note">{_e(row["rep_id"])}</span>' if row["rep_id"] != row["name"] else "")
        body.append(
            f'<tr><td data-v="{_e(row["name"].lower())}">{_who(row)}{rep_id}</td>'
            f'<td data-v="{row["priority"].score}">{_e(reasons)}</td>'
            + "".join(_cell(k, data) for k in columns)
            + (f'<td data-v="{_e(point.lower())}">{_e(point)}</td>' if calls else "") + "</tr>")
    head = ('<tr><th data-sort="text">Rep</th><th data-sort="num" data-first="desc" '
            'title="plan quality and deal risk; highest first">Why coach them</th>'
            + "".join(f'<th class="ck-num" data-sort="num" data-first="{worst_first(k)}" '
                      f'title="{_e(FIGURES[k][0])}">{_e(SHORT[k])}</th>' for k in columns)
            + ('<th data-sort="text">Costs them most</th>' if calls else "") + "</tr>")
    foot = ('<tr><th title="the median rep; the win rate is the whole team\'s">Team</th><th></th>'
            + "".join(f'<th class="ck-num">{fmt_figure(k, medians.get(k))}</th>' for k in columns)
            + ("<th></th>" if calls else "") + "</tr>")
    return (f'<div class="ck-scroll"><table id="{_e(table_id)}"><thead>{head}</thead><tbody>{"".join(body)}</tbody>'
            f"<tfoot>{foot}</tfoot></table></div>")


def _first(rows: list[dict[str, Any]]) -> str:
    """The reps to coach first: failed reports, then the highest priority with a reason to give."""
    chosen = [r for r in rows if r["status"] == "failed" or (r["priority"].score > 0 and r["priority"].reasons)]
    if not chosen:
        return ('<div class="ck-first"><h2>Who to coach first</h2><p>Nobody stands out this period: no plan score '
                "well below the team, no open deals at risk.</p></div>")
    items = []
    for row in chosen[:FIRST_LIMIT]:
        manager = f' <span class="ck-note">({_e(row["manager"])})</span>' if row.get("manager") else ""
        items.append(f"<li><strong>{_who(row)}</strong>{manager}: {_e('; '.join(row['priority'].reasons))}.</li>")
    return ('<div class="ck-first"><h2>Who to coach first</h2><p>Plan quality and deal risk together: a plan score '
            "below the team median, open deals at risk (past their close date, pushed back more than once, stuck "
            f"or stalled) and a win rate below the team's.</p><ol>{''.join(items)}</ol></div>")


def _totals(team_figures: dict[str, Any]) -> str:
    t = team_figures.get("totals") or {}
    if not t.get("open_deals") and not (t.get("won_deals") or t.get("lost_deals")):
        return ""
    rate = fmt_figure("win_rate", t.get("win_rate"))
    worth = (f" worth {money(t['pipeline'])}" if t.get("pipeline") else "")
    parts = [f"{counted(t['open_deals'], 'open deal')}{worth} at the end of the period",
             f"{t['won_deals']} won ({money(t['won_amount'])}) and {t['lost_deals']} lost in it"
             + (f", a win rate of {rate}" if t.get("win_rate") is not None else "")]
    if t.get("at_risk_amount"):
        parts.append(f"{money(t['at_risk_amount'])} of the open pipeline at risk")
    return f"<p><strong>The team:</strong> {'; '.join(parts)}.</p>"


def write_index(out: Path, team: Sequence["Rep"], rep_data: dict[str, dict[str, Any] | None],
                team_figures: dict[str, Any], results: Sequence["RepResult"], since: date, until: date, *,
                warnings: Sequence[str] = (), scope: str = "") -> Path:
    """Write index.html (and reports.json) for every rep of `team` (the reps this run is about); returns the path.

    `warnings` (a period with nothing in it, reps with nothing in it) are shown at the top; `scope` says which
    team or manager the run was limited to ("manager Morgan Hale").
    """
    statuses = _statuses(out, [(r.rep_id, r.name) for r in team], results, since, until)
    rows = _rows(team, rep_data, statuses, team_figures)
    medians = team_figures.get("benchmark") or team_figures["medians"]

    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["manager"] or NO_MANAGER, []).append(row)
    order = sorted(groups, key=lambda m: (m == NO_MANAGER, m.lower()))
    sections = []
    for n, manager in enumerate(order, start=1):
        members = groups[manager]
        title = manager if manager == NO_MANAGER else f"Manager: {manager}"
        sections.append(f"<h2>{_e(title)} <span class=\"ck-muted\">· {counted(len(members), 'rep')}</span></h2>"
                        + _table(members, medians, f"team-{n}", calls=bool(team_figures.get("active_reps"))))

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
    warning_box = ""
    if warnings:
        warning_box = ('<div class="ck-warnings">' + "".join(f"<p><strong>Warning:</strong> {_e(w)}</p>" for w in warnings)
                       + "</div>")
    no_calls = ""
    if not team_figures.get("active_reps") and team_figures.get("deal_reps"):
        no_calls = ('<p class="ck-note">No calls were recorded in this period, so the figures are about deals only; '
                    "import calls with <code>callkit import … --calls calls.csv</code> to score call plans.</p>")
    css = CSS_FILE.read_text(encoding="utf-8")
    period = date_range(since, until)
    now = datetime.now()
    scope_words = f" · {_e(scope)}" if scope else ""
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="callkit">\n'
        f"<title>Team coaching reports, {period}</title>\n"
        f"<style>\n{css}</style>\n</head>\n<body>\n<main class=\"ck-page ck-wide\">\n"
        f"<h1>Team coaching reports</h1>\n<p class=\"ck-muted\">{period}{scope_words} · {counted(len(team), 'rep')} · "
        f"generated {short_date(now)} at {now:%H:%M}</p>\n"
        f"{warning_box}{failures}{_totals(team_figures)}{_first(rows)}{no_calls}"
        "<p>Reps are grouped by manager; in each group the reps to coach first are at the top. Click a rep for "
        "their report; click a column header to sort by it. Under each figure: its change against the previous "
        "period of the same length.</p>\n"
        + "\n".join(sections) +
        '\n<p class="ck-note">Shares of objectives, agendas and customer value are of planned calls; advances are of '
        "debriefed calls. Open pipeline: deals open at the end of the period. Won and win rate: deals closed in the "
        "period. At risk: open deals past their close date, pushed back more than once, stuck in a stage longer than "
        "the team usually takes, or stalled (repeated slips or continuations with no stage progress).</p>\n"
        f"</main>\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
    path = out / INDEX
    tmp = path.with_name(INDEX + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
