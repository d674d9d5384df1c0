"""`callkit workshop PATH`: serve the coaching notebook as a page with no code (Voilà), for a live session.

- bound to 127.0.0.1 unless --host says otherwise; prints (and opens) the page's address with a random token
  (--token sets one), as Jupyter does;
- the door: without the token (once in the address, then the login cookie) every page, API call and websocket
  answers 403 and no kernel starts (Voilà's token auth: Voila.token, jupyter_server's IdentityProvider); the
  Door refuses, before any handler, a Host header that is not the server's own (DNS rebinding) and requests
  another site or local port made (Origin, Sec-Fetch-Site). Not jupyter_server's own host check: Voilà sets
  allow_remote_access, its static handlers are not Jupyter handlers, and --host 0.0.0.0 needs the LAN's IPs;
- the workspace reaches the notebook's kernels through $CALLKIT_WORKSPACE (kernels inherit the server's env);
- one kernel per open page: a page that is closed or reloaded asks the server to shut its kernel down (Voilà's
  page sends the `_xsrf` cookie back, so the server issues that cookie with the page), and a kernel whose page has
  been gone for CLOSED_PAGE_GRACE_SECONDS is shut down anyway (closed tab, crashed browser); a page left open on the
  projector keeps its kernel however long the break. One spare kernel runs the notebook ahead, so a page opens at once;
- the page watches its session (callkit's template polls PAGE_STATUS_PATH and the kernel websocket) and, when the
  server or its kernel has stopped, says so in a banner and disables the page's buttons and boxes;
- the terminal shows one line per session started or ended, nothing of Jupyter's log (`callkit --debug workshop`
  shows it);
- offline: the page uses callkit's Voilà template (callkit/templates/voila/templates/callkit_workshop), which
  drops the CDN links of Voilà's own template;
- Ctrl-C stops the server and its kernels without a traceback, and the same port can be used again at once.

The notebook is the copy shipped in callkit/notebooks/ (kept identical to the repository's
notebooks/coaching_session.ipynb by a test), so a clone, an editable install and a wheel all find it.
"""

from __future__ import annotations

import argparse
import errno
import functools
import html
import ipaddress
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from .exceptions import WorkshopError

NOTEBOOK_NAME = "coaching_session.ipynb"
TEMPLATE_NAME = "callkit_workshop"
WORKSPACE_ENV = "CALLKIT_WORKSPACE"
CLOSED_PAGE_GRACE_SECONDS = 20  # a kernel with no page for this long (closed tab, lost connection) is shut down
CULL_INTERVAL_SECONDS = 5  # how often the server looks for such kernels
CULL_CONNECTED = False  # a page still open on the projector keeps its kernel, however long the break
SPARE_KERNELS = 1  # kernels that run the notebook ahead of the next page, so it opens at once
SPARE_FILL_DELAY_SECONDS = 2.0  # wait this long after a page took the spare before starting the next one
PAGE_STATUS_PATH = "callkit/api/page/"  # the page asks here whether its session still runs


def package_dir() -> Path:
    """The installed callkit package folder."""
    return Path(str(resources.files("callkit")))


def notebook_candidates() -> list[Path]:
    """Where the coaching notebook may be: the copy shipped in the package, then the repo's notebooks/."""
    pkg = package_dir()
    return [pkg / "notebooks" / NOTEBOOK_NAME, pkg.parent / "notebooks" / NOTEBOOK_NAME]


def coaching_notebook() -> Path:
    """The coaching notebook's path; WorkshopError naming the places looked at when it is missing."""
    for path in notebook_candidates():
        if path.is_file():
            return path
    looked = " or ".join(str(p) for p in notebook_candidates())
    raise WorkshopError(f"The coaching notebook is missing (looked for {looked}): reinstall callkit from its repository.")


def template_root() -> Path:
    """The folder that holds voila/templates/callkit_workshop (added to JUPYTER_PATH for Voilà to find it)."""
    return package_dir() / "templates"


