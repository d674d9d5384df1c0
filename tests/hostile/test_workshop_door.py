"""The workshop's door (issue 13, item 1), tried as an attacker would: real HTTP and websocket clients on
127.0.0.1 against a real `callkit workshop`, and a real browser visiting a page of another local port.

- without the token every page, API call and websocket answers 403, and no kernel is started;
- a wrong token is no token;
- a Host header that is not the server's (DNS rebinding: `Host: evil.example` with a matching Origin) is refused,
  websocket too, even with the right token;
- a request another site or local port made (Origin, Sec-Fetch-Site) is refused and starts no kernel, even from
  a browser that was let in;
- the token comes once in the printed address; then the login cookie lets reloads and the page's own calls in.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from browser import ARTIFACTS, launch, needs_chromium, pick, workshop_server
from callkit.cli import main
from callkit.exceptions import WorkshopError
from callkit.workshop import (
    FROM_ANOTHER_SITE, MIN_TOKEN_LENGTH, NO_TOKEN, NOT_OUR_ADDRESS, Door, check_token, cookie_secret,
    exposure_line, refusal_page, voila_config, with_token,
)

websocket = pytest.importorskip("websocket", reason="websocket-client is not installed")

SPARE = 1  # the kernel the server keeps running ahead of the next page
PATHS = ("/", "/?token=wrong-token-123", "/login", "/logout", "/tree", "/api/kernels", "/api/sessions",
         "/api/kernels/00000000-0000-0000-0000-000000000000", "/voila/files/coaching_session.ipynb",
         "/voila/query/00000000-0000-0000-0000-000000000000", "/callkit/api/page/00000000-0000-0000-0000-000000000000")


# -- the rules, without a server ---------------------------------------------------------------------------------

def test_only_the_servers_own_host_names_with_its_port_are_let_in():
    door = Door.for_server("127.0.0.1", 8866)
    for host in ("127.0.0.1:8866", "localhost:8866", "LOCALHOST:8866", "[::1]:8866"):
        assert door.allows_host(host), host
    for host in ("evil.example:8866", "evil.example", "127.0.0.1", "127.0.0.1:8867", "localhost.evil.example:8866",
                 "192.168.1.20:8866", "", ":8866", "127.0.0.1:8866.evil.example"):
        assert not door.allows_host(host), host


def test_on_every_address_any_ip_and_this_computers_name_are_let_in_but_no_domain_name():
    door = Door("0.0.0.0", 8866, machine_names=("coach-laptop",))
    for host in ("192.168.1.20:8866", "10.0.0.5:8866", "[fe80::1]:8866", "coach-laptop:8866", "localhost:8866"):
        assert door.allows_host(host), host
    for host in ("evil.example:8866", "192.168.1.20:9999", "coach-laptop.evil.example:8866"):
        assert not door.allows_host(host), host


def test_requests_made_by_another_site_are_refused():
    door = Door.for_server("127.0.0.1", 8866)
    ok = {"Host": "127.0.0.1:8866"}
    assert door.refusal(ok) is None
    assert door.refusal({**ok, "Origin": "http://127.0.0.1:8866", "Sec-Fetch-Site": "same-origin"}) is None
    assert door.refusal({**ok, "Sec-Fetch-Site": "none"}) is None  # typed, bookmarked, opened from the terminal
    assert door.refusal({"Host": "evil.example:8866", "Origin": "http://evil.example:8866"}) == NOT_OUR_ADDRESS
    for headers in ({"Origin": "http://127.0.0.1:9999"}, {"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Origin": "https://127.0.0.1:8866"}, {"Sec-Fetch-Site": "same-site"},
                    {"Sec-Fetch-Site": "cross-site"}):
        assert door.refusal({**ok, **headers}) == FROM_ANOTHER_SITE, headers


def test_a_token_is_random_per_run_and_a_coachs_own_must_be_usable():
    assert check_token(None) != check_token(None) and len(check_token(None)) >= 32
    assert check_token("projector-room-7") == "projector-room-7"
    for bad in ("", "   ", "short", "with space in it", "line\nbreak12"):
        with pytest.raises(WorkshopError) as err:
            check_token(bad)
        assert str(err.value).count(".") == 1 and str(err.value).endswith("."), str(err.value)
    assert with_token("http://127.0.0.1:8866/", "a b&c/d") == "http://127.0.0.1:8866/?token=a%20b%26c%2Fd"
    c = voila_config("127.0.0.1", 8866, open_browser=False, token="projector-room-7")
    assert c.Voila.token == "projector-room-7"
    assert voila_config("127.0.0.1", 8866, open_browser=False).Voila.token  # never without one
    assert c.PasswordIdentityProvider.cookie_options == {"samesite": "Strict"}


def test_empty_or_short_tokens_are_refused_on_the_command_line_before_anything_listens(capsys, sample_ws_path):
    for argv in (["--token", ""], ["--host", "0.0.0.0", "--token", ""], ["--host", "0.0.0.0", "--token", "x" * 3]):
        assert main(["workshop", str(sample_ws_path), "--no-browser", "--port", "1", *argv]) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("callkit: The token") and "\n" not in err and "Traceback" not in err, err
        assert f"{MIN_TOKEN_LENGTH} characters" in err


def test_the_projector_address_warns_what_it_exposes():
    line = exposure_line("0.0.0.0", 8866, "projector-room-7")
    assert "anyone who has this address can see and change this workspace's deals and plans" in line
    assert "?token=projector-room-7" in line or "this computer's address" in line


def test_the_refusal_page_says_one_sentence_and_nothing_else():
    page = refusal_page(NO_TOKEN)
    assert "<code>callkit workshop</code>" in page and "?token=..." in page
    assert "<script" not in page and "<a " not in page


def test_the_cookie_key_is_kept_for_the_coach_only(tmp_path):
    first = cookie_secret(tmp_path)
    assert cookie_secret(tmp_path) == first and len(first) >= 32
    [file] = tmp_path.iterdir()
    assert file.stat().st_mode & 0o777 == 0o600
    file.chmod(0o644)  # readable by others: not trusted, replaced
    assert cookie_secret(tmp_path) != first and file.stat().st_mode & 0o777 == 0o600


# -- a real server, real clients ---------------------------------------------------------------------------------

def request(server, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One HTTP request on 127.0.0.1 with exactly these headers (Host included): (status, headers, text)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{server.port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def kernel_ids(server) -> set[str]:
    """The ids of the kernels the server runs (from their command lines)."""
    found = set()
    for kernel in server.kernels():
        m = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(kernel.cmdline()))
        found.add(m.group(1) if m else str(kernel.pid))
    return found


def wait_for_spare(server, timeout: float = 90) -> set[str]:
    """The kernels once the spare one is up (the server starts it ahead of the first page)."""
    deadline = time.monotonic() + timeout
    while len(kernel_ids(server)) < SPARE:
        assert time.monotonic() < deadline, "the spare kernel did not start"
        time.sleep(0.5)
    time.sleep(1)
    return kernel_ids(server)


def settled_kernels(server, quiet: float = 8, timeout: float = 120) -> set[str]:
    """The kernels once the server has stopped starting and culling them for `quiet` seconds (after a page was
    opened it refills its spare kernel, and shuts down the kernel of a page that never connected)."""
    deadline = time.monotonic() + timeout
    seen, since = kernel_ids(server), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the server's kernels did not settle"
        time.sleep(0.5)
        now = kernel_ids(server)
        if now != seen:
            seen, since = now, time.monotonic()
    return seen


def assert_no_new_kernel(server, before: set[str]) -> None:
    """No kernel was started (one may have been shut down meanwhile: a page that never connected is culled)."""
    time.sleep(3)  # a kernel being started would show as a process by now
    assert kernel_ids(server) <= before


def websocket_status(server, path: str, headers: list[str] | None = None, host: str | None = None,
                     origin: str | None = None, cookie: str | None = None) -> int:
    """The HTTP status a websocket handshake gets (101 when it was accepted)."""
    url = f"ws://127.0.0.1:{server.port}{path}"
    try:
        ws = websocket.create_connection(url, timeout=30, header=headers or [], host=host, origin=origin,
                                         cookie=cookie, suppress_origin=origin is None)
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    ws.close()
    return 101


def page_config(text: str) -> dict:
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', text, re.S)
    assert m, "the page has no Jupyter config"
    return json.loads(m.group(1))


def login_cookie(headers) -> str:
    """The cookies a response set, as a Cookie header."""
    return "; ".join(v.split(";", 1)[0] for k, v in headers.items() if k.lower() == "set-cookie")


@pytest.fixture(scope="module")
def server(sample_ws_path):
    with workshop_server(sample_ws_path) as running:
        yield running


def reps_and_deals(ws_path) -> list[str]:
    from callkit.workspace import Workspace

    with Workspace.open(ws_path) as ws:
        return [r.name for r in ws.reps()] + [d.name for d in ws.deals()][:20]


def test_without_the_token_everything_is_403_and_no_kernel_starts(server, sample_ws_path):
    before = wait_for_spare(server)
    secrets_of_the_team = reps_and_deals(sample_ws_path)
    for path in PATHS:
        for method in ("GET", "HEAD"):
            status, _, text = request(server, method, path)
            assert status == 403, (method, path, status)
            assert not any(name in text for name in secrets_of_the_team), path
    status, _, text = request(server, "GET", "/")
    assert NO_TOKEN in text.replace("<code>", "`").replace("</code>", "`")
    for path in ("/voila/api/shutdown/" + next(iter(before)), "/api/kernels", "/login"):
        assert request(server, "POST", path, {"Content-Type": "application/json"}, b"{}")[0] == 403, path
    assert request(server, "DELETE", "/api/kernels/" + next(iter(before)))[0] == 403
    for kid in before:  # even the spare's id (which an attacker would have to guess) gives no websocket
        assert websocket_status(server, f"/api/kernels/{kid}/channels") == 403
        assert websocket_status(server, f"/api/kernels/{kid}/channels?token=wrong-token-123") == 403
    assert websocket_status(server, "/voila/query/" + next(iter(before))) == 403
    assert_no_new_kernel(server, before)
    assert kernel_ids(server) == before  # the spare is still the spare: nobody's page took it


def test_the_token_lets_a_client_in_and_the_cookie_keeps_it_in(server):
    """The positive side of the refusals above: the same requests with the token work."""
    status, headers, text = request(server, "GET", "/?token=" + server.token)
    assert status == 200, status
    kid = page_config(text)["kernelId"]
    cookie = login_cookie(headers)
    assert "username-127-0-0-1" in cookie and "_xsrf" in cookie
    assert any("samesite=strict" in v.lower() for k, v in headers.items()
               if k.lower() == "set-cookie" and "username-" in v)
    assert request(server, "GET", "/", {"Cookie": cookie})[0] == 200  # a reload without the token
    status, _, text = request(server, "GET", f"/callkit/api/page/{kid}", {"Cookie": cookie})
    assert status == 200 and json.loads(text) == {"running": True}
    own = f"http://127.0.0.1:{server.port}"
    assert websocket_status(server, f"/api/kernels/{kid}/channels", origin=own, cookie=cookie) == 101
    assert websocket_status(server, f"/api/kernels/{kid}/channels?token={server.token}") == 101
    assert websocket_status(server, f"/api/kernels/{kid}/channels") == 403  # the same, without the cookie


def test_dns_rebinding_is_refused_even_with_the_token(server):
    before = wait_for_spare(server)
    evil = {"Host": f"evil.example:{server.port}", "Origin": f"http://evil.example:{server.port}"}
    for path in ("/?token=" + server.token, "/api/kernels?token=" + server.token, "/voila/static/voila.js"):
        status, _, text = request(server, "GET", path, evil)
        assert status == 403 and "not the coaching page's" in text, path
    _, headers, _ = request(server, "GET", "/?token=" + server.token)
    cookie = login_cookie(headers)
    kid = sorted(before)[0]
    assert websocket_status(server, f"/api/kernels/{kid}/channels?token={server.token}",
                            host=evil["Host"], origin=evil["Origin"], cookie=cookie) == 403
    for host in ("evil.example", f"127.0.0.1:{server.port + 1}", f"localhost.evil.example:{server.port}"):
        assert request(server, "GET", "/?token=" + server.token, {"Host": host})[0] == 403, host


def test_another_origin_gets_nothing_and_starts_no_kernel(server):
    """A page of another site or local port, in a browser that was let in before (it holds the cookie)."""
    _, headers, _ = request(server, "GET", "/?token=" + server.token)
    cookie = login_cookie(headers)
    before = settled_kernels(server)  # the page took the spare; the next one starts SPARE_FILL_DELAY_SECONDS later
    other = f"http://127.0.0.1:{server.port + 1}"
    for extra in ({"Origin": other}, {"Sec-Fetch-Site": "same-site"}, {"Sec-Fetch-Site": "cross-site"},
                  {"Origin": "null"}):
        for path in ("/", "/?token=" + server.token, "/api/kernels"):
            status, _, text = request(server, "GET", path, {"Cookie": cookie, **extra})
            assert status == 403 and "another site" in text, (extra, path)
    kid = sorted(before)[0]
    assert websocket_status(server, f"/api/kernels/{kid}/channels", origin=other, cookie=cookie) == 403
    xsrf = re.search(r"_xsrf=([^;]+)", cookie).group(1)
    status, _, _ = request(server, "POST", f"/voila/api/shutdown/{kid}",
                           {"Cookie": cookie, "Origin": other, "X-XSRFToken": xsrf})
    assert status == 403 and kid in kernel_ids(server)
    assert_no_new_kernel(server, before)


# -- a real browser ---------------------------------------------------------------------------------------------

class OtherSite:
    """A page on another local port that tries to open, embed and call the coaching page."""

    def __init__(self, target: str):
        page = f"""<!doctype html><html><body><h1>Another site</h1>
