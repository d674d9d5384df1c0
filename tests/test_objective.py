"""assess_objective: the advance / specific / realistic rules of seed 004, findings, suggestions, bad input, CLI."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

import callkit as ck
from callkit.cli import main
from callkit.exceptions import LexiconError, UnknownStageError
from callkit.process import SalesProcess
from callkit.scoring.lexicon import default_lexicon, lexicon_from_dict, lexicon_from_yaml, read_text, verb_forms
from callkit.scoring.objective import CHECK_CODES, ObjectiveAssessment, assess_objective

DATA = Path(__file__).parent / "data"


def codes(a: ObjectiveAssessment) -> set[str]:
    return {f.code for f in a.findings}


# -- the contract -------------------------------------------------------------------------------------


def test_contract_fields_and_public_name():
    a = ck.assess_objective("Priya introduces us to the CFO by Friday", stage="discover")
    assert isinstance(a, ObjectiveAssessment)
    assert (a.text, a.stage) == ("Priya introduces us to the CFO by Friday", "discover")
    assert a.is_advance is True and a.is_specific is True and a.is_realistic is True
    assert a.implied_stage is None and a.suggestion is None and a.score == 1.0
    assert a.findings == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.is_advance = False  # type: ignore[misc]


def test_realistic_is_none_without_a_stage_and_score_counts_two_checks():
    a = assess_objective("Demonstrate the ABC module")
    assert a.is_realistic is None
    assert a.score == pytest.approx(0.5)  # specific yes, advance no
    b = assess_objective("Demonstrate the ABC module", stage="solution")
    assert b.score == pytest.approx(2 / 3)


def test_unknown_stage_names_the_valid_ids():
    with pytest.raises(UnknownStageError) as err:
        assess_objective("Close the deal", stage="closing")
    assert "closing" in str(err.value) and "negotiate" in str(err.value)
    assert isinstance(err.value, ck.CallkitError)


def test_to_dict_is_json_ready():
    data = assess_objective("Close the deal", stage="discover").to_dict()
    assert json.loads(json.dumps(data))["is_realistic"] is False
    assert [f["code"] for f in data["findings"]] == ["objective.seller_action", "objective.closing_too_early"]


# -- advance: who acts --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "We want the client to commit to a two-week trial",          # first person, client acts in the embedded verb
    "I want Priya to introduce us to her CFO by Friday",
    "Get the IT director to commit to a proof of concept",        # imperative + causative
    "Have the plant manager share the downtime figures before Tuesday",
    "My goal is for the CFO to approve the pilot budget by the 15th",
    "CFO to sign the order form by Friday",                       # headline
    "The contract is signed by the CFO by March 31",              # passive with an agent
    "Pilot scope approved by the plant manager in the meeting",
    "The NDA is signed",                                          # passive, a client verb
    "Their usage data is shared with us before Friday",           # passive towards us
    "Signed NDA by Friday",
    "Hassan agrees to introduce us to the head of procurement",   # names and roles
    "Dr. Okafor agrees to test the scheduling module on Monday",
    "Tom and his IT lead join a technical deep-dive on Thursday",
    "Legal returns the redlined contract by the 28th",
    "Agree on pilot success criteria with the operations team",   # a mutual act
    "Secure a signed order for phase one",                        # obtaining a commitment
    "Customer says yes to the proposal",
    "Approval of the pilot budget by the VP Finance before the 30th",
])
def test_client_actions_are_advances(text):
    a = assess_objective(text)
    assert a.is_advance, (text, [f.message for f in a.findings])


@pytest.mark.parametrize("text, code", [
    ("Demonstrate the ABC module", "objective.seller_action"),
    ("We present our roadmap to the architecture team", "objective.seller_action"),
    ("I'll email the brochure after the call", "objective.seller_action"),
    ("Our team demos the reporting module to the finance team", "objective.seller_action"),
    ("The proposal is sent to the buyer", "objective.seller_action"),
    ("Persuade procurement to waive the tender", "objective.seller_action"),
    ("Ask the CFO for a meeting with the board", "objective.seller_action"),
    ("The customer hears about our new features", "objective.not_advance"),
    ("The client wants to see a demo", "objective.not_advance"),
    ("Schedule a second meeting", "objective.seller_action"),
    # an instruction to arrange, confirm or close is the rep's own doing, whoever is in it
    ("Book a reference call with a hospital customer for the CIO", "objective.seller_action"),
    ("set up the onboarding workshop w/ Mehmet's supervisors", "objective.seller_action"),
    ("confirm the rollout budget with Agnieszka", "objective.seller_action"),
    ("Win the fleet tender", "objective.seller_action"),
    ("finalise terms for the Porto depot", "objective.seller_action"),
])
def test_seller_actions_and_low_energy_are_not_advances(text, code):
    a = assess_objective(text)
    assert not a.is_advance
    assert code in codes(a)


@pytest.mark.parametrize("text", [
    "They'll get back to us after the board meeting",
    "Client says they will think it over",
    "They thanked us and asked us to call again next quarter",
    "let's meet again sometime",
    "Tom will review our proposal",
    "CFO says she will consider it",
])
def test_continuations_are_neither_advance_nor_specific(text):
    a = assess_objective(text, stage="propose")
    assert not a.is_advance and not a.is_specific
    assert "objective.continuation" in codes(a)


def test_hope_is_not_a_strategy():
    a = assess_objective("Hope they agree to move forward", stage="propose")
    assert not a.is_advance and not a.is_specific
    finding = next(f for f in a.findings if f.code == "objective.hope")
    assert "hope is not a strategy" in finding.message


# -- specific ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Keep the momentum going", "Touch base with the project lead", "Build rapport with the new VP of Sales",
    "Move the opportunity forward", "Learn more about their needs", "Get a feel for their priorities",
    "Check how the trial is going", "Follow up after the demo", "Discuss next steps with the buying committee",
    "The customer is happy with the demo", "Dave agrees that the upgrade is worth it",
])
def test_vague_aims_are_not_specific(text):
    a = assess_objective(text)
    assert not a.is_specific
    assert "objective.vague" in codes(a)
    vague = next(f for f in a.findings if f.code == "objective.vague")
    assert text.split()[0] in vague.message  # quotes the rep's words


def test_a_specific_client_action_without_a_date_gets_a_tip_only():
    a = assess_objective("Customer agrees to a paid pilot", stage="solution")
    assert a.is_specific and a.is_advance and a.is_realistic
    assert [f.code for f in a.findings] == ["objective.no_date"]
    assert a.findings[0].severity == "tip"
    assert a.suggestion is None


@pytest.mark.parametrize("text", ["Rachel commits to sharing feedback by Friday", "on the 9th", "before Thursday's meeting",
                                  "by 12/15", "next Wednesday", "within 2 weeks", "during the call", "by end of month"])
def test_dates_and_numbers_count_as_when(text):
    objective = text if text.startswith("Rachel") else f"The buyer signs the 3-year renewal {text}"
    a = assess_objective(objective)
    assert "objective.no_date" not in codes(a)


# -- realistic -----------------------------------------------------------------------------------------


def test_site_visit_belongs_to_validate_and_is_two_stages_past_discover():
    text = "The COO agrees to schedule a site visit to the Austin plant for our team"
    early = assess_objective(text, stage="discover")
    assert early.implied_stage == "validate" and early.is_realistic is False
    finding = next(f for f in early.findings if f.code == "objective.unrealistic")
    assert "Validate" in finding.message and "Discover" in finding.message and "site visit" in finding.message
    assert assess_objective(text, stage="solution").is_realistic is True


def test_closing_is_only_realistic_in_the_last_steps():
    for stage in ("prospect", "discover", "validate", "propose"):
        a = assess_objective("Close the deal", stage=stage)
        assert a.is_realistic is False and "objective.closing_too_early" in codes(a)
    for stage in ("negotiate", "close"):
        assert assess_objective("Close the deal", stage=stage).is_realistic is True


def test_a_signed_nda_is_not_a_signed_contract():
    nda = assess_objective("Customer signs the mutual NDA so they can share their data", stage="prospect")
    contract = assess_objective("Legal signs the master services agreement", stage="discover")
    assert nda.is_advance and nda.is_realistic is True and nda.implied_stage == "qualify"
    assert contract.implied_stage == "close" and contract.is_realistic is False


def test_no_implied_stage_is_realistic_at_any_stage():
    a = assess_objective("Hassan introduces us to the head of procurement this week", stage="prospect")
    assert a.implied_stage is None and a.is_realistic is True


def test_a_custom_process_without_the_default_ids_gets_no_implied_stage():
    proc = SalesProcess.from_dict({"stages": [
        {"id": "intro", "activities": ["First call"]},
        {"id": "evaluate", "activities": ["Run a pilot with their team"]},
        {"id": "won", "activities": ["Signed order"]},
    ]})
    a = assess_objective("Customer agrees to a paid pilot", stage="intro", process=proc)
    assert a.implied_stage is None and a.is_realistic is True
    assert a.suggestion is None
    bad = assess_objective("Keep the momentum going", stage="intro", process=proc)
    assert bad.suggestion == "The sponsor agrees to first call by the end of next week."
    with pytest.raises(UnknownStageError):
        assess_objective("x", stage="discover", process=proc)


# -- suggestions ---------------------------------------------------------------------------------------


def test_suggestion_reuses_the_object_of_a_seller_action():
    a = assess_objective("Demonstrate the ABC module", stage="solution")
    assert a.suggestion == "The sponsor agrees to test the ABC module against their success criteria by the end of next week."


def test_suggestion_reuses_the_person_and_the_date():
    a = assess_objective("Demo the integration to the IT director by Friday", stage="solution")
    assert a.suggestion.startswith("The IT director agrees to test the integration")
    assert a.suggestion.endswith("by Friday.")
    b = assess_objective("Persuade Dave of the value of the upgrade", stage="solution")
    assert b.suggestion.startswith("Dave agrees to") and "the value of the upgrade" in b.suggestion


def test_suggestion_keeps_the_clients_own_action_when_only_the_wording_fails():
    assert assess_objective("Maybe the client will agree to a trial").suggestion == \
        "The client agrees to a trial by the end of next week."
    assert assess_objective("Persuade procurement to waive the tender").suggestion.startswith(
        "Procurement agrees to waive the tender")
    assert assess_objective("Tom will review our proposal").suggestion == \
        "Tom agrees to review our proposal with us by the end of next week."


def test_suggestion_takes_the_next_activity_when_the_text_has_nothing_usable():
    proc = SalesProcess.default()
    a = assess_objective("Touch base with the project lead", stage="discover", process=proc)
    assert a.suggestion.startswith("The project lead agrees to walk us through their current process")
    unrealistic = assess_objective("Get them to sign the purchase order", stage="qualify", process=proc)
    next_activity = proc.stage("discover").activities[0].lower().replace("map ", "walk us through ")
    assert unrealistic.suggestion == f"The customer agrees to {next_activity} by the end of next week."


def test_suggestion_turns_a_question_into_something_the_client_confirms():
    a = assess_objective("Find out who else is involved in the decision", stage="qualify")
    assert a.suggestion == "The customer agrees to confirm in writing who else is involved in the decision by the end of next week."


def test_suggestion_agrees_with_a_plural_person():
    a = assess_objective("Train their admins on the new module", stage="close")
    assert a.suggestion.startswith("Their admins agree to ")


def test_suggestions_pass_their_own_checks():
    with (DATA / "objectives_extra.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["stage"]]
    checked = 0
    for row in rows:
        a = assess_objective(row["text"], stage=row["stage"])
        if a.suggestion is None:
            continue
        again = assess_objective(a.suggestion, stage=row["stage"])
        assert again.is_advance and again.is_specific and again.is_realistic, (row["text"], a.suggestion, again.findings)
        checked += 1
    assert checked > 50


# -- findings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DATA / "objectives_extra.csv"])
def test_every_failed_check_has_a_finding_and_passing_ones_only_tips(path):
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        a = assess_objective(row["text"], stage=row["stage"] or None)
        found = codes(a)
        for check, ok in (("advance", a.is_advance), ("specific", a.is_specific), ("realistic", a.is_realistic)):
            if ok is False:
                assert found & CHECK_CODES[check], (row["text"], check, found)
        if a.passed:
            assert all(f.severity == "tip" for f in a.findings), (row["text"], found)
            assert a.suggestion is None
        else:
            assert a.suggestion, row["text"]
        ranks = [{"problem": 0, "warning": 1, "tip": 2}[f.severity] for f in a.findings]
        assert ranks == sorted(ranks)


def test_messages_quote_the_rep_and_tips_come_from_seed_004():
    a = assess_objective("Demonstrate the ABC module")
    f = a.findings[0]
    assert f.message == '"Demonstrate the ABC module" is what you will do, not what the client will do.'
    assert "action with energy by the client, during or right after the call" in f.tip


# -- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("", "objective.empty"),
    ("   \n\t ", "objective.empty"),
    ("🚀🔥🎯", "objective.empty"),
    ("x" * 10_000, "objective.too_long"),
    ("Priya agrees to a pilot by Friday and " * 300, "objective.too_long"),
    ("Le client signe le contrat demain", "objective.not_english"),
    ("Der Kunde unterschreibt den Vertrag bis Freitag", "objective.not_english"),
    ("客户签署合同", "objective.not_english"),
])
def test_bad_input_gives_an_assessment_with_a_finding(text, code):
    for stage in (None, "discover"):
        a = assess_objective(text, stage=stage)
        assert code in codes(a)
        assert not a.is_specific
        assert 0.0 <= a.score <= 1.0


def test_emoji_around_words_are_ignored_with_a_tip():
    a = assess_objective("🚀 Priya agrees to a pilot by Friday 🎉", stage="solution")
    assert a.is_advance and a.is_specific and a.is_realistic
    assert codes(a) == {"objective.symbols"}


def test_empty_objective_with_a_stage_gets_the_stages_next_activity():
    a = assess_objective("", stage="propose")
    assert a.suggestion == "The sponsor agrees to review the proposal with the decision maker by the end of next week."
    assert assess_objective("").suggestion is None


# -- lexicon -------------------------------------------------------------------------------------------


def test_verb_forms_cover_regular_and_irregular_verbs():
    assert set(verb_forms("commit")) >= {"commits", "committed", "committing"}
    assert set(verb_forms("apply")) >= {"applies", "applied", "applying"}
    assert "sent" in verb_forms("send", ["sent"]) and "past" in verb_forms("send", ["sent"])["sent"]


def test_reading_spells_out_short_forms_and_hyphens():
    r = read_text("They'll sign-off; let's go")
    assert r.low == ("they", "will", "sign", "off", ";", "let", "us", "go")


def test_a_coach_can_extend_the_word_lists(tmp_path):
    import yaml

    data = yaml.safe_load((Path(ck.__file__).parent / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    data["cues"]["vague"].append("evangelise")
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    custom = lexicon_from_yaml(path)
    text = "The sponsor agrees to evangelise the proposal"
    assert assess_objective(text).is_specific
    assert not assess_objective(text, lexicon=custom).is_specific


def test_a_broken_lexicon_names_the_file_and_the_list(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("verbs: [", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        lexicon_from_yaml(path)
    with pytest.raises(LexiconError, match="does not exist|cannot be read"):
        lexicon_from_yaml(tmp_path / "missing.yaml")
    data = {"verbs": {"advance": ["sign", True]}}
    with pytest.raises(LexiconError, match="write yes, no, on and off in quotes"):
        lexicon_from_dict(data, "coach.yaml")


def test_the_shipped_lexicon_is_read_once():
    assert default_lexicon() is default_lexicon()


# -- callkit check -------------------------------------------------------------------------------------


def test_check_prints_verdicts_findings_and_a_suggestion(capsys):
    assert main(["check", "Demonstrate the ABC module", "--stage", "solution"]) == 0
    out = capsys.readouterr().out
    assert "Advance" in out and "Specific" in out and "Realistic" in out
    assert "2 of 3 checks passed" in out
    assert '"Demonstrate the ABC module" is what you will do, not what the client will do.' in out
    assert "Try instead:" in out and "test the ABC module against their success criteria" in out


def test_check_without_a_stage_says_realistic_was_not_checked(capsys):
    assert main(["check", "Hassan agrees to introduce us to the CFO by Friday"]) == 0
    out = capsys.readouterr().out
    assert "not checked" in out and "2 of 2 checks passed. A good objective." in out
    assert "Try instead" not in out


def test_check_json_is_the_assessment(capsys):
    assert main(["check", "Close the deal", "--stage", "discover", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["is_realistic"] is False and data["implied_stage"] == "close"
    assert [f["code"] for f in data["findings"]] == ["objective.seller_action", "objective.closing_too_early"]
    assert data["suggestion"].endswith("by the end of next week.")


def test_check_unknown_stage_is_one_line_and_exit_1(capsys):
    assert main(["check", "Close the deal", "--stage", "nope"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "nope" in lines[0] and "discover" in lines[0]


def test_check_uses_a_workspace_process(sample_ws_path, capsys):
    assert main(["check", "Customer agrees to a paid pilot", "--stage", "solution", "--workspace", str(sample_ws_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["is_realistic"] is True
