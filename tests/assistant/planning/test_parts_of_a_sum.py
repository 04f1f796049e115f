"""A figure the sum of others, said with its parts (session 33): 'total revenue … rooms plus
everything else' says the sum again (its parts' words were asked about: 'rooms' read as another
figure); 'rooms and extras separately and together', 'Zimmer und Nebenleistungen einzeln und
zusammen' ask the parts beside it. The catalog knows the parts from the derived metric's expression
(`MetricInfo.parts`: `room_revenue + ancillary_revenue`). One part named alone ('total revenue from
rooms') is still asked: the total is not what it names."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan
from tests.byo_projects import Project, metrics_of, rows


def test_the_catalog_reads_the_parts_of_a_derived_sum(catalogs: dict[str, Catalog]) -> None:
    total = catalogs["hospitality"].metric("total_revenue")
    assert total is not None and total.parts == ("room_revenue", "ancillary_revenue")
    # a difference or a ratio is no sum
    assert all(not m.parts for m in catalogs["logistics"].metrics)
    assert all(not m.parts for m in catalogs["retail"].metrics)


@pytest.mark.parametrize(
    "question",
    [
        "total revenue last month, rooms plus everything else",
        "total revenue last month: rooms plus extras",
        "Gesamtumsatz letzten Monat, Zimmer plus alles andere",
    ],
)
def test_the_sum_said_again_is_the_sum(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["hospitality"], question)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == ("total_revenue",)


@pytest.mark.parametrize(
    "question",
    [
        "total revenue last month - rooms and extras separately and together",
        "total revenue last month: room revenue and ancillary revenue separately and the total",
        "Gesamtumsatz letzten Monat: Zimmer und Nebenleistungen einzeln und zusammen",
        "total revenue by hotel last month, rooms and everything else separately",
    ],
)
def test_separately_asks_the_parts_beside_the_sum(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["hospitality"], question)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == ("room_revenue", "ancillary_revenue", "total_revenue")


@pytest.mark.parametrize(
    "question",
    [
        "total revenue from rooms last month",
        "total revenue last month, rooms",
        "total revenue, rooms only",
        # parts joined by 'and' alone: the parts, or the sum? asked
        "total revenue last month: rooms and extras",
    ],
)
def test_one_part_named_alone_is_still_asked(catalogs: dict[str, Catalog], question: str) -> None:
    assert isinstance(plan(catalogs["hospitality"], question), ClarificationPlan)


def test_the_parts_and_the_sum_are_the_fixtures_figures(hotels: Project) -> None:
    ((rooms,),) = hotels.sql(
        "select sum(room_revenue) from analytics.room_nights "
        "where stay_date between date '2026-09-01' and date '2026-09-30'"
    )
    ((extras,),) = hotels.sql(
        "select sum(net_amount) from analytics.folio_lines "
        "where posting_date between date '2026-09-01' and date '2026-09-30'"
    )
    answer = hotels.ask("Total revenue in September 2026 - rooms and extras separately and together")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["room_revenue", "ancillary_revenue", "total_revenue"]
    ((r, a, t),) = rows(answer)
    assert abs(float(str(r)) - float(str(rooms))) < 0.01 and abs(float(str(a)) - float(str(extras))) < 0.01
    assert abs(float(str(t)) - float(str(rooms)) - float(str(extras))) < 0.02
