"""Shares of a part (issue #17/#18, session 28) on the non-retail fixtures asked through the CLI:
a share of a figure that holds a yes/no ('what share of the room nights were weekend nights') is
the figure with the yes over the figure without it; a share of a figure the catalog defines as a
part of another (late = delivered - on time) is that part over its whole; a word held by two
dimensions and named by a yes/no of its own reads as that yes/no, while one held by two dimensions
with no yes/no of its name is still asked. Figures come from the fixtures' own tables."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, answers_the_complimentary_share_of_2025, metrics_of, rows


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("What percentage of available room nights in 2025 were weekend nights?", "is_weekend_night"),
        ("Which share of the available room-nights of 2025 fell on a weekend night?", "is_weekend_night"),
    ],
)
def test_a_share_of_a_figure_that_holds_a_yes_no_is_the_yes_over_all(
    hotels: Project, question: str, flag: str
) -> None:
    ((part, whole),) = hotels.sql(
        f"select sum(case when is_available and {flag} then 1 else 0 end), "
        "sum(case when is_available then 1 else 0 end) from analytics.room_nights "
        "where stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    ((_yes, count, share, total),) = rows(answer)  # the yes row alone, not the no row beside it
    assert count == part and abs(float(str(share)) - float(str(part)) / float(str(whole))) < 1e-9
    assert total == whole
    text = str(answer["answer"])
    assert "Weekend night accounted for" in text and "True" not in text
    assert f"of {int(str(whole)):,}".replace(",", ".") in text  # what it was divided by


@pytest.mark.parametrize(
    "question",
    [
        "What share of the occupied room nights in 2025 were complimentary stays?",
        "Welcher Anteil der belegten Zimmernächte war 2025 komplimentär?",
    ],
)
def test_a_word_two_dimensions_hold_reads_as_the_yes_no_it_names(hotels: Project, question: str) -> None:
    # 'Complimentary' is a market segment and a rate plan; the catalog's yes/no 'Complimentary stay'
    # is what the word names — no question back about the two
    answer = answers_the_complimentary_share_of_2025(hotels, question)
    assert str(answer["answer"]).startswith("Complimentary stay accounted for")


def test_a_word_two_dimensions_hold_without_a_yes_no_of_its_name_is_still_asked(hotels: Project) -> None:
    # 'group' is a market segment and a rate plan — and may mean the whole hotel group: asked
    answer = hotels.ask("What was group ADR last month?")
    assert answer["kind"] == "clarification", answer["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "What share of deliveries were late in September 2026?",
        "Anteil verspäteter Zustellungen im September 2026",
        "what percentage of our deliveries in September 2026 were late deliveries",
    ],
)
def test_a_share_of_a_part_the_catalog_defines_is_that_part_over_its_whole(
    freight: Project, question: str
) -> None:
    # late deliveries are defined as delivered shipments less on-time ones: the whole is delivered
    ((late, delivered),) = freight.sql(
        "select sum(case when not is_on_time then 1 else 0 end), count(*) from transport.fct_shipments "
        "where StatusCode = 'DLV' and delivered_date between date '2026-09-01' and date '2026-09-30'"
    )
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["late_deliveries", "delivered_shipments"]
    ((share, got_late, got_delivered),) = rows(answer)
    assert (got_late, got_delivered) == (late, delivered)
    assert abs(float(str(share)) - float(str(late)) / float(str(delivered))) < 1e-9
    assert "as % of delivered shipments" in str(answer["answer"])
