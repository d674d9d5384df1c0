"""An import as a weekly refresh: new deals are added, known ones updated, and every import kept as a snapshot.

The manager exports the CRM every Monday and imports it again. Deals already in the workspace are
updated in the same transaction as the new ones; a change of close date or stage between snapshots
becomes the deal's history (a later close date is a slip, the way Gong's "pushed out" warning reads
it); a deal that is in the last snapshot but not in this export is reported, never deleted.
`plan_import` reads and checks everything and changes nothing; `Workspace.apply_import` writes the
plan in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from ..exceptions import CsvImportError
from ..models import Call, CloseDateChange, Deal, Rep, StageChange, friendly_errors
from ..process import SalesProcess
from ..scoring.english import counted
from .export import DealRecord, Export, Problems, read_deals, read_reps
from .profiles import Profile, load_mapping

RECENT_DAYS = 45  # an export whose latest date is older than this is history: its snapshot is dated then


@dataclass
class DealUpdate:
    """A deal already in the workspace, as this export has it, with what changed."""

    deal: Deal
    close_change: CloseDateChange | None = None
    stage_change: StageChange | None = None
    previous_close: date | None = None
    baseline_close: CloseDateChange | None = None  # where it stood before its first recorded change
    baseline_stage: StageChange | None = None

    @property
    def slipped(self) -> bool:
        """The forecast close date moved later."""
        return (self.close_change is not None and self.previous_close is not None
                and self.close_change.close_date > self.previous_close)


@dataclass
class ImportPlan:
    """Everything an import will write, checked; `summary` says it in numbers."""

    as_of: date
    source: dict[str, Any]
    new_reps: list[Rep] = field(default_factory=list)
    changed_reps: list[Rep] = field(default_factory=list)
    new_deals: list[Deal] = field(default_factory=list)
    updates: list[DealUpdate] = field(default_factory=list)
    unchanged: int = 0
    snapshot: list[tuple[str, str, str, str | None, float | None]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    history: dict[str, list[CloseDateChange]] = field(default_factory=dict)  # for deals already in the workspace
    close_date_rows: int = 0  # rows of close_dates.csv, for new and known deals
    stage_history: dict[str, list[StageChange]] = field(default_factory=dict)  # stage_changes.csv, for known deals
    stage_change_rows: int = 0
    disappeared: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def summary(self) -> dict[str, int]:
        """new reps and deals, updated, unchanged, slipped, newly won and lost, disappeared; calls and history."""
        return {
            "reps": len(self.new_reps),
            "deals": len(self.new_deals),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "slipped": sum(1 for u in self.updates if u.slipped),
            "won": sum(1 for u in self.updates if u.stage_change and u.stage_change.status == "won")
            + sum(1 for d in self.new_deals if d.status == "won"),
            "lost": sum(1 for u in self.updates if u.stage_change and u.stage_change.status == "lost")
            + sum(1 for d in self.new_deals if d.status == "lost"),
            "disappeared": len(self.disappeared),
            "calls": len(self.calls),
            "plans": sum(c.plan is not None for c in self.calls),
            "debriefs": sum(c.debrief is not None for c in self.calls),
            "close_dates": self.close_date_rows,
            "stage_changes": self.stage_change_rows,
        }


@dataclass
class Existing:
    """What the workspace already holds that an import checks against."""

    reps: list[Rep]
    deals: dict[str, Deal]
    calls: set[str]
    last_snapshot: set[str]  # deal ids of the latest snapshot (empty before the first)
    first_seen: dict[str, date] = field(default_factory=dict)  # deal id -> the first snapshot that had it


def _as_of(records: Iterable[DealRecord], given: date | None, today: date) -> date:
    """The snapshot's date: `given`, else today; an export whose latest date is old is dated by that date
    (a 2017 export imported today speaks of 2017, and its reports should too)."""
    if given is not None:
        return given
    latest = max((d for r in records for d in (r.created, r.closed_on, r.close_date if r.status != "open" else None)
                  if d is not None and d <= today), default=None)
    if latest is not None and (today - latest).days > RECENT_DAYS:
        return latest
    return today


def _rep_index(reps: Iterable[Rep]) -> dict[str, str]:
    """Rep id and lowercased name -> rep id: a deal's owner may be either."""
    index: dict[str, str] = {}
    for rep in reps:
        index.setdefault(rep.name.strip().lower(), rep.rep_id)
    for rep in reps:
        index[rep.rep_id] = rep.rep_id
        index.setdefault(rep.rep_id.lower(), rep.rep_id)
    return index


