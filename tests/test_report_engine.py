"""The warm papermill engine (callkit-warm), private kernels, the engines side by side, and the Dask route."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from callkit.reports import generate_reports
from callkit.reports.engine import ENGINE_NAME, pool
from callkit.reports.names import report_slug

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def notebook(path: Path, *cells: str, markdown: str | None = None) -> Path:
    """A notebook with a parameters cell (x, marker) and the given code cells."""
    items = [new_code_cell("x = None\nmarker = None", metadata={"tags": ["parameters"]})]
    items += [new_code_cell(c) for c in cells]
    if markdown:
        items.append(new_markdown_cell(markdown))
    nbformat.write(new_notebook(cells=items, metadata={"kernelspec": KERNELSPEC}), path)
    return path


def run(path: Path, out: Path, engine: str | None = ENGINE_NAME, **parameters: object) -> nbformat.NotebookNode:
    return papermill.execute_notebook(str(path), str(out), parameters=parameters or {"x": "v"}, engine_name=engine,
                                      progress_bar=False, max_reps_per_kernel=3) if engine == ENGINE_NAME else \
        papermill.execute_notebook(str(path), str(out), parameters=parameters or {"x": "v"}, engine_name=engine,
                                   progress_bar=False)


def texts(nb: nbformat.NotebookNode) -> list[str]:
    return ["".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []) if o.get("text")]


def without_timings(nb: nbformat.NotebookNode) -> dict:
    """The notebook apart from run timings and the injected cell's random id."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.pop("id", None)
    return nb


@pytest.fixture(autouse=True)
def fresh_pool():
    """Each test starts without kept kernels and leaves none behind."""
    pool.kill_all()
    yield
    pool.kill_all()


def test_a_global_set_by_one_notebook_never_reaches_the_next(tmp_path: Path) -> None:
    nb = notebook(tmp_path / "g.ipynb",
                  "print('leaked: ' + secret if 'secret' in globals() else 'clean')\nsecret = x\nimport os\nos.getpid()")
    first = run(nb, tmp_path / "1.ipynb", x="from rep one")
    second = run(nb, tmp_path / "2.ipynb", x="from rep two")
    assert texts(first) == ["clean\n"] and texts(second) == ["clean\n"]
    pid = [o for o in first.cells[-1].outputs if o.output_type == "execute_result"][0]["data"]["text/plain"]
    assert pid == [o for o in second.cells[-1].outputs if o.output_type == "execute_result"][0]["data"]["text/plain"], \
        "the same kernel ran both notebooks"
    assert [c.execution_count for c in second.cells] == [c.execution_count for c in first.cells] == [1, 2, 3]


def test_output_is_the_standard_engines_apart_from_timings(tmp_path: Path) -> None:
    nb = notebook(tmp_path / "same.ipynb", "print(x)\nimport sys\nprint('to stderr', file=sys.stderr)",
                  "from IPython.display import HTML\nHTML('<b>%s</b>' % x)", "x.upper()", markdown="# notes")
    standard = run(nb, tmp_path / "s.ipynb", engine=None, x="ann")
    run(nb, tmp_path / "w1.ipynb", x="someone else")  # the kernel has run another notebook first
    warm = run(nb, tmp_path / "w2.ipynb", x="ann")
    assert without_timings(warm) == without_timings(standard)
    assert nbformat.read(tmp_path / "w2.ipynb", as_version=4).metadata.papermill["duration"] is not None


def _pid(nb: nbformat.NotebookNode) -> str:
    return [t for t in texts(nb) if t.startswith("pid ")][0]


def test_kernel_is_replaced_after_n_notebooks_and_after_an_error(tmp_path: Path) -> None:
    nb = notebook(tmp_path / "pid.ipynb", "import os\nprint('pid', os.getpid())\nif x == 'fail':\n    raise ValueError('bad data')")
    pids = [_pid(run(nb, tmp_path / f"{n}.ipynb")) for n in range(4)]  # max_reps_per_kernel=3
    assert pids[0] == pids[1] == pids[2] != pids[3]
    with pytest.raises(papermill.PapermillExecutionError, match="bad data"):
        run(nb, tmp_path / "fail.ipynb", x="fail")
    failed = nbformat.read(tmp_path / "fail.ipynb", as_version=4)
    assert _pid(failed) == pids[3], "the error happened on the fourth notebook's kernel"
    assert _pid(run(nb, tmp_path / "after.ipynb")) != pids[3], "a kernel that stopped on an error is not reused"


def test_a_kernel_that_dies_costs_its_notebook_one_retry_on_a_fresh_kernel(tmp_path: Path) -> None:
    from nbclient.exceptions import DeadKernelError

    marker = tmp_path / "died-once"
    nb = notebook(tmp_path / "dies.ipynb",
                  "import os, pathlib\nm = pathlib.Path(marker)\nif x == 'always' or not m.exists():\n"
                  "    m.touch()\n    os._exit(1)\nprint('survived')")
    run(notebook(tmp_path / "warm.ipynb", "1"), tmp_path / "warm-out.ipynb")  # a used, warm kernel
    done = run(nb, tmp_path / "once.ipynb", x="once", marker=str(marker))
    assert texts(done) == ["survived\n"] and marker.exists()
    with pytest.raises(DeadKernelError):
        run(nb, tmp_path / "always.ipynb", x="always", marker=str(marker))
    assert texts(run(nb, tmp_path / "next.ipynb", x="once", marker=str(marker))) == ["survived\n"]


