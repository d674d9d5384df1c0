"""`callkit workshop PATH`: serve the coaching notebook as a page with no code (Voilà), for a live session.

- bound to 127.0.0.1 unless --host says otherwise; prints the URL;
- the workspace reaches the notebook's kernels through $CALLKIT_WORKSPACE (kernels inherit the server's env);
- idle kernels are culled, so a day of page loads does not pile up kernels;
- offline: the page uses callkit's Voilà template (callkit/templates/voila/templates/callkit_workshop), which
  drops the CDN links of Voilà's own template;
- Ctrl-C stops the server and its kernels without a traceback.

The notebook is the copy shipped in callkit/notebooks/ (kept identical to the repository's
notebooks/coaching_session.ipynb by a test), so a clone, an editable install and a wheel all find it.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from importlib import resources
from pathlib import Path

from .exceptions import WorkshopError

NOTEBOOK_NAME = "coaching_session.ipynb"
TEMPLATE_NAME = "callkit_workshop"
WORKSPACE_ENV = "CALLKIT_WORKSPACE"
CULL_IDLE_SECONDS = 30 * 60  # a kernel nobody used for 30 minutes (page closed) is shut down
CULL_INTERVAL_SECONDS = 60
CULL_CONNECTED = False  # a page still open on the projector keeps its kernel, however long the break


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


def voila_config(host: str, port: int, open_browser: bool) -> "object":
    """The traitlets Config of the workshop's Voilà server (culling, template, no code, quiet logs)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = open_browser
    c.Voila.log_level = "ERROR"  # hides Voilà's notices (e.g. "notebook is not trusted") from the coach
    # jupyter_server's websocket ping timeout (3 x interval) makes tornado 6.5+ log a warning per page load
    c.Voila.tornado_settings = {"ws_ping_timeout": 30000}
    c.VoilaConfiguration.template = TEMPLATE_NAME
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.theme = "light"
    c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_SECONDS
    c.MappingKernelManager.cull_interval = CULL_INTERVAL_SECONDS
    c.MappingKernelManager.cull_connected = CULL_CONNECTED
    if os.name == "posix":  # local sockets: no "running over TCP without encryption" warning per kernel
        c.KernelManager.transport = "ipc"
    return c


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

    workspace = Path(args.path).expanduser().resolve()
    Workspace.open(workspace).close()  # a wrong folder fails here, in one sentence
    notebook = coaching_notebook()
    host, port = args.host, args.port
    check_port(host, port)
    os.environ.update(server_environment(workspace))

    from voila.app import Voila

    app = Voila(config=voila_config(host, port, open_browser=not args.no_browser))
    app.initialize([str(notebook)])
    print(f"Coaching session for the workspace {workspace}", flush=True)
    print(f"Open {page_url(host, port)} in a browser. Press Ctrl-C to stop.", flush=True)
    try:
        app.start()  # returns after Ctrl-C, once Voilà has shut its kernels down
    except KeyboardInterrupt:
        pass
    print("Workshop stopped.", file=sys.stderr, flush=True)
    return 0
