"""callkit.text: the one way callkit quotes a rep, joins a list, counts things and shows a date."""

from datetime import date, datetime

import pytest

from callkit.text import counted, date_range, join, long_date, quote, quote_list, short_date


def test_a_long_answer_is_cut_at_a_word_with_an_ellipsis():
    text = "We book a trial review with Lena's planners by the fifteenth of next month, then the board meets"
    cut = quote(text, 40)
    assert cut.endswith("…") and len(cut) <= 41
    assert text.startswith(cut[:-1]) and not cut[:-1].endswith(" ")
    assert quote("  Priya\nintroduces   us  ") == "Priya introduces us"
    assert quote(None) == ""


def test_quote_list_shows_three_and_counts_the_rest():
    assert quote_list(["a", "b"]) == '"a", "b"'
    assert quote_list(["a", "b", "c", "d", "e"]) == '"a", "b", "c" and 2 more'


@pytest.mark.parametrize(("parts", "joined"), [([], ""), (["a"], "a"), (["a", "b"], "a and b"),
                                               (["a", "b", "c"], "a, b and c"), (["a", "", "c"], "a and c")])
def test_join(parts, joined):
    assert join(parts) == joined


def test_counted_puts_the_noun_in_the_right_number():
    assert counted(1, "new rep") == "1 new rep"
    assert counted(3, "new company") == "3 new companies"
    assert counted(1889, "open deal") == "1,889 open deals"
    assert counted(0, "problem") == "0 problems"
    assert counted(2, "criterion", "criteria") == "2 criteria"


def test_one_date_format_from_dates_datetimes_and_iso_text():
    day = date(2026, 11, 24)
    assert long_date(day) == "Tue 24 Nov 2026"
    assert short_date(day) == "24 Nov 2026"
    assert short_date("2026-11-24") == short_date(datetime(2026, 11, 24, 9, 30)) == "24 Nov 2026"
    assert long_date(None) == short_date("") == "no date"
    assert date_range(date(2030, 1, 1), date(2030, 3, 25)) == "1 Jan 2030 to 25 Mar 2030"
    assert date_range("2030-01-01", date(2030, 1, 1)) == "1 Jan 2030"
