"""The sales process: ordered stages with the key activities a call can accomplish (seed 002)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from .datafiles import packaged_text, parse_yaml, read_yaml

from .exceptions import ProcessError, UnknownStageError

DEFAULT_STAGE_IDS = ("prospect", "qualify", "discover", "solution", "validate", "propose", "negotiate", "close")


@dataclass(frozen=True)
class Activity:
    """What one process activity asks of a call: the minutes it needs and who on the client's side must be there.

    `who` lists the roles that must be in the room; each entry is a tuple of alternatives ("finance or
    decision_maker"). `outside_the_call` says why the activity cannot happen inside a call at all (a pilot runs
    for weeks); a call can agree it, not accomplish it. All of it is optional: a plain activity name needs nothing.
    """

    name: str
    minutes: int | None = None
    who: tuple[tuple[str, ...], ...] = ()
    outside_the_call: str = ""

    @property
    def in_call(self) -> bool:
        """True when a call can accomplish it."""
        return not self.outside_the_call

    def to_dict(self) -> dict | str:
        """The activity as process.yaml writes it: the bare name when it has no details."""
        if self.minutes is None and not self.who and not self.outside_the_call:
            return self.name
        out: dict = {"name": self.name}
        if self.minutes is not None:
            out["minutes"] = self.minutes
        if self.who:
            out["who"] = [" or ".join(group) for group in self.who]
        if self.outside_the_call:
            out["outside_the_call"] = self.outside_the_call
        return out


@dataclass(frozen=True)
class Stage:
    """One stage of the sales process and the activities that move a deal through it."""

    id: str
    name: str
    activities: list[str] = field(default_factory=list)
    description: str = ""
    details: dict[str, Activity] = field(default_factory=dict)  # by activity name, for those that have any

    def activity(self, name: str) -> Activity:
        """The details of one of this stage's activities (case-insensitive); a bare Activity when it has none."""
        key = name.strip().lower()
        for act_name in self.activities:
            if act_name.lower() == key:
                return self.details.get(act_name) or Activity(act_name)
        raise KeyError(f"stage {self.id} has no activity {name!r}")


class SalesProcess:
    """Ordered stages; planning a call starts from the next activities after where the deal is."""

    def __init__(self, stages: Iterable[Stage], name: str = "Sales process", source: str | None = None,
                 roles: dict[str, str] | None = None):
        self.stages: list[Stage] = list(stages)
        self.name = name
        self.source = source
        self.roles: dict[str, str] = dict(roles or {})  # who may be in a call, as activities' `who` name them
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
        roles = _roles(data.get("roles"), source)
        stages: list[Stage] = []
        seen: set[str] = set()
        for n, raw in enumerate(data["stages"], start=1):
            if not isinstance(raw, dict):
                raise ProcessError(source, f"stage {n} must be a mapping with 'id' and 'activities'.")
            sid = _required_text(raw, "id", source, f"stage {n} has no 'id'.")
            if sid in seen:
                raise ProcessError(source, f"stage id {sid!r} appears twice.")
            seen.add(sid)
            acts = raw.get("activities", [])
            if not isinstance(acts, list) or not acts:
                raise ProcessError(source, f"stage {sid!r} needs an 'activities:' list of non-empty texts.")
            parsed = [_activity(a, sid, source, roles) for a in acts]
            stages.append(
                Stage(
                    id=sid,
                    name=str(raw.get("name") or sid.title()),
                    activities=[a.name for a in parsed],
                    description=str(raw.get("description") or ""),
                    details={a.name: a for a in parsed if a.to_dict() != a.name},
                )
            )
        return cls(stages, name=str(data.get("name") or "Sales process"), source=source, roles=roles)

    def to_dict(self) -> dict:
        """The process as plain data, in the shape of process.yaml."""
        out: dict = {"name": self.name}
        if self.roles:
            out["roles"] = dict(self.roles)
        out["stages"] = [
            {"id": s.id, "name": s.name, "description": s.description,
             "activities": [s.activity(a).to_dict() for a in s.activities]}
            for s in self.stages
        ]
        return out

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

    def find_stage(self, text: str) -> Stage | None:
        """The stage a coach means by `text`: its id or its name, in any case ("discover", "Discover"); else None."""
        if text in self._index:
            return self.stage(text)
        key = " ".join(text.split()).casefold()
        return next((s for s in self.stages if key in (s.id.casefold(), s.name.casefold())), None)

    def stage_id_for(self, text: str) -> str:
        """The id of the stage a coach means by `text` (id or name, any case); UnknownStageError lists the ids."""
        found = self.find_stage(text)
        if found is None:
            raise UnknownStageError(text, self.stage_ids)
        return found.id

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

    def activity(self, name: str) -> Activity:
        """The minutes and the people one activity needs (a bare Activity when the process says nothing)."""
        stage_id = self.stage_of_activity(name)
        if stage_id is None:
            return Activity(name.strip())
        return self.stage(stage_id).activity(name)

    def __iter__(self):
        return iter(self.stages)

    def __len__(self) -> int:
        return len(self.stages)

    def __repr__(self) -> str:
        return f"SalesProcess({self.name!r}, stages={self.stage_ids})"


