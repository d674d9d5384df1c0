"""An editable list of rows (attendees, commitments, follow-ups): one line of inputs per row, add and remove."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import ipywidgets as widgets

from .draft import as_date
from .fields import classed


@dataclass(frozen=True)
class Column:
    """One input of a row: kind 'text', 'date' or 'choice' (options are (label, value) pairs)."""

    key: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    width: str = "220px"
    placeholder: str = ""


def is_blank_row(row: dict, columns: Sequence[Column]) -> bool:
    """A row with nothing typed in its text and date inputs (choices always have a value)."""
    return all(not row.get(c.key) for c in columns if c.kind != "choice")


def clean_rows(rows: Sequence[dict], columns: Sequence[Column]) -> list[dict]:
    """The rows with something typed, text stripped; blank rows are dropped."""
    out = []
    for row in rows:
        if is_blank_row(row, columns):
            continue
        out.append({c.key: (row.get(c.key) or "").strip() if c.kind == "text" else row.get(c.key) for c in columns})
    return out


class RowsEditor(widgets.VBox):
    """Rows of inputs with a remove button each and an 'Add' button; `value` is the non-blank rows."""

    def __init__(self, columns: Sequence[Column], add_label: str = "Add a row", min_rows: int = 1):
        self.columns = list(columns)
        self.min_rows = min_rows
        self._rows: list[dict[str, widgets.Widget]] = []
        self._listeners: list[Callable[[], None]] = []
        self._box = widgets.VBox()
        self.add_button = classed(widgets.Button(description=add_label, layout=widgets.Layout(width="auto")), "ck-add-row")
        self.add_button.on_click(lambda _b: self.add_row())
        header = widgets.HBox(
            [widgets.HTML(f"<small>{c.label}</small>", layout=widgets.Layout(width=c.width)) for c in self.columns]
        )
        super().__init__([header, self._box, self.add_button], layout=widgets.Layout(align_items="flex-start"))
        self.set_value([])

    # -- values ------------------------------------------------------------------------------------
    def raw_rows(self) -> list[dict]:
        """Every row as shown, blank ones included."""
        return [{c.key: self._read(c, row[c.key]) for c in self.columns} for row in self._rows]

    @property
    def value(self) -> list[dict]:
        """The rows with something typed in them."""
        return clean_rows(self.raw_rows(), self.columns)

    def row_numbers(self) -> list[int]:
        """For each entry of `value`, the row number (1-based) the coach sees."""
        return [i + 1 for i, row in enumerate(self.raw_rows()) if not is_blank_row(row, self.columns)]

    def set_value(self, rows: Sequence[dict]) -> None:
        """Show these rows (plus blank ones up to `min_rows`)."""
        self._rows = []
        for row in rows:
            self._append(row)
        while len(self._rows) < self.min_rows:
            self._append({})
        self._render()

    def add_row(self, row: dict | None = None) -> None:
        """Add a row (blank by default)."""
        self._append(row or {})
        self._render()
        self._changed()

    def remove_row(self, index: int) -> None:
        """Remove the row at `index` (0-based)."""
        if 0 <= index < len(self._rows):
            del self._rows[index]
            while len(self._rows) < self.min_rows:
                self._append({})
            self._render()
            self._changed()

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback()` whenever a cell changes or a row is added or removed."""
        self._listeners.append(callback)

    # -- internals ---------------------------------------------------------------------------------
    @staticmethod
    def _read(column: Column, widget: widgets.Widget) -> Any:
        value = widget.value
        if column.kind == "text":
            return value or ""
        return value

    def _make(self, column: Column, value: Any) -> widgets.Widget:
        layout = widgets.Layout(width=column.width)
        if column.kind == "date":
            w: widgets.Widget = widgets.DatePicker(value=as_date(value), layout=layout)
        elif column.kind == "choice":
            allowed = [v for _label, v in column.options]
            w = widgets.Dropdown(options=list(column.options), value=value if value in allowed else allowed[0], layout=layout)
        else:
            w = widgets.Text(value=str(value or ""), placeholder=column.placeholder, continuous_update=True, layout=layout)
        w.add_class(f"ck-col-{column.key}")
        w.observe(lambda _c: self._changed(), names="value")
        return w

    def _append(self, row: dict) -> None:
        self._rows.append({c.key: self._make(c, row.get(c.key)) for c in self.columns})

    def _render(self) -> None:
        lines = []
        for i, row in enumerate(self._rows):
            remove = classed(widgets.Button(description="Remove", layout=widgets.Layout(width="80px")), "ck-remove-row")
            remove.on_click(lambda _b, i=i: self.remove_row(i))
            lines.append(widgets.HBox([row[c.key] for c in self.columns] + [remove]))
        self._box.children = lines

    def _changed(self) -> None:
        for callback in self._listeners:
            callback()

