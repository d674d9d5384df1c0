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

The notebook is the repository's notebooks/coaching_session.ipynb, which the wheel carries inside the package
(`callkit.notebook_files.notebook_path` finds it in a clone, an editable install and a wheel).

This module finds the notebook, checks the port and runs the command; the door is workshop_door, the kernels
workshop_kernels, the Voilà server workshop_server and the terminal's lines workshop_terminal. Every name they
offer can still be imported from here.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from importlib import resources
from pathlib import Path

from .exceptions import WorkshopError
from .workshop_door import (
    COOKIE_SECRET_FILE,
    FROM_ANOTHER_SITE,
    LOOPBACK_NAMES,
    MIN_TOKEN_LENGTH,
    NO_TOKEN,
    NOT_OUR_ADDRESS,
    REFUSED_FETCH_SITES,
    TOKEN_BYTES,
    WILDCARD_HOSTS,
    Door,
    check_token,
    code_spans,
    cookie_secret,
    exposure_line,
    is_loopback,
    is_wildcard,
    network_address,
    new_token,
    page_url,
    refusal_page,
    with_token,
)
from .workshop_kernels import (
    CLOSED_PAGE_GRACE_SECONDS,
    CULL_CONNECTED,
    CULL_INTERVAL_SECONDS,
    SPARE_FILL_DELAY_SECONDS,
    SPARE_KERNELS,
    OpenPages,
    kernel_manager_class,
    run_sync_shutdown,
)
from .workshop_server import (
    PAGE_STATUS_PATH,
    TEMPLATE_NAME,
    voila_app_class,
    voila_config,
)
from .workshop_terminal import JUPYTER_LOGGERS, quiet_jupyter_logs, say, session_line

__all__ = [
    "CLOSED_PAGE_GRACE_SECONDS", "COOKIE_SECRET_FILE", "CULL_CONNECTED", "CULL_INTERVAL_SECONDS", "FROM_ANOTHER_SITE",
    "JUPYTER_LOGGERS", "LOOPBACK_NAMES", "MIN_TOKEN_LENGTH", "NOTEBOOK_NAME", "NOT_OUR_ADDRESS", "NO_TOKEN",
    "PAGE_STATUS_PATH", "REFUSED_FETCH_SITES", "SPARE_FILL_DELAY_SECONDS", "SPARE_KERNELS", "TEMPLATE_NAME",
    "TOKEN_BYTES", "WILDCARD_HOSTS", "WORKSPACE_ENV", "Door", "OpenPages", "check_port", "check_token", "code_spans",
    "coaching_notebook", "cookie_secret", "exposure_line", "is_loopback", "is_wildcard", "kernel_manager_class",
    "network_address", "new_token", "package_dir", "page_url", "quiet_jupyter_logs",
    "refusal_page", "run_sync_shutdown", "say", "serve_workshop", "server_environment", "session_line",
    "template_root", "voila_app_class", "voila_config", "with_token",
]

NOTEBOOK_NAME = "coaching_session.ipynb"
WORKSPACE_ENV = "CALLKIT_WORKSPACE"


def package_dir() -> Path:
    """The installed callkit package folder."""
    return Path(str(resources.files("callkit")))


def coaching_notebook() -> Path:
    """The coaching notebook's path; WorkshopError naming the places looked at when it is missing."""
    from .notebook_files import NotebookNotFoundError, notebook_path

    try:
        return notebook_path(Path(NOTEBOOK_NAME).stem)
    except NotebookNotFoundError as exc:
        raise WorkshopError(str(exc)) from None


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


def server_environment(workspace: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the server (and so every kernel) runs with: the workspace and the template path."""
    env = dict(os.environ if environ is None else environ)
    env[WORKSPACE_ENV] = str(workspace)
    paths = [str(template_root())] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("MPLBACKEND", "Agg")
    return env


def serve_workshop(path: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8866,
                   token: str | None = None, open_browser: bool = True, debug: bool = False) -> int:
    """Serve the coaching page for the workspace at `path` until Ctrl-C (what `callkit workshop` runs).

    `token` is the secret in the page's address (a new random one when None); a weak token, a folder that is
    not a workspace or a port in use fails first, in one sentence, before anything is started."""
    from .workspace import Workspace

    token = check_token(token)  # an empty or weak --token fails first, in one sentence
    workspace = Path(path).expanduser().resolve()
    Workspace.open(workspace).close()  # a wrong folder fails here, in one sentence
    notebook = coaching_notebook()
    check_port(host, port)
    os.environ.update(server_environment(workspace))
    quiet_jupyter_logs(debug)

    config = voila_config(host, port, open_browser=open_browser, debug=debug, token=token,
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
