"""Issue #17: a period said on another date than the figure's own ('bookings with an arrival date in
November', 'Sendungen nach Lieferdatum im September') is put on that date — a `between` filter on
the named date dimension, not on metric_time — and the answer says on which date. The figure's own
date named ('shipments by ship date') stays as before; retail questions are unchanged."""

from __future__ import annotations

import pytest

from semantic_layer.catalog import Catalog
from tests.assistant.planning.test_offline_planner import metric_plan
from tests.byo_projects import Project, column, filters_of


def _total(answer: dict[str, object], name: str) -> float:
    assert answer["kind"] == "data", answer["answer"]
    return float(sum(column(answer, name)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "question",
    [
        "How many bookings with an arrival date in November 2026?",
        "bookings by arrival date in November 2026",
        "Buchungen mit Anreisedatum im November 2026",
    ],
)
def test_bookings_with_a_period_on_the_arrival_date_count_those_arriving_then(
    hotels: Project, question: str
) -> None:
    want = hotels.sql(
        "select count(confirmation_no) from analytics.reservations "
        "where arrival_date between date '2026-11-01' and date '2026-11-30'"
    )[0][0]
    assert want, "the fixture has bookings arriving in November 2026"
    answer = hotels.ask(question)
    assert _total(answer, "bookings") == want
    assert "arrival date" in str(answer["answer"]).lower()
    assert any(f["operator"] == "between" for f in filters_of(answer))


def test_shipments_by_delivery_date_in_a_month_are_those_delivered_then_in_german_and_english(
    freight: Project,
) -> None:
    for question in (
        "Sendungen nach Lieferdatum im September 2026",
        "shipments by delivery date in September 2026",
    ):
        answer = freight.ask(question)
        want = freight.sql(
            "select count(*) from transport.fct_shipments where StatusCode <> 'CXL' "
            "and delivered_date between date '2026-09-01' and date '2026-09-30'"
        )[0][0]
        assert want
        assert _total(answer, "shipments") == want, question
        assert (
            "delivery date" in str(answer["answer"]).lower() or "delivered" in str(answer["answer"]).lower()
        )


def test_the_figures_own_date_named_keeps_the_period_on_it(freight: Project) -> None:
    answer = freight.ask("shipments by ship date in September 2026")
    want = freight.sql(
        "select count(*) from transport.fct_shipments where StatusCode <> 'CXL' "
        "and ship_date between date '2026-09-01' and date '2026-09-30'"
    )[0][0]
    assert _total(answer, "shipments") == want
    assert not any(f["operator"] == "between" for f in filters_of(answer))


def test_a_comparison_on_another_date_is_asked_back(hotels: Project) -> None:
    answer = hotels.ask("bookings with an arrival date in October 2026 vs last year")
    assert answer["kind"] != "data", answer["answer"]
    assert "arrival date" in str(answer["answer"]).lower()


def test_the_catalog_says_each_figures_own_date(hotels: Project) -> None:
    from semantic_layer.catalog import project_catalog
    from semantic_layer.project import SemanticProject

    built = hotels.built
    project = SemanticProject.from_manifest_json(
        (built.target_path / "semantic_manifest.json").read_text(), project_dir=built.project_dir
    )
    catalog: Catalog = project_catalog(project)
    assert catalog.metric("bookings").time_dimension == "reservation__booked_date"  # type: ignore[union-attr]
    assert catalog.metric("arrivals").time_dimension == "reservation__arrival_date"  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["net sales by store last month", "Umsatz nach Filiale letzten Monat"])
def test_retail_periods_stay_on_the_figures_own_date(question: str) -> None:
    p = metric_plan(question)
    assert p.query.time_range.start is not None
    assert not any(f.operator == "between" for f in p.query.filters)
    assert p.period.label.startswith("last month")