def _reps(records: list[Rep], existing: list[Rep], plan: ImportPlan) -> list[Rep]:
    """New and changed reps from a reps file; all reps known afterwards."""
    known = {r.rep_id: r for r in existing}
    for rep in records:
        old = known.get(rep.rep_id)
        if old is None:
            plan.new_reps.append(rep)
        elif old != rep:
            merged = old.model_copy(update={k: v for k, v in rep.model_dump().items() if v is not None})
            if merged != old:
                plan.changed_reps.append(merged)
                rep = merged
            else:
                rep = old
        known[rep.rep_id] = rep
    return list(known.values())


def _owner(rec: DealRecord, index: dict[str, str], plan: ImportPlan, export: Export, reps_file: str | None) -> str:
    """The rep id of a deal's owner; an owner nobody knows becomes a new rep, named as the export names them.

    With a reps file in the import, an owner must be in it (or in the workspace): a typo is not a new rep.
    """
    owner = rec.rep.strip()
    found = index.get(owner) or index.get(owner.lower())
    if found is not None:
        return found
    if reps_file is not None:
        raise CsvImportError(export.path, f"the rep {owner!r} is not in {reps_file} nor in the workspace.", row=rec.row,
                             column=export.headers.get("rep"))
    rep = Rep(rep_id=owner, name=owner, team=rec.team)
    plan.new_reps.append(rep)
    index[owner] = owner
    index[owner.lower()] = owner
    return owner


def _stage_of(rec: DealRecord, old: Deal | None, process: SalesProcess) -> str:
    if rec.stage is not None:
        return rec.stage
    if old is not None:
        return process.stages[-1].id if rec.status == "won" else old.stage
    return process.stages[-1].id if rec.status == "won" else process.stages[0].id


def _build_deal(rec: DealRecord, rep_id: str, old: Deal | None, process: SalesProcess, path: Path) -> Deal:
    data = {
        "deal_id": rec.deal_id, "rep_id": rep_id, "account": rec.account or (old.account if old else ""),
        "name": rec.name, "stage": _stage_of(rec, old, process), "close_date": rec.close_date,
        "amount": rec.amount, "created": rec.created or (old.created if old else None), "status": rec.status,
        "closed_on": rec.closed_on, "lost_reason": rec.lost_reason,
        "close_date_history": list(old.close_date_history) if old else [],
        "stage_history": list(old.stage_history) if old else [],
    }
    try:
        return Deal.model_validate(data)
    except ValidationError as exc:  # one plain sentence, pointing at the row
        sentence = next(iter(friendly_errors(exc).values()))
        raise CsvImportError(path, sentence[0].lower() + sentence[1:], row=rec.row) from None


