"""index.html: the team at a glance for the manager, and reports.json, the run's manifest.

The page opens with any warning about the period, the reports that failed, and "who to coach first": the
reps whose plan quality and deal risk need a manager most, each with the reason in words
(`priority.coaching_priority`). Then one table per manager, reps in the same order; each figure shows its
change against the previous period. Clicking a column header re-sorts that table, worst first (a few lines of
inline script); without script the page still reads top to bottom in that order. The markup is
templates/callkit_index/index.html.j2, with every value escaped; this module only words the figures.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..text import counted, date_range, escape_html, short_date
from .data import FIGURES
from .priority import Priority, coaching_priority
from .words import change, count_and_money, fmt_figure, money

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Rep
    from .run import RepResult

INDEX = "index.html"
MANIFEST = "reports.json"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CSS_FILE = TEMPLATES / "callkit_report" / "report.css"  # the report pages' stylesheet, shared
TEMPLATE_DIR = TEMPLATES / "callkit_index"
TEMPLATE = "index.html.j2"
CALL_COLUMNS = ("calls", "plan_share", "plan_score", "advance_outcomes")
DEAL_COLUMNS = ("pipeline", "won_amount", "win_rate", "at_risk_amount")
COLUMNS = CALL_COLUMNS + DEAL_COLUMNS
SHORT = {"calls": "Calls", "plan_share": "With a plan", "plan_score": "Avg plan score",
         "advance_objectives": "Objectives that are advances", "advance_outcomes": "Calls ending in an advance",
         "calls_per_advance": "Calls per advance", "pipeline": "Open pipeline", "won_amount": "Won",
         "win_rate": "Win rate", "at_risk_amount": "At risk"}
NO_MANAGER = "No manager recorded"
FIRST_LIMIT = 5  # reps named under "who to coach first"

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


def _rows(team: Sequence["Rep"], rep_data: Mapping[str, Mapping[str, Any] | None], statuses: dict[str, dict[str, Any]],
          team_figures: Mapping[str, Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    """One row per rep: the table's cells, report status and coaching priority, in the order a manager reads
    them. A rep's summary is read once, here, and not kept: the row holds what the page shows."""
    rows: list[dict[str, Any]] = []
    for rep in team:
        entry = statuses.get(rep.rep_id)
        data = rep_data.get(rep.rep_id)
        status = entry["status"] if entry else "missing"
        priority = coaching_priority(data, team_figures)
        if status == "failed":  # first in the list whatever the figures say; the figures, when there are some, next
            extra = priority.reasons[:1] if data is not None else []
            priority = Priority(score=priority.score, reasons=["the report could not be built", *extra],
                                parts=priority.parts)
        rows.append({"rep_id": rep.rep_id, "name": rep.name, "manager": rep.manager, "status": status,
                     "entry": entry or {}, "priority": priority, "cells": [_cell(k, data) for k in columns],
                     "point": data["points"][0]["title"] if data and data["points"] else ""})
    rows.sort(key=lambda r: (r["status"] != "failed", -r["priority"].score, r["name"].lower(), r["rep_id"]))
    return rows


