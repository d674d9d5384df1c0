"""HTML sections of a rep's coaching report, built from report data with every workspace text escaped.

The notebook calls one function per section; each returns a `Section` (shown as HTML) or None when the
section has nothing to say. Plain Python: this is what each report kernel imports.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from . import charts
from .metrics import FIGURE_NOTES, FIGURES

_CLOSE = {"%": 0.05, "score": 5.0, "x": 0.3, "n": 0.0}


class Section:
    """A piece of report HTML; Jupyter and nbconvert show it through `_repr_html_`."""

    def __init__(self, html: str, text: str = ""):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "(report section)"


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def human_date(iso: str | None) -> str:
    """'2026-11-20' -> '20 Nov 2026'."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def fmt_figure(key: str, value: float | None) -> str:
    """A headline figure as a reader sees it: 62%, 71, 2.4, 9."""
    if value is None:
        return "–"
    unit = FIGURES[key][1]
    if unit == "%":
        return f"{round(100 * value)}%"
    if unit == "score":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.1f}"
    return f"{value:.0f}"


def _compare(key: str, mine: float | None, team: float | None) -> tuple[str, str]:
    """(css class, words) comparing the rep's figure with the team median."""
    label, unit, higher_better = FIGURES[key]
    if mine is None or team is None or higher_better is None:
        return "ck-same", ""
    diff = mine - team
    if abs(diff) <= _CLOSE[unit]:
        return "ck-same", "about the same"
    better = (diff > 0) == higher_better
    return ("ck-better" if better else "ck-worse"), ("better than the team" if better else "below the team")


def _period_words(report: dict[str, Any]) -> str:
    period = report["rep"]["period"]
    return f"{human_date(period['since'])} to {human_date(period['until'])}"


def header(report: dict[str, Any]) -> Section:
    """The title, the period, and - for a rep with no calls in the period - a short friendly note."""
    rep = report["rep"]
    who = rep["rep"]
    meta = [f"Rep id {_e(who['rep_id'])}"]
    if who.get("team"):
        meta.append(f"team {_e(who['team'])}")
    if who.get("manager"):
        meta.append(f"manager {_e(who['manager'])}")
    parts = [f"<h1>Coaching report: {_e(who['name'])}</h1>",
             f'<p class="ck-muted">{_period_words(report)} · {" · ".join(meta)}</p>']
    if report.get("note"):
        parts.append(f'<p class="ck-note">{_e(report["note"])}</p>')
    counts = rep["counts"]
    if not counts["calls"]:
        parts.append(
            '<div class="ck-empty"><p><strong>No calls in this period.</strong></p>'
            f"<p>There are no calls for {_e(who['name'])} between {_period_words(report)}, so there is nothing "
            "to score yet. Plan your next call with a client advance as its objective and an agenda the "
            "customer agreed beforehand, and it will show up here next time.</p></div>")
    else:
        parts.append(
            f"<p>{counts['calls']} calls in the period: {counts['planned']} with a written plan, "
            f"{counts['debriefed']} debriefed, {counts['advances']} ended in an advance or an order.</p>")
    return Section("".join(parts), f"Coaching report: {who['name']}")


def headline(report: dict[str, Any]) -> Section | None:
    """The headline figures against the team median, with a plain word on each comparison."""
    rep = report["rep"]
    if not rep["counts"]["calls"]:
        return None
    medians = report["team"]["medians"]
    rows = []
    for key, (label, _unit, _better) in FIGURES.items():
        mine, team = rep["figures"].get(key), medians.get(key)
        css, words = _compare(key, mine, team)
        note = FIGURE_NOTES.get(key, "")
        rows.append(
            f"<tr><td>{_e(label)}{f' <span class=ck-note>({_e(note)})</span>' if note else ''}</td>"
            f'<td class="ck-num {css}">{fmt_figure(key, mine)}</td>'
            f'<td class="ck-num">{fmt_figure(key, team)}</td><td class="{css}">{_e(words)}</td></tr>')
    active = report["team"].get("active_reps", 0)
    return Section(
        "<h2>Your figures against the team</h2>"
        f'<p class="ck-note">The team median is the middle value of the {active} reps with calls in the period.</p>'
        '<table><thead><tr><th>Figure</th><th class="ck-num">You</th><th class="ck-num">Team median</th>'
        f"<th>Compared</th></tr></thead><tbody>{''.join(rows)}</tbody></table>",
        "headline figures")


