"""Words restated by the words next to them (issue #18, session 29), on the non-retail fixtures asked
through the CLI:

- **A bracket restating the words before it**: 'komplimentär (Gratisnächte)', 'booked by electronic
  data interchange (EDI)', 'über Onlineportale (OTA)' — one side of the bracket is read and the other
  names nothing the catalog knows: an unread bracket after a read value says it again and is no word
  left unread. Words the catalog does not know before a read bracket ('booked by electronic data
  interchange (EDI)') are asked about, never dropped as restated (a dropped qualifier turned a
  question back into a wrong number on a frozen held-out half); only a word read two ways is settled
  by the bracket ('Firmenkunden (Segment Corporate)').
- **A German compound whose first part is a value or a figure's word** ('Minibarumsatz',
  'Expresssendungen'): the part the tenant's lexicon knows kept, the head translated by the
  glossary ('minibar revenue', 'express shipments'); 'Nebenumsätze' is ancillary revenue.
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, answers_the_complimentary_share_of_2025, query, rows


def _filters(answer: dict[str, object]) -> list[tuple[str, tuple[str, ...]]]:
    found = query(answer)["filters"]
    assert isinstance(found, list)
    return [(str(f["dimension"]), tuple(str(v) for v in f["values"])) for f in found]


@pytest.mark.parametrize(
    "question",
    [
        "Welcher Anteil der belegten Zimmernächte war 2025 komplimentär (Gratisnächte)?",
        "What share of the occupied room nights in 2025 were complimentary (freebies)?",
        "What share of the occupied room nights in 2025 were comped (complimentary stays)?",
    ],
)
def test_an_unread_word_beside_a_read_bracket_restates_it(hotels: Project, question: str) -> None:
    answers_the_complimentary_share_of_2025(hotels, question)


@pytest.mark.parametrize(
    ("question", "unread"),
    [
        ("How many bookings came in through booking portals (OTA) in September 2026?", "portals"),
        ("Wie viele Buchungen kamen im September 2026 über Onlineportale (OTA)?", "Onlineportale"),
        ("Bookings in September 2026 via the big online sellers (OTA)", "sellers"),
    ],
)
def test_unknown_words_before_a_read_bracket_are_asked_not_dropped(
    hotels: Project, question: str, unread: str
) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert unread.casefold() in str(answer["answer"]).casefold()


@pytest.mark.parametrize(
    ("question", "unread"),
    [
        (
            "How many shipments were booked by electronic data interchange (EDI) in September 2026?",
            "interchange",
        ),
        ("Wie viele Sendungen wurden im September 2026 per Schnittstelle (API) gebucht?", "Schnittstelle"),
        ("How many shipments were booked on the customer extranet (PORTAL) in September 2026?", "extranet"),
    ],
)
def test_unknown_words_before_a_read_bracket_are_asked_in_another_project(
    freight: Project, question: str, unread: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert unread.casefold() in str(answer["answer"]).casefold()


def test_the_bracketed_value_alone_is_answered(freight: Project) -> None:
    # without the unknown words the same question is answered: the bracket's value is read
    answer = freight.ask("How many shipments were booked by EDI in September 2026?")
    assert answer["kind"] == "data", answer["answer"]
    assert _filters(answer) == [("shipment__booking_channel", ("EDI",))]


def test_a_bracket_that_restates_nothing_read_is_still_asked(freight: Project) -> None:
    answer = freight.ask("How many shipments were booked by fax machine (Telefax) in September 2026?")
    assert answer["kind"] == "clarification", answer["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "Room revenue (gross) in September 2026",
        "Zimmerumsatz (brutto) im September 2026",
        "Bookings (Corporate) in September 2026",
    ],
)
def test_a_bracket_that_qualifies_a_figure_or_names_a_second_value_is_not_dropped(
    hotels: Project, question: str
) -> None:
    # a figure's bracket qualifies it ('gross' is no word of room revenue); a bracket read two ways
    # ('Corporate': a channel group and a market segment) is a filter to ask about, not a restatement
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]


def test_a_bracket_with_a_figure_beside_a_figure_keeps_both_read(hotels: Project) -> None:
    # 'Room revenue (ADR)': nothing unread on either side — no word is dropped as restated
    answer = hotels.ask("Room revenue and average rate (ADR) in September 2026")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["room_revenue", "adr"]


@pytest.mark.parametrize(
    ("question", "department"),
    [
        ("Minibarumsatz im September 2026", "Minibar"),
        ("Wie hoch war der Spaumsatz im September 2026?", "Spa"),
        ("Parkingumsätze im September 2026", "Parking"),
    ],
)
def test_a_compound_of_a_value_and_a_glossary_word_is_both(
    hotels: Project, question: str, department: str
) -> None:
    ((amount,),) = hotels.sql(
        f"select sum(net_amount) from analytics.folio_lines where department = '{department}' "
        "and posting_date between date '2026-09-01' and date '2026-09-30'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    ((got,),) = rows(answer)
    assert abs(float(str(got)) - float(str(amount))) < 0.01


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Expresssendungen hatten wir im September 2026?",
        "Anzahl Expresssendungen im September 2026",
    ],
)
def test_a_compound_of_a_value_and_a_glossary_word_in_another_project(
    freight: Project, question: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert _filters(answer) == [("shipment__service_code", ("EXPRESS",))]


@pytest.mark.parametrize(
    "question",
    [
        "Nebenumsätze im September 2026 nach Abteilung",
        "Wie hoch waren die Nebenumsätze im September 2026 je Abteilung?",
    ],
)
def test_nebenumsatz_is_ancillary_revenue(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["ancillary_revenue"]
    assert query(answer)["group_by"] == ["folio_line__department"]


@pytest.mark.parametrize(
    "question",
    ["Nebenleistungen im September 2026 je Hotel", "Umsatz mit Nebenleistungen im September 2026 pro Hotel"],
)
def test_nebenleistungen_are_ancillary_revenue(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["ancillary_revenue"]
    assert query(answer)["group_by"] == ["property__property_name"]


@pytest.mark.parametrize(
    "question",
    [
        "Durchschnittliches Buchungsfenster der Firmenkunden (Segment Corporate) dieses Jahr",
    ],
)
def test_a_bracket_settles_a_word_two_readings_share(hotels: Project, question: str) -> None:
    # 'Firmenkunden' → 'corporate customer': a channel group or a market segment; the bracket says which
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert _filters(answer) == [("reservation__market_segment", ("Corporate",))]
