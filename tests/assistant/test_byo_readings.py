"""Reading a question whole against the catalog's own words (issues #17/#18, session 28), on the
hospitality and logistics fixtures through `mercurios ask --json`:

- 'how many <noun>' where several counts share the noun (available, occupied, paid room-nights):
  the one the question's other words are said of — its description, not a clause it leaves out
  ('excluding complimentary stays') — else asked among those counts only (a ratio is no count);
- a verb in the ask of a named figure that its own description says ('what average rate did guests
  pay': ADR, 'room revenue per paid room-night') belongs to that figure;
- several asks in one question: each ask its own figure ('the claimed amount, and how much did we pay
  out?', 'how many bookings, and how many were cancelled?'), never one ask's word as a filter on the
  other's figure; an ask whose figure is unclear is asked back.
"""

from __future__ import annotations

from tests.byo_projects import Project, asked, filter_values, query, rows

_STAYED_BY_GERMAN_GUESTS_2025 = (
    "select count(*) from analytics.room_nights n "
    "join analytics.reservations r on r.confirmation_no = n.confirmation_no "
    "join analytics.profiles p on p.profile_no = r.guest_profile_no "
    "where n.is_occupied and p.country_code = 'DE' "
    "and n.stay_date between date '2025-01-01' and date '2025-12-31'"
)


def test_how_many_of_a_noun_several_counts_share_is_the_count_its_other_words_are_said_of(
    hotels: Project,
) -> None:
    # 'stay' is said of the occupied room-nights ('complimentary stays included'); the paid ones
    # leave the stays out ('excluding complimentary stays'), the available ones do not speak of them
    ((count,),) = hotels.sql(_STAYED_BY_GERMAN_GUESTS_2025)
    answer = hotels.ask("How many room nights did guests from Germany stay with us in 2025?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["occupied_room_nights"]
    assert rows(answer) == [[count]]


def test_how_many_of_a_shared_noun_with_no_word_to_choose_asks_among_the_counts_only(hotels: Project) -> None:
    # nothing in 'have' or 'lost to out-of-order rooms' is said of one count alone (the available
    # room-nights leave the out-of-order rooms out): asked, and RevPAR, no count, is no option
    for question in (
        "How many room nights did the corporate segment have in 2025?",
        "How many room nights were lost to out-of-order rooms this year?",
    ):
        text = asked(hotels.ask(question))
        assert "Occupied room-nights" in text and "Available room-nights" in text, text
        assert "RevPAR" not in text, text


def test_a_verb_in_the_ask_of_a_named_figure_that_its_description_says_belongs_to_it(hotels: Project) -> None:
    # ADR is 'room revenue per paid room-night': 'pay' there is no call for the paid room-nights
    ((adr,),) = hotels.sql(
        "select sum(n.room_revenue) / count(*) from analytics.room_nights n "
        "join analytics.reservations r on r.confirmation_no = n.confirmation_no "
        "join analytics.profiles p on p.profile_no = r.guest_profile_no "
        "where n.is_occupied and not n.is_complimentary and p.country_code = 'DE' "
        "and n.stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    answer = hotels.ask("What average daily rate did guests from Germany pay in 2025?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["adr"]
    assert abs(float(str(rows(answer)[0][0])) - float(str(adr))) < 1e-6
    by_hotel = hotels.ask("Which ADR did guests from Germany pay in 2025, by hotel?")
    assert by_hotel["kind"] == "data", by_hotel["answer"]
    assert query(by_hotel)["metrics"] == ["adr"]
    assert query(by_hotel)["group_by"] == ["property__property_name"]


def test_two_asks_each_name_their_own_figure(freight: Project, hotels: Project) -> None:
    ((claimed, paid),) = freight.sql(
        'select sum("ClaimedAmount"), '
        'sum(case when "ClaimStatus" = \'PAID\' then "SettledAmount" else 0 end) '
        "from transport.fct_claims where claimed_on between date '2025-01-01' and date '2025-12-31'"
    )
    answer = freight.ask("What was the claimed amount last year, and how much did we pay out?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["claimed_amount", "claims_paid_amount"]
    assert [float(str(v)) for v in rows(answer)[0]] == [float(str(claimed)), float(str(paid))]
    ((booked, cancelled),) = hotels.sql(
        "select count(*), count(*) filter (where reservation_status = 'Cancelled') "
        "from analytics.reservations where booked_on between date '2026-09-01' and date '2026-09-30'"
    )
    for question in (
        "How many bookings did we get in September and how many were cancelled?",
        "Wie viele Buchungen hatten wir im September und wie viele wurden storniert?",
    ):
        both = hotels.ask(question)
        assert both["kind"] == "data", both["answer"]
        assert query(both)["metrics"] == ["bookings", "cancelled_bookings"]
        assert filter_values(both) == {}  # 'cancelled' asks its own figure, it filters neither
        assert rows(both) == [[booked, cancelled]]


def test_an_ask_whose_figure_is_unclear_is_asked_not_read_as_a_filter_on_the_other(hotels: Project) -> None:
    # 'how many guests checked in' is no F&B revenue of checked-in (or checked-out) stays
    text = asked(hotels.ask("What was the F&B revenue in 2025, and how many guests checked in?"))
    assert "F&B revenue" in text and "Arrivals" in text, text


def test_most_common_is_the_ranking_by_the_count_and_a_verb_of_bringing_reads_as_nothing(
    hotels: Project,
) -> None:
    # 'the most common', 'am häufigsten': the rows counted most often first; 'gebracht' (brought)
    # says no figure, filter or period of its own, as 'brought' does not
    expected = hotels.sql(
        "select channel, count(*) from analytics.reservations "
        "where booked_on between date '2025-01-01' and date '2025-12-31' group by 1 order by 2 desc"
    )
    for question in (
        "Which booking channel was the most common for bookings last year?",
        "Welcher Buchungskanal kam bei den Buchungen letztes Jahr am häufigsten vor?",
    ):
        answer = hotels.ask(question)
        assert answer["kind"] == "data", answer["answer"]
        assert query(answer)["metrics"] == ["bookings"]
        assert rows(answer)[0] == [expected[0][0], expected[0][1]]
    revenue = hotels.sql(
        "select h.hotel_name, sum(n.room_revenue) from analytics.room_nights n "
        "join analytics.hotels h on h.hotel_code = n.hotel_code "
        "where n.stay_date between date '2025-01-01' and date '2025-12-31' group by 1 order by 2 desc"
    )
    answer = hotels.ask("Welche Hotels haben uns 2025 den meisten Zimmerumsatz gebracht?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["room_revenue"]
    assert rows(answer)[0][0] == revenue[0][0]
