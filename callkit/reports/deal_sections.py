"""The deal sections of a rep's report: the pipeline by stage, won and lost, and the deals that need attention.

Like every section, they only word the figures `deal_figures.py` computed, escaping every CRM text.
"""

from __future__ import annotations

from typing import Any

from .section import Section
from .words import count_and_money, fmt_figure, money, money_full, team_value, total_money
from ..text import counted, escape_html as _e, short_date


def has_deals(rep: dict[str, Any]) -> bool:
    """Whether the rep had deals open at the end of the period or closed in it (the deal figures are known)."""
    return rep["figures"].get("open_deals") is not None


REASONS_PER_DEAL = 3  # the worst warnings of a deal shown in the hygiene table; the rest are counted

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
    if not has_deals(rep):
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
    if not has_deals(rep):
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
    if not has_deals(rep):
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


def _deal_name(deal: dict[str, Any]) -> str:
    """The deal's name without a repeat of its account ('Acme - Line 4' under 'Acme' reads 'Line 4')."""
    name, account = deal["name"], deal["account"]
    if not account:
        return name
    for sep in (" - ", " – ", ": "):
        if name.startswith(account + sep) and len(name) > len(account + sep):
            return name[len(account + sep):]
    return name
