"""Which column of an export holds which of callkit's fields: built-in CRM profiles and a coach's mapping file.

A profile names, for each callkit field (deal_id, rep, account, name, stage, close_date, amount,
created, status, closed_on, lost_reason; for reps rep_id, name, email, team, manager), the export's
headers that may hold it, and maps the export's stage names to callkit's stages or to won / lost. The
built-in profiles (callkit's own CSV, Salesforce opportunity reports, HubSpot deal exports) are data in
callkit/data/crm_profiles.yaml; anything else is described by a mapping file:

    reps:   {rep_id: sales_agent, name: sales_agent, team: regional_office, manager: manager}
    deals:  {deal_id: opportunity_id, rep: sales_agent, account: account, name: product,
             stage: deal_stage, close_date: close_date, amount: close_value, created: engage_date}
    stages: {Prospecting: prospect, Engaging: discover, Won: won, Lost: lost}
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..datafiles import packaged_text, parse_yaml, read_yaml
from ..exceptions import CsvImportError, MappingError
from ..models import DEAL_STATUSES
from .csvfile import header_key

DEAL_FIELDS = ("deal_id", "rep", "account", "name", "stage", "close_date", "amount", "created", "status", "closed_on",
               "lost_reason", "team")
REP_FIELDS = ("rep_id", "name", "email", "team", "manager")
REQUIRED_DEAL_FIELDS = ("deal_id", "rep", "stage")
DATE_FIELDS = ("close_date", "created", "closed_on")
CLOSED = tuple(s for s in DEAL_STATUSES if s != "open")  # won, lost
PROFILES_FILE = "crm_profiles.yaml"


@dataclass(frozen=True)
class Profile:
    """Where an export keeps each field, and what its stage names mean."""

    key: str
    name: str
    deals: Mapping[str, tuple[str, ...]]  # field -> headers that may hold it (compared by header_key)
    reps: Mapping[str, tuple[str, ...]]
    stages: Mapping[str, str]  # stage name as exported (header_key'd) -> callkit stage id, 'won' or 'lost'
    dates: str = "day_first"
    detect: tuple[str, ...] = ()
    source: str = ""  # the mapping file, for errors

    def columns(self, header: Sequence[str], kind: str) -> dict[str, int]:
        """field -> column index in `header`, for the fields this export has."""
        index = {header_key(h): i for i, h in enumerate(header)}
        wanted = self.deals if kind == "deals" else self.reps
        out: dict[str, int] = {}
        for fld, names in wanted.items():
            for name in names:
                if header_key(name) in index:
                    out[fld] = index[header_key(name)]
                    break
        return out

    def matches(self, header: Sequence[str]) -> bool:
        keys = {header_key(h) for h in header}
        return bool(self.detect) and all(header_key(d) in keys for d in self.detect)


def _names(value: Any, where: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise MappingError(source, f"{where} must name a column of the export.")


def _stage_map(data: Any, where: str, source: str) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MappingError(source, f"'{where}' must map each stage name of the export to a callkit stage, won or lost.")
    out: dict[str, str] = {}
    for name, target in data.items():
        if not isinstance(target, str) or not target.strip():
            raise MappingError(source, f"{where}: the stage {name!r} needs a callkit stage id, won or lost.")
        out[header_key(str(name))] = target.strip()
    return out


def _section(data: Mapping[str, Any], key: str, allowed: Sequence[str], source: str) -> dict[str, tuple[str, ...]]:
    node = data.get(key) or {}
    if not isinstance(node, dict):
        raise MappingError(source, f"'{key}:' must map callkit's fields to the export's column names.")
    unknown = [k for k in node if k not in allowed]
    if unknown:
        raise MappingError(source, f"{key}: {unknown[0]!r} is not a callkit field: use {', '.join(allowed)}.")
    return {k: _names(v, f"{key}.{k}", source) for k, v in node.items()}


def mapping_from_dict(data: Any, source: str) -> Profile:
    """A Profile from a mapping file's content (reps:, deals:, stages:, optional dates:)."""
    if not isinstance(data, dict):
        raise MappingError(source, "a mapping file needs 'deals:' (and may have 'reps:' and 'stages:').")
    unknown = [k for k in data if k not in ("reps", "deals", "stages", "dates")]
    if unknown:
        raise MappingError(source, f"{unknown[0]!r} is not a section of a mapping file: use reps, deals, stages and dates.")
    deals = _section(data, "deals", DEAL_FIELDS, source)
    missing = [f for f in REQUIRED_DEAL_FIELDS if f not in deals]
    if missing:
        raise MappingError(source, f"deals: needs {missing[0]!r}: the column of the export that holds it.")
    if "name" not in deals:
        deals["name"] = deals.get("account", deals["deal_id"])
    dates = data.get("dates", "day_first")
    if dates not in ("day_first", "month_first"):
        raise MappingError(source, "dates: must be day_first (14/03/2026) or month_first (03/14/2026).")
    return Profile(key="mapping", name=f"the mapping in {Path(source).name}", deals=deals,
                   reps=_section(data, "reps", REP_FIELDS, source), stages=_stage_map(data.get("stages"), "stages", source),
                   dates=dates, source=source)


def load_mapping(path: str | Path) -> Profile:
    """Read a mapping file (--columns MAP.yaml)."""
    return mapping_from_dict(read_yaml(path, MappingError, "mapping file"), str(path))


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    """callkit's own CSV, Salesforce and HubSpot, from callkit/data/crm_profiles.yaml."""
    source = f"callkit/data/{PROFILES_FILE}"
    data = parse_yaml(packaged_text(PROFILES_FILE), source, MappingError)
    out = []
    for key, node in (data or {}).get("profiles", {}).items():
        out.append(Profile(
            key=key, name=str(node.get("name", key)),
            deals=_section(node, "deals", DEAL_FIELDS, source), reps=_section(node, "reps", REP_FIELDS, source),
            stages=_stage_map(node.get("stages"), f"profiles.{key}.stages", source),
            dates=str(node.get("dates", "day_first")), detect=tuple(node.get("detect") or ()), source=source,
        ))
    return tuple(out)


def profile_for(header: Sequence[str], path: Path, kind: str, mapping: Profile | None) -> Profile:
    """The mapping when given, else the built-in profile whose headers the export has; else a clear error."""
    if mapping is not None:
        return mapping
    for profile in builtin_profiles():
        if kind == "deals" and profile.matches(header):
            return profile
        if kind == "reps" and profile.reps and all(header_key(n) in {header_key(h) for h in header}
                                                   for n in profile.reps.get("rep_id", ())[:1]):
            return profile
    shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
    raise CsvImportError(path, f"callkit does not recognise these columns ({shown}): describe them in a mapping file "
                               "and pass it with --columns (see 'From your CRM' in the README).", row=1)
