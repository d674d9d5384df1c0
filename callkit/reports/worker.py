"""What one report worker process does: compute a rep's figures, run the notebook with papermill, export HTML.

Each worker imports papermill and nbconvert once (its initializer), keeps one HTMLExporter, and sends its
own and its kernels' terminal output to a log file so ipykernel's start-up and shutdown chatter never
reaches the user's terminal. With the warm engine (the default) it also keeps its kernel between reps
(`callkit.reports.engine`); with either engine its kernels talk over IPC files in a private folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .result import RepResult


EXECUTION_TIMEOUT = 600  # seconds one notebook cell may run before the rep is reported as failed
KERNEL_ENGINE_OPTIONS: dict[str, Any] = {"shutdown_kernel": "immediate"}
KERNEL_START_ATTEMPTS = 3
ENGINES = ("warm", "standard")  # callkit reports --engine: kept kernels (callkit-warm) or papermill's own
DEFAULT_ENGINE = "warm"

_state: dict[str, Any] = {}


@dataclass(frozen=True)
class RenderTask:
    """One rep's notebook run: where the notebook is, its parameters, and where the results go."""

    rep_id: str
    title: str
    slug: str
    notebook: str
    parameters: dict[str, Any]
    out_dir: str
    failed_dir: str
    work_dir: str
    engine: str = DEFAULT_ENGINE


def peak_memory() -> dict[str, int]:
    """The most memory (resident, in bytes) this worker and any of its kernels has used so far.

    Read from /proc (VmHWM: the figure of this program alone, where getrusage would count the memory of the
    process it was started from); a kernel's while it runs, or as it was just before it stopped
    (`kernels.stopped_kernel_peak`). getrusage where there is no /proc; zero where the system does not say."""
    from .kernels import live_kernel_pids, stopped_kernel_peak

    worker = process_peak(os.getpid())
    kernel = stopped_kernel_peak()
    for pid in live_kernel_pids():
        kernel = max(kernel, process_peak(pid, fallback=False))
    return {"worker": worker, "kernel": kernel}


def process_peak(pid: int, fallback: bool = True) -> int:
    """A process's peak resident memory in bytes (VmHWM), or getrusage's figure for this process."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if not fallback or pid != os.getpid():
        return 0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def worker_name() -> str:
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def init_worker(log_path: str | None) -> None:
    """Pool initializer: quiet the terminal, import papermill and nbconvert once, build one exporter."""
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(fd, 1)  # kernels inherit these: their start-up and shutdown notices land in the log
        os.dup2(fd, 2)
        os.close(fd)
    import_papermill()
    _exporter()


def import_papermill() -> None:
    """Import papermill (and through it nbformat and jsonschema) once per worker, without the 0.8 s that
    jsonschema spends on `rfc3987_syntax` when that optional package is installed (Voila's dependencies bring
    it): it only checks "iri" formats, which no notebook schema uses. A None entry in sys.modules makes that
    optional import fail the way jsonschema expects of a missing package, here and in nothing else."""
    if "papermill" in sys.modules:
        return
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import papermill  # noqa: F401


def _exporter() -> Any:
    """This worker's one HTMLExporter (template compiled once, reused for every report)."""
    if "exporter" not in _state:
        from .export import make_exporter

        _state["exporter"] = make_exporter()
    return _state["exporter"]


def compute_rep(workspace_path: str, rep_id: str, since: str, until: str,
                norms: dict[str, float] | None = None, cache_dir: str | None = None) -> tuple[str, str | None, str | None]:
    """Phase one, in a worker: (rep id, the rep's summary as compact JSON text, None), or (rep id, None, a one-line
    error).

    `norms` are the team's usual days per stage, worked out once by the parent for every rep. With `cache_dir`
    (the rep's report will be built) the full data is written there for the rep's kernel. Only the summary the
    team figures and the index need comes back (`compute.rep_summary`), as one string of a few hundred bytes:
    the parent keeps those (`data.RepSummaries`), not every rep's report or a tree of Python objects per rep."""
    from .compute import compute_rep_data, rep_summary
    from .data import compact_json, open_cached_workspace, rep_cache_path, write_json

    try:
        ws = open_cached_workspace(workspace_path)
        data = compute_rep_data(ws, rep_id, since, until, norms)
        if cache_dir is not None:
            write_json(rep_cache_path(cache_dir, rep_id), data)
        return rep_id, compact_json(rep_summary(data)), None
    except Exception as exc:  # one rep's bad data must not stop the others; its notebook run shows the error
        error = one_line(exc)
        print(f"scoring rep {rep_id!r} failed: {error}", file=sys.stderr, flush=True)  # the worker log
        return rep_id, None, error


