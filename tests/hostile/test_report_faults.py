"""Batch faults of `callkit reports`, with real signals on real processes (issue 13, items 3, 4, 5 and the
report items of the smaller list): a killed worker, kernels other users could read, a killed or stopped
parent, a killed rerun of another period, a read-only output folder, the rerun hint."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from callkit.cli import main as cli_main
from callkit.models import Rep
from callkit.reports import generate_reports
from callkit.reports.names import report_slug
from callkit.reports.output_folder import ReportOutputError, unwritable
from callkit.reports.rerun import shell_quote
from callkit.reports.run import PARAMETERS
from callkit.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")

CALLKIT = str(Path(sys.executable).with_name("callkit"))
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def report_notebook(path: Path, code: str) -> Path:
    """A report notebook with callkit's parameters and one code cell."""
    cells = [new_code_cell("\n".join(f"{p} = None" for p in PARAMETERS), metadata={"tags": ["parameters"]}),
             new_code_cell(code)]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), path)
    return path


def wait_for(condition, timeout: float = 90.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_reports(args: list[str]) -> subprocess.Popen:
    """`callkit reports ...` in its own process group, as a terminal would start it."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([CALLKIT, "reports", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)


# A kernel that tells the test who it and its worker are, and then stays busy (but stops if its worker goes).
BUSY = """\
import os, pathlib, time
here = pathlib.Path({dir!r})
(here / f"{{os.getpid()}}.kernel").write_text(rep_id)
(here / f"{{os.getppid()}}.worker").write_text(rep_id)
(here / f"{{rep_id}}.rep").write_text(rep_id)
print('period', since, until)
if rep_id not in {fast!r}:
    worker = os.getppid()
    for _ in range(1200):
        if os.getppid() != worker:
            break
        time.sleep(0.1)
"""


def pids(folder: Path, kind: str) -> set[int]:
    return {int(p.stem) for p in folder.glob(f"*.{kind}")}


# -- item 3: a dead worker ------------------------------------------------------------------------


def test_a_worker_killed_with_sigkill_is_replaced_and_only_its_rep_is_tried_again(sample_ws_path: Path,
                                                                                    tmp_path: Path) -> None:
    mark = tmp_path / "r02-worker"
    nb = report_notebook(tmp_path / "slow.ipynb", f"""\
import os, pathlib, time
m = pathlib.Path({str(mark)!r})
if rep_id == 'r02' and not m.exists():
    m.write_text(str(os.getppid()))
    worker = os.getppid()
    for _ in range(600):
        if os.getppid() != worker:
            break
        time.sleep(0.1)
print('built', rep_id)
""")
    killed: list[int] = []

    def kill_the_worker() -> None:
        wait_for(lambda: mark.exists() and mark.read_text(), what="rep r02's worker")
        pid = int(mark.read_text())
        assert psutil.Process(pid).ppid() == os.getpid(), "the kernel's parent is one of this run's workers"
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02", "r03", "r04"],
                           notebook=nb, progress=False)
    killer.join()
    assert killed and not alive(killed[0])
    assert [r.rep_id for r in run.results if r.ok] == ["r01", "r02", "r03", "r04"], [r.error for r in run.failed]
    assert run.retried == ["r02"] and run.exit_code == 0
    assert "built r02" in (tmp_path / "out" / f"{report_slug('r02')}.html").read_text(encoding="utf-8")


def test_a_rep_whose_worker_dies_twice_is_listed_as_failed_and_the_others_are_written(sample_ws_path: Path,
                                                                                       tmp_path: Path) -> None:
    nb = report_notebook(tmp_path / "kills.ipynb",
                         "import os, signal\nif rep_id == 'r03':\n    os.kill(os.getppid(), signal.SIGKILL)\nprint('ok')")
    run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02", "r03", "r04"],
                           notebook=nb, progress=False)
    assert [r.rep_id for r in run.failed] == ["r03"] and len(run.succeeded) == 3
    bad = run.failed[0]
    assert bad.error == "the report worker stopped unexpectedly twice (killed by signal 9)"
    assert "BrokenProcessPool" not in bad.error
    assert bad.failed_notebook is not None and bad.failed_notebook.is_file() and run.exit_code == 1
    assert run.retried == ["r03"]


# -- item 4: kernels nobody else can read ------------------------------------------------------------


@pytest.mark.parametrize("engine", ["warm", "standard"])
def test_report_kernels_talk_over_ipc_files_in_a_folder_only_this_user_can_open(engine: str, sample_ws_path: Path,
                                                                               tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    seen.mkdir()
    nb = report_notebook(tmp_path / "where.ipynb", f"""\
import json, os, pathlib, stat, psutil
from ipykernel.connect import get_connection_file
from ipykernel.kernelapp import IPKernelApp
cf = pathlib.Path(get_connection_file())
info = json.loads(cf.read_text())
sockets = [f"{{info['ip']}}-{{info[p]}}" for p in ('shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port')]
pathlib.Path({str(seen)!r}, rep_id + '.json').write_text(json.dumps({{
    'transport': info['transport'], 'ip': info['ip'], 'folder': str(cf.parent),
    'folder_mode': stat.S_IMODE(cf.parent.stat().st_mode), 'folder_uid': cf.parent.stat().st_uid,
    'file_mode': stat.S_IMODE(cf.stat().st_mode),
    'sockets': [os.path.exists(s) and stat.S_ISSOCK(os.stat(s).st_mode) for s in sockets],
    # ipykernel's one TCP socket: where forked subprocesses push output, receive-only, keyed by 16 random bytes
    'inet': [c.laddr.port for c in psutil.Process().net_connections(kind='inet')
             if c.laddr.port != IPKernelApp.instance().iopub_thread._pipe_port]}}))
""")
    run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02"], notebook=nb,
                           progress=False, engine=engine)
    assert run.exit_code == 0, [r.error for r in run.failed]
    for rep_id in ("r01", "r02"):
        info = json.loads((seen / f"{rep_id}.json").read_text())
        assert info["transport"] == "ipc" and Path(info["ip"]).parent == Path(info["folder"])
        assert info["folder_mode"] & 0o777 == 0o700 and info["folder_uid"] == os.getuid()
        assert info["file_mode"] & 0o077 == 0, "the connection file (with the key) is the user's only"
        assert info["sockets"] == [True] * 5 and info["inet"] == [], "no TCP port a local user could read"
    assert not Path(info["folder"]).exists(), "the private folder goes with its worker"


# -- item 5: the parent dies, is stopped, or is interrupted --------------------------------------------


def test_workers_and_kernels_die_soon_after_the_parent_is_killed(sample_ws_path: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    nb = report_notebook(tmp_path / "busy.ipynb", BUSY.format(dir=str(busy), fast=[]))
    parent = start_reports([str(sample_ws_path), "--out", str(tmp_path / "out"), "--workers", "2", "--rep", "r01",
                            "--rep", "r02", "--rep", "r03", "--notebook", str(nb)])
    try:
        wait_for(lambda: len(pids(busy, "worker")) == 2 and len(pids(busy, "kernel")) == 2, what="two busy kernels")
        family = [p.pid for p in psutil.Process(parent.pid).children(recursive=True)]
        assert pids(busy, "worker") <= set(family) and pids(busy, "kernel") <= set(family)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_for(lambda: not any(alive(p) for p in family), timeout=15, what="the workers and kernels to stop")
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.communicate()


@pytest.mark.parametrize("how,code,words", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_sigterm_and_ctrl_c_stop_the_batch_with_one_line_and_an_index_of_one_period(
        how: signal.Signals, code: int, words: str, sample_ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = report_notebook(tmp_path / "quick.ipynb", "print('period', since, until)")
    earlier = generate_reports(sample_ws_path, out, reps=["r01", "r02", "r03"], workers=2, notebook=first,
                               progress=False, since="2026-06-01", until="2026-06-30")
    assert earlier.exit_code == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    nb = report_notebook(tmp_path / "busy.ipynb", BUSY.format(dir=str(busy), fast=["r01"]))
    parent = start_reports([str(sample_ws_path), "--out", str(out), "--workers", "2", "--rep", "r01", "--rep", "r02",
                            "--rep", "r03", "--notebook", str(nb), "--since", "2026-07-01", "--until", "2026-07-31"])
    try:
        wait_for(lambda: (busy / "r02.rep").exists() and (busy / "r03.rep").exists(), what="two busy kernels")
        wait_for(lambda: any((out / ".callkit-work" / "html").glob("*.html")), what="r01's report")
        family = [p.pid for p in psutil.Process(parent.pid).children(recursive=True)]
        if how == signal.SIGINT:
            os.killpg(parent.pid, signal.SIGINT)  # what Ctrl-C at the terminal does: the whole foreground group
        else:
            parent.send_signal(signal.SIGTERM)
        stdout, stderr = parent.communicate(timeout=30)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.communicate()
    assert parent.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("callkit:")]
    assert len(lines) == 1 and lines[0] == stderr.strip().splitlines()[-1]
    assert lines[0].startswith(f"callkit: Stopped by {words}: wrote 1 of 3 reports for ") and "1 Jul 2026 to 31 Jul 2026" in lines[0]
    assert str(out / "index.html") in lines[0] and "Traceback" not in stderr
    wait_for(lambda: not any(alive(p) for p in family), timeout=10, what="the workers and kernels to stop")
    manifest = json.loads((out / "reports.json").read_text(encoding="utf-8"))
    assert manifest["period"] == {"since": "2026-07-01", "until": "2026-07-31"}
    assert all(entry["period"] == manifest["period"] for entry in manifest["reps"].values())
    assert {k for k, v in manifest["reps"].items() if v["status"] == "ok"} == {"r01"}
    index = (out / "index.html").read_text(encoding="utf-8")
    linked = {name for name in (f"{report_slug(r)}.html" for r in ("r01", "r02", "r03")) if f'href="{name}"' in index}
    assert linked == {f"{report_slug('r01')}.html"}
    assert "period 2026-07-01 2026-07-31" in (out / f"{report_slug('r01')}.html").read_text(encoding="utf-8")


def test_a_killed_rerun_of_another_period_leaves_the_old_index_and_reports_as_they_were(sample_ws_path: Path,
                                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = report_notebook(tmp_path / "quick.ipynb", "print('period', since, until)")
    generate_reports(sample_ws_path, out, reps=["r01", "r02"], workers=2, notebook=first, progress=False,
                     since="2026-06-01", until="2026-06-30")
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    busy = tmp_path / "busy"
    busy.mkdir()
    nb = report_notebook(tmp_path / "busy.ipynb", BUSY.format(dir=str(busy), fast=["r01"]))
    parent = start_reports([str(sample_ws_path), "--out", str(out), "--workers", "2", "--rep", "r01", "--rep", "r02",
                            "--notebook", str(nb), "--since", "2026-07-01", "--until", "2026-07-31"])
    try:
        wait_for(lambda: any((out / ".callkit-work" / "html").glob("*.html")), what="the new period's first report")
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.communicate()
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == before
    assert json.loads((out / "reports.json").read_text(encoding="utf-8"))["period"]["since"] == "2026-06-01"
    for rep_id in ("r01", "r02"):
        assert "period 2026-06-01 2026-06-30" in (out / f"{report_slug(rep_id)}.html").read_text(encoding="utf-8")


# -- the smaller items --------------------------------------------------------------------------------


def test_a_read_only_output_folder_is_one_sentence(sample_ws_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:  # root writes through permission bits: /sys refuses even root
        out = Path("/sys/callkit-reports")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        out = locked / "reports"
    code = cli_main(["reports", str(sample_ws_path), "--out", str(out), "--rep", "r01"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert err[0].startswith(f"callkit: The reports cannot be written to {out}") and "you may not write to it" in err[0]
    assert "unexpected" not in err[0] and "OSError" not in err[0]
    with pytest.raises(ReportOutputError):
        generate_reports(sample_ws_path, out, reps=["r01"], progress=False)
    assert unwritable(tmp_path / "o", tmp_path, OSError(errno.EROFS, "Read-only file system")).endswith(
        "it is on a read-only disk; choose another --out folder or make it writable.")


def test_the_rerun_hint_keeps_the_notebook_and_reruns_an_id_with_a_line_break(fresh_ws_path: Path,
                                                                              tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    odd = "new\nline 'rep'"
    with Workspace.open(fresh_ws_path) as ws:
        ws.add_rep(Rep(rep_id=odd, name="Nia Newline"))
    flag = tmp_path / "still-broken"
    flag.touch()
    nb = report_notebook(tmp_path / "my report.ipynb",
                         f"import pathlib\nif '\\n' in rep_id and pathlib.Path({str(flag)!r}).exists():\n"
                         "    raise ValueError('not yet')\nprint('fine')")
    out = tmp_path / "out"
    code = cli_main(["reports", str(fresh_ws_path), "--out", str(out), "--rep", "r01", "--rep", odd, "--notebook", str(nb),
                     "--engine", "standard"])
    err = capsys.readouterr().err
    assert code == 1
    hint = next(line for line in err.splitlines() if line.startswith("Rerun just these with: "))
    command = hint.removeprefix("Rerun just these with: ")
    assert shell_quote(odd) in command and "--notebook" in command and "--engine standard" in command
    argv = subprocess.run(["bash", "-c", "printf '%s\\0' " + command.removeprefix("callkit ")],
                          capture_output=True, text=True, check=True).stdout.split("\0")[:-1]
    assert argv[argv.index("--rep") + 1] == odd and argv[argv.index("--notebook") + 1] == str(nb)
    assert "r01" not in argv
    flag.unlink()
    env = {**os.environ, "PATH": f"{Path(CALLKIT).parent}:{os.environ['PATH']}", "PYTHONWARNINGS": "ignore"}
    again = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=180)
    assert again.returncode == 0, again.stderr
    assert "fine" in (out / f"{report_slug(odd)}.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "reports.json").read_text(encoding="utf-8"))
    assert manifest["reps"][odd]["status"] == "ok" and manifest["reps"]["r01"]["status"] == "ok"


def test_the_index_shows_rep_text_as_text(fresh_ws_path: Path, tmp_path: Path) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with Workspace.open(fresh_ws_path) as ws:
        ws.add_rep(Rep(rep_id="x<y>", name=evil, team=evil, manager=f"{evil} & Co"))
    nb = report_notebook(tmp_path / "quick.ipynb", "print('fine')")
    run = generate_reports(fresh_ws_path, tmp_path / "out", reps=["x<y>"], workers=1, notebook=nb, progress=False)
    index = run.index_path.read_text(encoding="utf-8")
    assert "<script>alert" not in index and "<img src=x" not in index
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in index
