"""Phrasings of rankings, breakdowns and comparisons the blind-written sets use (issue #18, session
27), on the logistics fixture asked through the CLI, English and German. Figures come from the
fixture's own tables."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, column, query, rows


@pytest.mark.parametrize(
    "question",
    [
        "Which three depots had the most failed delivery attempts in October?",
        "Welche drei Depots hatten im Oktober die meisten fehlgeschlagenen Zustellversuche?",
    ],
)
def test_a_rankings_count_written_as_a_word_limits_the_rows(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["limit"] == 3 and len(rows(answer)) == 3


@pytest.mark.parametrize(
    "question",
    [
        "Freight revenue last month by service level",
        "Frachtumsatz letzten Monat nach Serviceart",
        "Frachtumsatz letzten Monat, aufgeschlüsselt nach Servicelevel",
    ],
)
def test_an_attribute_named_with_a_word_for_its_kind_is_that_attribute(
    freight: Project, question: str
) -> None:
    expected = dict(
        freight.sql(
            'select "ServiceCode", sum(freight_revenue_eur) from transport.fct_shipments '
            "where ship_date between date '2026-09-01' and date '2026-09-30' group by 1"
        )
    )
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["shipment__service_code"]
    got = dict(zip(column(answer, "shipment__service_code"), column(answer, "freight_revenue"), strict=True))
    assert got.keys() == expected.keys()
    assert all(abs(float(str(got[k])) - float(str(v))) < 0.01 for k, v in expected.items())


def test_two_values_set_against_each_other_after_a_comma_are_shown_side_by_side(freight: Project) -> None:
    # 'gemacht, verglichen mit …': one row each, never the two segments added up
    answer = freight.ask(
        "Wie viel Frachtumsatz haben wir letztes Jahr mit Key-Account-Versendern gemacht, "
        "verglichen mit Versendern im Segment CASH?"
    )
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["shipper__account_segment"]
    assert sorted(column(answer, "shipper__account_segment")) == ["CASH", "KEY_ACCOUNT"]


def test_the_same_period_in_the_previous_year_in_german_is_a_comparison(freight: Project) -> None:
    answer = freight.ask("Frachtumsatz dieses Jahr im Vergleich zum gleichen Zeitraum im Vorjahr")
    assert answer["kind"] == "data", answer["answer"]
    assert "freight_revenue__comparison" in answer["columns"]  # type: ignore[operator]
    ((before,),) = freight.sql(
        "select sum(freight_revenue_eur) from transport.fct_shipments "
        "where ship_date between date '2025-01-01' and date '2025-10-31'"
    )
    assert abs(float(str(column(answer, "freight_revenue__comparison")[0])) - float(str(before))) < 0.01


def test_a_kpi_named_by_its_word_and_performance_is_that_rate_ranked_over_months(freight: Project) -> None:
    # 'our worst on-time performance' this year: the on-time rate, the one month where it was lowest
    answer = freight.ask("Which month this year had our worst on-time performance?")
    assert answer["kind"] == "data", answer["answer"]
    planned = query(answer)
    assert planned["metrics"] == ["on_time_delivery_rate"] and planned["limit"] == 1
    ((month,),) = freight.sql(
        "select date_trunc('month', delivered_date) from transport.fct_shipments "
        "where delivered_date between date '2026-01-01' and date '2026-10-31' "
        "and shipment_status = 'Delivered' "
        "group by 1 order by avg(case when is_on_time then 1.0 else 0.0 end) asc limit 1"
    )
    assert str(rows(answer)[0][0]).startswith(str(month)[:10])


@pytest.mark.parametrize(
    "question",
    ["Revenue per shipment in Q3 2026 compared with Q3 2025?", "Umsatz pro Sendung im Q3 2026 vs Q3 2025"],
)
def test_a_sum_per_a_figure_is_derived_and_compared_as_a_ratio(freight: Project, question: str) -> None:
    # 'revenue' names the one sum figure with that word ('Revenue per kg' is a ratio already); the
    # ratio of the compared quarter is shown too, not only its two parts
    (now, before) = (
        freight.sql(
            "select sum(freight_revenue_eur) / count(*) filter (where shipment_status <> 'Cancelled') "
            f"from transport.fct_shipments where ship_date between date '{y}-07-01' and date '{y}-09-30'"
        )[0][0]
        for y in (2026, 2025)
    )
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    ratio = column(answer, "freight_revenue_per_shipments")[0]
    compared = column(answer, "freight_revenue_per_shipments__comparison")[0]
    assert abs(float(str(ratio)) - float(str(now))) < 1e-6
    assert abs(float(str(compared)) - float(str(before))) < 1e-6
