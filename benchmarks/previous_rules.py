"""The objective and customer-value rules as they were before issue 9, loaded from git for same-run comparisons.

`previous()` returns (assess_objective, assess_customer_value) of commit BASELINE, or None when this is
not a git checkout that has that commit. The old modules are loaded under private names inside
callkit.scoring, reading their own lexicon.yaml of that commit; nothing on disk is changed.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "72cbba6"  # the last commit with the single-file objective reader


def git_show(path: str, baseline: str = BASELINE) -> str | None:
    """The file at `path` as it was in commit `baseline`, or None when git cannot give it."""
    try:
        return subprocess.run(["git", "show", f"{baseline}:{path}"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def load_module(name: str, source: str, package: str = "callkit.scoring", baseline: str = BASELINE,
                extra: dict[str, Any] | None = None) -> types.ModuleType:
    """Run an earlier module's `source` as `package.name` (a private name), with `extra` globals set first."""
    __import__(package)
    module = types.ModuleType(f"{package}.{name}")
    module.__package__ = package
    module.__dict__.update(extra or {})
    sys.modules[module.__name__] = module
    exec(compile(source, f"<{baseline}:{name}>", "exec"), module.__dict__)
    return module



def previous() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """(assess_objective, assess_customer_value) of the previous rules, or None when git cannot give them."""
    sources = {p: git_show(p) for p in ("callkit/scoring/lexicon.py", "callkit/scoring/objective.py",
                                     "callkit/scoring/value.py", "callkit/data/lexicon.yaml")}
    if any(v is None for v in sources.values()):
        return None
    __import__("callkit.scoring")  # the package the old modules are loaded into

    yaml_text = sources["callkit/data/lexicon.yaml"]
    lex_src = sources["callkit/scoring/lexicon.py"].replace('packaged_text("lexicon.yaml")', "_PREVIOUS_YAML")
    load_module("_previous_lexicon", lex_src, extra={"_PREVIOUS_YAML": yaml_text})
    obj = load_module("_previous_objective", sources["callkit/scoring/objective.py"].replace(
        "from .lexicon import", "from ._previous_lexicon import"))
    val = load_module("_previous_value", sources["callkit/scoring/value.py"].replace(
        "from .lexicon import", "from ._previous_lexicon import"))
    return obj.assess_objective, val.assess_customer_value
