"""The report workers: a small pool of processes that survives the death of one, and dies with its parent.

`concurrent.futures.ProcessPoolExecutor` gives up on every queued job when one worker dies
("BrokenProcessPool"). Here each worker has its own pipe and runs one job at a time, so the parent always
knows which job a dead worker had: it starts a new worker and gives that job one more try; a job whose
worker dies twice comes back as a `WorkerLost`, and every other job goes on.

A worker never outlives the parent that started it: on Linux the kernel sends it SIGTERM when the parent
dies (PR_SET_PDEATHSIG), and everywhere a watchdog thread notices the parent is gone within a second. A
worker that stops kills its kernels first; kernels also watch their worker (ipykernel's parent poller).
Ctrl-C at the terminal reaches only the parent (workers ignore SIGINT), which stops the workers itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable

PR_SET_PDEATHSIG = 1
ATTEMPTS = 2  # a job whose worker dies is tried once more on a new worker
STOP_GRACE = 3.0  # seconds a worker gets to stop its kernels after SIGTERM before it is killed


@dataclass
class WorkerLost:
    """A job whose worker process died every time it was tried (killed, out of memory, a crash)."""

    exitcode: int | None
    attempts: int

    @property
    def reason(self) -> str:
        how = (f"killed by signal {-self.exitcode}" if self.exitcode is not None and self.exitcode < 0
               else f"exit code {self.exitcode}")
        times = "twice" if self.attempts == 2 else f"{self.attempts} times"
        return f"the report worker stopped unexpectedly {times} ({how})"


@dataclass
class JobFailed:
    """A job that raised inside its worker (callkit's jobs catch their own errors: this is a bug)."""

    error: str


@dataclass
class Job:
    """One call of `fn(*args)` in a worker; `key` names it in results."""

    key: Any
    fn: Callable[..., Any]
    args: tuple = ()
    attempts: int = 0


@dataclass
class _Worker:
    process: Any
    conn: Any
    job: Job | None = None
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """`size` worker processes (spawned, not forked) that each run `initializer(*initargs)` once."""

    def __init__(self, size: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()):
        self.size = max(1, size)
        self.initializer = initializer
        self.initargs = initargs
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self.replaced = 0
        for _ in range(self.size):
            self._workers.append(self._start())

    def _start(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(child_end, os.getpid(), self.initializer, self.initargs),
                                    daemon=True, name="callkit-report-worker")
        process.start()
        child_end.close()
        return _Worker(process=process, conn=parent_end)

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid]

    def run(self, jobs: Iterable[Job], on_result: Callable[[Job, Any], None],
            on_retry: Callable[[Job, int | None], None] | None = None) -> None:
        """Run every job; `on_result(job, result)` as each finishes (a WorkerLost when its worker died twice).

        A worker that dies is replaced at once; its job goes to the front of the queue with one try fewer.
        """
        pending = deque(jobs)
        while pending or any(w.job is not None for w in self._workers):
            for worker in self._workers:
                if worker.job is None and pending:
                    job = pending.popleft()
                    job.attempts += 1
                    try:
                        worker.conn.send((job.fn, job.args))
                        worker.job = job
                    except (BrokenPipeError, EOFError, OSError):
                        job.attempts -= 1
                        pending.appendleft(job)
                        self._replace(worker)
            busy = [w for w in self._workers if w.job is not None]
            if not busy:
                continue
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker, job in [(w, w.job) for w in busy if w.job is not None]:
                result: Any = None
                got = False
                if worker.conn in ready:
                    try:
                        result = worker.conn.recv()
                        got = True
                    except (EOFError, OSError):
                        got = False
                if got:
                    worker.job = None
                    on_result(job, result)
                elif worker.conn in ready or worker.process.sentinel in ready:
                    worker.process.join(1)
                    exitcode = worker.process.exitcode
                    worker.job = None
                    self._replace(worker)
                    if job.attempts < ATTEMPTS:
                        if on_retry is not None:
                            on_retry(job, exitcode)
                        pending.appendleft(job)
                    else:
                        on_result(job, WorkerLost(exitcode=exitcode, attempts=job.attempts))

    def _replace(self, worker: _Worker) -> None:
        """Start a new worker in a dead one's place."""
        try:
            worker.conn.close()
        except OSError:
            pass
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(1)
        index = self._workers.index(worker)
        self._workers[index] = self._start()
        self.replaced += 1

    def close(self) -> None:
        """Let the workers finish and exit (they stop their kernels on the way out)."""
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except (BrokenPipeError, EOFError, OSError):
                pass
        deadline = time.monotonic() + 10
        for worker in self._workers:
            worker.process.join(max(0.1, deadline - time.monotonic()))
        self.kill()

    def kill(self) -> None:
        """Stop every worker now: SIGTERM (a worker kills its kernels and exits), SIGKILL for any still there."""
        for worker in self._workers:
            if worker.process.is_alive():
                try:
                    worker.process.terminate()
                except OSError:
                    pass
        deadline = time.monotonic() + STOP_GRACE
        for worker in self._workers:
            worker.process.join(max(0.05, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
            try:
                worker.conn.close()
            except OSError:
                pass

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


# -- inside a worker -------------------------------------------------------------------------------


def _stop_kernels() -> None:
    """Kill every kernel this worker started (both engines' kernels are PrivateKernelManagers)."""
    try:
        from .kernels import kill_all

        kill_all()
    except Exception:  # noqa: BLE001 - stopping anyway
        pass


def _on_sigterm(signum: int, frame: Any) -> None:
    _stop_kernels()
    os._exit(128 + signum)


def die_with_parent(parent_pid: int) -> None:
    """Make this process stop when `parent_pid` does: PR_SET_PDEATHSIG on Linux, and a watchdog thread."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        _stop_kernels()
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                _stop_kernels()
                os._exit(1)

    threading.Thread(target=watch, name="callkit-parent-watch", daemon=True).start()


def worker_main(conn: Any, parent_pid: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """A worker's life: die with the parent, ignore Ctrl-C (the parent handles it), run jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)
    try:
        while True:
            try:
                item = conn.recv()
            except (EOFError, OSError):
                break
            if item is None:
                break
            fn, args = item
            try:
                result = fn(*args)
            except Exception as exc:  # noqa: BLE001 - the parent lists it; this worker goes on
                result = JobFailed(f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300])
            try:
                conn.send(result)
            except (BrokenPipeError, EOFError, OSError):
                break
    finally:
        _stop_kernels()
