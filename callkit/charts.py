"""callkit's charts: small inline SVG drawn in plain Python, for the reports and the coaching page alike.

Every label is escaped; the SVG carries no script, link or font reference, so it embeds safely in an
offline page and stays a few kilobytes; drawing one takes well under a millisecond.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from .text import escape_html as escape

COLORS = ("#2457a6", "#d9822b", "#7b8794")
FONT = 'font-family="system-ui, sans-serif"'


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
               title: str, y_max: float = 100.0, y_suffix: str = "", width: int = 680, height: int = 240) -> str:
    """A line chart of up to three series over the same x labels; None values leave a gap."""
    left, right, top, bottom = 44, 28, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (max(0.0, min(v, y_max)) / y_max) * plot_h

    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" {FONT} font-size="11">', f"<title>{escape(title)}</title>"]
    for tick in range(0, 5):
        value = y_max * tick / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y(value))}" y2="{_fmt(y(value))}" '
                     f'stroke="#e4e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{_fmt(y(value) + 4)}" text-anchor="end" fill="#616e7c">'
                     f"{escape(_fmt(value) + y_suffix)}</text>")
    every = max(1, (n + 7) // 8)
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{_fmt(x(i))}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'fill="#616e7c">{escape(label)}</text>')
    for k, (name, values) in enumerate(series):
        color = COLORS[k % len(COLORS)]
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{_fmt(x(i))},{_fmt(y(v))}")
            parts.append(f'<circle cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" r="3" fill="{color}"/>')
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{color}" stroke-width="2"/>')
        lx = left + k * 210
        parts.append(f'<rect x="{lx}" y="8" width="12" height="12" rx="2" fill="{color}"/>')
        parts.append(f'<text x="{lx + 17}" y="18" fill="#1f2933">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_profile(rows: Sequence[tuple[str, float | None, float | None]], *, title: str,
                mine: str = "You", theirs: str = "Team median", width: int = 680) -> str:
    """Horizontal bars 0-100% per row (label, value, team value): a bar for the rep, a tick for the team."""
    label_w, right, top, row_h = 300, 50, 30, 26
    plot_w = width - label_w - right
    height = top + row_h * len(rows) + 10
    legend = 17 + 7 * len(mine) + 20  # the team's key starts after the rep's label (about 7 px a character)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" {FONT} font-size="12">', f"<title>{escape(title)}</title>",
             f'<rect x="{label_w}" y="8" width="12" height="12" rx="2" fill="{COLORS[0]}"/>',
             f'<text x="{label_w + 17}" y="18" fill="#1f2933">{escape(mine)}</text>',
             f'<rect x="{label_w + legend}" y="7" width="3" height="14" fill="{COLORS[1]}"/>',
             f'<text x="{label_w + legend + 10}" y="18" fill="#1f2933">{escape(theirs)}</text>']
    for i, (label, value, team) in enumerate(rows):
        y0 = top + i * row_h
        short = label if len(label) <= 44 else label[:43].rstrip() + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y0 + 15}" text-anchor="end" fill="#1f2933">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y0 + 4}" width="{plot_w}" height="14" fill="#f0f4f8"/>')
        if value is not None:
            parts.append(f'<rect x="{label_w}" y="{y0 + 4}" width="{_fmt(plot_w * max(0.0, min(value, 1.0)))}" '
                         f'height="14" fill="{COLORS[0]}"/>')
            parts.append(f'<text x="{width - right + 6}" y="{y0 + 15}" fill="#1f2933">{round(100 * value)}%</text>')
        else:
            parts.append(f'<text x="{width - right + 6}" y="{y0 + 15}" fill="#616e7c">n/a</text>')
        if team is not None:
            tx = label_w + plot_w * max(0.0, min(team, 1.0))
            parts.append(f'<rect x="{_fmt(tx - 1.5)}" y="{y0 + 1}" width="3" height="20" fill="{COLORS[1]}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def close_date_chart(points: Sequence[tuple[date, date]], today: date | None = None, *, title: str,
                     width: int = 720, height: int = 270) -> str:
    """The forecast close date over time: a step line from each change to the next (and on to today), each
    push-back marked in red with its days ("+31 d"). `points` are (changed on, forecast close) pairs."""
    left, right, top, bottom = 78, 24, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    end = max([*xs, today]) if today else xs[-1]
    x0, x1 = min(xs) - timedelta(days=7), end + timedelta(days=7)
    spread = max((max(ys) - min(ys)).days // 4, 15)
    y0, y1 = min(ys) - timedelta(days=spread), max(ys) + timedelta(days=spread)

    def x(d: date) -> float:
        return left + plot_w * (d - x0).days / max((x1 - x0).days, 1)

    def y(d: date) -> float:
        return top + plot_h - plot_h * (d - y0).days / max((y1 - y0).days, 1)

    parts = [f'<svg class="ck-chart" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
             f'role="img" aria-label="{escape(title)}" {FONT} font-size="13">', f"<title>{escape(title)}</title>",
             f'<text x="{left}" y="20" font-size="15" font-weight="600" fill="#1f2933">{escape(title)}</text>']
    for k in range(5):  # horizontal grid with the forecast dates
        d = y0 + (y1 - y0) * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y(d))}" y2="{_fmt(y(d))}" stroke="#e4e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{_fmt(y(d) + 4)}" text-anchor="end" fill="#616e7c">'
                     f"{escape(f'{_short(d)} {d:%y}')}</text>")
    for k in range(5):  # when the forecast was changed
        d = x0 + (x1 - x0) * k / 4
        parts.append(f'<text x="{_fmt(x(d))}" y="{height - bottom + 18}" text-anchor="middle" fill="#616e7c">'
                     f"{escape(_short(d))}</text>")
    steps = []
    for i, (when, close) in enumerate(points):
        until = points[i + 1][0] if i + 1 < len(points) else end
        steps.append(f"{_fmt(x(when))},{_fmt(y(close))} {_fmt(x(until))},{_fmt(y(close))}")
    parts.append(f'<polyline points="{" ".join(steps)}" fill="none" stroke="#2e90fa" stroke-width="2.5"/>')
    for when, close in points:
        parts.append(f'<circle cx="{_fmt(x(when))}" cy="{_fmt(y(close))}" r="4" fill="#2e90fa"/>')
    for (_, before), (when, after) in zip(points, points[1:]):
        if after > before:
            cx, cy = _fmt(x(when)), _fmt(y(after))
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="7" fill="#d92d20"/>')
            parts.append(f'<text x="{cx}" y="{_fmt(y(after) - 12)}" text-anchor="middle" font-weight="700" '
                         f'fill="#b42318">+{(after - before).days} d</text>')
    parts.append("</svg>")
    return "".join(parts)
