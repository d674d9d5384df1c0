"""The sales process: ordered stages with the key activities a call can accomplish (seed 002)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from .datafiles import packaged_text, parse_yaml, read_yaml

from .exceptions import ProcessError, UnknownStageError

DEFAULT_STAGE_IDS = ("prospect", "qualify", "discover", "solution", "validate", "propose", "negotiate", "close")


@dataclass(frozen=True)
class Stage:
    """One stage of the sales process and the activities that move a deal through it."""

    id: str
    name: str
    activities: list[str] = field(default_factory=list)
    description: str = ""


class SalesProcess:
    """Ordered stages; planning a call starts from the next activities after where the deal is."""

    def __init__(self, stages: Iterable[Stage], name: str = "Sales process", source: str | None = None):
        self.stages: list[Stage] = list(stages)
        self.name = name
        self.source = source
        self._index = {s.id: i for i, s in enumerate(self.stages)}

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> "SalesProcess":
        """The eight-stage process shipped with callkit (callkit/data/process.yaml)."""
        return _default_process()

    @classmethod
    def from_yaml(cls, path: str | Path) -> "SalesProcess":
        """Load a process file; a missing or malformed file raises ProcessError naming the file."""
        return cls.from_dict(read_yaml(path, ProcessError, "sales-process file"), source=str(path))

    @classmethod
    def from_text(cls, text: str, source: str | None = None) -> "SalesProcess":
        """Parse process YAML text; `source` names it in error messages."""
        return cls.from_dict(parse_yaml(text, source, ProcessError), source=source)

    @classmethod
    def from_dict(cls, data: object, source: str | None = None) -> "SalesProcess":
        """Build a process from parsed data, checking its shape with plain-English errors."""
        if not isinstance(data, dict) or not isinstance(data.get("stages"), list) or not data["stages"]:
            raise ProcessError(source, "the file needs a 'stages:' list with at least one stage.")
        stages: list[Stage] = []
        seen: set[str] = set()
        for n, raw in enumerate(data["stages"], start=1):
            if not isinstance(raw, dict):
                raise ProcessError(source, f"stage {n} must be a mapping with 'id' and 'activities'.")
            sid = raw.get("id")
            if not isinstance(sid, str) or not sid.strip():
                raise ProcessError(source, f"stage {n} has no 'id'.")
            sid = sid.strip()
            if sid in seen:
                raise ProcessError(source, f"stage id {sid!r} appears twice.")
            seen.add(sid)
            acts = raw.get("activities", [])
            if not isinstance(acts, list) or not acts or not all(isinstance(a, str) and a.strip() for a in acts):
                raise ProcessError(source, f"stage {sid!r} needs an 'activities:' list of non-empty texts.")
            stages.append(
                Stage(
                    id=sid,
                    name=str(raw.get("name") or sid.title()),
                    activities=[a.strip() for a in acts],
                    description=str(raw.get("description") or ""),
                )
            )
        return cls(stages, name=str(data.get("name") or "Sales process"), source=source)

    def to_dict(self) -> dict:
        """The process as plain data, in the shape of process.yaml."""
        return {
            "name": self.name,
            "stages": [
                {"id": s.id, "name": s.name, "description": s.description, "activities": list(s.activities)}
                for s in self.stages
            ],
        }

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    # -- queries -------------------------------------------------------------------------------
    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def index(self, stage_id: str) -> int:
        """Position of a stage (0 = first); unknown ids raise UnknownStageError listing the valid ones."""
        try:
            return self._index[stage_id]
        except KeyError:
            raise UnknownStageError(stage_id, self.stage_ids) from None

    def stage(self, stage_id: str) -> Stage:
        return self.stages[self.index(stage_id)]

    def has_stage(self, stage_id: str) -> bool:
        return stage_id in self._index

    def next_stages(self, stage_id: str) -> list[Stage]:
        """The stages after `stage_id`, in order."""
        return self.stages[self.index(stage_id) + 1 :]

    def is_last_steps(self, stage_id: str, last: int = 2) -> bool:
        """True when the stage is one of the last `last` stages, where closing is realistic."""
        return self.index(stage_id) >= len(self.stages) - last

    def activities_after(self, stage_id: str, completed: Iterable[str] = (), lookahead: int = 1) -> list[str]:
        """The next activities a call could accomplish: what is left of this stage plus the next `lookahead` stages."""
        done = {a.strip().lower() for a in completed}
        i = self.index(stage_id)
        out: list[str] = []
        for s in self.stages[i : i + 1 + max(0, lookahead)]:
            out.extend(a for a in s.activities if a.lower() not in done)
        return out

    def stage_of_activity(self, activity: str) -> str | None:
        """The id of the stage an activity belongs to (case-insensitive), or None."""
        key = activity.strip().lower()
        for s in self.stages:
            if any(a.lower() == key for a in s.activities):
                return s.id
        return None

    def __iter__(self):
        return iter(self.stages)

    def __len__(self) -> int:
        return len(self.stages)

    def __repr__(self) -> str:
        return f"SalesProcess({self.name!r}, stages={self.stage_ids})"


@lru_cache(maxsize=1)
def _default_process() -> SalesProcess:
    return SalesProcess.from_text(packaged_text("process.yaml"), source="callkit/data/process.yaml")
