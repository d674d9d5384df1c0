"""An editable list of rows (attendees, commitments, follow-ups): one line of inputs per row, add and remove.

A "date" column is a DateField: the coach types "8 Dec", "next Friday" or 08/12/2026, sees the date back in
words, and a date that cannot be used keeps its text and gets its sentence under the row (`date_errors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Sequence

import ipywidgets as widgets

from .dates import DateField, DateSettings
from .fields import classed
from .markup import esc


@dataclass(frozen=True)
class Column:
    """One input of a row: kind 'text', 'date' or 'choice' (options are (label, value) pairs).

    A placeholder is an example of what to type: start it with "e.g. " (fields.example does).
    """

    key: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    width: str = "220px"
    placeholder: str = ""


def is_blank_row(row: dict, columns: Sequence[Column]) -> bool:
    """A row with nothing typed in its text and date inputs (choices always have a value; a bad date is typed)."""
    return all(not row.get(c.key) for c in columns if c.kind != "choice")


def clean_rows(rows: Sequence[dict], columns: Sequence[Column]) -> list[dict]:
    """The rows with something typed, text stripped; blank rows are dropped (a date cell is a date, None, or the
    text typed when it is not a date callkit can use)."""
    out = []
    for row in rows:
        if is_blank_row(row, columns):
            continue
        out.append({c.key: (row.get(c.key) or "").strip() if c.kind == "text" else row.get(c.key) for c in columns})
    return out


@dataclass
class _Row:
    """One row on the page: its cells by column key, and the line under it for its date problems."""

    cells: dict[str, widgets.Widget]
    error_line: widgets.HTML


class RowsEditor(widgets.VBox):
    """Rows of inputs with a remove button each and an 'Add' button; `value` is the non-blank rows.

    `today` and `settings` are how the date columns read "next Friday" and 08/12/2026 (see callkit.ui.dates).
    """

    def __init__(self, columns: Sequence[Column], add_label: str = "Add a row", min_rows: int = 1,
                 today: date | Callable[[], date] | None = None, settings: DateSettings | None = None):
        self.columns = list(columns)
        self.min_rows = min_rows
        self.today = today
        self.settings = settings
        self._rows: list[_Row] = []
        self._listeners: list[Callable[[], None]] = []
        self._box = widgets.VBox()
        self.add_button = classed(widgets.Button(description=add_label, layout=widgets.Layout(width="auto")), "ck-add-row")
        self.add_button.on_click(lambda _b: self.add_row())
        header = widgets.HBox(
            [classed(widgets.HTML(f'<span class="ck-col-label">{esc(c.label)}</span>',
                                  layout=widgets.Layout(width=c.width)), "ck-col-head") for c in self.columns]
        )
        super().__init__([header, self._box, self.add_button], layout=widgets.Layout(align_items="flex-start"))
        self.add_class("ck-rows")
        self.set_value([])

    # -- values ------------------------------------------------------------------------------------
    def raw_rows(self) -> list[dict]:
        """Every row as shown, blank ones included."""
        return [self._read_row(row) for row in self._rows]

    @property
    def value(self) -> list[dict]:
        """The rows with something typed in them (a date that cannot be used is kept as the text typed)."""
        return clean_rows(self.raw_rows(), self.columns)

    def row_numbers(self) -> list[int]:
        """For each entry of `value`, the row number (1-based) the coach sees."""
        return [i + 1 for i, row in enumerate(self.raw_rows()) if not is_blank_row(row, self.columns)]

    def date_errors(self) -> dict[str, str]:
        """{"0.by": sentence} for each date that cannot be used; 0 is the row's index in `value`, as in
        InvalidInputError.errors (so `row_numbers` names the row the coach sees)."""
        out: dict[str, str] = {}
        kept = [row for row in self._rows if not is_blank_row(self._read_row(row), self.columns)]
        for index, row in enumerate(kept):
            for key, sentence in self._date_sentences(row).items():
                out[f"{index}.{key}"] = sentence
        return out

    def row_errors(self) -> dict[int, str]:
        """{row number the coach sees (1-based): its date sentences} for the rows with a date that cannot be used."""
        return {number: " ".join(sentences.values()) for number, row in enumerate(self._rows, start=1)
                if (sentences := self._date_sentences(row))}

    @property
    def valid(self) -> bool:
        """True when every date typed in the rows can be used."""
        return not self.row_errors()

    def set_value(self, rows: Sequence[dict]) -> None:
        """Show these rows (plus blank ones up to `min_rows`); a date may be a date, ISO text or text a coach typed."""
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

    def cell(self, index: int, key: str) -> widgets.Widget:
        """The input of row `index` (0-based, as shown) in column `key`."""
        return self._rows[index].cells[key]

    # -- internals ---------------------------------------------------------------------------------
    def _read_row(self, row: _Row) -> dict:
        return {c.key: self._read(c, row.cells[c.key]) for c in self.columns}

    @staticmethod
    def _read(column: Column, widget: widgets.Widget) -> Any:
        if column.kind == "date":
            return widget.kept_value  # the date, or the typed text when it cannot be used
        value = widget.value
        if column.kind == "text":
            return value or ""
        return value

    def _date_sentences(self, row: _Row) -> dict[str, str]:
        return {c.key: row.cells[c.key].error for c in self.columns if c.kind == "date" and row.cells[c.key].error}

    def _make(self, column: Column, value: Any) -> widgets.Widget:
        layout = widgets.Layout(width=column.width)
        if column.kind == "date":
            return DateField(value=value, layout=layout, today=self.today, settings=self.settings, compact=True,
                             show_error=False, css=f"ck-col-{column.key}")
        if column.kind == "choice":
            allowed = [v for _label, v in column.options]
            w: widgets.Widget = widgets.Dropdown(options=list(column.options),
                                                 value=value if value in allowed else allowed[0], layout=layout)
        else:
            w = widgets.Text(value=str(value or ""), placeholder=column.placeholder, continuous_update=True, layout=layout)
        w.add_class(f"ck-col-{column.key}")
        return w

    def _append(self, values: dict) -> None:
        error_line = classed(widgets.HTML("", layout=widgets.Layout(display="none")), "ck-error", "ck-row-error")
        row = _Row({c.key: self._make(c, values.get(c.key)) for c in self.columns}, error_line)
        for c in self.columns:
            if c.kind == "date":  # every edit of the text, even one that is not a date yet, is a change
                row.cells[c.key].observe(lambda _c, row=row: self._date_edited(row), names="text")
            else:
                row.cells[c.key].observe(lambda _c: self._changed(), names="value")
        self._rows.append(row)
        self._show_row_error(row)

    def _date_edited(self, row: _Row) -> None:
        self._show_row_error(row)
        self._changed()

    @staticmethod
    def _show_row_error(row: _Row) -> None:
        """Put the row's date sentences under it (the cell itself is too narrow for a sentence)."""
        sentences = [w.error for w in row.cells.values() if isinstance(w, DateField) and w.error]
        row.error_line.value = esc(" ".join(sentences))
        row.error_line.layout.display = "" if sentences else "none"

    def _render(self) -> None:
        lines = []
        for i, row in enumerate(self._rows):
            remove = classed(widgets.Button(description="Remove", layout=widgets.Layout(width="90px")), "ck-remove-row")
            remove.on_click(lambda _b, i=i: self.remove_row(i))
            line = widgets.HBox([row.cells[c.key] for c in self.columns] + [remove],
                                layout=widgets.Layout(align_items="flex-start"))
            lines.append(classed(widgets.VBox([line, row.error_line]), "ck-row"))
        self._box.children = lines

    def _changed(self) -> None:
        for callback in self._listeners:
            callback()


def watch_edits(controls: Iterable[Any], on_edit: Callable[..., Any]) -> None:
    """Call `on_edit` whenever the coach changes any of a form's controls: a rows editor when a row changes, a
    date field also when its text cannot be read as a date, every other widget when its value changes."""
    for control in controls:
        if isinstance(control, RowsEditor):
            control.on_change(on_edit)
        elif isinstance(control, DateField):  # "text" hears a date that cannot be used, too
            control.observe(on_edit, names=["value", "text"])
        else:
            control.observe(on_edit, names="value")
