"""Classes of the third held-out set (session 28) on the logistics fixture, through the CLI: an
attribute 'of the <role> <entity>' ('region of the destination depot', 'Region des Zustelldepots') is
that entity's attribute — one breakdown, not the entity's names as well; 'rank the X by Y' breaks
down by X. Figures come from the fixture's own tables."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, column, query


@pytest.mark.parametrize(
    "question",
    [
        "on-time rate last quarter by region of the destination depot",
        "Pünktlichkeitsquote im letzten Quartal nach Region des Zustelldepots",
        "Sendungen im September nach Region des Abgangsdepots",
    ],
)
def test_an_attribute_of_a_named_entity_is_one_breakdown(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    (by,) = query(answer)["group_by"]  # type: ignore[misc]
    assert by in ("lane__destination_depot__region", "lane__origin_depot__region")
    assert ("Zustell" in question or "destination" in question) == (by == "lane__destination_depot__region")
    regions = column(answer, by)
    assert len(regions) == len(set(regions))  # one row a region, not one a depot


def test_a_dimension_named_with_and_is_still_a_second_breakdown(freight: Project) -> None:
    answer = freight.ask("shipments last month by destination depot and region")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == [
        "lane__destination_depot__depot_name",
        "lane__destination_depot__region",
    ]


def test_rank_the_entities_by_a_figure_breaks_down_by_them(freight: Project) -> None:
    answer = freight.ask("Rank the carriers by on-time rate last quarter")
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["group_by"] == ["carrier__party_name"] and q["limit"] is None
    assert q["order_by"][0]["name"] == "on_time_delivery_rate" and q["order_by"][0]["descending"]


def test_per_kilo_is_per_kg(freight: Project) -> None:
    answer = freight.ask("revenue per kilo by service level last quarter, highest first")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["revenue_per_kg"]
    assert query(answer)["group_by"] == ["shipment__service_code"]


def test_a_duration_in_days_in_german_is_the_average_in_days(freight: Project) -> None:
    answer = freight.ask("Durchschnittliche Laufzeit in Tagen im September 2026 je Serviceart")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["average_transit_days"]
