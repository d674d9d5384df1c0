"""Reports on a Dask cluster: `callkit reports WS --out DIR --scheduler tcp://HOST:8786`.

The parent scores the team on this machine (it has the workspace), then sends one task per rep to the
cluster. A task carries the rep's data and the notebook; the team's figures go to every worker once. So a
Dask worker needs callkit installed (`pip install 'callkit[dask]'`) but no access to the workspace file. The
HTML comes back to this machine, which writes the files and the index, exactly as with the local pool.

A worker that dies while building a report is replaced by Dask and the task runs again elsewhere (the
scheduler's `distributed.scheduler.allowed-failures`); a task Dask gives up on is listed as failed, with the
other reps going on. Only a few tasks per worker are in flight at once, so this machine's memory does not grow
with the team.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping

from ..exceptions import CallkitError
from .data import rep_cache_path
from .progress import Progress
from .result import RepResult
from .worker import RenderTask, render_remote, write_atomic

IN_FLIGHT_PER_WORKER = 4
CONNECT_TIMEOUT = "20s"
INSTALL_HINT = "pip install 'callkit[dask]'"


class SchedulerError(CallkitError):
    """The Dask scheduler cannot be used: Dask is not installed, the address is wrong, or nobody answers."""

    def __init__(self, scheduler: str, problem: str):
        self.scheduler = scheduler
        self.problem = problem
        super().__init__(problem)


def check_scheduler_address(scheduler: str) -> None:
    """Refuse, before any work, an address that is not tcp://HOST:PORT or a machine without Dask."""
    if "://" not in scheduler or not scheduler.split("://", 1)[1]:
        raise SchedulerError(scheduler, f"The scheduler address {scheduler!r} must look like tcp://HOST:8786.")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise SchedulerError(scheduler, f"Reports on a Dask cluster need Dask on this machine: {INSTALL_HINT}, "
                                        "then run the same command again.") from None


def connect(scheduler: str) -> Any:
    """A Dask client for `scheduler`, or a SchedulerError in one sentence."""
    check_scheduler_address(scheduler)
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(scheduler, f"No Dask scheduler answered at {scheduler} ({type(exc).__name__}): start "
                                        "one with 'dask scheduler' and its workers with 'dask worker ADDRESS', "
                                        "or check the address.") from None


def render_on_cluster(client: Any, tasks: list[RenderTask], cache: Path, team: Mapping[str, Any],
                      notebook: Path, names: dict[str, str], progress: bool,
                      record: Callable[[RepResult], None], batch: Any = None) -> None:
    """Build every task's report on the cluster `client` is connected to; `record(outcome)` as each comes back,
    its files already written. Closes the client."""
    from distributed import as_completed

    from .run import report_done

    bar = Progress(len(tasks), "Writing reports", progress)
    if batch is not None:
        batch.bars.append(bar)
    futures: dict[Any, RenderTask] = {}
    try:
        workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        team_future = client.scatter(team, broadcast=True, hash=False)
        notebook_future = client.scatter(notebook.read_text(encoding="utf-8"), broadcast=True, hash=False)
        queue = iter(tasks)
        running: Any = None

        def submit() -> bool:
            task = next(queue, None)
            if task is None:
                return False
            data = json.loads(rep_cache_path(cache, task.rep_id).read_text(encoding="utf-8"))
            payload = {"rep_id": task.rep_id, "title": task.title, "slug": task.slug, "data": data,
                       "parameters": task.parameters, "engine": task.engine}
            future = client.submit(render_remote, payload, team_future, notebook_future, pure=False, retries=1,
                                   key=f"callkit-report-{task.slug}-{uuid.uuid4().hex[:8]}")
            futures[future] = task
            if running is not None:
                running.add(future)
            return True

        for _ in range(workers * IN_FLIGHT_PER_WORKER):
            if not submit():
                break
        running = as_completed(list(futures), loop=client.loop)
        for future in running:
            task = futures.pop(future)
            outcome = _outcome(task, future)
            record(outcome)
            report_done(bar, task, outcome, names)
            submit()
        bar.close()
    finally:
        if futures:
            client.cancel(list(futures))
        client.close()


def _outcome(task: RenderTask, future: Any) -> RepResult:
    """Write what came back from the cluster (the page, or the failed notebook) and say what happened."""
    outcome = RepResult(rep_id=task.rep_id, slug=task.slug)
    try:
        result = future.result()
    except Exception as exc:  # noqa: BLE001 - the worker died every time (KilledWorker) or the task was lost
        from distributed import KilledWorker

        outcome.error = ("the Dask workers running this report stopped unexpectedly" if isinstance(exc, KilledWorker)
                         else f"the Dask cluster could not build this report ({type(exc).__name__})")
        return outcome
    outcome.seconds = result["seconds"]
    outcome.timings = dict(result["timings"])
    outcome.worker = result.get("worker", "")
    outcome.memory = dict(result.get("memory") or {})
    html_path = Path(task.out_dir) / f"{task.slug}.html"
    if result["html"] is not None:
        write_atomic(html_path, result["html"])
        outcome.html_path = html_path
        (Path(task.failed_dir) / f"{task.slug}.ipynb").unlink(missing_ok=True)
        return outcome
    outcome.error = result["error"]
    html_path.unlink(missing_ok=True)
    if result["failed_notebook"] is not None:
        failed = Path(task.failed_dir) / f"{task.slug}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(failed, result["failed_notebook"])
        outcome.failed_notebook = failed
    return outcome