def trend(report: dict[str, Any]) -> Section | None:
    """A weekly chart of the average plan score and the share of calls that ended in an advance."""
    rep = report["rep"]
    if not rep["counts"]["calls"]:
        return None
    weeks = rep["trend"]
    labels = [human_date(w["week"])[:-5] for w in weeks]
    scores = [w["plan_score"] for w in weeks]
    rates = [None if w["advance_rate"] is None else 100 * w["advance_rate"] for w in weeks]
    svg = charts.line_chart(labels, [("Average plan score", scores), ("Calls ending in an advance (%)", rates)],
                            title="Plan score and advance rate, week by week")
    return Section(
        "<h2>Week by week</h2>"
        "<p>Each point is one week (weeks start on the date shown). A better plan should show up as more "
        "calls that end in an advance: a client who acts, during or right after the call.</p>"
        f'<figure class="ck-figure">{svg}</figure>' + _trend_sentence(scores), "weekly trend")


def _trend_sentence(scores: list[float | None]) -> str:
    known = [s for s in scores if s is not None]
    if len(known) < 4:
        return ""
    half = len(known) // 2
    first, last = sum(known[:half]) / half, sum(known[half:]) / (len(known) - half)
    if abs(last - first) < 5:
        return f"<p>Your plan score held steady at about {last:.0f}.</p>"
    word = "rose" if last > first else "fell"
    return f"<p>Your plan score {word} from about {first:.0f} in the first half of the period to {last:.0f} in the second.</p>"


def skills(report: dict[str, Any]) -> Section | None:
    """The rubric criteria as a profile: the rep's average share of checks passed against the team median."""
    rep = report["rep"]
    if not rep["counts"]["planned"]:
        return None
    team = report["team"]["skills"]
    rows = [(s["label"], s["score"], team.get(s["id"])) for s in rep["skills"]]
    svg = charts.bar_profile(rows, title="Skill profile: share of the rubric's checks passed")
    gaps = [(s["score"] - team[s["id"]], s["label"]) for s in rep["skills"]
            if s["score"] is not None and team.get(s["id"]) is not None]
    sentence = ""
    if gaps:
        gaps.sort()
        low, high = gaps[0], gaps[-1]
        if low[0] < -0.05:
            sentence += f"<p>Furthest behind the team: <strong>{_e(low[1])}</strong>.</p>"
        if high[0] > 0.05:
            sentence += f"<p>Your strength: <strong>{_e(high[1])}</strong>.</p>"
    return Section(
        "<h2>Skill profile</h2><p>How often your plans pass each part of the coaching rubric, "
        f'against the team median.</p><figure class="ck-figure">{svg}</figure>{sentence}', "skill profile")


def coaching_points(report: dict[str, Any]) -> Section | None:
    """The three findings that cost the rep most, each with their own worst example quoted and a rewrite."""
    rep = report["rep"]
    points = rep["points"]
    if not rep["counts"]["calls"]:
        return None
    if not points:
        return Section("<h2>What to change in your next call</h2><p>Your plans pass every check of the rubric in "
                       "this period: keep planning each call like this.</p>", "coaching points")
    parts = [f"<h2>What to change in your next call</h2><p>The {len(points)} habits that cost your plans the most "
             "points in this period, each with your own example.</p>"]
    for n, point in enumerate(points, start=1):
        example = point["example"]
        deal_name = _deal_name({"name": example.get("deal") or "", "account": example.get("account") or ""})
        where = " – ".join(_e(v) for v in (example.get("account"), deal_name) if v)
        how_often = (f"{point['count']} of your {point['out_of']} planned calls" if point["criterion"]
                     else f"{point['count']} of your {point['out_of']} calls")
        body = [f'<div class="ck-point"><h3>{n}. {_e(point["title"])}</h3>',
                "".join(f"<p>{_e(m)}</p>" for m in point["messages"]),
                f'<p class="ck-note">Seen in {how_often}{_points_lost(point)}. Your example: '
                f"the call on {human_date(example['date'])}{f' with {where}' if where else ''}.</p>"]
        if point.get("quote"):
            body.append(f"<p>{_e(point['quote_label'])}:</p><blockquote>“{_e(point['quote'])}”</blockquote>")
        elif point["criterion"]:
            body.append(f"<p>{_e(point['quote_label'])}: <em>left blank</em>.</p>")
        if point.get("suggestion"):
            body.append(f'<p class="ck-rewrite"><strong>Try instead:</strong> “{_e(point["suggestion"])}”</p>')
        if point.get("tip"):
            body.append(f"<p>{_e(point['tip'])}</p>")
        body.append("</div>")
        parts.append("".join(body))
    return Section("".join(parts), "coaching points")


