"""HTML sections of a rep's coaching report, built from report data with every workspace text escaped.

The notebook calls one function per section; each returns a `Section` (shown as HTML) or None when the
section has nothing to say. Plain Python: this is what each report kernel imports. The numbers come from
`metrics` already computed; a section only words them, so two sections never disagree about a figure.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from . import charts
from .metrics import CALL_KEYS, DEAL_KEYS, FIGURE_NOTES, FIGURES
from ..text import counted, date_range, long_date, short_date
from .words import count_and_money, money, money_full, total_money

_CLOSE = {"%": 0.05, "score": 5.0, "x": 0.3, "n": 0.0}
_CLOSE_MONEY = 0.10  # amounts within 10% of the team median are "about the same"
REASONS_PER_DEAL = 3  # the worst warnings of a deal shown in the hygiene table; the rest are counted
STEADY = 5  # points: a plan score that moves less than this between the halves of the period held steady

FLAG_BADGES = {  # flag -> (css class, words on the badge)
    "stalled": ("ck-badge-bad", "stalled"),
    "past_close": ("ck-badge-bad", "close date passed"),
    "pushed": ("ck-badge-bad", "pushed back {times}"),
    "stuck": ("ck-badge-warn", "stuck in {stage}"),
    "slipping": ("ck-badge-warn", "slipping"),
    "quiet": ("ck-badge-warn", "no call for {quiet} days"),
}
HYGIENE_LINES = (  # flag -> what the hygiene list calls it
    ("past_close", "Open deals whose close date has passed"),
    ("pushed", "Close date pushed back more than once"),
    ("stuck", "In their stage longer than the team usually takes"),
    ("stalled", "Stalled: repeated slips or continuations with no stage progress"),
    ("quiet", "No call for more than {quiet_days} days"),
)


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


def _count(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def fmt_figure(key: str, value: float | None) -> str:
    """A headline figure as a reader sees it: 62%, 71, 2.4, 9, $412k."""
    if value is None:
        return "–"
    unit = FIGURES[key][1]
    if unit == "%":
        return f"{round(100 * value)}%"
    if unit == "score":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.1f}"
    if unit == "$":
        return money(value)
    return _count(value)


def _shown(key: str, value: float) -> float:
    """The figure as rounded on the page: changes are the difference of what the reader sees."""
    unit = FIGURES[key][1]
    if unit == "%":
        return round(100 * value)
    if unit == "score":
        return float(f"{value:.0f}")
    if unit == "x":
        return round(value, 1)
    return value


def change(key: str, now: float | None, before: float | None) -> tuple[str, str]:
    """(css class, words) for a figure's change against the previous period: '+5 pts', '-$40k', 'same'.

    The change is the difference of the two figures as the page shows them, so 62% after 57% reads +5 pts.
    """
    if now is None or before is None:
        return "ck-same", "–"
    _label, unit, higher_better = FIGURES[key]
    diff = _shown(key, now) - _shown(key, before)
    if abs(diff) < 1e-9:
        return "ck-same", "same"
    sign = "+" if diff > 0 else "-"
    if unit == "%":
        text = f"{sign}{abs(diff):.0f} pts"
    elif unit == "$":
        text = sign + money(abs(diff))
    elif unit == "x":
        text = f"{sign}{abs(diff):.1f}"
    else:
        text = f"{sign}{_count(abs(diff))}"
    if higher_better is None:
        return "ck-same", text
    return ("ck-better" if (diff > 0) == higher_better else "ck-worse"), text


def _compare(key: str, mine: float | None, team: float | None) -> tuple[str, str]:
    """(css class, words) comparing the rep's figure with the team median."""
    _label, unit, higher_better = FIGURES[key]
    if mine is None or team is None or higher_better is None:
        return "ck-same", ""
    diff = mine - team
    close = _CLOSE_MONEY * abs(team) if unit == "$" else _CLOSE[unit]
    if abs(diff) <= close:
        return "ck-same", "about the same"
    better = (diff > 0) == higher_better
    return ("ck-better" if better else "ck-worse"), ("better than the team" if better else "below the team")


def _period_words(report: dict[str, Any]) -> str:
    period = report["rep"]["period"]
    return date_range(period["since"], period["until"])


def _previous_words(report: dict[str, Any]) -> str:
    period = report["rep"].get("previous_period") or {}
    return date_range(period["since"], period["until"]) if period else "no earlier period"


def _has_deals(rep: dict[str, Any]) -> bool:
    return rep["figures"].get("open_deals") is not None


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
    if _has_deals(rep):
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


def team_value(team: dict[str, Any], key: str) -> float | None:
    """What the rep's figure is compared with: the team median, and for the win rate the team's own rate."""
    return (team.get("benchmark") or team["medians"]).get(key)


