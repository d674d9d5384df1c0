"""The reports' charts live in callkit/charts.py (one SVG chart module for the reports and the coaching page)."""

from ..charts import bar_profile, close_date_chart, line_chart

__all__ = ["bar_profile", "close_date_chart", "line_chart"]
