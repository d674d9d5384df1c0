"""A form field: a label, an optional prompt, the input widget, and the problem shown right under it."""

from __future__ import annotations

from typing import TypeVar

import ipywidgets as widgets

from .markup import esc

W = TypeVar("W", bound=widgets.DOMWidget)


class LabeledField(widgets.VBox):
    """Label + prompt + control + error line; `show_error` puts a plain sentence next to the input."""

    def __init__(self, label: str, control: widgets.Widget, hint: str = "", css: str | None = None):
        self.control = control
        self.error = classed(widgets.HTML("", layout=widgets.Layout(display="none")), "ck-error")
        parts: list[widgets.Widget] = [widgets.HTML(f"<b>{esc(label)}</b>")]
        if hint:  # hints are written by callkit (they may quote the seeds with <q>), never by a rep
            parts.append(widgets.HTML(f'<div class="ck-hint">{hint}</div>'))
        parts += [control, self.error]
        super().__init__(parts, layout=widgets.Layout(margin="0 0 8px 0", width="100%"))
        self.add_class("ck-field")
        if css:
            self.add_class(css)

    def show_error(self, message: str) -> None:
        """Show one sentence under the input (the input keeps its value)."""
        self.error.value = esc(message)
        self.error.layout.display = ""

    def clear_error(self) -> None:
        """Hide the error line."""
        self.error.value = ""
        self.error.layout.display = "none"

    @property
    def error_text(self) -> str:
        """The error shown now, or ''."""
        return self.error.value


EXAMPLE_PREFIX = "e.g. "


def example(text: str) -> str:
    """A placeholder that reads as an example, not an entry: 'Priya Shah' -> 'e.g. Priya Shah' ('' stays '').

    The page shows placeholders lighter and in italics too; text that already starts with 'e.g.' is kept.
    """
    text = (text or "").strip()
    if not text or text.lower().startswith("e.g."):
        return text
    return EXAMPLE_PREFIX + text


def textarea(placeholder: str = "", rows: int = 2) -> widgets.Textarea:
    """A full-width text box that sends every keystroke (the scorecard is debounced)."""
    return widgets.Textarea(
        placeholder=placeholder, rows=rows, continuous_update=True, layout=widgets.Layout(width="100%")
    )


def classed(widget: W, *css: str) -> W:
    """The widget with CSS classes added (the ck-... classes the page style and browser tests use)."""
    for name in css:
        widget.add_class(name)
    return widget
