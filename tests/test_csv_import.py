"""CSV import and export: cell syntaxes, every kind of bad row (all or nothing), BOM, separators, round trips."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from callkit import csv_cells as cells
from callkit.exceptions import CsvImportError
from callkit.models import Attendee, Call, CloseDateChange, Commitment, Deal, Rep
from callkit.workspace import Workspace
from test_workspace import make_team

REPS = "rep_id,name,email,team,manager\nr01,Zoë Müller,zoe@example.com,North,Sam\nr02,Ken Ito,,,\n"
DEALS = (
    "deal_id,rep_id,account,name,stage,close_date,amount,created\n"
    "d001,r01,Acme Foods,Line 3,discover,2026-06-30,48000,2026-01-12\n"
    'd002,r02,"Brill, Inc.",Pilot,qualify,2026-09-01,,\n'
)
CALLS = (
    "call_id,deal_id,date,objective,agenda_agreed,outcome,commitments,learned,research,attendees\n"
    'c0001,d001,2026-03-10,Priya introduces us to the CFO,yes,advance,"Priya: intro to the CFO by 2026-03-20",'
    '"urgency: audit in Q3; budget: 40-60k","goals: cut downtime; industry: food","Priya Shah (COO); [us] Tom (SE)"\n'
    "c0002,d002,2026-03-12,,,continuation,,,,\n"
    "c0003,d001,2026-03-20,,,,,,,\n"
)
CLOSE_DATES = "deal_id,changed_on,close_date\nd001,2026-01-12,2026-04-30\nd001,2026-03-02,2026-06-30\n"
GOOD = {"reps": REPS, "deals": DEALS, "calls": CALLS, "close_dates": CLOSE_DATES}


def write_files(folder: Path, encoding: str = "utf-8", **overrides: str) -> dict[str, Path]:
    """Write the good CSV files into folder, with some files' text replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, text in {**GOOD, **overrides}.items():
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text(text, encoding=encoding)
    return paths


def snapshot(ws: Workspace) -> tuple:
    """Everything an import could change, to compare before and after a failed one."""
    return (ws.counts(), ws.reps(), ws.deals(), ws.calls(), ws.calls_frame().to_dict("list"), ws.close_dates_frame().to_dict("list"))


@pytest.fixture
def ws(tmp_path: Path):
    with Workspace.create(tmp_path / "ws") as workspace:
        yield workspace


def test_good_files_import(ws: Workspace, tmp_path: Path) -> None:
    summary = ws.import_csv(**write_files(tmp_path / "csv"))
    assert summary.counts == {"reps": 2, "deals": 2, "updated": 0, "unchanged": 0, "slipped": 0, "won": 0, "lost": 0,
                              "disappeared": 0, "calls": 3, "plans": 1, "debriefs": 2, "close_dates": 2,
                              "stage_changes": 0}
    assert summary.warnings == []
    assert ws.rep("r01").name == "Zoë Müller" and ws.rep("r02").email is None
    deal = ws.deal("d001")
    assert deal.amount == 48000 and deal.created == date(2026, 1, 12)
    assert deal.close_date_history == [
        CloseDateChange(changed_on=date(2026, 1, 12), close_date=date(2026, 4, 30)),
        CloseDateChange(changed_on=date(2026, 3, 2), close_date=date(2026, 6, 30)),
    ]
    assert ws.deal("d002").account == "Brill, Inc."
    first = ws.call("c0001")
    assert first.rep_id == "r01"  # from the deal: calls.csv has no rep_id column here
    assert first.plan.agenda_agreed and first.plan.research.goals == "cut downtime"
    assert first.plan.attendees == [Attendee(name="Priya Shah", role="COO"), Attendee(name="Tom", role="SE", side="us")]
    assert first.debrief.commitments == [Commitment(who="Priya", what="intro to the CFO", by=date(2026, 3, 20))]
    assert first.debrief.learned.budget == "40-60k" and first.debrief.learned.unanswered() == [
        "consequence", "attitude", "competition", "decision_process"]
    assert ws.call("c0002").plan is None and ws.call("c0002").outcome == "continuation"  # the rep who wings it
    assert ws.call("c0003").plan is None and ws.call("c0003").debrief is None


