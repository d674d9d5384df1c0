"""Executed notebook -> one self-contained HTML page: small preprocessors and callkit's own offline template.

Heavy: imports nbconvert. Only the report workers import this module (once per worker process).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from nbformat import NotebookNode

from ..exceptions import ReportError

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "callkit_report"
REMOVE_TAG = "remove-from-report"  # cells that explain the notebook to its readers in Jupyter, not in the page

_RICH_TYPES = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown")


class DropNoise(Preprocessor):
    """Drop what a reader should never see: stderr streams, and the text/plain twin of a richer output."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type != "code":
            return cell, resources
        kept = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                continue
            data = output.get("data")
            if data is not None and "text/plain" in data and any(t in data for t in _RICH_TYPES):
                del data["text/plain"]
            kept.append(output)
        cell.outputs = kept
        return cell, resources


class StripRunMetadata(Preprocessor):
    """Remove execution bookkeeping (papermill timings, execution counts) that the page does not use."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        nb.metadata.pop("papermill", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output.execution_count = None
        return cell, resources


class _MarkupScanner(HTMLParser):
    """Collects tags and attributes that must never appear in a report's own outputs."""

    FORBIDDEN_TAGS = frozenset({"script", "iframe", "object", "embed", "link", "meta", "base", "form", "frame", "foreignobject"})
    URL_ATTRS = frozenset({"src", "href", "xlink:href", "action", "formaction", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an {name}= attribute on <{tag}>")
            elif name in self.URL_ATTRS and value:
                url = value.strip().lower()
                if not (url.startswith("#") or url.startswith("data:image/")) and ":" in url.split("/")[0]:
                    self.problems.append(f"a link to {url.split(':')[0]}: on <{tag}>")
                elif url.startswith("//"):
                    self.problems.append(f"a network link on <{tag}>")
            elif name == "style" and value and "url(" in value.lower():
                self.problems.append(f"a style that loads a url on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def markup_problems(markup: str) -> list[str]:
    """What in `markup` could run code or load from the network (empty when it is safe to embed)."""
    scanner = _MarkupScanner()
    scanner.feed(markup)
    scanner.close()
    return scanner.problems


class GuardMarkup(Preprocessor):
    """Refuse a page whose HTML/SVG outputs hold a script, an event handler or a network link.

    The report helpers escape every rep-typed text; this is the second line: unescaped text fails the
    report loudly instead of shipping markup to a rep's browser.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            for mime in ("text/html", "image/svg+xml"):
                if mime in data:
                    problems = markup_problems(_text(data[mime]))
                    if problems:
                        rep_id = resources.get("callkit", {}).get("rep_id", "?")
                        raise ReportError(rep_id, f"the page would contain {problems[0]} (cell {index + 1}); "
                                                  "text from the workspace must be escaped.")
        return cell, resources


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def make_exporter() -> HTMLExporter:
    """One HTMLExporter with callkit's template and preprocessors; build it once per worker and reuse it."""
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,
    )
    remove = TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG})
    for preprocessor in (remove, DropNoise(), StripRunMetadata(), GuardMarkup()):
        exporter.register_preprocessor(preprocessor, enabled=True)
    return exporter


def export_html(exporter: HTMLExporter, nb: NotebookNode, rep_id: str, title: str) -> str:
    """Render an executed report notebook to a full HTML page (raises ReportError on unsafe markup)."""
    html, _ = exporter.from_notebook_node(nb, resources={"callkit": {"rep_id": rep_id, "title": title}})
    return html
