"""The workshop's Voilà server: the page handler, the page-status endpoint, the door before every handler, a
stop without tracebacks, and the configuration (token, kernels per page, spare kernel, offline template, no code)."""

from __future__ import annotations

import functools
import json
import os
import secrets
import signal
import threading
import webbrowser
from typing import Any, Protocol, cast

from .workshop_door import NO_TOKEN, NOT_OUR_ADDRESS, Door, check_token, refusal_page
from .workshop_kernels import (
    CLOSED_PAGE_GRACE_SECONDS,
    CULL_CONNECTED,
    CULL_INTERVAL_SECONDS,
    SPARE_FILL_DELAY_SECONDS,
    SPARE_KERNELS,
    kernel_manager_class,
    run_sync_shutdown,
)

TEMPLATE_NAME = "callkit_workshop"  # callkit/templates/voila/templates/callkit_workshop: no CDN links
PAGE_STATUS_PATH = "callkit/api/page/"  # the page asks here whether its session still runs


class PageKernels(Protocol):
    """The workshop's kernel manager as the page-status endpoint sees it (kernel_manager_class)."""

    async def page_is_running(self, kernel_id: str) -> bool:
        """Whether the page's kernel is still there."""


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
    from tornado.httpserver import HTTPServer
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
            running = await cast(PageKernels, self.kernel_manager).page_is_running(kernel_id)
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
            self._http_servers: list[HTTPServer] = []
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
    # the culler runs OpenPages' rule (cull_kernel_if_idle in workshop_kernels) every CULL_INTERVAL_SECONDS, with
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