BAD_ROWS = [
    # (what, file, replaced text, row, column, words the message must contain)
    ("missing required column", "deals", "deal_id,rep_id,account,name,close_date\nd001,r01,A,B,2026-06-30\n",
     1, "stage", "required column 'stage' is missing"),
    ("blank required value", "reps", "rep_id,name\nr01,Zoë\nr02,\n", 3, "name", "name is blank"),
    ("unknown stage", "deals", DEALS.replace("discover", "discovery"), 2, "stage",
     "'discovery' is not a stage of this workspace's process: use one of prospect, qualify, discover"),
    ("bad date", "deals", DEALS.replace("2026-09-01", "next week"), 3, "close_date", "write it like 2026-03-14"),
    ("bad boolean", "calls", CALLS.replace(",yes,advance", ",maybe,advance"), 2, "agenda_agreed", "'maybe' is not yes or no"),
    ("unknown outcome", "calls", CALLS.replace(",continuation,", ",won,"), 3, "outcome",
     "'won' is not an outcome: use one of order, advance, continuation, no_sale"),
    ("unknown rep id in deals", "deals", DEALS.replace("d002,r02", "d002,r09"), 3, "rep_id",
     "the rep 'r09' is not in reps.csv nor in the workspace"),
    ("unknown deal id in calls", "calls", CALLS.replace("c0003,d001", "c0003,d404"), 4, "deal_id",
     "deal id 'd404' is not in deals.csv nor in the workspace"),
    ("unknown deal id in close dates", "close_dates", CLOSE_DATES + "d404,2026-04-01,2026-07-01\n", 4, "deal_id",
     "deal id 'd404' is not in deals.csv"),
    ("duplicate id in the file", "calls", CALLS.replace("c0003", "c0001"), 4, "call_id",
     "'c0001' appears twice: first in row 2"),
    ("bad date in close dates", "close_dates", CLOSE_DATES.replace("2026-03-02", "2026-02-30"), 3, "changed_on",
     "'2026-02-30' is not a date"),
    ("blank call date", "calls", CALLS.replace("c0003,d001,2026-03-20", "c0003,d001,"), 4, "date", "date is blank"),
    ("bad number", "deals", DEALS.replace("48000", "48k"), 2, "amount", "'48k' is not an amount"),
    ("negative amount", "deals", DEALS.replace("48000", "-5"), 2, "amount", "is a negative amount"),
    ("debrief without outcome", "calls", CALLS.replace("c0003,d001,2026-03-20,,,,,,,", "c0003,d001,2026-03-20,,,,Priya: call back,,,"),
     4, "outcome", "the outcome is blank but the debrief column 'commitments' is filled"),
    ("bad commitment date", "calls", CALLS.replace("by 2026-03-20", "by 20/03/2026"), 2, "commitments",
     "write it like 'by 2026-03-20'"),
    ("unlabelled learned", "calls", CALLS.replace("urgency: audit in Q3", "audit in Q3"), 2, "learned",
     "'audit in Q3' has no label"),
    ("attendee without name", "calls", CALLS.replace("[us] Tom (SE)", "[us] (SE)"), 2, "attendees", "has no name"),
    ("unknown plan stage", "calls", CALLS.replace("objective,agenda_agreed", "objective,plan_stage,agenda_agreed")
     .replace("to the CFO,yes,", "to the CFO,demo,yes,").replace("2026-03-12,,,", "2026-03-12,,,,").replace("2026-03-20,,,", "2026-03-20,,,,"),
     2, "plan_stage", "'demo' is not a stage of this workspace's process"),
    ("stray comma", "reps", REPS + "r03,Lee,lee@x.com,South,Sam,extra\n", 4, None, "put quotes around text"),
]