def _same(a: Deal, b: Deal) -> bool:
    keys = ("rep_id", "account", "name", "stage", "close_date", "amount", "created", "status", "closed_on", "lost_reason")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def plan_import(deals: str | Path, process: SalesProcess, existing: Existing, *, reps: str | Path | None = None,
                calls: str | Path | None = None, close_dates: str | Path | None = None,
                stage_changes: str | Path | None = None, columns: str | Path | None = None, as_of: date | None = None,
                today: date | None = None) -> ImportPlan:
    """Read and check every file; collect every problem; change nothing."""
    from .. import csv_io  # callkit's own calls.csv and close_dates.csv

    today = today or date.today()
    problems = Problems()
    mapping: Profile | None = load_mapping(columns) if columns else None
    rep_export = read_reps(reps, problems, mapping if mapping and mapping.reps else None) if reps else None
    deal_export = read_deals(deals, process, problems, mapping)
    stamp = _as_of(deal_export.deals, as_of, today)
    plan = ImportPlan(as_of=stamp, source={"deals": Path(deals).name, "profile": deal_export.profile.key,
                                           "reps": Path(reps).name if reps else None, "columns": str(columns) if columns else None},
                      problems=problems)
    plan.warnings += (rep_export.warnings if rep_export else []) + deal_export.warnings
    all_reps = _reps(rep_export.reps if rep_export else [], existing.reps, plan)
    index = _rep_index(all_reps)
    for rep_id in (rep_export.owners if rep_export else {}):
        index.setdefault(rep_id, rep_id)
    created_before = len(plan.new_reps)
    seen: set[str] = set()
    reps_file = Path(reps).name if reps else None
    for rec in deal_export.deals:
        try:
            rep_id = _owner(rec, index, plan, deal_export, reps_file)
            old = existing.deals.get(rec.deal_id)
            deal = _build_deal(rec, rep_id, old, process, deal_export.path)
        except CsvImportError as exc:
            problems.add(exc)
            continue
        seen.add(deal.deal_id)
        plan.snapshot.append((deal.deal_id, deal.stage, deal.status, deal.close_date.isoformat() if deal.close_date else None,
                              deal.amount))
        if old is None:
            plan.new_deals.append(deal)
        elif _same(deal, old):
            plan.unchanged += 1
        else:
            plan.updates.append(_update(deal, old, stamp, existing.first_seen.get(deal.deal_id)))
    owners = len(plan.new_reps) - created_before
    if owners:
        shown = ", ".join(r.name for r in plan.new_reps[created_before:created_before + 5])
        plan.warnings.append(f"{counted(owners, 'rep')} added from the deal owners ({shown}"
                             + (", ..." if owners > 5 else "") + ").")
    plan.disappeared = sorted(i for i in existing.last_snapshot - seen if i in existing.deals and existing.deals[i].is_open)
    if calls or close_dates or stage_changes:
        owner_ids = {index.get(o, o) for o in deal_export.owners.values()}  # an unknown owner is reported once, at the deal
        known = csv_io.KnownIds(reps={r.rep_id for r in all_reps} | {r.rep_id for r in plan.new_reps} | owner_ids,
                                deal_reps={**{i: d.rep_id for i, d in existing.deals.items()},
                                           **{i: index.get(o, o) for i, o in deal_export.owners.items()},
                                           **{d.deal_id: d.rep_id for d in plan.new_deals}},
                                calls=existing.calls)  # a deal with a bad row still counts: no errors that follow from it
        files = {"reps": Path(reps).name if reps else "the reps file", "deals": Path(deals).name}
        if calls:
            table = csv_io.read_table(calls, "calls")
            plan.warnings += table.warnings
            plan.calls = csv_io.read_calls(table, files, known, process, problems)
        if close_dates:
            table = csv_io.read_table(close_dates, "close_dates")
            plan.warnings += table.warnings
            history = csv_io.read_close_dates(table, files["deals"], known.deal_reps, problems)
            plan.close_date_rows = sum(len(h) for h in history.values())
            for deal in plan.new_deals:
                if deal.deal_id in history:
                    deal.close_date_history = history.pop(deal.deal_id)
            plan.history = history
        if stage_changes:
            table = csv_io.read_table(stage_changes, "stage_changes")
            plan.warnings += table.warnings
            moves = csv_io.read_stage_changes(table, files["deals"], known.deal_reps, process, problems)
            plan.stage_change_rows = sum(len(h) for h in moves.values())
            for deal in plan.new_deals:
                if deal.deal_id in moves:
                    deal.stage_history = moves.pop(deal.deal_id)
            plan.stage_history = moves
    return plan


def _update(deal: Deal, old: Deal, stamp: date, first_seen: date | None) -> DealUpdate:
    """What changed since the workspace last saw the deal, dated by this snapshot.

    A deal's first change also records where it was before (since it was created, or first imported),
    so the history has both ends: "in Discover from 3 Feb, in Validate from 10 Mar".
    """
    update = DealUpdate(deal, previous_close=old.close_date)
    before = old.created or first_seen or stamp
    if deal.close_date is not None and deal.close_date != old.close_date and deal.is_open:
        update.close_change = CloseDateChange(changed_on=stamp, close_date=deal.close_date)
        if not old.close_date_history and old.close_date is not None:
            update.baseline_close = CloseDateChange(changed_on=min(before, stamp), close_date=old.close_date)
    if (deal.stage, deal.status) != (old.stage, old.status):
        update.stage_change = StageChange(changed_on=stamp, stage=deal.stage, status=deal.status)
        if not old.stage_history:
            update.baseline_stage = StageChange(changed_on=min(before, stamp), stage=old.stage, status=old.status)
    return update


def summary_lines(plan: ImportPlan, workspace: str, check: bool) -> list[str]:
    """The import summary a manager reads: one line of figures, then the deals that disappeared."""
    n = plan.summary
    verb = "Would import" if check else "Imported"
    lines = [
        f"{verb} into {workspace} (snapshot of {plan.as_of.isoformat()}): {counted(n['deals'], 'new deal')}, "
        f"{n['updated']:,} updated, {n['unchanged']:,} unchanged, {n['slipped']:,} slipped, {n['won']:,} won, "
        f"{n['lost']:,} lost, {n['disappeared']:,} disappeared; {counted(n['reps'], 'new rep')}"
        + (f"; {counted(n['calls'], 'call')} ({n['plans']:,} planned, {n['debriefs']:,} debriefed)" if n["calls"] else "")
        + (f"; {counted(n['close_dates'], 'close-date change')}" if n["close_dates"] else "")
        + (f"; {counted(n['stage_changes'], 'stage change')}" if n["stage_changes"] else "") + "."
    ]
    if plan.disappeared:
        shown = ", ".join(plan.disappeared[:10]) + (", ..." if len(plan.disappeared) > 10 else "")
        lines.append(f"Not in this export but open in the workspace (kept, not deleted): {shown}.")
    return lines
