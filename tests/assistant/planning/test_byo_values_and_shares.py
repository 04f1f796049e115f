"""Values that choose the figure and status values that name a part (issue #18, session 27), on the
hospitality fixture asked through the CLI. Names and figures come from the fixture's own tables."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, metrics_of, rows


@pytest.mark.parametrize(
    "question",
    [
        "What share of the OTA bookings made in 2025 ended up cancelled?",
        "Welcher Anteil der OTA-Buchungen 2025 wurde storniert?",
    ],
)
def test_a_share_of_a_figure_that_ended_up_in_a_status_is_the_part_over_the_whole(
    hotels: Project, question: str
) -> None:
    # the cancelled bookings of the OTA bookings, not the OTA share of the cancelled bookings
    ((share,),) = hotels.sql(
        "select avg(case when is_cancelled then 1.0 else 0.0 end) from analytics.reservations "
        "where channel_group = 'OTA' and booked_on between date '2025-01-01' and date '2025-12-31'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert set(metrics_of(answer)) == {"cancelled_bookings", "bookings"}
    assert abs(float(str(rows(answer)[0][0])) - float(str(share))) < 1e-9


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("Parking revenue this year", "department = 'Parking'"),
        ("Spa-Umsatz dieses Jahr", "department = 'Spa'"),
        ("restaurant revenue this year", "outlet_code = 'RESTAURANT'"),
    ],
)
def test_a_value_before_a_general_figure_word_chooses_the_figure_that_reaches_it(
    hotels: Project, question: str, where: str
) -> None:
    # only the ancillary figures reach the folio's department and outlet; of those, the one whose
    # description covers the values (all non-room revenue), not the room revenue or RevPAR
    ((revenue,),) = hotels.sql(
        f"select sum(net_amount) from analytics.folio_lines where {where} "
        "and posting_date between date '2026-01-01' and date '2026-10-31'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["ancillary_revenue"]
    assert abs(float(str(rows(answer)[0][0])) - float(str(revenue))) < 0.01


def test_a_ranking_word_that_begins_a_values_name_is_that_name(hotels: Project) -> None:
    # 'the best available rate' is a rate plan, not 'the best' of something: no ranking, one row
    # per rate plan set against the other
    answer = hotels.ask(
        "ADR on the non-refundable advance purchase rate vs the best available rate, June to August 2026"
    )
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["group_by"] == ["reservation__rate_plan"] and plan["query"]["limit"] is None
    assert len(rows(answer)) == 2


@pytest.mark.parametrize(
    "question", ["Arrivals of Platinum members this year", "Arrivals of Platinum membres this year"]
)
def test_members_after_a_value_are_the_people_holding_it(hotels: Project, question: str) -> None:
    ((arrivals,),) = hotels.sql(
        "select count(*) from analytics.reservations r join analytics.profiles p "
        "on p.profile_no = r.guest_profile_no where r.is_stay and p.loyalty_tier = 'PLATINUM' "
        "and r.arrival_date between date '2026-01-01' and date '2026-10-31'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert rows(answer) == [[arrivals]]


def test_tonight_is_the_night_of_the_as_of_day(hotels: Project) -> None:
    ((occupancy,),) = hotels.sql(
        "select count(*) filter (where is_occupied)::double / count(*) filter (where is_available) "
        "from analytics.room_nights where stay_date = date '2026-10-31'"
    )
    answer = hotels.ask("What's occupancy tonight across the group?")
    assert answer["kind"] == "data", answer["answer"]
    assert abs(float(str(rows(answer)[0][0])) - float(str(occupancy))) < 1e-9


@pytest.mark.parametrize(
    "question",
    [
        "Bookings last month by channel group - leave the OTA out",
        "Buchungen letzten Monat nach Kanalgruppe - OTA bitte rauslassen",
    ],
)
def test_a_value_left_out_is_excluded(hotels: Project, question: str) -> None:
    answer = hotels.ask(question, as_of="2026-10-31")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    excluded = {"dimension": "reservation__channel_group", "operator": "!=", "values": ["OTA"]}
    assert excluded in plan["query"]["filters"]
    assert "OTA" not in [r[0] for r in rows(answer)]


def test_a_bracket_restating_a_figure_by_its_description_is_read_by_it(hotels: Project) -> None:
    # 'Gesamtumsatz (Logis plus Nebenerlöse)': total revenue is room revenue plus ancillary revenue
    answer = hotels.ask("Gesamtumsatz (Logis plus Nebenerlöse) je Region im Q2 2026")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["metrics"][0] == "total_revenue"
    assert plan["query"]["group_by"] == ["property__region"]
