"""`callkit workshop` without a browser: notebook, template, port, kernels per page, session lines, environment,
CLI errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tomllib
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

import pytest

from callkit.cli import main
from callkit.exceptions import WorkshopError
from callkit.workshop import (
    CLOSED_PAGE_GRACE_SECONDS, CULL_INTERVAL_SECONDS, PAGE_STATUS_PATH, SPARE_KERNELS, TEMPLATE_NAME, WORKSPACE_ENV,
    OpenPages, check_port, coaching_notebook, kernel_manager_class, page_url, server_environment, session_line,
    template_root, voila_config,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_notebook_is_found_and_is_thin_and_clean():
    path = coaching_notebook()
    assert path.resolve() == (ROOT / "notebooks" / "coaching_session.ipynb").resolve()  # the one copy
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) <= 3
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    source = "".join(params[0]["source"])
    for name in ("workspace_path = None", "rep_id = None", "deal_id = None"):
        assert name in source
    assert nb["metadata"]["title"] == "Coaching session"


TEMPLATE_DIR = template_root() / "voila" / "templates" / TEMPLATE_NAME
WATCHER_JS = TEMPLATE_DIR / "static" / "workshop.js"


def test_the_template_loads_nothing_from_the_internet():
    files = sorted(f for f in TEMPLATE_DIR.rglob("*") if f.is_file())
    assert {f.relative_to(TEMPLATE_DIR).as_posix() for f in files} >= {
        "conf.json", "index.html.j2", "page.html", "static/workshop.js"}
    for f in files:
        assert "://" not in f.read_text(encoding="utf-8"), f.name


def test_the_template_files_ship_in_the_wheel():
    """The wheel is the whole callkit package: hatchling ships every file in it that git does not ignore and
    pyproject does not exclude, so every template file ships (the static JS too)."""
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"][
        "targets"]["wheel"]
    assert "callkit" in wheel["packages"]
    files = [f.relative_to(ROOT).as_posix() for f in TEMPLATE_DIR.rglob("*") if f.is_file()]
    for pattern in wheel.get("exclude", []):
        assert not [f for f in files if fnmatch(f, pattern)], pattern
    if (ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", *files], cwd=ROOT, capture_output=True, text=True)
        assert not ignored.stdout.strip(), ignored.stdout


def test_the_page_watches_its_session_and_says_so_in_plain_words():
    js = WATCHER_JS.read_text(encoding="utf-8")
    assert PAGE_STATUS_PATH in js  # the address the server answers on
    assert "The coaching server stopped: what is on this page is no longer saved. Restart " in js
    assert '"callkit workshop", " and reload the page."' in js
    assert ".ck-page button, .ck-page input, .ck-page textarea, .ck-page select" in js
    index = (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    assert 'include_js("static/workshop.js")' in index


def test_a_port_just_left_by_a_stopped_workshop_can_be_used_at_once():
    """After Ctrl-C the server's closed connections linger in TIME_WAIT for a minute: that port is free."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado's listening socket
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first: its side of the connection waits in TIME_WAIT
    client.close()
    server.close()
    with socket.socket() as plain:  # what check_port did before: refused
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))
    check_port("127.0.0.1", port)


def test_a_port_in_use_is_one_sentence():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(WorkshopError, match=f"Port {port} is already in use"):
            check_port("127.0.0.1", port)
    with pytest.raises(WorkshopError, match="not a valid port"):
        check_port("127.0.0.1", 70000)


