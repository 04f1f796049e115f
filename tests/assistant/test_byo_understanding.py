"""The offline planner on dbt projects that are not ours (issue #18, items 1–5), end to end.

Each question goes through `mercurios ask --json` in single-tenant mode on the real dbt builds of
the logistics and hospitality fixtures, and every number is checked against hand-written SQL over
the project's own tables: the fan-out (one column reachable over several entity paths, never grouped
by all of them), stacked yes/no filters, explicit ratios no metric defines, and linking through
labels, acronyms, descriptions and lemmas rather than exact names.
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, column, query, rows

# ---- fan-out: one column, several entity paths ---------------------------------------------------


def test_by_hotel_groups_by_one_path_and_the_totals_are_not_multiplied(hotels: Project) -> None:
    """Room nights reach the hotel directly, through the room and through the reservation: grouped
    by all three, every hotel would repeat. One column, and each hotel's revenue is its own."""
    answer = hotels.ask("room revenue by hotel last year")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["group_by"] == ["property__property_name"]
    got = dict(zip(column(answer, "property__property_name"), column(answer, "room_revenue"), strict=True))
    want = dict(
        hotels.sql(
            "select h.hotel_name, sum(n.room_revenue) from analytics.room_nights n "
            "join analytics.hotels h on h.hotel_code = n.hotel_code "
            "where n.stay_date between date '2025-01-01' and date '2025-12-31' group by 1"
        )
    )
    assert set(got) == set(want)
    for hotel, revenue in want.items():
        assert got[hotel] == pytest.approx(float(revenue), abs=0.01), hotel  # type: ignore[arg-type]


def test_a_region_two_depots_reach_is_asked_not_grouped_by_both(freight: Project) -> None:
    """A shipment reaches a depot's region as its lane's origin and as its destination."""
    answer = freight.ask("shipments by region last month")
    assert answer["kind"] == "clarification", answer["answer"]
    text = str(answer["answer"]).lower()
    assert "origin depot" in text and "destination depot" in text


def test_the_role_the_question_names_picks_the_path(freight: Project) -> None:
    """'delivering region': the destination depot's description says it delivers to the consignee."""
    answer = freight.ask("shipments by delivering region last month")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["group_by"] == ["lane__destination_depot__region"]
    got = dict(
        zip(column(answer, "lane__destination_depot__region"), column(answer, "shipments"), strict=True)
    )
    want = dict(
        freight.sql(
            "select d.RegionName, count(*) from transport.fct_shipments s "
            "join transport.dim_lanes l on l.lane_code = s.lane_code "
            "join transport.dim_depots d on d.depot_code = l.destination_depot_code "
            "where s.shipment_status <> 'Cancelled' "
            "and s.ship_date between date '2026-09-01' and date '2026-09-30' group by 1"
        )
    )
    assert got == {k: pytest.approx(v) for k, v in want.items()}


def test_a_country_of_several_parties_is_asked(hotels: Project) -> None:
    """'country' alone: the hotel's, the guest's or the booker's — three columns, none named."""
    answer = hotels.ask("bookings by country last year")
    assert answer["kind"] == "clarification", answer["answer"]
    text = str(answer["answer"]).lower()
    assert "guest country" in text and "hotel country" in text and "booker country" in text


# ---- stacked yes/no filters ----------------------------------------------------------------------


def test_two_yes_no_dimensions_joined_by_and_are_asked_not_stacked(hotels: Project) -> None:
    answer = hotels.ask("occupied room nights for weekend nights and complimentary stays last year")
    assert answer["kind"] == "clarification", answer["answer"]
    assert "weekend night" in str(answer["answer"]).lower()


# ---- explicit ratios -------------------------------------------------------------------------------


def test_a_figure_per_an_entity_is_divided_and_said_to_be_derived(freight: Project) -> None:
    answer = freight.ask("claimed amount per claim last year")
    assert answer["kind"] == "data", answer["answer"]
    ((want,),) = freight.sql(
        "select sum(ClaimedAmount) / count(*) from transport.fct_claims "
        "where claimed_on between date '2025-01-01' and date '2025-12-31'"
    )
    (got,) = column(answer, "claimed_amount_per_claims_filed")
    assert got == pytest.approx(float(want))  # type: ignore[arg-type]
    assert "derived" in str(answer["answer"]).lower()