def check_port(host: str, port: int) -> None:
    """WorkshopError with a plain sentence when the port cannot be used."""
    if not 0 < port < 65536:
        raise WorkshopError(f"Port {port} is not a valid port: use a number like 8866.")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if os.name == "posix":
            # as the server itself binds (tornado): a port whose connections are still closing after Ctrl-C
            # (TIME_WAIT) is free, a port another program listens on is not
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise WorkshopError(
                    f"Port {port} is already in use (another workshop?): choose another one with --port {port + 1}."
                ) from None
            raise WorkshopError(f"Cannot use {host}:{port} ({exc.strerror}): check --host and --port.") from None


def page_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


# -- the door: a token, the Host header and the requesting site ------------------------------------------------

TOKEN_BYTES = 24  # a new token per run: 32 URL-safe characters, as Jupyter's
MIN_TOKEN_LENGTH = 8  # a token a coach sets with --token must be at least this long
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")  # Host names always accepted (with the port)
WILDCARD_HOSTS = ("", "0.0.0.0", "::")  # --host values that mean "every address of this computer"
REFUSED_FETCH_SITES = ("cross-site", "same-site")  # Sec-Fetch-Site of requests another page made
COOKIE_SECRET_FILE = "callkit-workshop-cookie-secret"  # in Jupyter's runtime folder, readable by the coach only
NOT_OUR_ADDRESS = ("This address is not the coaching page's: open the address `callkit workshop` printed in its "
                   "terminal.")
FROM_ANOTHER_SITE = ("The coaching page cannot be opened or used from another site: open the address "
                     "`callkit workshop` printed in its terminal.")
NO_TOKEN = ("This page needs the address `callkit workshop` printed in its terminal, with its token "
            "(it ends with ?token=...): open that address.")


def new_token() -> str:
    """A fresh random token for one run of the workshop."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def check_token(token: str | None) -> str:
    """The token to use: a new one when none was given; WorkshopError for an empty, short or spaced one."""
    if token is None:
        return new_token()
    if not token.strip():
        raise WorkshopError("The token cannot be empty: leave out --token to get a random one, or give at least "
                            f"{MIN_TOKEN_LENGTH} characters.")
    if any(ch.isspace() for ch in token) or not token.isprintable():
        raise WorkshopError("The token cannot contain spaces or line breaks: use letters, digits and - or _.")
    if len(token) < MIN_TOKEN_LENGTH:
        raise WorkshopError(f"The token is too short: use at least {MIN_TOKEN_LENGTH} characters, or leave out "
                            "--token to get a random one.")
    return token


def is_wildcard(host: str) -> bool:
    """True when the server listens on every address of this computer (--host 0.0.0.0)."""
    return host in WILDCARD_HOSTS


def is_loopback(host: str) -> bool:
    """True when only this computer can reach the address (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_address() -> str | None:
    """This computer's address on its network (what another computer in the room types), or None offline."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def with_token(url: str, token: str) -> str:
    """The page's address with the token a browser presents once (then a cookie keeps it in)."""
    return f"{url}?token={quote(token, safe='')}"


@dataclass(frozen=True)
class Door:
    """Which requests reach the coaching page at all, before the token is even looked at.

    A request is refused when its Host header is not an address this server is reached by (the bound address,
    localhost or 127.0.0.1, with the port): that is how a website the coach visits would reach the page through
    its own domain name (DNS rebinding). On --host 0.0.0.0 any IP address is accepted, and this computer's name:
    a domain name of someone else's cannot point a browser here. A request another site's page made (the
    browser's Sec-Fetch-Site header says so), or one whose Origin is not the page's own, is refused too, so a
    page on another site or local port can neither open the coaching page nor start its kernels.
    """

    host: str
    port: int
    machine_names: tuple[str, ...] = ()

    @classmethod
    def for_server(cls, host: str, port: int) -> "Door":
        """The door of a server bound to host:port."""
        names: tuple[str, ...] = ()
        if is_wildcard(host):
            names = tuple({n.lower() for n in (socket.gethostname(), socket.getfqdn()) if n})
        return cls(host, port, names)

    def allows_host(self, host_header: str) -> bool:
        """True when the Host header names this server: one of its addresses, with the port."""
        name, sep, port = host_header.strip().lower().rpartition(":")
        if not sep or port != str(self.port) or not name:
            return False
        if name in LOOPBACK_NAMES or name == self.shown_host.lower():
            return True
        if not is_wildcard(self.host):
            return False
        if name in self.machine_names:
            return True
        try:
            ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
        except ValueError:
            return False
        return True

    def allows_origin(self, origin: str) -> bool:
        """True when the Origin header is this page's own (http://<an allowed host>)."""
        scheme, sep, rest = origin.strip().lower().partition("://")
        return bool(sep) and scheme == "http" and "/" not in rest and self.allows_host(rest)

    @property
    def shown_host(self) -> str:
        """The bound address as a Host header writes it ([::1] for IPv6)."""
        return f"[{self.host}]" if ":" in self.host else self.host

    def refusal(self, headers: "Any") -> str | None:
        """The one sentence a refused request is answered with (403), or None when it may go on to the page."""
        if not self.allows_host(headers.get("Host", "")):
            return NOT_OUR_ADDRESS
        if headers.get("Sec-Fetch-Site", "").strip().lower() in REFUSED_FETCH_SITES:
            return FROM_ANOTHER_SITE
        origin = headers.get("Origin")
        if origin is not None and not self.allows_origin(origin):
            return FROM_ANOTHER_SITE
        return None


def refusal_page(sentence: str) -> str:
    """The small page a refused request gets: the sentence, nothing of the workspace."""
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Coaching session</title></head>'
            '<body style="font: 18px/1.5 sans-serif; margin: 3em auto; max-width: 40em; color: #1f2933">'
            f"<h1>Coaching session</h1><p>{code_spans(html.escape(sentence, quote=False))}</p></body></html>")


