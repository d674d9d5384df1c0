"""HTML sections of a rep's coaching report, built from report data with every workspace text escaped.

The notebook calls one function per section; each returns a `Section` (shown as HTML) or None when the
section has nothing to say. Plain Python: this is what each report kernel imports. The numbers come from
`compute` already computed (see `data.py`); a section only words them, so two sections never disagree about a figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import charts
from .data import CALL_KEYS, DEAL_KEYS, FIGURE_NOTES, FIGURES
from ..text import counted, date_range, escape_html as _e, long_date, short_date
from .deal_sections import _deal_name, deal_hygiene, has_deals, pipeline, won_and_lost
from .section import Section

__all__ = ["Section", "coaching_points", "deal_hygiene", "exercises", "footer", "header", "headline",
           "pipeline", "skills", "trend", "trend_sentence", "won_and_lost"]
from .words import change, compare, fmt_figure, money, money_full, total_money

STEADY = 5  # points: a plan score that moves less than this between the halves of the period held steady

def _period_words(report: dict[str, Any]) -> str:
    period = report["rep"]["period"]
    return date_range(period["since"], period["until"])


def _previous_words(report: dict[str, Any]) -> str:
    period = report["rep"].get("previous_period") or {}
    return date_range(period["since"], period["until"]) if period else "no earlier period"


def header(report: dict[str, Any]) -> Section:
    """The title, the period, and what the period holds for this rep, in two sentences: calls, then deals.

    A rep with no calls but deals gets a report about their deals; one with neither, a short friendly note.
    """
    rep = report["rep"]
    who = rep["rep"]
    meta = [f"Rep id {_e(who['rep_id'])}"] if who["rep_id"] != who["name"] else []
    if who.get("team"):
        meta.append(f"team {_e(who['team'])}")
    if who.get("manager"):
        meta.append(f"manager {_e(who['manager'])}")
    parts = [f"<h1>Coaching report: {_e(who['name'])}</h1>",
             f'<p class="ck-muted">{" · ".join([_period_words(report), *meta])}</p>']
    if report.get("note"):
        parts.append(f'<p class="ck-note">{_e(report["note"])}</p>')
    counts = rep["counts"]
    deals = rep["deals"]
    deal_words = ""
    if has_deals(rep):
        won, lost = deals["won"], deals["lost"]
        deal_words = (f"{counted(deals['open']['count'], 'open deal')} ({total_money(deals['open'])}) at the "
                      f"end of the period; {won['count']} won ({money(won['amount'])}) and {lost['count']} lost "
                      f"({money(lost['amount'])}) in it.")
    if counts["calls"]:
        parts.append(
            f"<p>{counted(counts['calls'], 'call')} in the period: {counts['planned']} with a written plan, "
            f"{counts['debriefed']} debriefed, {counts['advances']} ended in an advance or an order."
            + (f" {deal_words}" if deal_words else "") + "</p>")
    elif deal_words:
        parts.append(
            '<div class="ck-empty"><p><strong>No calls in this period, so this report is about the deals.</strong> '
            f"{_e(deal_words)}</p><p>Calls planned and debriefed in callkit (or imported with "
            "<code>callkit import --calls</code>) add the call-plan figures and coaching points.</p></div>")
    else:
        parts.append(
            '<div class="ck-empty"><p><strong>No calls in this period.</strong></p>'
            f"<p>There are no calls and no open, won or lost deals for {_e(who['name'])} from "
            f"{_period_words(report)}, so there is nothing to score yet. Plan your next call with a client advance "
            "as its objective and an agenda the customer agreed beforehand, and it will show up here next time.</p></div>")
    return Section("".join(parts), f"Coaching report: {who['name']}")


def _figure_rows(report: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    rep = report["rep"]
    benchmark = report["team"].get("benchmark") or report["team"]["medians"]
    previous = rep.get("previous") or {}
    rows = []
    for key in keys:
        label = FIGURES[key].label
        mine, team, before = rep["figures"].get(key), benchmark.get(key), previous.get(key)
        css, words = compare(key, mine, team)
        change_css, change_words = change(key, mine, before)
        note = FIGURE_NOTES.get(key, "")
        rows.append(
            f"<tr><td>{_e(label)}{f' <span class=ck-note>({_e(note)})</span>' if note else ''}</td>"
            f'<td class="ck-num {css}">{fmt_figure(key, mine)}</td>'
            f'<td class="ck-num {change_css}" title="previous period: {_e(fmt_figure(key, before))}">'
            f"{_e(change_words)}</td>"
            f'<td class="ck-num">{fmt_figure(key, team)}</td><td class="{css}">{_e(words)}</td></tr>')
    return rows


def headline(report: dict[str, Any]) -> Section | None:
    """The headline figures against the team median and against the rep's own previous period."""
    rep = report["rep"]
    team = report["team"]
    groups = []
    if has_deals(rep):
        groups.append(("Deals", DEAL_KEYS))
    if rep["counts"]["calls"]:
        groups.append(("Call plans", CALL_KEYS))
    if not groups:
        return None
    body = []
    for title, keys in groups:
        body.append(f'<tr class="ck-group"><th colspan="5">{_e(title)}</th></tr>')
        body.extend(_figure_rows(report, keys))
    who = []
    if rep["counts"]["calls"]:
        who.append(f"the {counted(team.get('active_reps', 0), 'rep')} with calls in the period for the call figures")
    if has_deals(rep):
        who.append(f"the {counted(team.get('deal_reps', 0), 'rep')} with deals for the deal figures")
    rate = " The team's win rate is all its closed deals together." if has_deals(rep) else ""
    return Section(
        "<h2>Your figures against the team</h2>"
        f'<p class="ck-note">The team figure is the median: the middle value of {" and of ".join(who)}.{rate} '
        f"The change is against your previous period of the same length ({_previous_words(report)}).</p>"
        '<table><thead><tr><th>Figure</th><th class="ck-num">You</th><th class="ck-num">Change</th>'
        '<th class="ck-num">Team</th><th>Compared with the team</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
        "headline figures")