<iframe src="{target}" width="400" height="300"></iframe>
<img src="{target}">
<script>
  fetch("{target}", {{credentials: "include", mode: "no-cors"}});
  fetch("{target}api/kernels", {{credentials: "include", mode: "no-cors"}});
  var w = new WebSocket("{target.replace('http', 'ws')}api/kernels/x/channels");
  w.onerror = function () {{ document.title = "refused"; }};
</script></body></html>""".encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@needs_chromium
def test_the_printed_address_opens_the_page_and_nothing_else_does(sample_ws_path):
    api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.ui.deal_picker import deal_label, rep_options
    from callkit.workspace import Workspace

    with Workspace.open(sample_ws_path) as ws:
        deal = ws.deals()[0]
        rep_label = dict((v, k) for k, v in rep_options(ws.reps()))[deal.rep_id]
        deal_text = deal_label(deal, ws.process)
    ARTIFACTS.mkdir(exist_ok=True)
    with workshop_server(sample_ws_path) as server, api.sync_playwright() as pw:
        browser = launch(pw)
        stranger = browser.new_context(viewport={"width": 1280, "height": 720})
        page = stranger.new_page()
        response = page.goto(server.base, timeout=90_000)  # the address without its token
        assert response.status == 403
        assert "needs the address callkit workshop printed in its terminal" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "workshop_no_token.png"))
        assert page.locator(".ck-rep-picker").count() == 0
        stranger.close()

        coach = browser.new_context(viewport={"width": 1280, "height": 720})
        page = coach.new_page()
        page.goto(server.url, timeout=90_000)  # the printed address
        pick(page, rep_label, deal_text)
        page.screenshot(path=str(ARTIFACTS / "workshop_with_token.png"))
        page.goto(server.base, timeout=90_000)  # later, without the token: the cookie lets the coach in
        pick(page, rep_label, deal_text)
        assert page.locator(".ck-stopped-banner").count() == 0
        page.close()

        time.sleep(5)  # the spare the coach's page took has been replaced by now
        before = kernel_ids(server)
        with OtherSite(server.base) as other:  # the same browser, which holds the cookie, visits another port
            visit = coach.new_page()
            visit.goto(other.url, timeout=30_000)
            visit.wait_for_function("document.title === 'refused'", timeout=30_000)
            time.sleep(3)
            assert visit.frames[1].locator(".ck-rep-picker").count() == 0
            frame_text = visit.frames[1].inner_text("body") if visit.frames[1].url != "about:blank" else ""
            assert "workspace" not in frame_text.lower()
        assert kernel_ids(server) <= before, "a page of another port started a kernel"
        browser.close()
    assert server.proc.returncode == 0 and "Traceback" not in server.err, server.err
    out = server.out.splitlines()
    assert out[1] == f"Open {server.url} in a browser. Press Ctrl-C to stop."
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{32,}", server.url)


def test_a_token_given_on_the_command_line_is_the_one_in_the_address(sample_ws_path):
    with workshop_server(sample_ws_path, "--token", "projector-room-7") as server:
        assert server.url == f"http://127.0.0.1:{server.port}/?token=projector-room-7"
        assert request(server, "GET", "/?token=projector-room-7")[0] == 200
        assert request(server, "GET", "/?token=projector-room-8")[0] == 403