def code_spans(text: str) -> str:
    """`command` in an escaped sentence shown as code."""
    parts = text.split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def exposure_line(host: str, port: int, token: str) -> str:
    """What the coach is told when the page can be reached from other computers (--host 0.0.0.0)."""
    address = network_address() if is_wildcard(host) else host
    where = with_token(page_url(address, port), token) if address else f"this computer's address, port {port}"
    return (f"Other computers on this network can open {where}: anyone who has this address can see and change "
            "this workspace's deals and plans, so share it only with the room.")


def cookie_secret(runtime_dir: Path | None = None) -> bytes:
    """The key that signs the login cookie, kept in Jupyter's runtime folder (readable by the coach only), so a
    browser let in once stays in after the server is restarted: 'restart and reload the page' works."""
    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = Path(jupyter_runtime_dir())
    path = runtime_dir / COOKIE_SECRET_FILE
    try:
        if path.is_file() and path.stat().st_mode & 0o077 == 0:
            secret = path.read_bytes().strip()
            if len(secret) >= 32:
                return secret
        runtime_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(32).encode("ascii")
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
        os.replace(tmp, path)
        return secret
    except OSError:  # a read-only home: logins last for this run only
        return secrets.token_hex(32).encode("ascii")


def session_line(event: str, open_pages: int, when: datetime | None = None) -> str:
    """The coach's terminal line for a page opened or closed: '10:02 session started (2 open)'."""
    return f"{(when or datetime.now()):%H:%M} session {event} ({open_pages} open)"


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


def say(line: str) -> None:
    """Print one line on the coach's terminal at once."""
    print(line, flush=True)


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

        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
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