def test_kept_kernels_talk_over_ipc_files_only_this_user_can_open(tmp_path: Path) -> None:
    run(notebook(tmp_path / "one.ipynb", "1"), tmp_path / "one-out.ipynb")
    kernel = next(iter(pool._kernels.values()))
    info = json.loads(Path(kernel.km.connection_file).read_text())
    folder = Path(kernel.km.connection_file).parent
    assert info["transport"] == "ipc" and Path(info["ip"]).parent == folder
    assert folder.stat().st_mode & 0o777 == 0o700 and folder.stat().st_uid == os.getuid()
    assert all(Path(f"{info['ip']}-{info[p]}").is_socket() for p in ("shell_port", "iopub_port", "control_port"))


def test_papermill_finds_the_engine_through_its_entry_point(tmp_path: Path) -> None:
    nb = notebook(tmp_path / "cli.ipynb", "print('hello', x)")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([str(Path(sys.executable).with_name("papermill")), "--engine", "callkit-warm", "--no-progress-bar",
                           str(nb), str(tmp_path / "cli-out.ipynb"), "-p", "x", "world"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert texts(nbformat.read(tmp_path / "cli-out.ipynb", as_version=4)) == ["hello world\n"]
    assert "running over TCP" not in done.stderr


# -- the engines and the Dask route through `callkit reports` -----------------------------------------


@pytest.fixture(scope="module")
def warm_run(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory):
    return generate_reports(sample_ws_path, tmp_path_factory.mktemp("warm") / "out", workers=2,
                            reps=["r01", "r02", "r03"], progress=False)


def test_both_engines_write_the_same_reports(warm_run, sample_ws_path: Path, tmp_path: Path) -> None:
    standard = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r03"], progress=False,
                                engine="standard")
    assert standard.exit_code == 0 and warm_run.exit_code == 0 and warm_run.engine == "warm"
    for rep_id in ("r01", "r03"):
        name = f"{report_slug(rep_id)}.html"
        assert (tmp_path / "out" / name).read_bytes() == (warm_run.out_dir / name).read_bytes(), rep_id


def test_reports_on_a_dask_cluster_match_the_local_pool(warm_run, sample_ws_path: Path, tmp_path: Path,
                                                        capfd: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       worker_dashboard_address=None)
    try:
        capfd.readouterr()
        run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02", "r03"],
                               scheduler=cluster.scheduler_address)
        err = capfd.readouterr().err
    finally:
        cluster.close()
    assert run.exit_code == 0, [r.error for r in run.failed]
    assert run.scheduler == cluster.scheduler_address
    for rep_id in ("r01", "r02", "r03"):
        name = f"{report_slug(rep_id)}.html"
        assert (tmp_path / "out" / name).read_bytes() == (warm_run.out_dir / name).read_bytes(), rep_id
    links = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{report_slug(r)}.html"' in links for r in ("r01", "r02", "r03"))
    assert "Writing reports: 3 reps" in err and err.count("done: r0") == 3  # the same progress as the pool
    assert not (tmp_path / "out" / ".callkit-work").exists()


def test_a_scheduler_nobody_runs_is_one_sentence(sample_ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    from callkit.cli import main
    from callkit.reports import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")

    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["reports", str(sample_ws_path), "--out", str(tmp_path / "out"), "--rep", "r01",
                 "--scheduler", f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and err[0].startswith(f"callkit: No Dask scheduler answered at tcp://127.0.0.1:{port}")
    assert "unexpected" not in err[0]
    assert main(["reports", str(sample_ws_path), "--out", str(tmp_path / "o"), "--scheduler", "10.0.0.1"]) == 1
    assert "must look like tcp://HOST:8786" in capsys.readouterr().err



def test_a_run_reports_the_peak_memory_of_this_process_each_worker_and_the_kernels(warm_run) -> None:
    memory = warm_run.memory
    assert memory is not None and memory.parent > 10 * 2**20
    assert len(memory.workers) == 2 and all(v > 10 * 2**20 for v in memory.workers.values())
    assert memory.kernel > 10 * 2**20
    assert memory.line().startswith("Peak memory: this process ") and "2 workers" in memory.line()


def test_a_dask_worker_that_dies_is_replaced_and_its_report_built_elsewhere(sample_ws_path: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from callkit.reports.run import PARAMETERS

    mark = tmp_path / "killed-worker"
    cells = [new_code_cell("\n".join(f"{p} = None" for p in PARAMETERS), metadata={"tags": ["parameters"]}),
             new_code_cell(f"import os, pathlib, signal\nm = pathlib.Path({str(mark)!r})\n"
                           "if rep_id == 'r02' and not m.exists():\n    m.write_text(str(os.getppid()))\n"
                           "    os.kill(os.getppid(), signal.SIGKILL)  # the Dask worker running this report\n"
                           "print('built', rep_id)")]
    nb = tmp_path / "kills-its-worker.ipynb"
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), nb)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       worker_dashboard_address=None)
    try:
        run = generate_reports(sample_ws_path, tmp_path / "out", workers=2, reps=["r01", "r02", "r03"],
                               notebook=nb, scheduler=cluster.scheduler_address, progress=False)
    finally:
        cluster.close()
    assert mark.exists(), "a Dask worker was killed"
    assert run.exit_code == 0, [r.error for r in run.failed]
    assert "built r02" in (tmp_path / "out" / f"{report_slug('r02')}.html").read_text(encoding="utf-8")
