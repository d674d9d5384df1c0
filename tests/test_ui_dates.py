"""Typed dates: what read_date accepts and refuses (one sentence), the DateField widget and RowsEditor's date column."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from callkit.exceptions import CallkitError, DataFileError, InvalidInputError
from callkit.ui.dates import (
    DateField, DateInputError, DateSettings, date_errors, locale_day_first, read_date, read_date_detail,
)
from callkit.ui.fields import example
from callkit.ui.markup import long_date, short_date
from callkit.ui.rows import Column, RowsEditor

TUESDAY = date(2026, 12, 8)
DAY_FIRST = replace(DateSettings.default(), numeric_order="day_first")
MONTH_FIRST = replace(DateSettings.default(), numeric_order="month_first")
COMMITMENTS = (Column("who", "Who", placeholder="e.g. Priya"), Column("what", "What"),
               Column("by", "By when", kind="date", width="160px"))


def read(text: str, today: date = TUESDAY, settings: DateSettings = DAY_FIRST) -> date | None:
    return read_date(text, today, settings=settings)


def refusal(text: str, today: date = TUESDAY, settings: DateSettings = DAY_FIRST) -> str:
    with pytest.raises(DateInputError) as err:
        read_date(text, today, settings=settings)
    message = str(err.value)
    assert isinstance(err.value, InvalidInputError) and isinstance(err.value, CallkitError)
    assert err.value.text == text and err.value.problem == message
    assert message.endswith(".") and ". " not in message, f"one sentence: {message}"
    return message


@pytest.mark.parametrize("text, expected", [
    ("2026-12-08", date(2026, 12, 8)), ("2026/1/5", date(2026, 1, 5)),
    ("8 Dec 2026", date(2026, 12, 8)), ("8 December", date(2026, 12, 8)), ("December 8, 2026", date(2026, 12, 8)),
    ("8th of January", date(2027, 1, 8)), ("Dec. 24", date(2026, 12, 24)), ("8-Dec-26", date(2026, 12, 8)),
    ("Tue 8 Dec 2026", date(2026, 12, 8)), ("Tuesday, 8 December 2026", date(2026, 12, 8)),
    ("08/12/2026", date(2026, 12, 8)), ("8.12.26", date(2026, 12, 8)), ("24/12", date(2026, 12, 24)),
    ("12/31/2026", date(2026, 12, 31)),  # only one reading is a real date: taken whatever the order
    ("today", TUESDAY), ("Tomorrow", date(2026, 12, 9)), ("yesterday", date(2026, 12, 7)),
    ("next Friday", date(2026, 12, 11)), ("Friday", date(2026, 12, 11)), ("this Tuesday", TUESDAY),
    ("next Tuesday", date(2026, 12, 15)), ("last Friday", date(2026, 12, 4)), ("Friday next week", date(2026, 12, 18)),
    ("in 2 weeks", date(2026, 12, 22)), ("in two weeks", date(2026, 12, 22)), ("in a month", date(2027, 1, 8)),
    ("3 days from now", date(2026, 12, 11)), ("3 days ago", date(2026, 12, 5)), ("next week", date(2026, 12, 15)),
    ("end of the month", date(2026, 12, 31)), ("end of next month", date(2027, 1, 31)),
])
def test_what_coaches_type_is_read(text, expected):
    assert read(text) == expected


def test_numbers_only_follow_the_order_and_say_when_they_were_ambiguous():
    assert read("08/12/2026", settings=DAY_FIRST) == date(2026, 12, 8)
    assert read("08/12/2026", settings=MONTH_FIRST) == date(2026, 8, 12)
    assert read("31/12/2026", settings=MONTH_FIRST) == date(2026, 12, 31)
    assert read_date("08/12/2026", TUESDAY, settings=MONTH_FIRST, day_first=True) == date(2026, 12, 8)
    both = read_date_detail("08/12/2026", TUESDAY, settings=DAY_FIRST)
    assert both.ambiguous and both.day_first is True
    assert not read_date_detail("12/31/2026", TUESDAY, settings=DAY_FIRST).ambiguous
    assert not read_date_detail("08/08/2026", TUESDAY, settings=DAY_FIRST).ambiguous
    # a weekday typed with the numbers settles which reading was meant
    assert read("Wed 12/08/2026", settings=DAY_FIRST) == date(2026, 8, 12)


def test_impossible_dates_and_years_are_refused_with_one_sentence():
    assert refusal("02/30/2027") == "“02/30/2027” is not a real date: February 2027 has 28 days."
    assert refusal("02/30/2027", settings=MONTH_FIRST) == refusal("02/30/2027")
    assert refusal("31/31/2026") == "“31/31/2026” is not a real date: a month is a number from 1 to 12."
    assert refusal("29/02/2027") == "“29/02/2027” is not a real date: February 2027 has 28 days."
    assert refusal("32 Dec 2026") == "“32 Dec 2026” is not a real date: December 2026 has 31 days."
    assert "days start at 1" in refusal("0/12/2026")
    assert "leap years" in refusal("29 Feb") and "29 Feb 2028" in refusal("29 Feb")
    assert read("29 Feb", today=date(2028, 1, 10)) == date(2028, 2, 29)
    for text, year in (("12/08/99999", 99999), ("8 Dec 99999", 99999), ("1999-12-31", 1999), ("1 Jan 2101", 2101),
                       ("in 200 years", 2226)):
        assert refusal(text) == f"The year {year} in “{text}” is out of range: type a year from 2000 to 2100."
    assert refusal("Mon 8 Dec 2026") == "“Mon 8 Dec 2026” does not add up: 8 Dec 2026 is a Tuesday, not a Monday."
    for text in ("soon", "8", "2026", "99999", "8 Decmber 2026", "next quarter"):
        assert refusal(text) == f"“{text}” is not a date callkit can read: type it like 8 Dec 2026, 2026-12-08 or next Friday."
    assert read("") is None and read("   ") is None and read_date(None) is None


def test_the_page_format_reads_back_to_the_same_day():
    for offset in range(0, 800, 3):
        day = date(2026, 1, 1) + timedelta(days=offset)
        assert read(long_date(day)) == day
        assert read(short_date(day)) == day
    assert long_date(TUESDAY) == "Tue 8 Dec 2026" and short_date(TUESDAY) == "8 Dec 2026"
    assert short_date(None) == long_date(None) == "no date"


def test_without_a_year_the_nearest_date_is_meant():
    assert read("8 Jan", today=date(2026, 12, 20)) == date(2027, 1, 8)
    assert read("20 Dec", today=date(2027, 1, 5)) == date(2026, 12, 20)
    assert read("3/6", today=date(2026, 5, 1)) == date(2026, 6, 3)
    assert read("Friday", today=date(2026, 12, 11)) == date(2026, 12, 11)  # on a Friday, "Friday" is today
    assert read("next Friday", today=date(2026, 12, 11)) == date(2026, 12, 18)
    assert read("in a month", today=date(2027, 1, 31)) == date(2027, 2, 28)


def test_the_order_comes_from_the_locale_or_the_workspace(tmp_path):
    assert locale_day_first({"LANG": "en_US.UTF-8"}) is False
    assert locale_day_first({"LANG": "en_GB.UTF-8"}) is True
    assert locale_day_first({"LC_ALL": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}) is False
    assert locale_day_first({"LC_TIME": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}) is True
    assert locale_day_first({"LANG": "C.UTF-8"}) is True and locale_day_first({}) is True
    assert locale_day_first({"LANG": "xx_YY"}) is True  # a locale nobody knows: day first
    assert DateSettings.for_workspace(tmp_path) == DateSettings.default()
    (tmp_path / "dates.yaml").write_text("numeric_order: month_first\nlatest_year: 2060\n", encoding="utf-8")
    own = DateSettings.for_workspace(tmp_path)
    assert own.day_first is False and own.latest_year == 2060 and own.earliest_year == 2000
    assert read("08/12/2026", settings=own) == date(2026, 8, 12)
    assert "from 2000 to 2060" in refusal("8 Dec 2070", settings=own)
    (tmp_path / "dates.yaml").write_text("numeric_order: sideways\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="dates.yaml: numeric_order is 'sideways': use day_first, month_first"):
        DateSettings.for_workspace(tmp_path)


def test_date_field_keeps_what_was_typed_and_says_why():
    field = DateField(today=TUESDAY, settings=DAY_FIRST, css="ck-next-call")
    changes = []
    field.observe(lambda change: changes.append(change["new"]), names="value")
    assert "ck-next-call" in field._dom_classes and "ck-date" in field._dom_classes
    assert field.box.placeholder.startswith("e.g. ")

    field.box.value = "next Friday"  # what the browser sends when the coach leaves the box
    assert field.value == date(2026, 12, 11) and field.valid and field.error == ""
    assert field.text == "next Friday" and "Fri 11 Dec 2026" in field.shown.value
    field.box.value = "02/30/2027"
    assert field.value is None and not field.valid and field.box.value == field.text == "02/30/2027"
    assert field.error == "“02/30/2027” is not a real date: February 2027 has 28 days."
    assert field.problem.value == "“02/30/2027” is not a real date: February 2027 has 28 days."
    assert field.problem.layout.display == "" and "ck-date-invalid" in field._dom_classes
    assert field.kept_value == "02/30/2027" and date_errors({"next_call": field}) == {"next_call": field.error}
    assert changes == [date(2026, 12, 11), None]

    field.value = date(2026, 12, 24)  # a form filling the box: the page's format, no sentence
    assert field.box.value == "Thu 24 Dec 2026" and field.valid and field.problem.layout.display == "none"
    assert field.shown.layout.display == "none"  # the box already says it in words
    field.box.value = "31/31/2026"
    field.value = None  # emptying works even when the box held text that was not a date
    assert field.box.value == "" and field.valid and field.value is None
    field.value = "2026-03-04"  # a draft's ISO date
    assert field.value == date(2026, 3, 4) and field.box.value == "Wed 4 Mar 2026"
    field.value = "12/31/2099x"  # a draft's text that could not be used comes back as it was, with its sentence
    assert field.value is None and field.box.value == "12/31/2099x"
    assert field.error.startswith("“12/31/2099x” is not a date callkit can read")
    field.text = "tomorrow"
    assert field.value == date(2026, 12, 9) and field.box.value == "tomorrow"
    with pytest.raises(Exception, match="takes a date, text or None"):
        field.value = 42
    assert DateField(value=date(2026, 1, 2), description="on").box.value == "Fri 2 Jan 2026"


def test_rows_keep_a_bad_date_as_typed_and_name_its_row():
    editor = RowsEditor(COMMITMENTS, today=TUESDAY, settings=DAY_FIRST)
    edits = []
    editor.on_change(lambda: edits.append(editor.value))
    editor.add_row()
    editor.add_row()
    editor.cell(1, "who").value = "Priya"
    editor.cell(1, "what").value = "introduces us to the CFO"
    editor.cell(1, "by").box.value = "02/30/2027"
    editor.cell(2, "what").value = "sends the data"
    editor.cell(2, "by").box.value = "next Friday"

    assert editor.value == [{"who": "Priya", "what": "introduces us to the CFO", "by": "02/30/2027"},
                            {"who": "", "what": "sends the data", "by": date(2026, 12, 11)}]
    sentence = "“02/30/2027” is not a real date: February 2027 has 28 days."
    assert editor.row_numbers() == [2, 3] and editor.row_errors() == {2: sentence}
    assert editor.date_errors() == {"0.by": sentence} and not editor.valid
    assert date_errors({"commitments": editor}) == {"commitments.0.by": sentence}
    line = editor._rows[1].error_line
    assert line.value == sentence and line.layout.display == ""
    assert edits[-1] == editor.value  # the bad text reached the change listeners (drafts keep it)
    assert "ck-col-by" in editor.cell(1, "by")._dom_classes

    editor.set_value(editor.value)  # a draft restored: the text and its sentence come back
    assert editor.cell(0, "by").box.value == "02/30/2027" and editor.row_errors() == {1: sentence}
    editor.cell(0, "by").box.value = "27 Feb 2027"
    assert editor.valid and editor.value[0]["by"] == date(2027, 2, 27)
    assert editor._rows[0].error_line.layout.display == "none"
    editor.cell(0, "by").box.value = ""
    assert editor.value[0]["by"] is None


def test_placeholders_read_as_examples():
    assert example("Priya Shah") == "e.g. Priya Shah"
    assert example("e.g. Priya Shah") == "e.g. Priya Shah" and example("E.g. CFO") == "E.g. CFO"
    assert example("") == "" and example("  introduces us to the CFO ") == "e.g. introduces us to the CFO"