@pytest.mark.parametrize("what, kind, text, row, column, words", BAD_ROWS, ids=[case[0] for case in BAD_ROWS])
def test_bad_row_names_file_row_and_column_and_changes_nothing(
    ws: Workspace, tmp_path: Path, what: str, kind: str, text: str, row: int, column: str | None, words: str
) -> None:
    ws.load_team(*make_team_without_clashes())
    before = snapshot(ws)
    with pytest.raises(CsvImportError) as info:
        ws.import_csv(**write_files(tmp_path / "csv", **{kind: text}))
    err = info.value
    assert (Path(err.file).name, err.row, err.column) == (f"{kind}.csv", row, column)
    message = str(err)
    assert message.startswith(f"{kind}.csv, row {row}") and words in message
    if column:
        assert f"column {column!r}" in message
    assert snapshot(ws) == before


def make_team_without_clashes():
    """The hand-built team with ids that do not clash with the good CSV files."""
    reps, deals, calls = make_team()
    reps = [r.model_copy(update={"rep_id": "x" + r.rep_id}) for r in reps]
    deals = [d.model_copy(update={"deal_id": "x" + d.deal_id, "rep_id": "x" + d.rep_id}) for d in deals]
    return reps, deals, []


def test_a_call_id_already_in_the_workspace_is_a_duplicate(ws: Workspace, tmp_path: Path) -> None:
    ws.import_csv(**write_files(tmp_path / "first"))
    before = snapshot(ws)
    new = {"reps": "rep_id,name\n", "deals": DEALS, "close_dates": "deal_id,changed_on,close_date\n",
           "calls": "call_id,deal_id,date,objective\nc0010,d001,2026-04-01,\nc0002,d001,2026-04-02,\n"}
    with pytest.raises(CsvImportError, match="row 3, column 'call_id': the id .* is already in the workspace"):
        ws.import_csv(**write_files(tmp_path / "second", **new))
    assert snapshot(ws) == before


def test_importing_the_same_reps_and_deals_again_updates_them(ws: Workspace, tmp_path: Path) -> None:
    ws.import_csv(**write_files(tmp_path / "first"))
    again = write_files(tmp_path / "second", reps="rep_id,name,team\nr01,Zoë Müller,South\n",
                        deals=DEALS.replace("Line 3,discover,2026-06-30", "Line 3,solution,2026-07-31"),
                        calls="call_id,deal_id,date,objective\n", close_dates="deal_id,changed_on,close_date\n")
    summary = ws.import_csv(**again)
    assert summary.counts["updated"] == 1 and summary.counts["unchanged"] == 1 and summary.counts["slipped"] == 1
    assert ws.rep("r01").team == "South" and ws.rep("r01").manager == "Sam"  # blanks in the file keep what was there
    deal = ws.deal("d001")
    assert (deal.stage, deal.close_date) == ("solution", date(2026, 7, 31))
    assert [s.stage for s in deal.stage_history] == ["discover", "solution"]
    assert deal.close_date_history[-1].close_date == date(2026, 7, 31)
    assert ws.counts()["calls"] == 3


def test_import_adds_to_a_workspace_with_data(ws: Workspace, tmp_path: Path) -> None:
    ws.import_csv(**write_files(tmp_path / "first"))
    more = write_files(
        tmp_path / "second",
        reps="rep_id,name\nr03,Ada\n",
        deals="deal_id,rep_id,account,name,stage,close_date\nd003,r03,Corex,Renewal,propose,2026-07-01\n",
        calls="call_id,deal_id,rep_id,date,objective\nc0010,d001,r03,2026-04-01,Dana signs the pilot\nc0011,d003,,2026-04-02,\n",
        close_dates="deal_id,changed_on,close_date\nd002,2026-04-01,2026-10-01\n",
    )
    summary = ws.import_csv(**more)
    assert summary.counts["calls"] == 2 and summary.counts["close_dates"] == 1
    assert ws.counts()["reps"] == 3 and ws.counts()["calls"] == 5
    assert ws.call("c0010").rep_id == "r03" and ws.call("c0011").rep_id == "r03"
    d002 = ws.deal("d002")  # history added to a deal already in the workspace moves its close date
    assert d002.close_date == date(2026, 10, 1) and len(d002.close_date_history) == 1


