"""The command line refuses bad arguments with one sentence before doing any work (issue 15's papercuts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callkit import cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse refuses bad arguments itself, exit code 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("workers", ["0", "-3", "two"])
def test_a_number_of_workers_below_one_is_refused(capsys, tmp_path: Path, workers: str) -> None:
    code, _, err = run(capsys, "reports", str(tmp_path), "--out", str(tmp_path / "out"), "--workers", workers)
    assert code == cli.EXIT_USAGE and "--workers" in err and "1 or more" in err
    assert not (tmp_path / "out").exists()


def test_an_out_folder_that_is_a_file_is_one_sentence(capsys, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    for command in (["reports", str(tmp_path)], ["export", str(tmp_path)]):
        code, _, err = run(capsys, *command, "--out", str(afile))
        assert code == cli.EXIT_USAGE and "is a file, not a folder" in err and "Error" not in err
    assert afile.read_text() == "x"


def test_rep_takes_one_id_so_the_workspace_path_can_follow(capsys) -> None:
    args = cli.build_parser().parse_args(["reports", "--rep", "r01", "ws", "--out", "x"])
    assert args.reps == ["r01"] and args.path == "ws"


def test_init_reps_without_sample_is_refused_and_creates_nothing(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "ws"), "--reps", "5")
    assert code == cli.EXIT_ERROR and "add --sample" in err and err.count("\n") == 1
    assert not (tmp_path / "ws").exists()


def test_check_takes_a_stage_by_its_name(capsys) -> None:
    code, by_name, _ = run(capsys, "check", "Priya introduces us to the CFO by Friday", "--stage", "Discover")
    assert code == 0
    _, by_id, _ = run(capsys, "check", "Priya introduces us to the CFO by Friday", "--stage", "discover")
    assert by_name == by_id and "Deal stage: Discover" in by_name
    code, _, err = run(capsys, "check", "x", "--stage", "Nowhere")
    assert code == cli.EXIT_ERROR and "use one of prospect" in err


def test_the_old_import_paths_of_the_check_command_work() -> None:
    from callkit.cli.check import check_command
    from callkit.scoring.report_text import check_command as old

    assert old is check_command


def test_notebooks_copies_editable_versions_and_keeps_a_coachs_own(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "notebooks", str(tmp_path / "nb"))
    assert code == 0 and "Copied 7 notebooks" in out
    assert (tmp_path / "nb" / "rep_report.ipynb").is_file() and (tmp_path / "nb" / "exercises").is_dir()
    code, out, _ = run(capsys, "notebooks", str(tmp_path / "nb"))
    assert code == 0 and "already holds every notebook" in out