def _figure_rows(report: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    rep = report["rep"]
    benchmark = report["team"].get("benchmark") or report["team"]["medians"]
    previous = rep.get("previous") or {}
    rows = []
    for key in keys:
        label = FIGURES[key][0]
        mine, team, before = rep["figures"].get(key), benchmark.get(key), previous.get(key)
        css, words = _compare(key, mine, team)
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
    if _has_deals(rep):
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
    if _has_deals(rep):
        who.append(f"the {counted(team.get('deal_reps', 0), 'rep')} with deals for the deal figures")
    rate = " The team's win rate is all its closed deals together." if _has_deals(rep) else ""
    return Section(
        "<h2>Your figures against the team</h2>"
        f'<p class="ck-note">The team figure is the median: the middle value of {" and of ".join(who)}.{rate} '
        f"The change is against your previous period of the same length ({_previous_words(report)}).</p>"
        '<table><thead><tr><th>Figure</th><th class="ck-num">You</th><th class="ck-num">Change</th>'
        '<th class="ck-num">Team</th><th>Compared with the team</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
        "headline figures")


def _deal_cell(d: dict[str, Any]) -> str:
    name = _deal_name(d)
    if d.get("account"):
        return f"<strong>{_e(d['account'])}</strong><br>{_e(name)}"
    return f"<strong>{_e(name)}</strong><br><span class=\"ck-note\">no account recorded</span>"


def _count_money(total: dict[str, Any], word: str = "deal") -> str:
    """'3 deals, $412k'; '3 deals' when none of them has an amount."""
    if total.get("unpriced") == total.get("count"):
        return counted(total["count"], word)
    return count_and_money(total["count"], total["amount"], word)


def _more(more: dict[str, Any], what: str) -> str:
    if not more or not more.get("count"):
        return ""
    return f'<p class="ck-note">And {_count_money(more, what)} more not listed here.</p>'


def pipeline(report: dict[str, Any]) -> Section | None:
    """The open pipeline at the end of the period, stage by stage, with amounts."""
    rep = report["rep"]
    if not _has_deals(rep):
        return None
    deals = rep["deals"]
    rows = deals["pipeline"]
    total = deals["open"]
    if not rows:
        return Section("<h2>Your pipeline</h2><p>No open deals at the end of the period.</p>", "pipeline")
    body = "".join(
        f"<tr><td>{_e(r['stage'])}</td><td class=\"ck-num\">{r['count']:,}</td>"
        f"<td class=\"ck-num\">{total_money(r)}</td></tr>" for r in rows)
    if total["unpriced"] == total["count"]:
        worth = " (the CRM gives none of them an amount yet)"
    elif total["unpriced"]:
        worth = f" worth {money(total['amount'])} ({counted(total['unpriced'], 'deal')} without an amount in the CRM)"
    else:
        worth = f" worth {money(total['amount'])}"
    return Section(
        f"<h2>Your pipeline</h2><p>{counted(total['count'], 'open deal')}{worth} at the end of the period, by the stage "
        "each is in.</p>"
        '<table><thead><tr><th>Stage</th><th class="ck-num">Open deals</th><th class="ck-num">Amount</th></tr></thead>'
        f"<tbody>{body}</tbody><tfoot><tr><th>All stages</th><th class=\"ck-num\">{total['count']:,}</th>"
        f"<th class=\"ck-num\">{total_money(total)}</th></tr></tfoot></table>", "pipeline")


def won_and_lost(report: dict[str, Any]) -> Section | None:
    """The deals won and lost in the period, the win rate against the team, and why deals were lost."""
    rep = report["rep"]
    if not _has_deals(rep):
        return None
    deals = rep["deals"]
    won, lost = deals["won"], deals["lost"]
    if not won["count"] and not lost["count"]:
        return Section("<h2>Won and lost</h2><p>No deal was won or lost in this period.</p>", "won and lost")
    team_rate = team_value(report["team"], "win_rate")
    rate = fmt_figure("win_rate", deals["win_rate"])
    against = f", against the team's {fmt_figure('win_rate', team_rate)}" if team_rate is not None else ""
    parts = [f"<h2>Won and lost</h2><p>{won['count']} won ({money(won['amount'])}) and {lost['count']} lost "
             f"({money(lost['amount'])}) in the period: a win rate of {rate}{against}.</p>"]
    rows = []
    for d in deals["closed"]:
        badge = ('<span class="ck-badge ck-badge-good">won</span>' if d["status"] == "won"
                 else '<span class="ck-badge ck-badge-bad">lost</span>')
        rows.append(f"<tr><td>{badge}</td><td>{_deal_cell(d)}</td><td class=\"ck-num\">{money_full(d['amount'])}</td>"
                    f"<td class=\"ck-num\">{short_date(d['closed_on'])}</td><td>{_e(d.get('lost_reason') or '')}</td></tr>")
    parts.append('<table><thead><tr><th></th><th>Deal</th><th class="ck-num">Amount</th><th class="ck-num">Closed on</th>'
                 f"<th>Lost reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    parts.append(_more(deals["closed_more"], "deal"))
    if deals["lost_reasons"]:
        reasons = "".join(f"<tr><td>{_e(r['reason'])}</td><td class=\"ck-num\">{r['count']}</td>"
                          f"<td class=\"ck-num\">{money(r['amount'])}</td></tr>" for r in deals["lost_reasons"])
        parts.append("<h3>Why deals were lost</h3><table><thead><tr><th>Reason</th><th class=\"ck-num\">Deals</th>"
                     f"<th class=\"ck-num\">Amount</th></tr></thead><tbody>{reasons}</tbody></table>")
    return Section("".join(parts), "won and lost")


def _badge(flag: str, d: dict[str, Any], quiet_days: int) -> str:
    css, words = FLAG_BADGES[flag]
    slips = d.get("slips") or 2
    times = "twice" if slips == 2 else f"{slips} times"
    text = words.format(times=times, stage=d.get("stage") or "its stage",
                        quiet=d.get("days_since_last_call") or quiet_days)
    return f'<span class="ck-badge {css}">{_e(text)}</span>'


def deal_hygiene(report: dict[str, Any]) -> Section | None:
    """Deal hygiene: open deals past their close date, pushed more than once, stuck in a stage longer than the
    team's usual time there, stalled, or gone quiet, and the days since the rep's last call; then the deals
    themselves, biggest risk first, with the reasons deal health gives."""
    rep = report["rep"]
    if not _has_deals(rep):
        return None
    deals = rep["deals"]
    hygiene = deals["hygiene"]
    quiet_days = deals.get("quiet_days", 30)
    items = []
    for flag, words in HYGIENE_LINES:
        if flag == "quiet" and not rep.get("last_call"):
            continue  # without any call, "no call for 30 days" says nothing
        entry = hygiene.get(flag) or {"count": 0, "amount": 0.0}
        label = words.format(quiet_days=quiet_days)
        value = _count_money(entry) if entry["count"] else "none"
        items.append(f'<tr><td>{_e(label)}</td><td class="ck-num {"ck-worse" if entry["count"] else "ck-same"}">'
                     f"{_e(value)}</td></tr>")
    last = rep.get("last_call")
    if last:
        days = rep.get("days_since_last_call") or 0
        when = "on the last day of the period" if days == 0 else f"{counted(days, 'day')} before the end of the period"
        items.append(f"<tr><td>Your last call</td><td class=\"ck-num\">{short_date(last)} ({when})</td></tr>")
    else:
        items.append('<tr><td>Your last call</td><td class="ck-num">no calls recorded</td></tr>')
    without = deals.get("without_calls") or {}
    if without.get("count") and rep["counts"]["calls"]:
        items.append(f"<tr><td>Open deals with no call at all</td><td class=\"ck-num\">"
                     f"{_e(count_and_money(without['count'], without['amount']))}</td></tr>")
    risk = deals["at_risk"]
    summary = (f"<p><strong>{_e(_count_money(risk, 'open deal'))}</strong> at risk: past "
               "their close date, pushed more than once, stuck in a stage or stalled.</p>" if risk["count"] else
               "<p>None of your open deals is past its close date, pushed more than once, stuck or stalled.</p>")
    parts = ["<h2>Deal hygiene</h2>", summary,
             f'<table class="ck-compact"><tbody>{"".join(items)}</tbody></table>']
    rows = deals["attention"]
    if rows:
        body = []
        for d in rows:
            badges = " ".join(_badge(f, d, quiet_days) for f in d["flags"])
            reasons = "".join(f"<li>{_e(r)}</li>" for r in d["reasons"][:REASONS_PER_DEAL])
            if len(d["reasons"]) > REASONS_PER_DEAL:
                reasons += f'<li class="ck-note">{counted(len(d["reasons"]) - REASONS_PER_DEAL, "more warning")}</li>'
            body.append(f"<tr><td>{badges}</td><td>{_deal_cell(d)}</td><td>{_e(d['stage'])}</td>"
                        f"<td class=\"ck-num\">{money_full(d['amount'])}</td>"
                        f"<td class=\"ck-num\">{short_date(d['close_date']) if d['close_date'] else 'no close date'}</td>"
                        f"<td><ul>{reasons}</ul></td></tr>")
        wander = (" Close dates pushed back a month at a time, or call after call that ends without a client "
                  "commitment, are the signs of a deal that wanders: plan the next call on these to win a real "
                  "advance." if rep["counts"]["calls"] else
                  " Close dates pushed back a month at a time are the sign of a deal that wanders.")
        parts.append(
            f"<h3>Open deals that need attention</h3><p>Biggest risk first.{wander}</p>"
            "<table><thead><tr><th>Warning</th><th>Deal</th>"
            '<th>Stage</th><th class="ck-num">Amount</th><th class="ck-num">Close date</th><th>Why</th></tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
        parts.append(_more(deals["attention_more"], "deal"))
    return Section("".join(parts), "deal hygiene")


deals = deal_hygiene  # the name earlier copies of rep_report.ipynb call


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


def _deal_name(deal: dict[str, Any]) -> str:
    """The deal's name without a repeat of its account ('Acme - Line 4' under 'Acme' reads 'Line 4')."""
    name, account = deal["name"], deal["account"]
    if not account:
        return name
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
