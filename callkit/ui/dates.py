"""Dates as coaches type them: a text box that reads "8 Dec", "08/12/2026" or "next Friday" and never loses it.

`DateField` is the widget: what was typed stays in the box, the date is shown back in words next to it, and a
date that cannot be used is refused with one sentence under it (its `.value` is then None and `.valid` False:
a form must check `.valid`, or `date_errors`, before it saves).

How a typed date is read is callkit.ui.date_reading (read_date); the settings that say how (dates.yaml) are
callkit.ui.date_settings. Every name they offer can still be imported from here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Mapping

import ipywidgets as widgets
import traitlets

from ..text import long_date
from .date_reading import (
    EXAMPLES,
    DateInputError,
    DateReading,
    read_date,
    read_date_detail,
)
from .date_settings import (
    MONTH_NAMES,
    ORDERS,
    SETTINGS_FILE,
    WEEKDAY_NAMES,
    WORKSPACE_ENV,
    DateSettings,
    locale_day_first,
)
from .markup import esc

__all__ = [
    "EXAMPLES", "MONTH_NAMES", "ORDERS", "PLACEHOLDER", "SETTINGS_FILE", "WEEKDAY_NAMES", "WORKSPACE_ENV",
    "DateField", "DateInputError", "DateReading", "DateSettings", "as_day", "date_errors", "locale_day_first",
    "read_date", "read_date_detail",
]

PLACEHOLDER = "e.g. 8 Dec 2026"


def as_day(value: Any) -> date | None:
    """A date from a date, a datetime or None (what setting a DateField's value accepts besides text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise traitlets.TraitError(f"A date field takes a date, text or None, not {type(value).__name__}.")


class _DayTrait(traitlets.TraitType):
    """A DateField's value: None is checked like any value (allow_none would skip the check that empties the box)."""

    default_value = None
    info_text = "a date, text or None"

    def validate(self, obj: Any, value: Any) -> Any:
        return value


# -- the widget --------------------------------------------------------------------------------------------------
class DateField(widgets.VBox):
    """A date box for the coaching page: type a date any usual way, see it back in words, keep what you typed.

    `.value` is the date (None when the box is empty or what is typed cannot be used); setting it fills the box
    in the page's format ("Tue 8 Dec 2026") - a string is read as if typed (a draft's ISO date, or a coach's text
    that could not be used, which then stays in the box with its sentence). `.text` is what the box holds,
    `.error` the sentence shown under it ("" when fine), `.valid` whether the box can be saved.
    `observe(..., names="value")` fires when the date changes; observe "text" to hear every edit.
    Drop-in for ipywidgets.DatePicker: `DateField(value=..., description="on", layout=Layout(width="200px"))`
    (the layout sizes the box).
    """

    value = _DayTrait()
    text = traitlets.Unicode("")
    error = traitlets.Unicode("")
    disabled = traitlets.Bool(False)

    def __init__(self, value: Any = None, description: str = "", placeholder: str = PLACEHOLDER,
                 layout: widgets.Layout | None = None, today: date | Callable[[], date] | None = None,
                 settings: DateSettings | None = None, css: str | None = None, compact: bool = False,
                 show_error: bool = True, **kwargs: Any):
        self._syncing = True  # set while callkit itself updates the box, so nothing is read twice
        self._today = today
        self._settings = settings
        width = getattr(layout, "width", None) or "200px"
        self.box = widgets.Text(placeholder=placeholder, continuous_update=False,
                                layout=widgets.Layout(width="100%" if compact else width))
        self.box.add_class("ck-date-input")
        self.shown = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.shown.add_class("ck-date-shown")
        self.problem = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.problem.add_class("ck-error")
        self.problem.add_class("ck-date-error")
        self.show_error = show_error
        parts: list[widgets.Widget] = []
        if description:
            parts.append(widgets.HTML(f'<span class="ck-date-label">{esc(description)}</span>'))
        parts += [self.box] + ([] if compact else [self.shown])
        line = widgets.HBox(parts, layout=widgets.Layout(align_items="center"))
        children = [line] + ([self.shown] if compact else []) + [self.problem]
        outer = widgets.Layout(width=width) if compact else widgets.Layout(width="auto")
        super().__init__(children, layout=outer, **kwargs)
        self.add_class("ck-date")
        if css:
            self.add_class(css)
        traitlets.link((self, "disabled"), (self.box, "disabled"))
        self.box.observe(self._typed, names="value")
        self._syncing = False
        if value is not None and value != "":
            self.value = value

    # -- what the form reads -----------------------------------------------------------------------------------
    @property
    def valid(self) -> bool:
        """True when the box is empty or holds a date that can be saved."""
        return not self.error

    @property
    def today(self) -> date:
        """The day "today", "tomorrow" and dates without a year are read from."""
        t = self._today
        return t() if callable(t) else (t or date.today())

    @property
    def settings(self) -> DateSettings:
        """How this box reads numbers-only dates and which years it allows."""
        return self._settings or DateSettings.current()

    def date_errors(self) -> dict[str, str]:
        """{"": sentence} when what is typed cannot be used, else {} (see `date_errors` for a whole form)."""
        return {"": self.error} if self.error else {}

    @property
    def kept_value(self) -> date | str | None:
        """What a draft keeps: the date, or the typed text when it cannot be used (setting `.value` to it restores it)."""
        return self.text if self.error else self.value

    # -- reading what was typed ----------------------------------------------------------------------------------
    def _typed(self, change: dict) -> None:
        if not self._syncing:
            self._apply(change["new"], *self._parse(change["new"]), set_value=True)

    @traitlets.observe("text")
    def _text_set(self, change: dict) -> None:
        if not self._syncing:
            self._fill(change["new"])
            self._apply(change["new"], *self._parse(change["new"]), set_value=True)

    def _parse(self, text: str) -> tuple[date | None, str]:
        try:
            return read_date(text, self.today, self.settings), ""
        except DateInputError as exc:
            return None, exc.problem

    def _apply(self, text: str, day: date | None, error: str, set_value: bool) -> None:
        """Show what `text` was read as (the words, or the sentence); the box itself is never touched here.

        The sentence and the date are set before the text, so whoever observes "value" or "text" reads them all new.
        """
        self._show(text, day, error)
        self._syncing = True
        try:
            self.error = error
            if set_value:
                self.value = day
            self.text = text
        finally:
            self._syncing = False

    @traitlets.validate("value")
    def _value_set(self, proposal: dict) -> date | None:
        new = proposal["value"]
        if self._syncing:
            return new
        if isinstance(new, str):  # a draft's ISO date, or text a coach typed that could not be used
            day, error = self._parse(new)
            text = long_date(day) if day else new
        else:
            day, error = as_day(new), ""
            text = long_date(day) if day else ""
        self._fill(text)
        self._apply(text, day, error, set_value=False)
        return day

    def _fill(self, text: str) -> None:
        self._syncing = True
        try:
            self.box.value = text
        finally:
            self._syncing = False

    def _show(self, text: str, day: date | None, error: str) -> None:
        words = long_date(day) if day else ""
        same = " ".join(text.split()).lower() == words.lower()
        self.shown.value = f"<span>{esc(words)}</span>" if words and not same else ""
        self.shown.layout.display = "" if self.shown.value else "none"
        self.problem.value = esc(error)
        self.problem.layout.display = "" if error and self.show_error else "none"
        if error:
            self.add_class("ck-date-invalid")
        else:
            self.remove_class("ck-date-invalid")


def date_errors(controls: Mapping[str, Any]) -> dict[str, str]:
    """The sentences of every date that cannot be used in a form's controls, keyed as InvalidInputError.errors.

    A DateField gives {"next_call": sentence}; a RowsEditor gives {"commitments.0.by": sentence} (0 = the index
    in its `.value`). A form raises InvalidInputError(date_errors(controls)) before building its record.
    """
    out: dict[str, str] = {}
    for name, control in controls.items():
        reader = getattr(control, "date_errors", None)
        if not callable(reader):
            continue
        for key, sentence in reader().items():
            out[f"{name}.{key}" if key else name] = sentence
    return out
