"""On projects that are not ours, through `mercurios ask --json`: a threshold or a negation the plan
does not hold is asked about by name, never answered as the plain total; the same question without
it is answered (logistics and hospitality fixtures, single-tenant)."""

from __future__ import annotations

from tests.byo_projects import Project, asked, column


def test_a_threshold_is_asked_about_and_the_plain_question_answered(hotels: Project) -> None:
    asked(hotels.ask("bookings with more than 3 guests last year"), "more than 3")
    asked(hotels.ask("room revenue per hotel with over 100 room nights last year"), "over 100")
    answer = hotels.ask("bookings last year")
    assert answer["kind"] == "data", answer["answer"]
    assert answer["rows"] and answer["rows"][0][0] > 0  # type: ignore[index]


def test_a_negated_figure_is_asked_about(freight: Project) -> None:
    asked(freight.ask("shipments with no delivery attempts last month"), "no")
    answer = freight.ask("shipments last month")
    assert answer["kind"] == "data", answer["answer"]
    (count,) = freight.sql(
        "select count(*) from transport.fct_shipments where shipment_status <> 'Cancelled' "
        "and ship_date between date '2026-09-01' and date '2026-09-30'"
    )
    assert answer["rows"] == [[count[0]]]


def test_the_top_n_number_is_read_as_the_limit(hotels: Project) -> None:
    answer = hotels.ask("top 3 hotels by room revenue last year")
    assert answer["kind"] == "data", answer["answer"]
    assert len(answer["rows"]) == 3  # type: ignore[arg-type]


def test_low_is_read_by_the_lowest_first_and_asked_about_otherwise(hotels: Project) -> None:
    """'hotels with low occupancy' answered as a list led by the fullest hotel would mislead."""
    asked(hotels.ask("hotels with low occupancy last month"), "low")
    answer = hotels.ask("hotels with the lowest occupancy last month")
    assert answer["kind"] == "data", answer["answer"]
    values = column(answer, "occupancy_rate")
    assert values == sorted(values)  # type: ignore[type-var]


def test_an_ordinal_condition_is_asked_and_an_order_phrase_read(freight: Project, hotels: Project) -> None:
    """'delivered on the first attempt' is a condition the plan does not hold (all delivered
    shipments would be counted); 'longest first' is the order of the rows."""
    asked(freight.ask("how many shipments were delivered on the first attempt last month"), "first")
    answer = hotels.ask("average booking window by hotel this year, longest first")
    assert answer["kind"] == "data", answer["answer"]
    values = column(answer, "average_booking_window")
    assert values == sorted(values, reverse=True)  # type: ignore[type-var]