def test_a_figure_per_another_figure_by_hotel_is_ranked_on_the_ratio(hotels: Project) -> None:
    answer = hotels.ask("top 3 hotels by room revenue per arrival this year")
    assert answer["kind"] == "data", answer["answer"]
    want = hotels.sql(
        "with r as (select h.hotel_name, sum(n.room_revenue) as rev from analytics.room_nights n "
        "  join analytics.hotels h on h.hotel_code = n.hotel_code "
        "  where n.stay_date between date '2026-01-01' and date '2026-10-31' group by 1), "
        "a as (select h.hotel_name, count(*) as arr from analytics.reservations x "
        "  join analytics.hotels h on h.hotel_code = x.hotel_code "
        "  where x.is_stay and x.arrival_date between date '2026-01-01' and date '2026-10-31' group by 1) "
        "select r.hotel_name, rev / arr from r join a using (hotel_name) order by 2 desc limit 3"
    )
    got = list(
        zip(
            column(answer, "property__property_name"),
            column(answer, "room_revenue_per_arrivals"),
            strict=True,
        )
    )
    assert [g[0] for g in got] == [w[0] for w in want]
    for (_, g), (_, w) in zip(got, want, strict=True):
        assert g == pytest.approx(float(w))  # type: ignore[arg-type]


# ---- linking beyond exact names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("OTD last month", "on_time_delivery_rate"),  # the acronym in the label's brackets
        ("on-time rate last month", "on_time_delivery_rate"),  # one word of the name left out
        ("average transit time last month", "average_transit_days"),  # the label without its unit
        ("amount claimed last year", "claimed_amount"),  # the words swapped
    ],
)
def test_metrics_are_found_by_label_acronym_and_partial_names(
    freight: Project, question: str, metric: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict) and plan["query"]["metrics"] == [metric]