def _points_lost(point: dict[str, Any]) -> str:
    if not point["criterion"] or point["cost"] < 1:
        return ""
    return f", costing about {point['cost']:.0f} points per planned call"


def deals(report: dict[str, Any]) -> Section | None:
    """Deals that are slipping or stalled, with the reasons deal health gives."""
    rows = report["rep"]["deals"]
    if not rows:
        return None
    items = []
    for d in rows:
        badge = ('<span class="ck-badge ck-badge-bad">stalled</span>' if d["stalled"]
                 else '<span class="ck-badge ck-badge-warn">slipping</span>')
        reasons = "".join(f"<li>{_e(r)}</li>" for r in d["reasons"])
        items.append(f"<tr><td>{badge}</td><td><strong>{_e(d['account'])}</strong><br>{_e(_deal_name(d))}</td>"
                     f"<td>{_e(d['stage'])}</td><td class=\"ck-num\">{human_date(d['close_date'])}</td>"
                     f"<td><ul>{reasons}</ul></td></tr>")
    return Section(
        "<h2>Deals that are slipping or stalled</h2><p>Close dates pushed back a month at a time, or call after "
        "call that ends without a client commitment, are the signs of a deal that wanders. Plan the next call "
        "on these to win a real advance.</p><table><thead><tr><th>Status</th><th>Deal</th><th>Stage</th>"
        f'<th class="ck-num">Close date</th><th>Why</th></tr></thead><tbody>{"".join(items)}</tbody></table>',
        "deals")


def _deal_name(deal: dict[str, Any]) -> str:
    """The deal's name without a repeat of its account ('Acme - Line 4' under 'Acme' reads 'Line 4')."""
    name, account = deal["name"], deal["account"]
    for sep in (" - ", " – ", ": "):
        if name.startswith(account + sep) and len(name) > len(account + sep):
            return name[len(account + sep):]
    return name


def exercises(report: dict[str, Any]) -> Section | None:
    """Progress in the self-paced exercises, when the rep has done any."""
    rows = report["rep"]["exercises"]
    if not rows:
        return None
    body = "".join(
        f"<tr><td>{_e(r['title'])}</td><td class=\"ck-num\">{_of(r['tried'], r.get('total'))}</td>"
        f"<td class=\"ck-num\">{r['passed']}</td>"
        f"<td class=\"ck-num\">{_percent(r['score'])}</td>"
        f"<td class=\"ck-num\">{human_date(r['last'])}</td></tr>" for r in rows)
    return Section(
        "<h2>Exercise progress</h2><p>The self-paced workbooks: your latest answer to each item counts.</p><table><thead><tr><th>Workbook</th><th class=\"ck-num\">Items tried</th>"
        "<th class=\"ck-num\">Passed</th><th class=\"ck-num\">Average score</th><th class=\"ck-num\">Last answer</th>"
        f"</tr></thead><tbody>{body}</tbody></table>", "exercises")


def _of(count: int, total: int | None) -> str:
    return f"{count} of {total}" if total else str(count)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def footer(report: dict[str, Any]) -> Section:
    """How the figures are computed, in two sentences, and where the report comes from."""
    return Section(
        '<p class="ck-note">Plan scores come from callkit\'s coaching rubric: every point lost is a check a coach '
        "can read and argue with. An advance is an action with energy by the client that moves the sale toward "
        "a decision; a continuation is a pleasant call with no client commitment. Generated by callkit "
        f"on {human_date(date.today().isoformat())}.</p>", "footer")
