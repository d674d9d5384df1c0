"""The workshop's door: who may open the coaching page. A token in the address (then the login cookie), a Host
header that names this server (no DNS rebinding), and requests only from the page's own site, never from another
site or another local port (Origin, Sec-Fetch-Site)."""

from __future__ import annotations

import html
import ipaddress
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .exceptions import WorkshopError

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


def page_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


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