def test_part_of_a_value_names_it(hotels: Project) -> None:
    """'Bergen' for 'Halden Lodge Bergen Bryggen': the only value holding the word."""
    answer = hotels.ask("room revenue in Bergen last year")
    assert answer["kind"] == "data", answer["answer"]
    ((want,),) = hotels.sql(
        "select sum(n.room_revenue) from analytics.room_nights n join analytics.hotels h "
        "on h.hotel_code = n.hotel_code where h.hotel_name like '%Bergen%' "
        "and n.stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    (got,) = column(answer, "room_revenue")
    assert got == pytest.approx(float(want), abs=0.01)  # type: ignore[arg-type]


def test_a_value_on_a_two_hop_path_filters_by_the_role_named(freight: Project) -> None:
    """'collected by Hamburg Billbrook': the origin depot's description says it collects. The filter
    sits two entities away (shipment → lane → origin depot) and must reach MetricFlow as such."""
    answer = freight.ask("how many shipments did Hamburg Billbrook collect last month?")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert [f["dimension"] for f in plan["query"]["filters"]] == ["lane__origin_depot__depot_name"]
    ((want,),) = freight.sql(
        "select count(*) from transport.fct_shipments s "
        "join transport.dim_lanes l on l.lane_code = s.lane_code "
        "join transport.dim_depots d on d.depot_code = l.origin_depot_code "
        "where d.DepotName = 'Hamburg Billbrook' and s.shipment_status <> 'Cancelled' "
        "and s.ship_date between date '2026-09-01' and date '2026-09-30'"
    )
    (got,) = column(answer, "shipments")
    assert got == pytest.approx(float(want))  # type: ignore[arg-type]


# ---- cautious readings: a question back rather than a wrong number (issue #18, acceptance 1) ------


def test_two_codes_set_against_each_other_are_shown_side_by_side(hotels: Project) -> None:
    """'US' is also the word 'us': written as the stored code it is the code, and 'versus' between
    two countries shows each one — never one of them alone, nor the two added up."""
    answer = hotels.ask("room revenue from guests from the US versus guests from DE last year")
    assert answer["kind"] == "data", answer["answer"]
    got = dict(
        zip(column(answer, "reservation__guest__country"), column(answer, "room_revenue"), strict=True)
    )
    want = dict(
        hotels.sql(
            "select p.country_code, sum(n.room_revenue) from analytics.room_nights n "
            "join analytics.reservations r on r.confirmation_no = n.confirmation_no "
            "join analytics.profiles p on p.profile_no = r.guest_profile_no "
            "where p.country_code in ('US', 'DE') "
            "and n.stay_date between date '2025-01-01' and date '2025-12-31' group by 1"
        )
    )
    assert set(got) == {"US", "DE"}
    for country, revenue in want.items():
        assert got[country] == pytest.approx(float(revenue), abs=0.01), country  # type: ignore[arg-type]


def test_each_place_named_with_its_own_preposition_is_its_own_row(freight: Project) -> None:
    """'in Hamburg and in Vienna': the place word said twice asks for each place."""
    answer = freight.ask("shipments from shippers in Hamburg and in Vienna last year")
    assert answer["kind"] == "data", answer["answer"]
    got = dict(zip(column(answer, "shipper__city"), column(answer, "shipments"), strict=True))
    want = dict(
        freight.sql(
            "select p.City, count(*) from transport.fct_shipments s "
            "join transport.dim_parties p on p.party_no = s.shipper_party_no "
            "where p.City in ('Hamburg', 'Vienna') and s.shipment_status <> 'Cancelled' "
            "and s.ship_date between date '2025-01-01' and date '2025-12-31' group by 1"
        )
    )
    assert got == {city: float(n) for city, n in want.items()}  # type: ignore[misc]


def test_the_share_of_one_value_of_many_is_that_value_alone(freight: Project) -> None:
    """'what proportion … through the PORTAL': one booking channel of four — its share, one row,
    computed over all channels."""
    answer = freight.ask("what proportion of last month's shipments were booked through the PORTAL?")
    assert answer["kind"] == "data", answer["answer"]
    assert rows(answer) and len(rows(answer)) == 1
    ((want,),) = freight.sql(
        "select count(*) filter (where BookingChannel = 'PORTAL') * 1.0 / count(*) "
        "from transport.fct_shipments where shipment_status <> 'Cancelled' "
        "and ship_date between date '2026-09-01' and date '2026-09-30'"
    )
    columns = answer["columns"]
    assert isinstance(columns, list)
    (share_column,) = [c for c in columns if str(c).endswith("__share")]
    (channel,) = column(answer, columns[0])
    (share,) = column(answer, share_column)
    assert channel == "PORTAL" and share == pytest.approx(float(want))  # type: ignore[arg-type]


def test_so_far_ends_at_as_of_not_at_the_last_row_loaded(hotels: Project) -> None:
    """'so far', asked on 31 March: the room-nights up to that day, not those the hotel had since."""
    answer = hotels.ask("occupied room nights so far", as_of="2026-03-31")
    assert answer["kind"] == "data", answer["answer"]
    ((want, later),) = hotels.sql(
        "select count(*) filter (where is_occupied and stay_date <= date '2026-03-31'), "
        "count(*) filter (where is_occupied) from analytics.room_nights"
    )
    (got,) = column(answer, "occupied_room_nights")
    assert got == want and want != later


def test_how_many_with_only_a_rate_is_asked(hotels: Project) -> None:
    """'how many' asks for a count; occupancy is a rate: answering the rate drops the count."""
    answer = hotels.ask("Occupancy in Bergen last month: how many?")
    assert answer["kind"] == "clarification", answer["answer"]


def test_a_word_only_the_description_mentions_picks_the_figure_it_names(hotels: Project) -> None:
    """'bookings … cancellation': the bookings' description mentions cancellations in passing; the
    figure named by the word is the cancelled bookings — never all bookings."""
    answer = hotels.ask("How many bookings ended in cancellation last month?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["cancelled_bookings"]
    ((want,),) = hotels.sql(
        "select count(*) from analytics.reservations where is_cancelled "
        "and booked_on between date '2026-09-01' and date '2026-09-30'"
    )
    (got,) = column(answer, "cancelled_bookings")
    assert got == want


def test_a_word_set_against_a_figure_is_a_second_figure(freight: Project) -> None:
    """'paid versus claimed amounts': both figures, never one of them read as the other."""
    answer = freight.ask("paid versus claimed amounts for loss claims in 2025")
    assert answer["kind"] == "data", answer["answer"]
    assert sorted(query(answer)["metrics"]) == ["claimed_amount", "claims_paid_amount"]  # type: ignore[type-var]
    ((claimed, paid),) = freight.sql(
        "select sum(ClaimedAmount), sum(coalesce(SettledAmount, 0)) from transport.fct_claims "
        "where ClaimType = 'LOSS' and claimed_on between date '2025-01-01' and date '2025-12-31'"
    )
    assert column(answer, "claimed_amount")[0] == pytest.approx(float(claimed), abs=0.01)  # type: ignore[arg-type]
    assert column(answer, "claims_paid_amount")[0] == pytest.approx(float(paid), abs=0.01)  # type: ignore[arg-type]


def test_two_unread_words_set_against_each_other_are_asked(freight: Project) -> None:
    """'claimed or paid amounts': two figures, neither named in full — asked, not read as one."""
    answer = freight.ask("claimed or paid amounts for damage claims last year")
    assert answer["kind"] == "clarification", answer["answer"]


def test_an_acronym_is_read_by_the_words_its_description_spells(hotels: Project) -> None:
    """'average daily rate' is what ADR's description spells: the figure, not a daily breakdown."""
    answer = hotels.ask("average daily rate in Bergen last month")
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["adr"] and "metric_time" not in q["group_by"]  # type: ignore[operator]


def test_a_verb_naming_a_narrower_figure_picks_it_even_misspelt(freight: Project) -> None:
    """'did we delievr': a slip no dictionary knows, read as the catalog's 'deliver' — and the
    figure that verb names is the delivered shipments, not every shipment shipped."""
    answer = freight.ask("How many shipments did we delievr last month?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["delivered_shipments"]
    ((want,),) = freight.sql(
        "select count(*) from transport.fct_shipments where delivered_date "
        "between date '2026-09-01' and date '2026-09-30'"
    )
    (got,) = column(answer, "delivered_shipments")
    assert got == want


def test_a_slip_in_a_time_word_is_read_as_the_time_word(hotels: Project) -> None:
    """'in the last qaurter': the quarter, not an unknown word dropped (or the whole data)."""
    answer = hotels.ask("cancelled bookings in the last qaurter")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["time_range"] == {"start": "2026-07-01", "end": "2026-09-30"}


def test_the_figure_every_word_names_is_taken_and_its_status_word_filters_nothing(hotels: Project) -> None:
    """'room nights … occupied': of the room-night figures, the one whose name holds every word; the
    status value 'OCCUPIED' the word also reads is the figure, not a second filter on it."""
    answer = hotels.ask("how many room nights were occupied in Porto last year")
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["occupied_room_nights"]
    assert [f["dimension"] for f in q["filters"]] == ["property__property_name"]  # type: ignore[index,union-attr]
    ((want,),) = hotels.sql(
        "select count(*) from analytics.room_nights n join analytics.hotels h on h.hotel_code = n.hotel_code "
        "where n.is_occupied and h.hotel_name like '%Porto%' "
        "and n.stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    (got,) = column(answer, "occupied_room_nights")
    assert got == want


def test_a_rate_of_the_part_another_figure_counts_is_derived(freight: Project) -> None:
    """'what share of … delivery attempts failed': failed attempts over all attempts, said derived."""
    answer = freight.ask("what share of last month's delivery attempts failed")
    assert answer["kind"] == "data", answer["answer"]
    assert "derived" in str(answer["answer"]).lower()
    ((want,),) = freight.sql(
        "select avg(case when is_failed then 1.0 else 0.0 end) from transport.fct_delivery_attempts "
        "where attempt_date between date '2026-09-01' and date '2026-09-30'"
    )
    assert rows(answer)[0][0] == pytest.approx(float(want))  # type: ignore[arg-type]


def test_a_sum_is_read_before_the_ratios_built_on_it(freight: Project) -> None:
    """'revenue from … shippers' names freight revenue and revenue per kg alike; no 'per' or 'rate'
    was asked, so the sum — never the ratio."""
    answer = freight.ask("revenue from Austrian shippers last year")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["freight_revenue"]


def test_an_entity_after_its_value_is_counted(freight: Project) -> None:
    """'Open claims by claimant': no figure named — the claims of that status, counted."""
    answer = freight.ask("Open claims by claimant this year")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["claims_filed"]
    got = dict(zip(column(answer, "claim__claimant_role"), column(answer, "claims_filed"), strict=True))
    want = dict(
        freight.sql(
            "select ClaimantRoleCode, count(*) from transport.fct_claims where ClaimStatus = 'OPEN' "
            "and claimed_on between date '2026-01-01' and date '2026-10-31' group by 1"
        )
    )
    assert sorted(got.values()) == sorted(float(n) for n in want.values())  # type: ignore[arg-type]


def test_a_verb_and_particle_another_figure_is_described_by_picks_it(freight: Project) -> None:
    """'shipments went back to the shipper': 'back' is a function word no phrase reads, yet 'went
    back' is how the returns to sender are described — those, not every shipment shipped."""
    answer = freight.ask("How many shipments went back to the shipper last quarter?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["returns_to_sender"]
