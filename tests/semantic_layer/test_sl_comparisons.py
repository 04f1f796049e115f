from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from semantic_layer.comparisons import comparison_range
from semantic_layer.errors import InvalidQueryError
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import OrderBy, SemanticQuery, TimeRange


@pytest.mark.parametrize(
    ("start", "end", "mode", "expected"),
    [
        ("2025-03-01", "2025-03-31", "previous_period", ("2025-02-01", "2025-02-28")),
        ("2025-04-01", "2025-06-30", "previous_period", ("2025-01-01", "2025-03-31")),
        ("2025-03-10", "2025-03-16", "previous_period", ("2025-03-03", "2025-03-09")),
        ("2024-02-29", "2024-03-31", "same_period_last_year", ("2023-02-28", "2023-03-31")),
    ],
)
def test_comparison_ranges(start: str, end: str, mode: str, expected: tuple[str, str]) -> None:
    rng = comparison_range(
        TimeRange(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)), mode
    )  # type: ignore[arg-type]
    assert (rng.start, rng.end) == tuple(dt.date.fromisoformat(d) for d in expected)


def _revenue_by_plan(raw: duckdb.DuckDBPyConnection, tenant: str, start: str, end: str) -> dict[str, float]:
    rows = raw.execute(
        "SELECT s.plan, SUM(i.amount) FROM billing.fct_invoices i "
        "JOIN billing.fct_subscriptions s ON i.subscription_id = s.subscription_id "
        "WHERE i.org_id = ? AND i.invoiced_on BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) GROUP BY 1",
        [tenant, start, end],
    ).fetchall()
    return {plan: float(value) for plan, value in rows}


@pytest.mark.parametrize(
    ("mode", "previous"),
    [
        ("previous_period", ("2024-10-01", "2024-12-31")),
        ("same_period_last_year", ("2024-01-01", "2024-03-31")),
    ],
)
def test_compare_by_plan_equals_hand_computed(
    layer: SemanticLayer, raw: duckdb.DuckDBPyConnection, mode: str, previous: tuple[str, str]
) -> None:
    query = SemanticQuery(
        metrics=("invoice_revenue",),
        group_by=("subscription__plan",),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)),
        order_by=(OrderBy(name="subscription__plan"),),
    )
    executed = layer.compare(query, "acme", mode)  # type: ignore[arg-type]
    current = _revenue_by_plan(raw, "acme", "2025-01-01", "2025-03-31")
    before = _revenue_by_plan(raw, "acme", *previous)
    got = {r["subscription__plan"]: r for r in executed.result.records()}
    assert set(got) == set(current) | set(before)
    for plan, row in got.items():
        cur, prev = current.get(plan), before.get(plan)
        assert (None if row["invoice_revenue"] is None else float(row["invoice_revenue"])) == cur  # type: ignore[arg-type]
        assert (
            None if row["invoice_revenue__comparison"] is None else float(row["invoice_revenue__comparison"])
        ) == prev  # type: ignore[arg-type]
        if cur is not None and prev is not None:
            assert float(row["invoice_revenue__change"]) == pytest.approx(cur - prev)  # type: ignore[arg-type]
            assert row["invoice_revenue__change_pct"] == pytest.approx((cur - prev) / prev)
    assert "org_id = 'acme'" in executed.guarded_sql


def test_a_comparison_ranked_on_its_change_puts_the_biggest_drop_first(
    layer: SemanticLayer, raw: duckdb.DuckDBPyConnection
) -> None:
    query = SemanticQuery(
        metrics=("invoice_revenue",),
        group_by=("subscription__plan",),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)),
        order_by=(OrderBy(name="invoice_revenue__change"),),
        limit=2,
    )
    rows = layer.compare(query, "acme", "same_period_last_year").result.records()
    current = _revenue_by_plan(raw, "acme", "2025-01-01", "2025-03-31")
    before = _revenue_by_plan(raw, "acme", "2024-01-01", "2024-03-31")
    changes = sorted(current[p] - before[p] for p in set(current) & set(before))
    got = [float(r["invoice_revenue__change"]) for r in rows if r["invoice_revenue__change"] is not None]  # type: ignore[arg-type]
    assert got == pytest.approx(changes[: len(got)]) and len(rows) <= 2
    # outside a comparison there is no change column to order by
    with pytest.raises(InvalidQueryError, match="cannot order by"):
        layer.run(query, "acme")


def test_year_over_year_time_series_lines_up_periods(
    layer: SemanticLayer, raw: duckdb.DuckDBPyConnection
) -> None:
    query = SemanticQuery(
        metrics=("mrr",),
        group_by=("metric_time__quarter",),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)),
    )
    rows = layer.compare(query, "globex", "same_period_last_year").result.records()
    ref = dict(
        raw.execute(
            "SELECT CAST(DATE_TRUNC('quarter', month_start) AS DATE), SUM(mrr_amount) "
            "FROM billing.fct_subscription_months WHERE org_id = 'globex' GROUP BY 1"
        ).fetchall()
    )
    assert len(rows) == 2
    for row in rows:
        quarter = row["metric_time__quarter"]
        assert isinstance(quarter, dt.date)
        quarter = quarter.date() if isinstance(quarter, dt.datetime) else quarter
        last_year = quarter.replace(year=quarter.year - 1)
        assert row["mrr"] == ref[quarter]
        assert row["mrr__comparison"] == ref.get(last_year)


def test_previous_period_time_series_is_refused(layer: SemanticLayer) -> None:
    query = SemanticQuery(
        metrics=("mrr",),
        group_by=("metric_time__month",),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)),
    )
    with pytest.raises(InvalidQueryError):
        layer.compare(query, "acme", "previous_period")
    with pytest.raises(InvalidQueryError, match="needs a time range"):
        layer.compare(SemanticQuery(metrics=("mrr",)), "acme", "previous_period")


def test_share_of_total_per_period(layer: SemanticLayer, raw: duckdb.DuckDBPyConnection) -> None:
    query = SemanticQuery(metrics=("mrr",), group_by=("metric_time__year", "account__country"))
    records = layer.share(query, "acme").result.records()
    ref = raw.execute(
        "SELECT CAST(DATE_TRUNC('year', m.month_start) AS DATE) AS y, a.country, SUM(m.mrr_amount) "
        "FROM billing.fct_subscription_months m JOIN billing.dim_accounts a ON m.account_id = a.account_id "
        "WHERE m.org_id = 'acme' GROUP BY ALL"
    ).fetchall()
    totals: dict[dt.date, float] = {}
    for year, _, value in ref:
        totals[year] = totals.get(year, 0.0) + float(value)
    expected = {(year, country): float(value) / totals[year] for year, country, value in ref}
    got = {}
    for r in records:
        year = r["metric_time__year"]
        assert isinstance(year, dt.date)
        got[(year.date() if isinstance(year, dt.datetime) else year, r["account__country"])] = r["mrr__share"]
    assert got == pytest.approx(expected)