def trend(report: dict[str, Any]) -> Section | None:
    """A weekly chart of the average plan score and the share of calls that ended in an advance."""
    rep = report["rep"]
    if not rep["counts"]["calls"]:
        return None
    weeks = rep["trend"]
    labels = [short_date(w["week"])[:-5] for w in weeks]
    scores = [w["plan_score"] for w in weeks]
    rates = [None if w["advance_rate"] is None else 100 * w["advance_rate"] for w in weeks]
    svg = charts.line_chart(labels, [("Average plan score", scores), ("Calls ending in an advance (%)", rates)],
                            title="Plan score and advance rate, week by week")
    return Section(
        "<h2>Week by week</h2>"
        "<p>Each point is one week (weeks start on the date shown); a week without a planned call has no plan "
        "score. A better plan should show up as more calls that end in an advance: a client who acts, during or "
        "right after the call.</p>"
        f'<figure class="ck-figure">{svg}</figure>' + trend_sentence(rep), "weekly trend")


def trend_sentence(rep: dict[str, Any]) -> str:
    """How the average plan score moved between the two halves of the period, in words that agree with the
    headline: both halves are averages over planned calls, and the period's figure lies between them."""
    halves = rep.get("halves") or {}
    overall = rep["figures"].get("plan_score")
    if overall is None or halves.get("first_planned", 0) < 2 or halves.get("second_planned", 0) < 2:
        return ""
    first, second = round(halves["first"]), round(halves["second"])
    whole = fmt_figure("plan_score", overall)
    if abs(halves["second"] - halves["first"]) < STEADY:
        return (f"<p>Your average plan score held steady at about {whole}: {first} in the first half of the period "
                f"and {second} in the second.</p>")
    word = "rose" if second > first else "fell"
    return (f"<p>Your average plan score {word} from {first} in the first half of the period to {second} in the "
            f"second ({whole} over the whole period).</p>")


def skills(report: dict[str, Any]) -> Section | None:
    """The rubric criteria as a profile: the share of each part's checks the rep's plans passed, against the team
    median, and beside it how often each single check passed (so 'Call objective 66%' and 'Objectives that are
    advances 0%' read as the same fact: specific and realistic, but never an advance)."""
    rep = report["rep"]
    if not rep["counts"]["planned"]:
        return None
    team = report["team"]["skills"]
    rows = [(s["label"], s["score"], team.get(s["id"])) for s in rep["skills"]]
    svg = charts.bar_profile(rows, title="Skill profile: share of each part's checks passed",
                             mine="Your checks passed")
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
    table = []
    for s in rep["skills"]:
        checks = s.get("checks") or []
        if not checks:
            continue
        worst = min(c["passed"] / c["of"] for c in checks)
        items = "".join(
            f'<li class="{"ck-worse" if c["passed"] / c["of"] == worst and worst < 0.5 else ""}">{_e(c["label"])}: '
            f"{c['passed']} of {c['of']}</li>" for c in checks)
        share = "–" if s["score"] is None else f"{round(100 * s['score'])}%"
        table.append(f"<tr><td>{_e(s['label'])}</td><td class=\"ck-num\">{share}</td><td><ul>{items}</ul></td></tr>")
    return Section(
        "<h2>Skill profile</h2><p>Each part of the coaching rubric is a few yes/no checks. A bar is the share of "
        "that part's checks your plans passed, against the team median; the table says how many of your plans "
        f'passed each check.</p><figure class="ck-figure">{svg}</figure>{sentence}'
        '<table class="ck-compact"><thead><tr><th>Part of the plan</th><th class="ck-num">Checks passed</th>'
        f"<th>Each check: your plans that passed it</th></tr></thead><tbody>{''.join(table)}</tbody></table>",
        "skill profile")