def _roles(raw: object, source: str | None) -> dict[str, str]:
    """The optional `roles:` mapping (role: what it means); its keys are what activities' `who` may name."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and k.strip() for k in raw):
        raise ProcessError(source, "'roles:' must map each role (e.g. sponsor) to what it means.")
    return {k.strip(): str(v or "").strip() for k, v in raw.items()}


def _required_text(raw: dict[str, Any], key: str, source: str | None, problem: str) -> str:
    """raw[key] without surrounding spaces; `problem` (one sentence) when it is missing, blank or not text."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProcessError(source, problem)
    return value.strip()


def _activity(raw: object, stage_id: str, source: str | None, roles: dict[str, str]) -> Activity:
    """One entry of a stage's activities: a name, or a mapping with name, minutes, who and outside_the_call."""
    if isinstance(raw, str) and raw.strip():
        return Activity(raw.strip())
    if not isinstance(raw, dict):
        raise ProcessError(source, f"stage {stage_id!r} needs an 'activities:' list of non-empty texts.")
    name = _required_text(raw, "name", source, f"stage {stage_id!r}: an activity written as a mapping needs a 'name:'.")
    unknown = sorted(set(raw) - {"name", "minutes", "who", "outside_the_call"})
    if unknown:
        raise ProcessError(source, f"activity {name!r}: {unknown[0]!r} is not a field (use minutes, who, outside_the_call).")
    minutes = raw.get("minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0):
        raise ProcessError(source, f"activity {name!r}: minutes must be a whole number of minutes, like 15.")
    who_raw = raw.get("who") or []
    if isinstance(who_raw, str):
        who_raw = [who_raw]
    if not isinstance(who_raw, list) or not all(isinstance(w, str) and w.strip() for w in who_raw):
        raise ProcessError(source, f"activity {name!r}: who must be a list of roles, like [sponsor, finance or it].")
    who = tuple(tuple(r.strip() for r in w.split(" or ") if r.strip()) for w in who_raw)
    for group in who:
        for role in group:
            if roles and role not in roles:
                raise ProcessError(source, f"activity {name!r}: role {role!r} is not one of the roles: {', '.join(roles)}.")
    outside = raw.get("outside_the_call") or ""
    if not isinstance(outside, str):
        raise ProcessError(source, f"activity {name!r}: outside_the_call must be a sentence saying why a call cannot do it.")
    return Activity(name, minutes, who, outside.strip())


@lru_cache(maxsize=1)
def _default_process() -> SalesProcess:
    return SalesProcess.from_text(packaged_text("process.yaml"), source="callkit/data/process.yaml")
