"""The period repeated on the raw date column: the same rows, found without reading the others."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from semantic_layer.catalog import Catalog
from semantic_layer.comparisons import compile_comparison, compile_share
from semantic_layer.compiler import compile_query
from semantic_layer.project import SemanticProject
from semantic_layer.query import Filter, Grain, SemanticQuery, TimeRange
from semantic_layer.range_pushdown import push_day_ranges

MF_SHAPE = """
SELECT SUM(amount) AS amount FROM (
  SELECT metric_time__day, amount FROM (
    SELECT DATE_TRUNC('DAY', events.happened_at) AS metric_time__day, events.amount AS amount
    FROM events
  ) AS subq_1
) AS subq_2
WHERE metric_time__day {op} CAST('2026-01-31' AS DATE)
"""


@pytest.fixture
def events() -> duckdb.DuckDBPyConnection:
    """Timestamps either side of midnight around the boundary day, and a DATE twin column."""
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE events (happened_at TIMESTAMP, amount INTEGER)")
    stamps = [
        "2026-01-29 12:00:00",
        "2026-01-30 23:59:59",
        "2026-01-31 00:00:00",
        "2026-01-31 23:59:59.999",
        "2026-02-01 00:00:00",
        "2026-02-02 08:00:00",
    ]
    for i, stamp in enumerate(stamps):
        con.execute("INSERT INTO events VALUES (?, ?)", [stamp, 10**i])
    return con


@pytest.mark.parametrize("op", [">=", "<=", ">", "<", "="])
def test_each_comparison_keeps_exactly_the_rows_of_the_original(
    events: duckdb.DuckDBPyConnection, op: str
) -> None:
    sql = MF_SHAPE.format(op=op)
    pushed = push_day_ranges(sql, "duckdb")
    assert pushed != sql
    assert "events.happened_at >=" in pushed or "events.happened_at <" in pushed  # bound on the raw column
    assert events.execute(pushed).fetchall() == events.execute(sql).fetchall()
    as_dates = "FROM (SELECT CAST(happened_at AS DATE) AS happened_at, amount FROM events) AS events"
    date_table = sql.replace("FROM events", as_dates)
    assert (
        events.execute(push_day_ranges(date_table, "duckdb")).fetchall()
        == events.execute(date_table).fetchall()
    )


@pytest.mark.parametrize(
    "sql",
    [
        # the column passes through a GROUP BY: bounds below it would change the groups' inputs
        "SELECT * FROM (SELECT metric_time__day, SUM(amount) AS amount FROM (SELECT DATE_TRUNC('DAY', "
        "happened_at) AS metric_time__day, amount FROM events) AS a GROUP BY 1) AS b "
        "WHERE metric_time__day >= CAST('2026-01-31' AS DATE)",
        # a window on the way: its frame reads rows outside the period
        "SELECT * FROM (SELECT DATE_TRUNC('DAY', happened_at) AS metric_time__day, SUM(amount) OVER () "
        "AS total FROM events) AS a WHERE metric_time__day >= CAST('2026-01-31' AS DATE)",
        # truncated to the month, not the day
        "SELECT * FROM (SELECT DATE_TRUNC('MONTH', happened_at) AS metric_time__month FROM events) AS a "
        "WHERE metric_time__month >= CAST('2026-01-01' AS DATE)",
        # a CTE read twice, once without a range: that reader needs every row
        "WITH c AS (SELECT DATE_TRUNC('DAY', happened_at) AS metric_time__day, amount FROM events) "
        "SELECT (SELECT SUM(amount) FROM c WHERE metric_time__day >= CAST('2026-01-31' AS DATE)), "
        "(SELECT SUM(amount) FROM c)",
        # not a date literal
        "SELECT * FROM (SELECT DATE_TRUNC('DAY', happened_at) AS metric_time__day FROM events) AS a "
        "WHERE metric_time__day >= CURRENT_DATE",
    ],
)
def test_shapes_it_cannot_prove_are_left_as_written(sql: str) -> None:
    assert push_day_ranges(sql, "duckdb") == sql


def test_a_cte_read_by_two_periods_is_bounded_by_both(events: duckdb.DuckDBPyConnection) -> None:
    sql = (
        "WITH c AS (SELECT DATE_TRUNC('DAY', happened_at) AS metric_time__day, amount FROM events) "
        "SELECT a.amount, b.amount FROM "
        "(SELECT SUM(amount) AS amount FROM (SELECT metric_time__day, amount FROM c) AS x "
        " WHERE metric_time__day >= CAST('2026-01-30' AS DATE) "
        " AND metric_time__day <= CAST('2026-01-30' AS DATE)) "
        "AS a CROSS JOIN "
        "(SELECT SUM(amount) AS amount FROM (SELECT metric_time__day, amount FROM c) AS y "
        " WHERE metric_time__day = CAST('2026-02-01' AS DATE)) AS b"
    )
    pushed = push_day_ranges(sql, "duckdb")
    cte = pushed.split("SELECT\n  a.amount")[0]
    assert "CAST('2026-01-30' AS DATE)" in cte and "CAST('2026-02-02' AS DATE)" in cte
    assert events.execute(pushed).fetchall() == events.execute(sql).fetchall() == [(10, 10000)]


def test_a_cte_truncating_two_date_columns_keeps_both_readers_rows() -> None:
    """One metric dated by when it was sent, one by when it arrived, from one shared CTE (as
    MetricFlow compiles two metrics of one model with different time dimensions): a bound on the
    arrival date must not drop what was sent in the period and arrived after it."""
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE parcels (sent_at DATE, arrived_at DATE, amount INTEGER)")
    con.execute(
        "INSERT INTO parcels VALUES ('2026-01-30', '2026-01-31', 1), ('2026-01-31', '2026-02-02', 10), "
        "('2026-01-20', '2026-01-30', 100)"
    )
    sql = (
        "WITH c AS (SELECT DATE_TRUNC('DAY', sent_at) AS sent__day, DATE_TRUNC('DAY', arrived_at) "
        "AS arrived__day, amount FROM parcels) "
        "SELECT a.amount, b.amount FROM "
        "(SELECT SUM(amount) AS amount FROM (SELECT sent__day AS metric_time__day, amount FROM c) AS x "
        " WHERE metric_time__day >= CAST('2026-01-25' AS DATE) "
        " AND metric_time__day <= CAST('2026-01-31' AS DATE)) AS a CROSS JOIN "
        "(SELECT SUM(amount) AS amount FROM (SELECT arrived__day AS metric_time__day, amount FROM c) AS y "
        " WHERE metric_time__day >= CAST('2026-01-25' AS DATE) "
        " AND metric_time__day <= CAST('2026-01-31' AS DATE)) AS b"
    )
    pushed = push_day_ranges(sql, "duckdb")
    assert con.execute(pushed).fetchall() == con.execute(sql).fetchall() == [(11, 101)]


QUERIES = [
    SemanticQuery(
        metrics=("invoice_revenue",),
        group_by=("metric_time__month",),
        time_range=TimeRange(start=dt.date(2025, 1, 15), end=dt.date(2025, 3, 31)),
    ),
    SemanticQuery(
        metrics=("invoice_revenue", "churn_rate"),
        group_by=("subscription__plan",),
        time_range=TimeRange(start=dt.date(2024, 11, 1), end=dt.date(2025, 2, 28)),
    ),
    SemanticQuery(
        metrics=("invoices", "new_accounts"),
        group_by=("metric_time",),
        time_grain=Grain.WEEK,
        filters=(Filter(dimension="account__country", operator="in", values=("DE", "US")),),
        time_range=TimeRange(start=dt.date(2025, 2, 3)),
    ),
]


@pytest.mark.parametrize("query", QUERIES, ids=["by-month", "two-metrics", "open-ended"])
def test_compiled_queries_answer_as_metricflow_wrote_them(
    project: SemanticProject, catalog: Catalog, raw: duckdb.DuckDBPyConnection, query: SemanticQuery
) -> None:
    from semantic_layer.compiler import _request
    from semantic_layer.validation import validate

    ours = compile_query(project, catalog, query, "duckdb").sql
    theirs = (
        project.engine("duckdb")
        .explain(_request(validate(query, catalog), "duckdb", with_order_and_limit=True))
        .sql_statement.sql
    )
    assert ours != theirs  # the period was repeated on the raw column

    def by_name(sql: str) -> list[str]:  # ours selects in the asked order (select_in_order)
        cursor = raw.execute(sql)
        names = [str(d[0]) for d in cursor.description]
        return sorted(repr(sorted(zip(names, row, strict=True))) for row in cursor.fetchall())

    assert by_name(ours) == by_name(theirs)
    assert raw.execute(ours).fetchall()  # and there was something to compare


def test_comparisons_and_shares_keep_their_rows(
    project: SemanticProject, catalog: Catalog, raw: duckdb.DuckDBPyConnection
) -> None:
    query = QUERIES[1].model_copy(update={"metrics": ("invoice_revenue",)})
    for compiled in (
        compile_comparison(project, catalog, query, "previous_period", "duckdb"),
        compile_share(project, catalog, query, "duckdb"),
    ):
        assert "< CAST('2025-03-01' AS DATE)" in compiled.sql  # end + 1 day on the raw column
        assert raw.execute(compiled.sql).fetchall()
