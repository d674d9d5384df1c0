"""Report kernels that no other local user can reach: IPC sockets and connection files in a private folder.

A Jupyter kernel started the usual way listens on five TCP ports of 127.0.0.1. Its messages are signed, not
encrypted, and a PUB socket lets anyone subscribe: any local user could read a report's HTML as it was
built. `PrivateKernelManager` starts kernels on IPC (Unix socket) files instead, in a folder only this user
may open (mode 0700, made by `tempfile.mkdtemp`), together with the connection file that holds the key. On
Windows, where ZeroMQ has no IPC transport, kernels stay on TCP.

Both engines use it: papermill's standard one (`kernel_manager_class=PrivateKernelManager`) and the warm one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sys
import tempfile
import uuid
import weakref
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager

IPC_SUPPORTED = sys.platform != "win32"
_folder: dict[int, Path] = {}  # process id -> this process's private folder (a spawned child makes its own)
_live: "weakref.WeakSet[PrivateKernelManager]" = weakref.WeakSet()  # what kill_all() stops


def private_folder() -> Path:
    """This process's folder for kernel sockets and connection files: created on first use with mode 0700
    (readable by this user only) and removed when the process exits."""
    pid = os.getpid()
    if pid not in _folder:
        # Short and in the temp folder: a Unix socket path must stay under about 100 characters.
        path = Path(tempfile.mkdtemp(prefix="ck-kernels-"))
        os.chmod(path, 0o700)
        _folder[pid] = path
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return _folder[pid]


class PrivateKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel talks over IPC files in `private_folder()` (TCP on Windows)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        name = uuid.uuid4().hex[:12]
        folder = private_folder()
        self.connection_file = str(folder / f"kernel-{name}.json")
        if IPC_SUPPORTED:
            self.transport = "ipc"
            self.cache_ports = False
            self.ip = str(folder / f"k-{name}")
        _live.add(self)

    # AsyncKernelManager's shutdown_kernel is a coroutine; jupyter_client types it as KernelManager's sync one.
    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Stop the kernel, noting first how much memory it used at most (for the run's memory figures)."""
        note_peak(self)
        await super().shutdown_kernel(now=now, restart=restart)

    _async_shutdown_kernel = shutdown_kernel


_stopped_peak = [0]  # the most memory any stopped kernel of this process used, bytes


def note_peak(km: Any) -> None:
    """Remember a kernel's peak memory before it stops."""
    pid = kernel_pid(km)
    if pid:
        from .worker import process_peak

        _stopped_peak[0] = max(_stopped_peak[0], process_peak(pid, fallback=False))


def stopped_kernel_peak() -> int:
    """The most memory (bytes) any kernel this process has stopped used."""
    return _stopped_peak[0]


def kill_all() -> None:
    """Kill every kernel this process started through a PrivateKernelManager (a worker that must stop now)."""
    for km in list(_live):
        kill_now(km)


def live_kernel_pids() -> list[int]:
    """The process ids of the kernels this process has running."""
    return [pid for pid in (kernel_pid(km) for km in list(_live)) if pid]


def kernel_pid(km: Any) -> int | None:
    """The process id of a kernel manager's kernel, when it has one running."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


def kill_now(km: Any) -> None:
    """Kill a kernel and everything it started at once (SIGKILL to its process group), without waiting.

    Used when a worker must stop this moment (the batch was stopped, the worker is exiting): the kernel
    runs in a session of its own, so its group is exactly the kernel and its children.
    """
    pid = kernel_pid(km)
    if not pid:
        return
    note_peak(km)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError, OSError):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    for path in _ipc_files(km):
        try:
            os.remove(path)
        except OSError:
            pass


def _ipc_files(km: Any) -> list[str]:
    files = [km.connection_file] if getattr(km, "connection_file", None) else []
    if getattr(km, "transport", "tcp") == "ipc":
        files += [f"{km.ip}-{port}" for port in (km.shell_port, km.iopub_port, km.stdin_port, km.hb_port,
                                                  km.control_port) if port]
    return files
