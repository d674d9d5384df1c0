"""The public API of `import callkit`: the lazy export table, its TYPE_CHECKING mirror and __all__ agree."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import callkit

INIT = Path(callkit.__file__)


def _type_checking_imports() -> dict[str, str]:
    """name -> module of every import inside `if TYPE_CHECKING:` in callkit/__init__.py."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom), "only `from .x import y` belongs in the mirror"
                module = "callkit." + stmt.module if stmt.level == 1 else stmt.module
                for alias in stmt.names:
                    names[alias.asname or alias.name] = module
    return names


def test_the_type_checking_mirror_lists_exactly_the_lazy_exports():
    assert _type_checking_imports() == callkit._EXPORTS


def test_every_export_loads_from_its_module_and_is_in_all():
    for name, module in callkit._EXPORTS.items():
        assert getattr(callkit, name) is getattr(importlib.import_module(module), name), name
    assert set(callkit.__all__) == set(callkit._EXPORTS) | {"__version__"}
    assert set(callkit._EXPORTS) <= set(dir(callkit))


def test_every_exported_error_is_a_callkit_error():
    for name in callkit._EXPORTS:
        if name.endswith("Error"):
            assert issubclass(getattr(callkit, name), callkit.CallkitError), name
