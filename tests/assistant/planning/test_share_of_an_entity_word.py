"""A share of an entity's word (session 33): 'what share of last month's consignments had a
subcontracted linehaul', 'Welcher Anteil unserer Sendungen lief über Subunternehmer im Hauptlauf',
'what share of our reservations came through an OTA'. The entity word right after the share words
(no figure's name: 'consignment' is the noun the shipment's description defines it as) is the whole,
its plain count — as 'how many consignments' already read it — and the yes/no, value or role
attribute after it the part; an entity with several counts and none named like it (a reservation's
bookings, arrivals) is still asked. It was asked 'which figure' among every figure whose description
speaks of consignments. Figures come from the fixtures' own tables."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, metrics_of, rows

_SEPTEMBER = "ship_date between date '2026-09-01' and date '2026-09-30'"


def _subcontracted_share(freight: Project) -> tuple[int, int]:
    ((part, whole),) = freight.sql(
        "select sum(case when StatusCode <> 'CXL' and is_subcontracted then 1 else 0 end), "
        "sum(case when StatusCode <> 'CXL' then 1 else 0 end) "
        f"from transport.fct_shipments where {_SEPTEMBER}"
    )
    return int(str(part)), int(str(whole))


@pytest.mark.parametrize(
    "question",
    [
        "What share of last month's consignments had a subcontracted linehaul?",
        "what percentage of consignments in September 2026 had the linehaul run by a subcontractor",
        "Welcher Anteil unserer Sendungen lief im September 2026 über Subunternehmer im Hauptlauf?",
        "Wie hoch war der Anteil der Sendungen mit Subunternehmer im Hauptlauf im September 2026?",
    ],
)
def test_a_share_of_the_entity_word_is_its_plain_count(freight: Project, question: str) -> None:
    part, whole = _subcontracted_share(freight)
    answer = freight.ask(question, as_of="2026-10-31")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["shipments"]
    ((_yes, count, share, total),) = rows(answer)  # the yes row alone
    assert (count, total) == (part, whole)
    assert abs(float(str(share)) - part / whole) < 1e-9


@pytest.mark.parametrize(
    "question",
    [
        "What share of last month's consignments were cash on delivery?",
        "Anteil der Sendungen mit Nachnahme im September 2026",
    ],
)
def test_a_yes_no_of_the_entity_word(freight: Project, question: str) -> None:
    ((part, whole),) = freight.sql(
        "select sum(case when StatusCode <> 'CXL' and is_cod then 1 else 0 end), "
        "sum(case when StatusCode <> 'CXL' then 1 else 0 end) "
        f"from transport.fct_shipments where {_SEPTEMBER}"
    )
    answer = freight.ask(question, as_of="2026-10-31")
    assert answer["kind"] == "data", answer["answer"]
    ((_yes, count, _share, total),) = rows(answer)
    assert (count, total) == (part, whole)


@pytest.mark.parametrize(
    "question",
    [
        "What share of last year's reservations were complimentary?",
        "Welcher Anteil der Reservierungen im Jahr 2025 war komplimentär?",
        "What share of our reservations last month came through an OTA?",
    ],
)
def test_an_entity_of_several_counts_none_named_like_it_is_asked(hotels: Project, question: str) -> None:
    # bookings (by booking date), arrivals, stays (by arrival date): which whole is meant is asked
    answer = hotels.ask(question, as_of="2026-10-31")
    assert answer["kind"] == "clarification", answer["answer"]


def test_an_entity_word_of_several_counts_alike_is_still_asked(freight: Project) -> None:
    # 'attempts' names no entity alone ('delivery attempt' is its whole name): nothing is guessed
    answer = freight.ask("What share of last month's attempts were delivered?", as_of="2026-10-31")
    assert answer["kind"] == "clarification", answer["answer"]