def test_bom_is_handled(ws: Workspace, tmp_path: Path) -> None:
    paths = write_files(tmp_path / "csv", encoding="utf-8-sig")
    assert paths["reps"].read_bytes().startswith(b"\xef\xbb\xbf")
    ws.import_csv(**paths)
    assert ws.rep("r01").name == "Zoë Müller" and ws.counts()["calls"] == 3


def test_a_semicolon_separator_is_read_with_a_note(ws: Workspace, tmp_path: Path) -> None:
    european = "\ufeffrep_id;name;email\nr01;Zoë;zoe@example.com\nr02;Ken;\n"
    summary = ws.import_csv(**write_files(tmp_path / "csv", reps=european))
    assert ws.rep("r01").email == "zoe@example.com" and ws.counts()["reps"] == 2
    assert "reps.csv: read with ';' between columns." in summary.warnings


def test_file_level_problems(ws: Workspace, tmp_path: Path) -> None:
    paths = write_files(tmp_path / "csv")
    with pytest.raises(CsvImportError, match="missing.csv: the file does not exist"):
        ws.import_csv(reps=paths["reps"], deals=paths["deals"], calls=tmp_path / "missing.csv")
    paths["reps"].write_bytes("rep_id,name\nr01,Zo\xeb\n".encode("cp1252"))
    with pytest.raises(CsvImportError, match="not UTF-8 text"):
        ws.import_csv(**paths)
    paths["reps"].write_text("")
    with pytest.raises(CsvImportError, match="reps.csv, row 1: the file is empty"):
        ws.import_csv(**paths)
    paths["reps"].write_text("rep_id,name,Name\nr01,A,B\n")
    with pytest.raises(CsvImportError, match="column 'Name' appears twice"):
        ws.import_csv(**paths)
    assert ws.counts()["reps"] == 0


def test_header_is_forgiving_and_unknown_columns_warn(ws: Workspace, tmp_path: Path) -> None:
    reps = "Name,Rep ID,Region\nZoë,r01,North\n\n,,\nKen,r02,South\n"
    summary = ws.import_csv(**write_files(tmp_path / "csv", reps=reps))
    assert [r.rep_id for r in ws.reps()] == ["r01", "r02"]
    assert summary.warnings == ["reps.csv: column 'Region' is not a callkit column and was ignored."]


def test_row_numbers_count_blank_rows(ws: Workspace, tmp_path: Path) -> None:
    reps = "rep_id,name\nr01,A\n\nr02,\n"
    with pytest.raises(CsvImportError, match="reps.csv, row 4, column 'name'"):
        ws.import_csv(**write_files(tmp_path / "csv", reps=reps))


def test_plan_stage_is_read_by_id_or_name(ws: Workspace, tmp_path: Path) -> None:
    calls = (CALLS.replace("objective,agenda_agreed", "objective,plan_stage,agenda_agreed")
             .replace("to the CFO,yes,", "to the CFO,Qualify,yes,")
             .replace("2026-03-12,,,", "2026-03-12,,,,").replace("2026-03-20,,,", "2026-03-20,,,,"))
    ws.import_csv(**write_files(tmp_path / "csv", calls=calls))
    assert ws.plan("c0001").stage == "qualify"


def test_stage_by_name_and_outcome_spelling_are_accepted(ws: Workspace, tmp_path: Path) -> None:
    deals = DEALS.replace("discover", "Discover")
    calls = CALLS.replace(",continuation,", ",No sale,")
    ws.import_csv(**write_files(tmp_path / "csv", deals=deals, calls=calls))
    assert ws.deal("d001").stage == "discover" and ws.call("c0002").outcome == "no_sale"


# -- cell syntaxes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [("yes", True), ("No", False), ("TRUE", True), ("0", False), ("1", True), ("", False), ("y", True)])
def test_booleans(text: str, value: bool) -> None:
    assert cells.parse_bool(text) is value


def test_lists_escape_semicolons_and_accept_line_breaks() -> None:
    items = ["Goals; first look", "Next steps"]
    assert cells.format_list(items) == "Goals\\; first look; Next steps"
    assert cells.parse_list(cells.format_list(items)) == items
    assert cells.parse_list("a\nb; c;;") == ["a", "b", "c"]


