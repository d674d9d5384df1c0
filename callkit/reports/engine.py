"""`callkit-warm`: a papermill engine that keeps its kernel between notebooks instead of starting one per run.

Starting a kernel, importing callkit into it and shutting it down is most of the time a small report costs.
This engine keeps one kernel per process (per thread, and per kernel name) and runs notebook after notebook
in it, so `papermill -e callkit-warm in.ipynb out.ipynb` and `callkit reports --engine warm` pay for the
start-up once per worker instead of once per rep.

What keeps one notebook from seeing the last one:

- before every notebook but a kernel's first, the namespace is reset (IPython's `reset(new_session=True)`:
  every variable goes, the execution count starts at 1 again) and the working folder is set back to the
  one a fresh kernel would have; imported modules stay imported, which is the point;
- a kernel is replaced after `max_reps_per_kernel` notebooks (default 50; the CALLKIT_WARM_KERNEL_REPS
  environment variable or the engine keyword of the same name), after any notebook that stopped on an
  error or timed out, and whenever it dies;
- a kernel that dies while running a notebook costs that notebook one retry on a fresh kernel; a second
  death is reported as papermill reports it (DeadKernelError).

Output notebooks are the ones the standard engine writes, apart from timings. Kernels talk over IPC files in
a private folder (`callkit.reports.kernels`). Registered through papermill's own `papermill.engine` entry
point in callkit's pyproject.toml.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from papermill.engines import Engine, NotebookExecutionManager
from papermill.utils import merge_kwargs, remove_args

from .kernels import PrivateKernelManager, kill_now

ENGINE_NAME = "callkit-warm"
MAX_REPS_PER_KERNEL = 50
MAX_REPS_VARIABLE = "CALLKIT_WARM_KERNEL_REPS"

log = logging.getLogger("papermill")

# What runs in a used kernel before the next notebook: back to the folder a fresh kernel would start in,
# then a new session (no variables, execution count 1). Silent: it leaves nothing in any notebook.
RESET_CODE = """\
import os as __callkit_os
__callkit_os.chdir({cwd!r})
get_ipython().reset(new_session=True)
"""


@dataclass
class WarmKernel:
    """One kernel kept between notebooks: its manager, its client, and how many notebooks it has run."""

    kernel_name: str
    km: Any
    kc: Any = None
    runs: int = 0

    @property
    def started(self) -> bool:
        return self.kc is not None


class KernelPool:
    """The warm kernels of this process, one per (thread, kernel name); killed when the process exits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kernels: dict[tuple[int, str], WarmKernel] = {}

    def get(self, kernel_name: str) -> WarmKernel:
        """This thread's kernel for `kernel_name` (a new, not yet started one when there is none)."""
        key = (threading.get_ident(), kernel_name)
        with self._lock:
            kernel = self._kernels.get(key)
            if kernel is None:
                kernel = WarmKernel(kernel_name=kernel_name, km=PrivateKernelManager(kernel_name=kernel_name))
                self._kernels[key] = kernel
            return kernel

    def discard(self, kernel: WarmKernel) -> None:
        """Stop a kernel now and forget it: the next notebook on this thread gets a fresh one."""
        with self._lock:
            for key, value in list(self._kernels.items()):
                if value is kernel:
                    del self._kernels[key]
        _stop(kernel)

    def kill_all(self) -> None:
        """Kill every kernel of this process at once (the process is exiting or was told to stop)."""
        with self._lock:
            kernels = list(self._kernels.values())
            self._kernels.clear()
        for kernel in kernels:
            kill_now(kernel.km)

    def __len__(self) -> int:
        return len(self._kernels)


def _stop(kernel: WarmKernel) -> None:
    """Shut a kernel down without waiting for it to finish what it was doing (it is being replaced)."""
    from jupyter_core.utils import run_sync

    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
        if kernel.km.has_kernel:
            run_sync(kernel.km.shutdown_kernel)(now=True)
        run_sync(kernel.km.cleanup_resources)()
    except Exception as exc:  # a kernel that is already gone: make sure nothing of it is left
        log.debug("stopping a kernel: %s", exc)
        kill_now(kernel.km)
    finally:
        kernel.kc = None


pool = KernelPool()
atexit.register(pool.kill_all)


def max_reps(value: Any = None) -> int:
    """How many notebooks one kernel runs before it is replaced: `value`, else $CALLKIT_WARM_KERNEL_REPS, else 50."""
    raw = value if value is not None else os.environ.get(MAX_REPS_VARIABLE)
    try:
        return max(1, int(raw)) if raw is not None else MAX_REPS_PER_KERNEL
    except (TypeError, ValueError):
        return MAX_REPS_PER_KERNEL


class WarmEngine(Engine):
    """A papermill engine that runs each notebook in a kept kernel (see the module's docstring)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: NotebookExecutionManager, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                 execution_timeout: int | None = None, max_reps_per_kernel: int | None = None,
                                 **kwargs: Any) -> Any:
        """Run the notebook in this thread's warm kernel; a kernel that dies mid-run gets one retry on a new one."""
        from nbclient.exceptions import DeadKernelError

        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout", "km"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=log,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        limit = max_reps(max_reps_per_kernel)
        for attempt in (1, 2):
            kernel = pool.get(kernel_name)
            try:
                nb = _run(nb_man, kernel, final_kwargs)
            except DeadKernelError:
                pool.discard(kernel)
                if attempt == 2:
                    raise
                log.warning("The kernel died while running the notebook; running it again on a fresh kernel.")
                nb_man.notebook_start()  # clear the outputs of the run that died
                continue
            except BaseException:  # a timeout, an interrupt, a kernel that would not start: never reuse it
                pool.discard(kernel)
                raise
            kernel.runs += 1
            if kernel.runs >= limit or nb_man.nb.metadata.get("papermill", {}).get("exception"):
                pool.discard(kernel)  # worn or stopped on an error: the next notebook starts clean
            return nb
        raise AssertionError("unreachable")  # pragma: no cover


def _run(nb_man: NotebookExecutionManager, kernel: WarmKernel, client_kwargs: dict[str, Any]) -> Any:
    """Execute nb_man's notebook on `kernel`, starting it first if it has not been, resetting it if it was used."""
    from papermill.clientwrap import PapermillNotebookClient

    client = PapermillNotebookClient(nb_man, km=kernel.km, **client_kwargs)
    if kernel.started:
        client.kc = kernel.kc
        _reset(client)
    result = client.execute()
    kernel.kc = client.kc
    return result


def _reset(client: Any) -> None:
    """Reset a used kernel's namespace and working folder before the next notebook; a kernel that does not
    answer with "ok" is treated as dead (the engine then retries on a fresh one)."""
    from nbclient.exceptions import DeadKernelError

    msg_id = client.kc.execute(RESET_CODE.format(cwd=os.getcwd()), silent=True, store_history=False,
                               stop_on_error=False)
    reply = client.wait_for_reply(msg_id)
    if reply is None or reply.get("content", {}).get("status") != "ok":
        raise DeadKernelError("The kept kernel could not be reset for the next notebook.")
