"""The kernels of the coaching pages: one per open page, shut down once its page has been gone for the grace
time (closed tab, crashed browser), kept however long a page stays open on the projector, plus one spare that runs
the notebook ahead so the next page opens at once."""

from __future__ import annotations

import functools
import subprocess
import time
from typing import Any, Callable

from .workshop_terminal import say, session_line

CLOSED_PAGE_GRACE_SECONDS = 20  # a kernel with no page for this long (closed tab, lost connection) is shut down
CULL_INTERVAL_SECONDS = 5  # how often the server looks for such kernels
CULL_CONNECTED = False  # a page still open on the projector keeps its kernel, however long the break
SPARE_KERNELS = 1  # kernels that run the notebook ahead of the next page, so it opens at once
SPARE_FILL_DELAY_SECONDS = 2.0  # wait this long after a page took the spare before starting the next one


class OpenPages:
    """Which kernels serve a page, and how long a kernel has been without one (the rule behind culling).

    A session starts when a page first connects to its kernel and ends when that kernel is gone. A kernel with no
    page connected (its page was closed, or never opened it) is shut down once it has been alone and idle for
    `grace` seconds, counted over consecutive checks (every `interval` seconds); a page that stays open keeps its
    kernel, however long nobody touches it. The spare kernel is not checked while it waits for a page, so when a
    page takes it, its clock starts afresh: the page has the whole grace time to connect.
    """

    def __init__(self, grace: float = CLOSED_PAGE_GRACE_SECONDS, interval: float = CULL_INTERVAL_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.grace = grace
        self.interval = interval
        self.clock = clock
        self.sessions: set[str] = set()
        self._alone_since: dict[str, float] = {}
        self._checked: dict[str, float] = {}

    @property
    def open(self) -> int:
        """How many pages have a running session."""
        return len(self.sessions)

    def connected(self, kernel_id: str) -> bool:
        """A page connected to this kernel; True when that starts a session (its first page)."""
        self._alone_since.pop(kernel_id, None)
        if kernel_id in self.sessions:
            return False
        self.sessions.add(kernel_id)
        return True

    def left(self, kernel_id: str) -> None:
        """The kernel's last page went away (closed, reloaded, connection lost): its grace time starts now."""
        self._alone_since[kernel_id] = self.clock()

    def should_shut_down(self, kernel_id: str, connections: int, busy: bool) -> bool:
        """One check of a kernel: True when it has had no page and nothing to do for `grace` seconds."""
        now = self.clock()
        previous = self._checked.get(kernel_id)
        self._checked[kernel_id] = now
        if connections > 0 or busy:  # in use: no clock
            self._alone_since.pop(kernel_id, None)
            return False
        since = self._alone_since.get(kernel_id)
        # a clock started long ago and not checked since (the kernel was the spare meanwhile) is stale
        stale = since is not None and previous is not None and since <= previous < now - 2.5 * self.interval
        if since is None or stale:
            since = self._alone_since[kernel_id] = now  # the clock starts now
        return now - since >= self.grace

    def forget(self, kernel_id: str) -> bool:
        """The kernel is gone; True when it ended a session."""
        self._alone_since.pop(kernel_id, None)
        self._checked.pop(kernel_id, None)
        if kernel_id in self.sessions:
            self.sessions.discard(kernel_id)
            return True
        return False


@functools.cache
def kernel_manager_class() -> type:
    """The workshop's kernel manager: jupyter_server's, with the one-kernel-per-page rule and the session lines."""
    from jupyter_core.utils import ensure_async
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets import Bool

    class WorkshopKernelManager(AsyncMappingKernelManager):
        """Kernels of the coaching pages: each page's kernel lives as long as its page (see OpenPages)."""

        quiet_kernels = Bool(True, config=True, help="Keep what kernels print (their own log) off the terminal.")

        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self.pages = OpenPages(grace=self.cull_idle_timeout, interval=self.cull_interval)
            self.announce: Callable[[str], None] = say
            self.stopping = False  # set while the server stops: no line per kernel then

        # jupyter_client declares MultiKernelManager.start_kernel synchronous; jupyter_server's async manager
        # replaces it with a coroutine (and ignores the same mismatch itself)
        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
            if self.quiet_kernels:  # what the page shows comes through the kernel's messages, not its stdout
                kwargs.setdefault("stdout", subprocess.DEVNULL)
                kwargs.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(*args, **kwargs)

        def notify_connect(self, kernel_id: str) -> None:
            super().notify_connect(kernel_id)
            if kernel_id in self and self.pages.connected(kernel_id):
                self.announce(session_line("started", self.pages.open))

        def notify_disconnect(self, kernel_id: str) -> None:
            super().notify_disconnect(kernel_id)
            if kernel_id in self and self._kernel_connections.get(kernel_id, 0) <= 0:
                self.pages.left(kernel_id)

        def remove_kernel(self, kernel_id: str) -> Any:
            kernel = super().remove_kernel(kernel_id)
            if self.pages.forget(kernel_id) and not self.stopping:
                self.announce(session_line("ended", self.pages.open))
            return kernel

        async def _is_dead(self, kernel_id: str) -> bool:
            kernel = self._kernels.get(kernel_id)
            if kernel is None:
                return True
            ready = getattr(kernel, "ready", None)
            if ready is not None and not ready.done():
                return False  # still starting
            return not await ensure_async(kernel.is_alive())

        def _running(self, kernel_id: str) -> bool:
            """Known and not being shut down."""
            return kernel_id in self._kernels and kernel_id not in self._pending_kernels

        async def _shut_down(self, kernel_id: str, now: bool = False) -> None:
            try:
                await ensure_async(self.shutdown_kernel(kernel_id, now=now))
            except (KeyError, RuntimeError):  # it went away meanwhile (its page's own request, or another check)
                pass

        async def cull_kernel_if_idle(self, kernel_id: str) -> None:
            """Shut down a kernel that died, or whose page has been gone for the grace time (called every
            CULL_INTERVAL_SECONDS for each kernel that is not the spare)."""
            if not self._running(kernel_id):
                return
            if await self._is_dead(kernel_id):
                await self._shut_down(kernel_id, now=True)
                return
            kernel = self._kernels[kernel_id]
            busy = getattr(kernel, "execution_state", None) == "busy"
            if self.pages.should_shut_down(kernel_id, self._kernel_connections.get(kernel_id, 0), busy):
                await self._shut_down(kernel_id)

        async def page_is_running(self, kernel_id: str) -> bool:
            """What a page asks every few seconds: is my kernel still there? A dead kernel is cleared away."""
            if not self._running(kernel_id):
                return False
            if await self._is_dead(kernel_id):
                await self._shut_down(kernel_id, now=True)
                return False
            return True

    return WorkshopKernelManager


def run_sync_shutdown(kernel_manager: Any) -> None:
    """Shut every kernel down, outside the server's loop."""
    from jupyter_core.utils import run_sync

    run_sync(kernel_manager.shutdown_all)()