def _cell(key: str, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """One figure of one rep as the table shows it: the value, its change, and what the column sorts by."""
    value = data["figures"].get(key) if data else None
    before = (data.get("previous") or {}).get(key) if data else None
    css, words = change(key, value, before)
    if key == "at_risk_amount" and data and data["deals"]["at_risk"]["count"]:
        shown = count_and_money(data["deals"]["at_risk"]["count"], value)
    elif key == "at_risk_amount" and data and data["deals"]["open"]["count"]:
        shown = "none"
    elif key == "pipeline" and data and value is None and data["deals"]["open"]["count"]:
        shown = counted(data["deals"]["open"]["count"], "deal")  # open deals the CRM gives no amount yet
    else:
        shown = fmt_figure(key, value)
    return {"v": -1 if value is None else value, "shown": shown, "delta_css": css,
            "delta": words if value is not None and words != "–" else ""}


def worst_first(key: str) -> str:
    """The order a figure's column takes on the first click, worst first: "asc" where higher is better (or where
    more is neither better nor worse, so the smallest comes first), "desc" where higher is worse (money at risk)."""
    return "desc" if FIGURES[key].higher_is_better is False else "asc"


def _group(title: str, rows: list[dict[str, Any]], medians: dict[str, Any], table_id: str, calls: bool) -> dict[str, Any]:
    """One manager's table; without any call in the run, the call-plan columns are left out."""
    columns = COLUMNS if calls else DEAL_COLUMNS
    shown = [{**row, "file": row["entry"].get("file"), "reasons": row["priority"].reasons,
              "priority": row["priority"].score} for row in rows]
    return {"title": title, "count": counted(len(rows), "rep"), "table_id": table_id, "calls": calls, "rows": shown,
            "columns": [{"key": k, "short": SHORT[k], "label": FIGURES[k].label, "first": worst_first(k)} for k in columns],
            "medians": [fmt_figure(k, medians.get(k)) for k in columns]}


def _first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reps to coach first: failed reports, then the highest priority with a reason to give."""
    chosen = [r for r in rows if r["status"] == "failed" or (r["priority"].score > 0 and r["priority"].reasons)]
    return [{**r, "file": r["entry"].get("file"), "reasons": r["priority"].reasons} for r in chosen[:FIRST_LIMIT]]


def _totals(team_figures: Mapping[str, Any]) -> list[str]:
    """The team's deals in a few clauses ("3 open deals worth $412k at the end of the period", ...), or none."""
    t = team_figures.get("totals") or {}
    if not t.get("open_deals") and not (t.get("won_deals") or t.get("lost_deals")):
        return []
    rate = fmt_figure("win_rate", t.get("win_rate"))
    worth = (f" worth {money(t['pipeline'])}" if t.get("pipeline") else "")
    parts = [f"{counted(t['open_deals'], 'open deal')}{worth} at the end of the period",
             f"{t['won_deals']} won ({money(t['won_amount'])}) and {t['lost_deals']} lost in it"
             + (f", a win rate of {rate}" if t.get("win_rate") is not None else "")]
    if t.get("at_risk_amount"):
        parts.append(f"{money(t['at_risk_amount'])} of the open pipeline at risk")
    return parts


def _escape(value: Any) -> Markup:
    """Every value the template shows, escaped as the report pages escape it (so a quote reads &quot; in both)."""
    return value if isinstance(value, Markup) else Markup(escape_html(value))


_TEMPLATES = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, finalize=_escape,
                         keep_trailing_newline=True)


def write_index(out: Path, team: Sequence["Rep"], rep_data: Mapping[str, Mapping[str, Any] | None],
                team_figures: Mapping[str, Any], results: Sequence["RepResult"], since: date, until: date, *,
                warnings: Sequence[str] = (), scope: str = "") -> Path:
    """Write index.html (and reports.json) for every rep of `team` (the reps this run is about); returns the path.

    `warnings` (a period with nothing in it, reps with nothing in it) are shown at the top; `scope` says which
    team or manager the run was limited to ("manager Morgan Hale").
    """
    statuses = _statuses(out, [(r.rep_id, r.name) for r in team], results, since, until)
    medians = team_figures.get("benchmark") or team_figures["medians"]
    calls = bool(team_figures.get("active_reps"))
    rows = _rows(team, rep_data, statuses, team_figures, COLUMNS if calls else DEAL_COLUMNS)

    by_manager: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_manager.setdefault(row["manager"] or NO_MANAGER, []).append(row)
    order = sorted(by_manager, key=lambda m: (m == NO_MANAGER, m.lower()))
    groups = [_group(m if m == NO_MANAGER else f"Manager: {m}", by_manager[m], medians, f"team-{n}", calls)
              for n, m in enumerate(order, start=1)]
    failed = [r for r in rows if r["status"] == "failed"]
    now = datetime.now()
    page = _TEMPLATES.get_template(TEMPLATE).stream(
        period=date_range(since, until), scope=scope, rep_count=counted(len(team), "rep"),
        generated=f"{short_date(now)} at {now:%H:%M}", warnings=list(warnings), failed=failed,
        failed_words=counted(len(failed), "report"), totals=_totals(team_figures), first=_first(rows),
        no_calls=not calls and bool(team_figures.get("deal_reps")), groups=groups,
        css=Markup(CSS_FILE.read_text(encoding="utf-8")))
    path = out / INDEX
    tmp = path.with_name(INDEX + ".tmp")
    page.enable_buffering(100)  # written to the file as it is rendered: a 2,000-rep page is never one string
    page.dump(str(tmp), encoding="utf-8")
    tmp.replace(path)
    return path
