"""The old home of the report data, kept so that `callkit.reports.metrics` imports keep working.

The worker side (scoring a rep's calls, the team's medians) is `compute.py`; the typed data and what a report
kernel loads are `data.py`.
"""

from .compute import (NO_PLAN_CODE, QUOTE_LIMIT, TOP_POINTS, compute_rep_data, compute_team, default_period,
                      rep_summary, team_data, team_stage_norms)
from .data import (CALL_FIGURES, CALL_KEYS, DEAL_KEYS, FIGURE_NOTES, FIGURES, load_report, open_cached_workspace,
                   rep_cache_path, team_cache_path, write_json)

__all__ = ["CALL_FIGURES", "CALL_KEYS", "DEAL_KEYS", "FIGURES", "FIGURE_NOTES", "NO_PLAN_CODE", "QUOTE_LIMIT",
           "TOP_POINTS", "compute_rep_data", "compute_team", "default_period", "load_report",
           "open_cached_workspace", "rep_cache_path", "rep_summary", "team_cache_path", "team_data",
           "team_stage_norms", "write_json"]
