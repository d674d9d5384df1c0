"""What a coach does to a deal on the page: move it to another stage, mark it won or lost, reopen it.

One transaction each, kept in the deal's stage history the way a re-import records a change; a page that
showed another version of the deal than the workspace holds is refused (DealChangedError).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..exceptions import InvalidInputError
from ..crm.profiles import CLOSED
from ..models import Deal, StageChange, build
from .records import RecordReads, iso


# The median of the finished stays in each stage (the deal moved to another stage or closed), as
# callkit.deals.stage_norms computes it: a first stay starts when the deal was created, if that is earlier.
STAGE_NORMS_SQL = """
WITH ordered AS (
    SELECT deal_id, changed_on, stage, status,
           ROW_NUMBER() OVER deal_order AS n,
           LEAD(changed_on) OVER deal_order AS next_on,
           LEAD(stage) OVER deal_order AS next_stage,
           LEAD(status) OVER deal_order AS next_status
    FROM stage_changes
    WINDOW deal_order AS (PARTITION BY deal_id ORDER BY id)
), stays AS (
    SELECT o.stage,
           CAST(julianday(o.next_on) - julianday(CASE WHEN o.n = 1 AND d.created IS NOT NULL AND d.created < o.changed_on
                                                      THEN d.created ELSE o.changed_on END) AS INTEGER) AS days
    FROM ordered o LEFT JOIN deals d ON d.deal_id = o.deal_id
    WHERE o.next_on IS NOT NULL AND (o.next_stage != o.stage OR o.next_status != o.status)
), ranked AS (
    SELECT stage, days, ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS k,
           COUNT(*) OVER (PARTITION BY stage) AS stays
    FROM stays
)
SELECT stage, AVG(days) FROM ranked
WHERE k IN ((stays + 1) / 2, (stays + 2) / 2) AND stays >= ?
GROUP BY stage
"""

class DealActions(RecordReads):
    """Deal actions: move, won, lost, reopened, and the team's usual days in each stage."""

    def move_deal(self, deal_id: str, stage: str, on: date | str | None = None, *, seen: Deal | None = None) -> Deal:
        """Move an open deal to another stage of the process on `on` (today by default); returns the deal as saved.

        The move is recorded in the deal's stage history the way a re-import records one (the first change also
        records where the deal stood before). `seen` is the deal as the page showed it: when the workspace holds
        another version (someone else moved or closed it, or an import did), DealChangedError is raised and nothing
        is written. An unknown stage raises UnknownStageError; a closed deal must be reopened first.
        """
        self._check_stage(stage)
        return self._change_deal(deal_id, "move", on, seen, stage=stage)

    def close_deal(self, deal_id: str, status: str, on: date | str | None = None, reason: str | None = None, *,
                   seen: Deal | None = None) -> Deal:
        """Mark an open deal won or lost on `on` (today by default); a lost deal needs the reason it was lost (its
        `lost_reason`), a won deal has none; returns the deal as saved.

        A won deal moves to the last stage of the process and a lost one keeps its stage, as an import of a CRM's
        Closed Won / Closed Lost does; the change is recorded in the stage history. `seen` as in move_deal.
        """
        if status not in CLOSED:
            raise InvalidInputError({"status": f"A deal is closed as won or lost, not {status!r}."}, what="deal")
        return self._change_deal(deal_id, status, on, seen, reason=reason if status == "lost" else None)

    def reopen_deal(self, deal_id: str, stage: str | None = None, on: date | str | None = None, *,
                    seen: Deal | None = None) -> Deal:
        """Reopen a deal closed by mistake on `on` (today by default), in `stage` or else the stage it was in
        before it closed; its closed date and reason are cleared; returns the deal as saved. `seen` as in move_deal."""
        if stage is not None:
            self._check_stage(stage)
        return self._change_deal(deal_id, "reopen", on, seen, stage=stage)

    def stage_norms(self) -> dict[str, float]:
        """The team's usual days in each stage: what `callkit.deals.stage_norms` gives for every deal's stage
        history, computed by SQLite in one query (no deal is loaded into Python, so a CRM export of tens of
        thousands of deals costs a report run no memory) and kept until the history changes."""
        with self._read() as conn:
            key = (conn.execute("SELECT COUNT(*), MAX(id) FROM stage_changes").fetchone()[:],
                   conn.execute("SELECT COUNT(*), MAX(created), MIN(created) FROM deals").fetchone()[:])
            cached = getattr(self, "_stage_norms_cache", None)
            if cached is not None and cached[0] == key:
                return dict(cached[1])
            from ..scoring.deal_health import MIN_STAYS

            norms = {stage: float(days) for stage, days in conn.execute(STAGE_NORMS_SQL, (MIN_STAYS,))}
        self._stage_norms_cache = (key, norms)
        return dict(norms)

    def _change_deal(self, deal_id: str, action: str, on: date | str | None, seen: Deal | None,
                     stage: str | None = None, reason: str | None = None) -> Deal:
        from ..crm.refresh import _update  # how a re-import records a change of stage: both write the same history
        from ..deals import DealChangedError, stage_before_closing
        from ..ui.markup import long_date

        day = build(StageChange, {"changed_on": on or date.today(), "stage": stage or "-"}).changed_on
        reason = " ".join((reason or "").split()) or None
        with self._write() as conn:
            old = self.deal(deal_id)
            if seen is not None and self._deal_state(seen) != self._deal_state(old):
                where = (f"now in {self.process.stage(old.stage).name}" if old.is_open and self.process.has_stage(old.stage)
                         else f"now {old.status}")
                raise DealChangedError(self.path, deal_id, old, f"Someone else changed this deal since the page showed "
                                       f"it ({where}): check it as it is now and try again.")
            problem = self._deal_action_problem(old, action, stage, reason, day, long_date)
            if problem:
                raise InvalidInputError(dict([problem]), what="deal")
            if action == "move":
                new = old.model_copy(update={"stage": stage})
            elif action == "reopen":
                new = old.model_copy(update={"stage": stage or stage_before_closing(old), "status": "open",
                                             "closed_on": None, "lost_reason": None})
            else:
                new = old.model_copy(update={"stage": self.process.stages[-1].id if action == "won" else old.stage,
                                             "status": action, "closed_on": day, "lost_reason": reason})
            row = conn.execute("SELECT MIN(i.as_of) FROM snapshot_deals s JOIN imports i ON i.import_id = s.import_id "
                               "WHERE s.deal_id = ?", (deal_id,)).fetchone()
            change = _update(new, old, day, date.fromisoformat(row[0]) if row and row[0] else None)
            conn.execute("UPDATE deals SET stage = ?, status = ?, closed_on = ?, lost_reason = ? WHERE deal_id = ?",
                         (new.stage, new.status, iso(new.closed_on), new.lost_reason, deal_id))
            conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                             [(deal_id, s.changed_on.isoformat(), s.stage, s.status)
                              for s in (change.baseline_stage, change.stage_change) if s is not None])
            return self.deal(deal_id)

    @staticmethod
    def _deal_state(deal: Deal) -> tuple[Any, ...]:
        """What a deal action changes: a page that saw another state than the workspace holds is stale."""
        return (deal.stage, deal.status, deal.closed_on, deal.lost_reason,
                [(s.changed_on, s.stage, s.status) for s in deal.stage_history])

    def _deal_action_problem(self, deal: Deal, action: str, stage: str | None, reason: str | None, day: date,
                             long_date: Any) -> tuple[str, str] | None:
        """(field, one sentence) when the action cannot be done on this deal as it stands, else None."""
        name = (lambda sid: self.process.stage(sid).name if self.process.has_stage(sid) else sid)
        if action == "reopen" and deal.is_open:
            return "status", "This deal is already open."
        if action in ("move", "won", "lost") and not deal.is_open:
            verb = "moving it to another stage" if action == "move" else f"marking it {action}"
            return "status", f"This deal is already {deal.status}: reopen it before {verb}."
        if action == "move" and stage == deal.stage:
            return "stage", f"The deal is already in {name(stage)}: choose another stage."
        if action == "lost" and not reason:
            return "reason", "Say why the deal was lost (for example: chose a competitor, no budget, no decision)."
        if deal.created is not None and day < deal.created:
            return "on", f"The date cannot be before the deal was created ({long_date(deal.created)})."
        last = max((s.changed_on for s in deal.stage_history), default=None)
        if last is not None and day < last:
            return "on", f"The date cannot be before the deal's last change of stage ({long_date(last)})."
        return None

