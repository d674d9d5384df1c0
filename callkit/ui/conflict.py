"""Two coaches, one plan: when a save is refused because someone else saved meanwhile, show both versions.

The workspace refuses a save that would overwrite a newer version (EditConflictError, with their version);
the form then shows this panel: the fields that differ, this page's text beside the saved one, and two
choices. Nothing typed is lost: this page's values stay in the form until the coach chooses.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets

from ..text import long_date
from .fields import classed
from .markup import esc, status_html


def shown(value: Any) -> str:
    """A form value as a coach reads it in the comparison: dates in words, rows one per line, blank as '-'."""
    if value is None or value == "" or value == []:
        return "-"
    if hasattr(value, "isoformat"):
        return long_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "\n".join(shown_row(v) for v in value) or "-"
    return str(value)


def shown_row(row: Any) -> str:
    """One row of a rows field (attendees, commitments) as one line."""
    if isinstance(row, Mapping):
        return ", ".join(str(v) for v in row.values() if v not in (None, "", False)) or "-"
    return str(row)


def differences(mine: Mapping[str, Any], theirs: Mapping[str, Any], labels: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(label, this page's text, the saved text) for each labelled field whose text differs."""
    out = []
    for name, label in labels.items():
        a, b = shown(mine.get(name)), shown(theirs.get(name))
        if a != b:
            out.append((label, a, b))
    return out


def comparison_html(rows: Sequence[tuple[str, str, str]]) -> str:
    """The differing fields as a three-column table (everything escaped: both sides are typed by reps)."""
    if not rows:
        return "<p>The two versions say the same thing.</p>"
    cells = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for label, a, b in rows)
    return ('<table class="ck-conflict-table"><tr><th></th><th>Yours (not saved)</th><th>Saved by someone else</th></tr>'
            f"{cells}</table>")


class ConflictPanel(widgets.VBox):
    """Shown next to the Save button after a refused save: the message, both versions, and the two choices."""

    def __init__(self, what: str):
        self.message = widgets.HTML("")
        self.table = widgets.HTML("")
        self.keep_mine = classed(widgets.Button(description="Keep mine: save over theirs", button_style="warning",
                                                layout=widgets.Layout(width="auto")), "ck-keep-mine")
        self.take_theirs = classed(widgets.Button(description="Use theirs: replace what I typed",
                                                  layout=widgets.Layout(width="auto")), "ck-take-theirs")
        super().__init__([self.message, self.table, widgets.HBox([self.keep_mine, self.take_theirs])],
                         layout=widgets.Layout(display="none"))
        self.add_class("ck-conflict")
        self.what = what

    def show(self, message: str, rows: Sequence[tuple[str, str, str]]) -> None:
        """Show the refused save's sentence and the differing fields."""
        self.message.value = status_html(message, "error")
        self.table.value = comparison_html(rows)
        self.layout.display = ""

    def refused(self, exc: Exception, mine: Mapping[str, Any], theirs: Mapping[str, Any],
                labels: Mapping[str, str], status: widgets.HTML) -> None:
        """After a save refused because someone else saved first: show what differs, and tell the coach on the
        form's status line to choose a version."""
        self.show(str(exc), differences(mine, theirs, labels))
        status.value = status_html("Not saved: choose which version to keep.", "error")

    def hide(self) -> None:
        self.message.value = ""
        self.table.value = ""
        self.layout.display = "none"

    @property
    def visible(self) -> bool:
        return self.layout.display != "none"

    def on_choice(self, keep_mine: Callable[[], Any], take_theirs: Callable[[], Any]) -> None:
        """Wire the two buttons (the form passes guarded callbacks)."""
        self.keep_mine.on_click(lambda _b: keep_mine())
        self.take_theirs.on_click(lambda _b: take_theirs())


def save_or_compare(form: Any, write: Callable[[], Any], kind: type, to_values: Callable[[Any], Mapping[str, Any]],
                    labels: Mapping[str, str]) -> bool:
    """Run a form's `write`; True when it saved. When the workspace is busy or read-only, the form keeps what
    was typed and says so (`form._not_saved`); when someone else saved first, the form keeps their version
    (`form._theirs`, when it is a `kind`) and its conflict panel shows both. What the plan and debrief forms share."""
    from ..exceptions import EditConflictError
    from .draft import NOT_SAVED_NOW

    try:
        write()
    except NOT_SAVED_NOW as exc:
        form._not_saved(exc)
        return False
    except EditConflictError as exc:
        form._theirs = exc.theirs if isinstance(exc.theirs, kind) else None
        theirs = to_values(form._theirs) if form._theirs is not None else {}
        form.conflict.refused(exc, form.values, theirs, labels, form.status)
        return False
    form.conflict.hide()
    form._theirs = None
    return True