def render_rep(task: RenderTask) -> RepResult:
    """Execute the report notebook for one rep and write `<slug>.html`; never raises."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from ..exceptions import ReportError
    from .export import export_html

    start = time.perf_counter()
    outcome = RepResult(rep_id=task.rep_id, slug=task.slug)
    html_path = Path(task.out_dir) / f"{task.slug}.html"
    run_path = Path(task.work_dir) / f"{task.slug}.ipynb"
    failed_path = Path(task.failed_dir) / f"{task.slug}.ipynb"
    try:
        nb = _execute(task, run_path)
        outcome.timings["execute"] = time.perf_counter() - start
        mark = time.perf_counter()
        html = export_html(_exporter(), nb, task.rep_id, task.title)
        _write_atomic(html_path, html)
        outcome.timings["export"] = time.perf_counter() - mark
        outcome.html_path = html_path
        run_path.unlink(missing_ok=True)
        failed_path.unlink(missing_ok=True)
    except PapermillExecutionError as exc:
        outcome.error = _cell_error(exc)
    except DeadKernelError:
        outcome.error = "the notebook's kernel stopped unexpectedly (it may have run out of memory)"
    except CellTimeoutError:
        outcome.error = f"a notebook cell ran for more than {EXECUTION_TIMEOUT} seconds"
    except ReportError as exc:
        outcome.error = exc.problem
    except Exception as exc:  # a kernel that will not start, a disk that is full: still just this rep
        outcome.error = one_line(exc)
    if outcome.error is not None:
        html_path.unlink(missing_ok=True)  # never leave last period's page looking current
        kept = _keep_failed(task, run_path, failed_path)
        outcome.failed_notebook = Path(kept) if kept else None
    outcome.seconds = time.perf_counter() - start
    outcome.worker = worker_name()
    outcome.memory = peak_memory()
    return outcome


def _execute(task: RenderTask, run_path: Path) -> Any:
    """Run the notebook with papermill; a kernel that fails to *start* is retried (no cell has run yet).

    With several workers, two kernels now and then pick the same free port and one dies before it replies
    ("Kernel died before replying to kernel_info"); that is not the rep's fault.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    attempt = 1
    while True:
        try:
            return papermill.execute_notebook(
                task.notebook,
                str(run_path),
                parameters=task.parameters,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=EXECUTION_TIMEOUT,
                **engine_options(task.engine),
            )
        except (DeadKernelError, CellTimeoutError):
            raise  # the kernel started and ran cells: trying again would repeat what happened
        except (RuntimeError, TimeoutError) as exc:  # the kernel did not start or did not answer
            if attempt >= KERNEL_START_ATTEMPTS:
                raise
            attempt += 1
            print(f"rep {task.rep_id!r}: kernel did not start ({exc}); trying again", file=sys.stderr, flush=True)


def engine_options(engine: str) -> dict[str, Any]:
    """papermill.execute_notebook's engine arguments for `--engine warm` or `--engine standard`.

    Both keep report kernels off TCP: the warm engine starts its own private kernels, and papermill's standard
    engine is given the same private kernel manager."""
    from .kernels import PrivateKernelManager

    if engine == "standard":
        return {**KERNEL_ENGINE_OPTIONS, "kernel_manager_class": PrivateKernelManager}
    if engine == "warm":
        from .engine import ENGINE_NAME

        return {"engine_name": ENGINE_NAME}
    raise ValueError(f"unknown report engine {engine!r}")


def render_remote(payload: dict[str, Any], team: dict[str, Any], notebook_text: str) -> dict[str, Any]:
    """One rep's report on a machine without the workspace (a Dask worker): the task carries the rep's data
    and the team's figures; the HTML (or the error and the failed notebook) comes back as text.

    Nothing is left on the worker: the figures and the notebook live in a temporary folder for the run."""
    from .data import rep_cache_path, team_cache_path, write_json

    if "exporter" not in _state:
        import_papermill()

    with tempfile.TemporaryDirectory(prefix="callkit-report-") as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        write_json(team_cache_path(cache), team)
        write_json(rep_cache_path(cache, payload["rep_id"]), payload["data"])
        notebook = folder / "rep_report.ipynb"
        notebook.write_text(notebook_text, encoding="utf-8")
        parameters = {**payload["parameters"], "cache_dir": str(cache)}
        task = RenderTask(rep_id=payload["rep_id"], title=payload["title"], slug=payload["slug"],
                          notebook=str(notebook), parameters=parameters, out_dir=str(folder),
                          failed_dir=str(folder / "failed"), work_dir=str(folder), engine=payload["engine"])
        outcome = render_rep(task)
        html = Path(outcome.html_path).read_text(encoding="utf-8") if outcome.html_path else None
        failed = (Path(outcome.failed_notebook).read_text(encoding="utf-8")
                  if outcome.failed_notebook and Path(outcome.failed_notebook).is_file() else None)
    return {"rep_id": task.rep_id, "html": html, "error": outcome.error, "failed_notebook": failed,
            "seconds": outcome.seconds, "timings": outcome.timings, "pid": os.getpid(), "worker": outcome.worker,
            "memory": outcome.memory}


def _keep_failed(task: RenderTask, run_path: Path, failed_path: Path) -> str | None:
    """Move the executed notebook to the failures folder; if the kernel died before papermill saved it, keep
    the notebook with its injected parameters so it can be rerun in Jupyter."""
    try:
        failed_path.parent.mkdir(parents=True, exist_ok=True)
        if run_path.exists():
            shutil.move(str(run_path), failed_path)
        else:
            import papermill

            papermill.execute_notebook(task.notebook, str(failed_path), parameters=task.parameters,
                                       prepare_only=True, progress_bar=False)
        return str(failed_path)
    except Exception:  # keeping the notebook is a courtesy; the error line is what matters
        return None


def _cell_error(exc: Any) -> str:
    value = " ".join(str(exc.evalue).split())
    line = f"{exc.ename}: {value}" if value else str(exc.ename)
    return _clip(line + (f" (notebook cell {exc.exec_count})" if exc.exec_count else ""))


def one_line(exc: BaseException) -> str:
    """An exception as one line a manager can read: the message of a CallkitError, else `Type: message`."""
    from ..exceptions import CallkitError

    text = " ".join(str(exc).split())
    if isinstance(exc, CallkitError):
        return _clip(text or type(exc).__name__)
    return _clip(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader (or a kill) never sees half of it."""
    _write_atomic(path, text)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