def coaching_points(report: dict[str, Any]) -> Section | None:
    """The three findings that cost the rep most, each with their own worst example quoted and a rewrite."""
    rep = report["rep"]
    points = rep["points"]
    if not rep["counts"]["calls"]:
        return None
    if not points:
        return Section("<h2>What to change in your next call</h2><p>Your plans pass every check of the rubric in "
                       "this period: keep planning each call like this.</p>", "coaching points")
    habits = "habit" if len(points) == 1 else counted(len(points), "habit")
    parts = [f"<h2>What to change in your next call</h2><p>The {habits} that cost your plans the most "
             "points in this period, each with your own example.</p>"]
    for n, point in enumerate(points, start=1):
        example = point["example"]
        deal_name = _deal_name({"name": example.get("deal") or "", "account": example.get("account") or ""})
        where = " – ".join(_e(v) for v in (example.get("account"), deal_name) if v)
        if where and example.get("amount") is not None:
            where += f" ({money_full(example['amount'])})"
        how_often = (f"{point['count']} of your {point['out_of']} planned calls" if point["criterion"]
                     else f"{point['count']} of your {point['out_of']} calls")
        body = [f'<div class="ck-point"><h3>{n}. {_e(point["title"])}</h3>',
                "".join(f"<p>{_e(m)}</p>" for m in point["messages"]),
                f'<p class="ck-note">Seen in {how_often}{_points_lost(point)}. Your example: '
                f"the call on {long_date(example['date'])}{f' with {where}' if where else ''}.</p>"]
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


def exercises(report: dict[str, Any]) -> Section | None:
    """Progress in the self-paced exercises, when the rep has done any."""
    rows = report["rep"]["exercises"]
    if not rows:
        return None
    body = "".join(
        f"<tr><td>{_e(r['title'])}</td><td class=\"ck-num\">{_of(r['answered'], r.get('total'))}</td>"
        f"<td class=\"ck-num\">{r['first_try']}</td>"
        f"<td class=\"ck-num\">{_percent(r['accuracy'])}</td>"
        f"<td class=\"ck-num\">{r['passed']}</td>"
        f"<td class=\"ck-num\">{r['passed_after_help']}</td>"
        f"<td class=\"ck-num\">{short_date(r['last'])}</td></tr>" for r in rows)
    missed = report["rep"].get("exercises_missed") or []
    missed_html = ""
    if missed:
        items = "".join(
            f"<tr><td>{_e(m['title'])}</td><td>{_e(m['item'])}</td><td>{_e(m['first_answer'] or '-')}</td>"
            f"<td>{_e(m['last_answer'] or '-')}</td><td>{_e(m['status'])}</td></tr>" for m in missed)
        missed_html = ("<h3>Items missed at the first try</h3><table><thead><tr><th>Workbook</th><th>Item</th>"
                       "<th>First answer</th><th>Latest answer</th><th>Now</th></tr></thead>"
                       f"<tbody>{items}</tbody></table>")
    return Section(
        "<h2>Exercise progress</h2><p>The self-paced workbooks, counted as the workbooks count them: right first "
        "time, and passed (an answer checked after the feedback showed the key counts as passed after help)."
        "</p><table><thead><tr><th>Workbook</th><th class=\"ck-num\">Answered</th>"
        "<th class=\"ck-num\">Right first time</th><th class=\"ck-num\">First-try accuracy</th>"
        "<th class=\"ck-num\">Passed</th><th class=\"ck-num\">Passed after help</th>"
        f"<th class=\"ck-num\">Last answer</th></tr></thead><tbody>{body}</tbody></table>{missed_html}", "exercises")


def _of(count: int, total: int | None) -> str:
    return f"{count} of {total}" if total else str(count)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def footer(report: dict[str, Any]) -> Section:
    """How the figures are computed, in a few sentences, and where the report comes from."""
    return Section(
        '<p class="ck-note">Plan scores come from callkit\'s coaching rubric: every point lost is a check a coach '
        "can read and argue with. An advance is an action with energy by the client that moves the sale toward "
        "a decision; a continuation is a pleasant call with no client commitment. Deal figures come from the "
        "workspace's deals and their stage and close-date history; amounts are as the CRM records them. "
        f"Generated by callkit on {long_date(date.today())}.</p>", "footer")