@functools.cache
def voila_app_class() -> type:
    """Voilà's app with the page handler that issues the `_xsrf` cookie and the page-status endpoint."""
    import tornado.routing
    import tornado.web
    from jupyter_server.auth.login import LoginFormHandler
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.base.handlers import APIHandler
    from jupyter_server.services.kernels.handlers import _kernel_id_regex
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.tornado.handler import TornadoVoilaHandler

    class RefusedHandler(tornado.web.RequestHandler):
        """The answer to a request the Door refuses: 403 and one sentence, before any handler (page, API,
        websocket, static file) runs."""

        def initialize(self, sentence: str = NOT_OUR_ADDRESS) -> None:
            self.sentence = sentence

        def prepare(self) -> None:
            self.set_status(403)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(refusal_page(self.sentence))

    class DoorMatcher(tornado.routing.Matcher):
        """Matches the requests the Door refuses (the first rule of the server's router)."""

        def __init__(self, door: Door):
            self.door = door

        def match(self, request: Any) -> dict | None:
            sentence = self.door.refusal(request.headers)
            if sentence is None:
                return None
            return {"target_kwargs": {"sentence": sentence}}

    class DoorRule(tornado.routing.Rule):
        """Sends a refused request to RefusedHandler with its sentence."""

        def __init__(self, door: Door):
            super().__init__(DoorMatcher(door), RefusedHandler)

    class WorkshopPageHandler(TornadoVoilaHandler):
        """The coaching page. Voilà's page asks the server to shut its kernel down when it is closed or reloaded,
        sending back the `_xsrf` cookie; Voilà's own page handler never issues that cookie, so the request was
        refused (403) and kernels piled up. Reading `xsrf_token` here sets the cookie with the page.

        A browser that has not presented the token (in the address, once; then the login cookie) gets 403 and
        one sentence, and no kernel is started for it."""

        async def prepare(self) -> None:  # type: ignore[override]
            try:
                await super().prepare(_redirect_to_login=False)  # 403, not Voilà's login form
            except tornado.web.HTTPError as exc:
                if exc.status_code != 403:
                    raise
                self.refuse()

        def refuse(self) -> None:
            self.set_status(403)
            self.set_header("Cache-Control", "no-store")
            self.finish(refusal_page(NO_TOKEN))

        async def get(self, path: str | None = None) -> None:
            if not self.current_user:
                self.refuse()
                return
            self.xsrf_token  # noqa: B018 - reading it sets the _xsrf cookie
            result = super().get(path)
            if result is not None:
                await result

    class PageStatusHandler(APIHandler):
        """GET -> {"running": true|false}: whether the page's kernel is still there (the page polls it)."""

        @tornado.web.authenticated
        async def get(self, kernel_id: str) -> None:
            running = await self.kernel_manager.page_is_running(kernel_id)
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps({"running": running}))

    class WorkshopVoila(Voila):
        """`callkit workshop`'s server."""

        def init_handlers(self) -> list:
            # no login form (the token comes in the address) and no /voila/query socket (the coaching notebook
            # never reads the page's query string, which holds the token): both would answer without a token
            dropped = (LoginFormHandler, LogoutHandler, RequestInfoSocketHandler)
            handlers = [
                (rule[0], WorkshopPageHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler else rule
                for rule in super().init_handlers()
                if not (isinstance(rule[1], type) and issubclass(rule[1], dropped))
            ]
            status = (url_path_join(self.server_url, PAGE_STATUS_PATH + _kernel_id_regex), PageStatusHandler)
            return [status, *handlers]  # before the page's catch-all rule

        def listen(self) -> None:
            self._http_servers = []
            app_listen = self.app.listen

            def listen_and_keep(*args: Any, **kwargs: Any) -> Any:
                server = app_listen(*args, **kwargs)
                self._http_servers.append(server)
                return server

            self.app.listen = listen_and_keep
            # the door comes before every other rule: a refused request reaches no handler at all
            self.app.default_router.rules.insert(0, DoorRule(Door.for_server(self.ip, self.port)))
            super().listen()

        def launch_browser(self) -> None:
            # Voilà's own opens the address without the token
            url = getattr(self, "page_address", None)
            if url:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

        def stop(self) -> None:
            if getattr(self, "_stopped", False):
                return
            self._stopped = True
            # a second Ctrl-C while the kernels shut down would leave them running and print a traceback
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            # refuse new connections first, so open pages see at once that the server is gone (their next
            # question is refused instead of waiting while the kernels shut down)
            for server in getattr(self, "_http_servers", ()):
                server.stop()
            self.kernel_manager.stopping = True
            if getattr(self, "connection_dir", None):  # Voilà's stop needs it: set once start() began
                super().stop()
            else:
                run_sync_shutdown(self.kernel_manager)

    return WorkshopVoila


def run_sync_shutdown(kernel_manager: Any) -> None:
    """Shut every kernel down, outside the server's loop."""
    from jupyter_core.utils import run_sync

    run_sync(kernel_manager.shutdown_all)()


def voila_config(host: str, port: int, open_browser: bool, debug: bool = False, token: str | None = None,
                 secret: bytes | None = None) -> "object":
    """The traitlets Config of the workshop's Voilà server (the token, kernels per page, spare kernel, template,
    no code, quiet logs unless `debug`)."""
    from traitlets.config import Config

    c = Config()
    # the door: every page, API call and websocket needs the token (once, in the address; then the login
    # cookie, signed with `secret` and sent only by pages of this server's own site)
    c.Voila.token = check_token(token)
    c.Voila.cookie_secret = secret if secret is not None else secrets.token_hex(32).encode("ascii")
    c.PasswordIdentityProvider.cookie_options = {"samesite": "Strict"}
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = open_browser
    # the coach sees session lines, not Voilà's notices (e.g. "notebook is not trusted"); --debug shows them
    c.Voila.log_level = "INFO" if debug else "CRITICAL"
    # jupyter_server's websocket ping timeout (3 x interval) makes tornado 6.5+ log a warning per page load
    c.Voila.tornado_settings = {"ws_ping_timeout": 30000}
    c.VoilaConfiguration.template = TEMPLATE_NAME
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.multi_kernel_manager_class = kernel_manager_class()
    c.VoilaConfiguration.preheat_kernel = SPARE_KERNELS > 0
    c.VoilaConfiguration.default_pool_size = SPARE_KERNELS
    c.VoilaKernelManager.fill_delay = SPARE_FILL_DELAY_SECONDS
    # the culler runs OpenPages' rule (cull_kernel_if_idle above) every CULL_INTERVAL_SECONDS, with
    # cull_idle_timeout as the grace time of a kernel without a page
    c.MappingKernelManager.cull_idle_timeout = CLOSED_PAGE_GRACE_SECONDS
    c.MappingKernelManager.cull_interval = CULL_INTERVAL_SECONDS
    c.MappingKernelManager.cull_connected = CULL_CONNECTED
    c.WorkshopKernelManager.quiet_kernels = not debug
    # a kernel that died is not restarted behind the page's back: the page says its session stopped
    c.KernelManager.autorestart = False
    if os.name == "posix":  # local sockets: no "running over TCP without encryption" warning per kernel
        c.KernelManager.transport = "ipc"
    return c


JUPYTER_LOGGERS = ("tornado", "asyncio", "traitlets", "jupyter_server", "jupyter_client", "voila", "py.warnings")


def quiet_jupyter_logs(debug: bool = False) -> None:
    """Keep Jupyter's and tornado's log (403s, websocket pings, kernel notices) off the coach's terminal;
    with `debug`, show it."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if debug:
        logging.basicConfig(level=logging.INFO, format="[%(name)s] %(levelname)s %(message)s")
        return
    root.addHandler(logging.NullHandler())  # no "last resort" printing of warnings to stderr
    for name in JUPYTER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def server_environment(workspace: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the server (and so every kernel) runs with: the workspace and the template path."""
    env = dict(os.environ if environ is None else environ)
    env[WORKSPACE_ENV] = str(workspace)
    paths = [str(template_root())] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("MPLBACKEND", "Agg")
    return env


def workshop_command(args: argparse.Namespace) -> int:
    """Run the workshop server until Ctrl-C (the `callkit workshop` handler)."""
    from .workspace import Workspace

    token = check_token(getattr(args, "token", None))  # an empty or weak --token fails first, in one sentence
    workspace = Path(args.path).expanduser().resolve()
    Workspace.open(workspace).close()  # a wrong folder fails here, in one sentence
    notebook = coaching_notebook()
    host, port = args.host, args.port
    check_port(host, port)
    os.environ.update(server_environment(workspace))
    debug = bool(getattr(args, "debug", False))
    quiet_jupyter_logs(debug)

    config = voila_config(host, port, open_browser=not args.no_browser, debug=debug, token=token,
                          secret=cookie_secret())
    app = voila_app_class()(config=config)
    app.initialize([str(notebook)])
    app.page_address = with_token(page_url(host, port), token)
    print(f"Coaching session for the workspace {workspace}", flush=True)
    print(f"Open {app.page_address} in a browser. Press Ctrl-C to stop.", flush=True)
    if not is_loopback(host):
        print(exposure_line(host, port, token), flush=True)
    try:
        app.start()  # returns after Ctrl-C, once Voilà has shut its kernels down
    except KeyboardInterrupt:  # Ctrl-C before the server's loop ran (Voilà's own handling starts with it)
        app.stop()
    print("Workshop stopped.", file=sys.stderr, flush=True)
    return 0
