"""callkit: plan better sales calls - explainable scoring, a SQLite workspace, coaching notebooks, reports.

The public API is re-exported here. Names load on first use so that `import callkit` stays cheap
(every report kernel pays for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # exceptions
    "CallkitError": "callkit.exceptions",
    "DataFileError": "callkit.exceptions",
    "ProcessError": "callkit.exceptions",
    "LexiconError": "callkit.exceptions",
    "UnknownStageError": "callkit.exceptions",
    "InvalidInputError": "callkit.exceptions",
    "WorkspaceError": "callkit.exceptions",
    "NotAWorkspaceError": "callkit.exceptions",
    "SchemaVersionError": "callkit.exceptions",
    "WorkspaceBusyError": "callkit.exceptions",
    "WorkspaceReadOnlyError": "callkit.exceptions",
    "DamagedRecordError": "callkit.exceptions",
    "EditConflictError": "callkit.exceptions",
    "MappingError": "callkit.exceptions",
    "RecordNotFoundError": "callkit.exceptions",
    "CsvImportError": "callkit.exceptions",
    "ExerciseItemsError": "callkit.exceptions",
    "ReportError": "callkit.exceptions",
    "WorkshopError": "callkit.exceptions",
    "RubricError": "callkit.exceptions",
    # process
    "SalesProcess": "callkit.process",
    "Stage": "callkit.process",
    # models
    "Finding": "callkit.models",
    "Rep": "callkit.models",
    "Deal": "callkit.models",
    "CloseDateChange": "callkit.models",
    "Attendee": "callkit.models",
    "Research": "callkit.models",
    "Commitment": "callkit.models",
    "CallPlan": "callkit.models",
    "Learned": "callkit.models",
    "Debrief": "callkit.models",
    "Call": "callkit.models",
    "ExerciseResult": "callkit.models",
    "OUTCOMES": "callkit.models",
    # scoring
    "assess_objective": "callkit.scoring.objective",
    "ObjectiveAssessment": "callkit.scoring.objective",
    "assess_customer_value": "callkit.scoring.value",
    "ValueAssessment": "callkit.scoring.value",
    "score_plan": "callkit.scoring.plan",
    "PlanScore": "callkit.scoring.plan",
    "CriterionScore": "callkit.scoring.criteria",
    "Rubric": "callkit.scoring.rubric",
    "score_debrief": "callkit.scoring.debrief",
    "DebriefScore": "callkit.scoring.debrief",
    # deals
    "deal_health": "callkit.scoring.deal_health",
    "DealHealth": "callkit.scoring.deal_health",
    # workspace and sample team
    "Workspace": "callkit.workspace",
    "make_sample_team": "callkit.sample",
    "SampleTeam": "callkit.sample",
    # reports
    "generate_reports": "callkit.reports",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs; tests/test_lazy_exports.py keeps it in step
    from .exceptions import (
        CallkitError, CsvImportError, DamagedRecordError, DataFileError, EditConflictError, ExerciseItemsError,
        InvalidInputError, LexiconError, MappingError, NotAWorkspaceError, ProcessError, RecordNotFoundError,
        ReportError, RubricError, SchemaVersionError, UnknownStageError, WorkshopError, WorkspaceBusyError,
        WorkspaceError, WorkspaceReadOnlyError,
    )
    from .models import (
        OUTCOMES, Attendee, Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief, ExerciseResult,
        Finding, Learned, Rep, Research,
    )
    from .process import SalesProcess, Stage
    from .reports import generate_reports
    from .sample import SampleTeam, make_sample_team
    from .scoring.debrief import DebriefScore, score_debrief
    from .scoring.objective import ObjectiveAssessment, assess_objective
    from .scoring.criteria import CriterionScore
    from .scoring.deal_health import DealHealth, deal_health
    from .scoring.plan import PlanScore, score_plan
    from .scoring.rubric import Rubric
    from .scoring.value import ValueAssessment, assess_customer_value
    from .workspace import Workspace