def test_labelled_parts() -> None:
    text = "goals: cut downtime; obstacles: old PLCs; more so\nIndustry: food"
    assert cells.parse_labelled(text, cells.RESEARCH_LABELS) == {
        "goals": "cut downtime", "obstacles": "old PLCs; more so", "industry": "food"}
    assert cells.parse_labelled("met at the expo", cells.RESEARCH_LABELS, unlabelled="notes") == {"notes": "met at the expo"}
    assert cells.parse_labelled("Decision process: CFO signs", cells.LEARNED_LABELS) == {"decision_process": "CFO signs"}
    values = {"goals": "a; b: c", "notes": "line 1\nline 2"}
    assert cells.parse_labelled(cells.format_labelled(values, cells.RESEARCH_LABELS), cells.RESEARCH_LABELS) == values


def test_commitments() -> None:
    parsed = cells.parse_commitments("Priya: intro to the CFO by 2026-03-20; Send the logs; Dana: call back by 5pm")
    assert parsed == [
        Commitment(who="Priya", what="intro to the CFO", by=date(2026, 3, 20)),
        Commitment(what="Send the logs"),
        Commitment(who="Dana", what="call back by 5pm"),
    ]
    tricky = [Commitment(what="Agenda: pricing", by=date(2026, 1, 2)), Commitment(who="Tom", what="a; b")]
    assert cells.parse_commitments(cells.format_commitments(tricky)) == tricky
    with pytest.raises(cells.CellError, match="says who but not what"):
        cells.parse_commitments("Priya:")


def test_attendees() -> None:
    people = [Attendee(name="Priya Shah", role="COO"), Attendee(name="Tom", role="", side="us"), Attendee(name="Lee Park (Leo)")]
    assert cells.format_attendees(people) == "Priya Shah (COO); [us] Tom; Lee Park (Leo) ()"
    assert cells.parse_attendees(cells.format_attendees(people)) == people
    with pytest.raises(cells.CellError, match=r"mark our side with \[us\]"):
        cells.parse_attendees("[them] Bob")


def test_numbers_and_outcomes() -> None:
    assert cells.parse_number("12,000.50") == 12000.5 and cells.parse_number("") is None
    assert cells.format_number(12000.0) == "12000" and cells.format_number(0.5) == "0.5"
    assert cells.parse_outcome("No-Sale") == "no_sale" and cells.parse_outcome(" ") is None
    with pytest.raises(cells.CellError):
        cells.parse_number("nan")


# -- export and round trips ------------------------------------------------------------------------------

def test_export_writes_the_import_format(ws: Workspace, tmp_path: Path) -> None:
    ws.load_team(*make_team())
    files = ws.export_csv(tmp_path / "out")
    assert [f.name for f in files] == ["reps.csv", "deals.csv", "calls.csv", "close_dates.csv", "stage_changes.csv",
                                      "exercise_results.csv", "drafts.csv"]
    rows = list(csv.DictReader(io.StringIO(files[2].read_text(encoding="utf-8-sig"))))
    first = next(r for r in rows if r["call_id"] == "c0001")
    assert first["date"] == "2026-03-10" and first["agenda_agreed"] == "yes" and first["outcome"] == "advance"
    assert first["attendees"] == "Priya Shah (COO); [us] Tom Reed (solutions engineer); Lee Park (Leo) ()"
    assert first["commitments"] == "Priya: Intro to the CFO: Dana by 2026-03-20; Send the downtime logs"
    wings = next(r for r in rows if r["call_id"] == "c0003")
    assert wings["objective"] == "" and wings["agenda_agreed"] == "" and wings["outcome"] == "continuation"
    assert len(files[3].read_text(encoding="utf-8-sig").splitlines()) == 1 + 3