def test_voila_config_keeps_one_kernel_per_page_and_hides_code():
    c = voila_config("127.0.0.1", 8866, open_browser=False)
    assert c.VoilaConfiguration.multi_kernel_manager_class is kernel_manager_class()
    assert c.MappingKernelManager.cull_idle_timeout == CLOSED_PAGE_GRACE_SECONDS > 0
    assert 0 < c.MappingKernelManager.cull_interval == CULL_INTERVAL_SECONDS < CLOSED_PAGE_GRACE_SECONDS
    assert CLOSED_PAGE_GRACE_SECONDS + 2 * CULL_INTERVAL_SECONDS < 60  # a closed page's kernel is gone within 60 s
    assert c.MappingKernelManager.cull_connected is False
    assert c.VoilaConfiguration.preheat_kernel is True and c.VoilaConfiguration.default_pool_size == SPARE_KERNELS == 1
    assert c.KernelManager.autorestart is False
    assert c.VoilaConfiguration.strip_sources is True
    assert c.VoilaConfiguration.show_tracebacks is False
    assert c.VoilaConfiguration.template == TEMPLATE_NAME
    assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 8866 and c.Voila.port_retries == 0
    assert c.Voila.log_level == "CRITICAL" and c.WorkshopKernelManager.quiet_kernels is True  # a quiet terminal
    debug = voila_config("127.0.0.1", 8866, open_browser=False, debug=True)  # callkit --debug workshop
    assert debug.Voila.log_level == "INFO" and debug.WorkshopKernelManager.quiet_kernels is False


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def checks(pages: OpenPages, clock: Clock, kernel_id: str, seconds: float, connections: int = 0,
           busy: bool = False) -> list[bool]:
    """What the culler decides, checking every 5 seconds for this long."""
    out = []
    for _ in range(int(seconds // 5)):
        clock.now += 5
        out.append(pages.should_shut_down(kernel_id, connections, busy))
    return out


def test_a_page_left_open_keeps_its_kernel_however_long_the_break():
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    assert pages.connected("k1") is True and pages.open == 1
    assert not any(checks(pages, clock, "k1", 3 * 3600, connections=1))


def test_a_closed_page_frees_its_kernel_after_the_grace_time():
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    pages.connected("k1")
    checks(pages, clock, "k1", 600, connections=1)
    pages.left("k1")  # tab closed after ten minutes of use
    assert checks(pages, clock, "k1", 20) == [False, False, False, True]
    assert pages.forget("k1") is True and pages.open == 0
    assert pages.forget("k1") is False


def test_a_busy_kernel_is_kept_and_its_clock_starts_when_it_is_done():
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    pages.connected("k1")
    pages.left("k1")
    assert checks(pages, clock, "k1", 60, busy=True) == [False] * 12
    assert checks(pages, clock, "k1", 25) == [False, False, False, False, True]


def test_a_reconnecting_page_keeps_its_kernel():
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    pages.connected("k1")
    pages.left("k1")
    clock.now += 5
    assert pages.connected("k1") is False  # same session, no new line
    assert not any(checks(pages, clock, "k1", 120, connections=1))


def test_the_spare_taken_by_a_page_gets_the_whole_grace_time_to_connect():
    """The spare is seen alone while it runs the notebook ahead, then not checked while it waits in the pool."""
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    assert checks(pages, clock, "spare", 5) == [False]  # running the notebook ahead: its clock starts
    clock.now += 600  # waits in the pool (not checked), then a page takes it
    assert checks(pages, clock, "spare", 15) == [False, False, False]
    pages.connected("spare")
    assert not any(checks(pages, clock, "spare", 60, connections=1))


def test_a_kernel_no_page_ever_opened_is_freed_from_when_it_is_first_seen_alone():
    clock = Clock()
    pages = OpenPages(grace=20, interval=5, clock=clock)
    assert checks(pages, clock, "k2", 25) == [False, False, False, False, True]
    assert pages.forget("k2") is False  # it never was a session: no "ended" line


def test_session_lines():
    when = datetime(2026, 12, 8, 10, 2)
    assert session_line("started", 2, when) == "10:02 session started (2 open)"
    assert session_line("ended", 0, when) == "10:02 session ended (0 open)"


def test_the_kernel_manager_prints_one_line_per_session():
    km = kernel_manager_class()()
    lines: list[str] = []
    km.announce = lines.append
    for kid in ("k1", "k2"):
        km._kernels[kid] = object()  # stands for a running kernel
        km._kernel_connections[kid] = 0
    km.notify_connect("k1")
    km.notify_connect("k1")  # a second connection of the same page (reconnect): no new line
    km.notify_connect("k2")
    km.notify_disconnect("k1")
    km.notify_disconnect("k1")
    km.remove_kernel("k1")
    km.stopping = True
    km.remove_kernel("k2")  # the server is stopping: no line per kernel
    assert [line[6:] for line in lines] == ["session started (1 open)", "session started (2 open)",
                                            "session ended (1 open)"]
    assert all(line[:5].replace(":", "").isdigit() for line in lines)


def test_server_environment_passes_the_workspace_to_kernels(tmp_path):
    env = server_environment(tmp_path, {"JUPYTER_PATH": "/x", "HOME": "/h"})
    assert env[WORKSPACE_ENV] == str(tmp_path)
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(template_root()), "/x"]
    assert env["HOME"] == "/h"


def test_page_url():
    assert page_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert page_url("0.0.0.0", 9000) == "http://127.0.0.1:9000/"


def test_cli_on_a_folder_that_is_not_a_workspace(tmp_path, capsys):
    assert main(["workshop", str(tmp_path), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a callkit workspace" in err



# -- what the page shows when the workspace or what reps typed is not as expected -------------------------------

def test_a_broken_process_file_is_one_sentence_on_the_page_not_a_cell_error(sample_ws_path, tmp_path):
    import shutil

    from callkit.ui.session import CoachingSession, open_session

    broken = tmp_path / "ws"
    shutil.copytree(sample_ws_path, broken)
    (broken / "process.yaml").write_text("stages:\n  - id: prospect\n    name: [unclosed\n", encoding="utf-8")
    page = open_session(broken)
    assert not isinstance(page, CoachingSession) and "ck-session-problem" in page._dom_classes
    assert "process.yaml: the file is not valid YAML at line" in page.value
    assert "Traceback" not in page.value and "ck-status-error" in page.value
    (broken / "process.yaml").write_text("stages: <script>alert(1)</script>\n", encoding="utf-8")
    page = open_session(broken)
    assert "ck-session-problem" in page._dom_classes and "<script>" not in page.value


def hostile_plan():
    from datetime import date

    from callkit.models import Attendee, CallPlan, Deal, Rep

    rep = Rep(rep_id="r1", name="Alex\nWhitfield", email="alex@us.example\nATTENDEE:mailto:evil@evil.example")
    plan = CallPlan(call_id="c1", deal_id="d1", rep_id="r1", call_date=date(2026, 12, 8), objective="x",
                    attendees=[Attendee(name="Priya\r\nShah", role="CFO\nDESCRIPTION:hacked", email="priya@acme.example"),
                               Attendee(name="Dave <b>Lee</b>", role="COO"),
                               Attendee(name="Alex Whitfield", side="us", role="AE")],
                    agenda=["Review\nSUMMARY:x the pilot"])
    deal = Deal(deal_id="d1", rep_id="r1", name="Pilot", stage="discover", account="Acme")
    return rep, plan, deal


def test_a_line_break_in_an_email_or_a_name_breaks_neither_the_invitation_nor_the_email():
    from callkit.ui.agenda import agenda_ics, agenda_text, invitees, usable_address

    rep, plan, deal = hostile_plan()
    ics = agenda_ics(plan, deal, rep, where="Room 1\nATTENDEE:mailto:x@evil.example").decode()
    unfolded = ics.replace("\r\n ", "")
    props = [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]
    assert props.count("ATTENDEE") == 1 and "ORGANIZER" not in props  # the rep's broken address is not used
    assert props.count("SUMMARY") == 1 and props.count("DESCRIPTION") == 1 and props.count("LOCATION") == 1
    assert "evil@evil.example" not in unfolded and 'CN="Priya Shah"' in unfolded
    assert [p.email for p in invitees(plan, rep)] == ["priya@acme.example"]
    text = agenda_text(plan, rep)
    assert "1. Review SUMMARY:x the pilot\n" in text
    assert "Joining from your side: Priya Shah (CFO DESCRIPTION:hacked), Dave <b>Lee</b> (COO)\n" in text
    assert text.rstrip().endswith("Best regards,\nAlex Whitfield")
    for bad in ("a@b.example\nc@d.example", "a@b.example\rBcc: c@d.example", "two words@b.example", "", None, "not-an-address"):
        assert usable_address(bad) is None, bad
    assert usable_address(" priya@acme.example ") == "priya@acme.example"


def test_the_agenda_panel_shows_a_broken_rep_address_as_a_note_and_escapes_names():
    from callkit.ui.agenda import AgendaPanel

    rep, plan, deal = hostile_plan()
    panel = AgendaPanel(deal, rep, time_zone="Europe/Berlin")
    panel.update(plan)
    assert "Priya Shah (CFO DESCRIPTION:hacked)" in panel.text.value
    notes = panel.status.value + panel.link.value
    assert "Alex Whitfield&#x27;s email address in the workspace is not an address" in notes or \
        "Alex Whitfield's email address in the workspace is not an address" in notes
    assert "ck-ics-link" in panel.link.value and "<b>Lee</b>" not in panel.status.value + panel.copy.value
