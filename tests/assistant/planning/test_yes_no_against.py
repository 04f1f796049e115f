"""A yes/no set against its other side, and dictionary words that are no slips (issue #18, session 29),
on the non-retail fixtures asked through the CLI:

- **'weekend vs weekday nights'**: a yes/no named before 'vs'/'gegen' with the last word shared
  ('weekend vs weekday nights' is 'weekend nights vs weekday nights') and words after it that name
  nothing else ('weekday', 'Vorkasse') is one row each side of the yes/no — grouped by it, no filter.
- **A dictionary word is no slip of another** ('weekday' is not 'weekend', 'religion' not 'region'):
  a word one language's dictionary knows is not corrected into another word it knows more than one
  slip away — it was read as the weekend flag and answered for weekend nights only.
- **'… all hotels' at the end of a question** is the total over them, as 'across all hotels' is.
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, query, rows


@pytest.mark.parametrize(
    "question",
    [
        "revpar weekend vs weekday nights in September 2026",
        "RevPAR weekend nights versus weeknights in September 2026",
        "RevPAR Wochenendnächte gegen Wochentagsnächte im September 2026",
        "revpar weekend vs weekday nights sept 2026, all hotels",
    ],
)
def test_a_yes_no_set_against_its_other_side_is_one_row_each(hotels: Project, question: str) -> None:
    want = dict(
        hotels.sql(
            "select is_weekend_night, sum(room_revenue) / sum(case when is_available then 1 else 0 end) "
            "from analytics.room_nights where stay_date between date '2026-09-01' and date '2026-09-30' "
            "group by 1"
        )
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["room_night__is_weekend_night"]
    assert query(answer)["filters"] == []
    got = {bool(flag): float(str(v)) for flag, v in rows(answer)}
    assert got.keys() == {True, False}
    assert all(abs(got[k] - float(str(want[k]))) < 1e-9 for k in got)


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("Anzahl Sendungen Nachnahme gegen Vorkasse im September 2026", "shipment__is_cod"),
        ("shipments cash on delivery vs prepaid in September 2026", "shipment__is_cod"),
        (
            "Freight revenue of dangerous goods vs normal shipments in September 2026",
            "shipment__is_dangerous_goods",
        ),
    ],
)
def test_a_yes_no_set_against_its_other_side_in_another_project(
    freight: Project, question: str, flag: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == [flag]
    assert query(answer)["filters"] == []
    assert len(rows(answer)) == 2


@pytest.mark.parametrize(
    "question", ["occupancy on weekdays in September 2026", "ADR on weekdays last month"]
)
def test_weekday_is_no_slip_for_weekend(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]  # never the weekend nights alone


def test_a_dictionary_word_is_no_slip_for_another_in_another_project(freight: Project) -> None:
    answer = freight.ask("shipments by religion in September 2026")
    assert answer["kind"] == "clarification", answer["answer"]  # not 'by region'


@pytest.mark.parametrize(
    "question", ["occupancy September 2026 all hotels", "Auslastung September 2026 über alle Hotels"]
)
def test_all_hotels_at_the_end_is_the_total(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == []
    assert len(rows(answer)) == 1


def test_all_depots_at_the_end_is_the_total(freight: Project) -> None:
    answer = freight.ask("shipments September 2026 all depots")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == []


@pytest.mark.parametrize(
    "question",
    [
        "occupancy weekend vs midweek in September 2026",
        "Auslastung Wochenende gegen Werktage im September 2026",
        "Occupancy in September 2026: weekend versus rest of week",
    ],
)
def test_the_first_word_of_a_yes_no_set_against_another_is_that_yes_no(
    hotels: Project, question: str
) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["room_night__is_weekend_night"]
    assert query(answer)["filters"] == []


def test_the_first_word_of_a_yes_no_set_against_another_in_another_project(freight: Project) -> None:
    answer = freight.ask("freight revenue subcontracted vs own fleet in September 2026")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["shipment__is_subcontracted"]
    assert query(answer)["filters"] == []


@pytest.mark.parametrize(
    "question",
    [
        "occupancy weekend vs holiday nights in August 2026",
        "Auslastung Wochenende gegen Ferienzeit im August 2026",
        "RevPAR weekend vs conference nights in September 2026",
    ],
)
def test_words_set_against_a_yes_no_that_name_something_else_are_asked(
    hotels: Project, question: str
) -> None:
    # session 30: any word after 'vs' was read as the yes/no's other side; only its negation, an
    # everyday opposite ('weekday', 'Werktage') or the catalog's words of it are
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "OTD subcontracted linehaul vs partner network in 2025",
        "Sendungen Nachnahme gegen Rechnung im September 2026",
        "Freight revenue of dangerous goods vs pallets in September 2026",
    ],
)
def test_words_set_against_a_yes_no_that_name_something_else_are_asked_in_another_project(
    freight: Project, question: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("Auslastung Wochenende vs. unter der Woche im August 2026", {"Weekend night", "Weekday night"}),
        ("occupancy weekend vs weekdays in August 2026", {"Weekend night", "Weekday night"}),
        ("occupancy by weekend night in August 2026", {"Weekend night", "Weekday night"}),
    ],
)
def test_the_two_sides_of_a_yes_no_are_named_in_words(
    hotels: Project, question: str, sides: set[str]
) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert {r[0] for r in rows(answer)} == {True, False}  # the rows keep the values
    # the sentence names the two rows in words, the 'no' row by the everyday opposite (flag_sides)
    assert all(side in str(answer["answer"]) for side in sides), answer["answer"]
    assert "True" not in str(answer["answer"]) and "False" not in str(answer["answer"])


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("shipments cash on delivery vs prepaid in September 2026", {"Cash on delivery", "Prepaid"}),
        ("Anzahl Sendungen Nachnahme gegen Vorkasse im September 2026", {"Cash on delivery", "Prepaid"}),
        (
            "freight revenue subcontracted vs own fleet in September 2026",
            {"Subcontracted linehaul", "Not subcontracted linehaul"},
        ),
    ],
)
def test_the_two_sides_of_a_yes_no_are_named_in_words_in_another_project(
    freight: Project, question: str, sides: set[str]
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert all(side in str(answer["answer"]) for side in sides), answer["answer"]
    assert "True" not in str(answer["answer"]) and "False" not in str(answer["answer"])