def rebuilt(reps: list[Rep], deals: list[Deal], calls: list[Call], folder: Path) -> tuple[list[Rep], list[Deal], list[Call]]:
    """The team as a workspace rebuilt from its `callkit export` holds it (the import warns of nothing)."""
    with Workspace.create(folder / "a") as source:
        source.load_team(reps, deals, calls)
        files = source.export_csv(folder / "csv")
    with Workspace.create(folder / "b") as target:
        summary = target.import_csv(*files)
        assert summary.warnings == []
        return target.reps(), target.deals(), target.calls()


def _round_trip(team: tuple, tmp_path: Path) -> None:
    reps, deals, calls = team
    assert rebuilt(reps, deals, calls, tmp_path) == (reps, deals, sorted(calls, key=lambda c: (c.date, c.call_id)))


def test_export_import_round_trip_of_every_field(tmp_path: Path) -> None:
    _round_trip(make_team(), tmp_path)


def test_export_import_round_trip_of_the_sample_team(tmp_path: Path) -> None:
    sample = pytest.importorskip("callkit.sample")
    team = sample.make_sample_team()
    _round_trip((team.reps, team.deals, team.calls), tmp_path)


def test_a_semicolon_file_with_a_comma_in_a_cell(ws: Workspace, tmp_path: Path) -> None:
    european = 'rep_id;name;"team, region"\nr01;Zoë;North\nr02;Ken;South\n'
    summary = ws.import_csv(**write_files(tmp_path / "csv", reps=european))
    assert [r.rep_id for r in ws.reps()] == ["r01", "r02"]
    assert "reps.csv: column 'team, region' is not a callkit column and was ignored." in summary.warnings


def test_export_import_round_trip_of_won_lost_and_blank_deals(tmp_path: Path) -> None:
    reps, deals, calls = make_team()
    deals = [*deals,
             Deal(deal_id="d003", rep_id="r01", name="Renewal", stage="close", close_date=date(2026, 5, 30),
                  amount=12000, status="won"),
             Deal(deal_id="d004", rep_id="r02", account="Cheers", name="Upsell", stage="propose", status="lost",
                  close_date=date(2026, 6, 15), closed_on=date(2026, 5, 2), lost_reason="Budget frozen; maybe Q3"),
             Deal(deal_id="d005", rep_id="r02", name="Fleet pilot", stage="prospect")]
    _round_trip((reps, deals, calls), tmp_path)


def test_stage_changes_file_is_the_stage_history(ws: Workspace, tmp_path: Path) -> None:
    files = write_files(tmp_path / "csv")
    moves = tmp_path / "csv" / "stage_changes.csv"
    moves.write_text("deal_id,changed_on,stage,status\nd001,2026-01-12,Qualify,\nd001,2026-03-02,discover,open\n",
                     encoding="utf-8")
    summary = ws.import_csv(**files, stage_changes=moves)
    assert summary.counts["stage_changes"] == 2
    assert [(s.changed_on, s.stage, s.status) for s in ws.deal("d001").stage_history] == [
        (date(2026, 1, 12), "qualify", "open"), (date(2026, 3, 2), "discover", "open")]


@pytest.mark.parametrize(("row", "says"), [
    ("d999,2026-01-12,qualify,open", "row 2, column 'deal_id': the deal id 'd999' is not in deals.csv"),
    ("d001,2026-01-12,qualify,closed", "row 2, column 'status': 'closed' is not a deal status: use open, won or lost."),
    ("d001,2026-01-12,discovery,open", "row 2, column 'stage': 'discovery' is not a stage"),
    ("d001,12th Jan,qualify,open", "row 2, column 'changed_on'"),
])
def test_a_bad_stage_change_row_names_it_and_imports_nothing(ws: Workspace, tmp_path: Path, row: str, says: str) -> None:
    files = write_files(tmp_path / "csv")
    moves = tmp_path / "csv" / "stage_changes.csv"
    moves.write_text(f"deal_id,changed_on,stage,status\n{row}\n", encoding="utf-8")
    with pytest.raises(CsvImportError) as info:
        ws.import_csv(**files, stage_changes=moves)
    assert says in str(info.value) and "stage_changes.csv" in str(info.value)
    assert ws.deals() == []
