"""A party named by the part it played, where the figure's facts record that part as a value
(`offline/role_values.py`), end to end on the non-retail fixtures.

'claims filed by consignees' was broken down by every consignee's name (every claim, whoever filed
it), 'how many claims did consignees file' was every claim (the consignees named in passing). The
entity's word that is also a value of a dimension the figure reaches (Claimant CONSIGNEE) is that
value. 'bookings made by bookers from Germany' stays a breakdown by booker: reading a doer after a
participle as no breakdown turned a right answer of a frozen half wrong (withdrawn).
'claims by consignee', 'bookings by booker' stay breakdowns."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, filters_of, query


def _held(answer: dict[str, object], dimension: str) -> list[object]:
    found = [f["values"] for f in filters_of(answer) if f["dimension"] == dimension and f["operator"] == "="]
    assert len(found) == 1, filters_of(answer)
    values = found[0]
    assert isinstance(values, list)
    return values


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("claims filed by consignees this year", "CONSIGNEE"),
        ("how many claims did consignees file last quarter", "CONSIGNEE"),
        ("claims filed by the shipper last month", "SHIPPER"),
        ("Wie viele Schadensmeldungen kamen dieses Jahr von Empfängern?", "CONSIGNEE"),
    ],
)
def test_the_claimant_is_a_value_not_a_breakdown(freight: Project, question: str, role: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["claims_filed"]
    assert q["group_by"] == []
    assert _held(answer, "claim__claimant_role") == [role]


@pytest.mark.parametrize(
    ("project", "question", "breakdown"),
    [
        ("hotels", "bookings by booker this year", "booker__booker_name"),
        ("freight", "shipments by shipper last month", "shipper__party_name"),
    ],
)
def test_a_breakdown_asked_stays(
    project: str, question: str, breakdown: str, request: pytest.FixtureRequest
) -> None:
    answer = request.getfixturevalue(project).ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == [breakdown]


def test_consignees_qualified_by_a_value_of_their_own_stay_the_consignees(freight: Project) -> None:
    answer = freight.ask("shipments to consignees in Austria last month")
    assert answer["kind"] == "data", answer["answer"]
    assert _held(answer, "consignee__country_code") == ["AT"]


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("hotels", "Anzahl Anreisen über Reisebüros im letzten Monat"),
        ("hotels", "bookings via travel agencies this year"),
        ("freight", "shipments via carriers last month"),
    ],
)
def test_the_way_the_facts_came_is_no_breakdown(
    project: str, question: str, request: pytest.FixtureRequest
) -> None:
    """'Anreisen über Reisebüros' was broken down by travel agency (the rows without one first)."""
    answer = request.getfixturevalue(project).ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
