"""CLI init / import / export: exit codes and one-line messages (via cli.main and the installed script)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from callkit import cli
from callkit.workspace import Workspace
from test_csv_import import write_files

SCRIPT = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "callkit"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_an_empty_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init", str(tmp_path / "ws"))
    assert code == 0 and err == ""
    assert out.startswith(f"Created an empty workspace in {tmp_path / 'ws'}.") and "callkit import" in out
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.counts()["reps"] == 0


def test_init_twice_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "ws"))
    code, out, err = run(capsys, "init", str(tmp_path / "ws"))
    assert code == cli.EXIT_ERROR and out == ""
    assert err.count("\n") == 1 and err.startswith("callkit: ") and "already a callkit workspace" in err


def test_init_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("callkit.sample")
    code, out, err = run(capsys, "init", str(tmp_path / "ws"), "--sample", "--reps", "3")
    assert code == 0, err
    with Workspace.open(tmp_path / "ws") as ws:
        counts = ws.counts()
    assert counts["reps"] == 3
    assert out.startswith(f"Created a sample workspace in {tmp_path / 'ws'}: 3 reps, {counts['deals']} deals")


def test_import_good_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "ws"))
    files = write_files(tmp_path / "csv", reps="rep_id,name,region\nr01,Zoë,N\nr02,Ken,S\n")
    code, out, err = run(
        capsys, "import", str(tmp_path / "ws"), "--reps", str(files["reps"]), "--deals", str(files["deals"]),
        "--calls", str(files["calls"]), "--close-dates", str(files["close_dates"]),
    )
    assert code == 0
    assert out == (f"Imported into {tmp_path / 'ws'} (snapshot of 2026-01-12): 2 new deals, 0 updated, 0 unchanged, "
                   "0 slipped, 0 won, 0 lost, 0 disappeared; 2 new reps; 3 calls (1 planned, 2 debriefed); "
                   "2 close-date changes.\n")
    assert err == "warning: reps.csv: column 'region' is not a callkit column and was ignored.\n"


def test_import_bad_row_exits_1_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "ws"))
    files = write_files(tmp_path / "csv", deals="deal_id,rep_id,account,name,stage,close_date\nd001,r01,A,B,signed,2026-06-30\n"
                                                  "d002,r02,C,D,qualify,\n")
    code, out, err = run(
        capsys, "import", str(tmp_path / "ws"), "--reps", str(files["reps"]), "--deals", str(files["deals"]),
        "--calls", str(files["calls"]),
    )
    assert code == 1 and out == ""
    assert err.startswith("callkit: deals.csv, row 2, column 'stage': 'signed' is not a stage") and err.count("\n") == 1
    with Workspace.open(tmp_path / "ws") as ws:
        assert set(ws.counts().values()) == {0}


def test_import_into_a_folder_that_is_not_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = write_files(tmp_path / "csv")
    code, _, err = run(capsys, "import", str(tmp_path), "--reps", str(files["reps"]), "--deals", str(files["deals"]),
                       "--calls", str(files["calls"]))
    assert code == 1 and f"{tmp_path} is not a callkit workspace: create one with `callkit init {tmp_path}`." in err


def test_import_needs_a_deals_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["import", str(tmp_path), "--reps", "reps.csv"])
    assert info.value.code == cli.EXIT_USAGE
    assert "--deals" in capsys.readouterr().err


def test_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "ws"))
    files = write_files(tmp_path / "csv")
    run(capsys, "import", str(tmp_path / "ws"), "--reps", str(files["reps"]), "--deals", str(files["deals"]),
        "--calls", str(files["calls"]), "--close-dates", str(files["close_dates"]))
    code, out, err = run(capsys, "export", str(tmp_path / "ws"), "--out", str(tmp_path / "out"))
    assert code == 0 and err == ""
    assert out == (f"Exported 7 files to {tmp_path / 'out'}: reps.csv, deals.csv, calls.csv, close_dates.csv, "
                   "stage_changes.csv, exercise_results.csv, drafts.csv.\n")
    assert "Zoë Müller" in (tmp_path / "out" / "reps.csv").read_text(encoding="utf-8-sig")
    code, _, err = run(capsys, "export", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out2"))
    assert code == 1 and "is not a callkit workspace" in err and not (tmp_path / "out2").exists()


def test_console_script_round_trip(tmp_path: Path) -> None:
    if not SCRIPT.exists():
        pytest.skip(f"the callkit console script is not installed at {SCRIPT}")
    sample = pytest.importorskip("callkit.sample")

    def callkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300)

    ws, csv_dir, ws2 = tmp_path / "ws", tmp_path / "csv", tmp_path / "ws2"
    assert callkit("init", str(ws), "--sample", "--reps", "2").returncode == 0
    assert callkit("export", str(ws), "--out", str(csv_dir)).returncode == 0
    assert callkit("init", str(ws2)).returncode == 0
    done = callkit("import", str(ws2), *(arg for kind in ("reps", "deals", "calls", "close-dates", "stage-changes")
                                       for arg in (f"--{kind}", str(csv_dir / f"{kind.replace('-', '_')}.csv"))))
    assert done.returncode == 0, done.stderr
    team = sample.make_sample_team(reps=2)
    with Workspace.open(ws2) as imported:
        assert imported.reps() == team.reps and imported.deals() == team.deals
        assert len(imported.calls()) == len(team.calls)
    again = callkit("import", str(ws2), "--reps", str(csv_dir / "reps.csv"), "--deals", str(csv_dir / "deals.csv"))
    assert again.returncode == 0 and "Traceback" not in again.stderr  # the same deals again: a refresh, all unchanged
    assert f"0 new deals, 0 updated, {len(team.deals)} unchanged" in again.stdout
    failed = callkit("import", str(ws2), "--deals", str(csv_dir / "deals.csv"), "--calls", str(csv_dir / "calls.csv"))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith("callkit: calls.csv, row 2, column 'call_id': the id") and failed.stderr.count("\n") == 1


def test_reports_takes_one_rep_id_per_repeated_flag() -> None:
    from callkit.cli import build_parser

    args = build_parser().parse_args(["reports", "ws", "--out", "out", "--rep", "007", "--rep", "../x", "--rep", "r3"])
    assert args.reps == ["007", "../x", "r3"]  # kept as text: "007" stays "007"
    assert build_parser().parse_args(["reports", "ws", "--out", "out"]).reps is None
