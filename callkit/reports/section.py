"""A piece of a report page: the HTML a notebook cell shows, and a few words for a plain-text view."""

from __future__ import annotations


class Section:
    """A piece of report HTML; Jupyter and nbconvert show it through `_repr_html_`."""

    def __init__(self, html: str, text: str = ""):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "(report section)"
