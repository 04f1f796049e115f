"""The share of one part in its whole (session 30), end to end through the engine on the demo
warehouse and through the CLI on the logistics fixture: 'what share of our sales came from the online
shop', 'Anteil des Onlineshops am Umsatz', '… in each quarter' answer the part asked about alone —
one row (one per period), not the rest's row beside it — with the part, its share and the whole it
is a share of (`<m>__total`, summed by the query); the sentence names each period. A breakdown
('share of net sales by channel') still shows every row, without the whole each would repeat."""

from __future__ import annotations

import duckdb
import pytest

from assistant.core.engine import Engine
from tests.assistant.engines import answer_of, ask, table_of
from tests.byo_projects import Project, query, rows
from tests.demo import DemoWarehouse

_ONLINE_2025 = (
    "select sum(case when channel = 'online' then net_amount else 0 end), sum(net_amount) "
    "from marts.fct_sales where tenant_id = 'nordwind-fashion' "
    "and sale_date between date '2025-01-01' and date '2025-12-31'"
)


@pytest.mark.parametrize(
    "question",
    [
        "What share of our net sales came from the online shop in 2025?",
        "Wie hoch war der Anteil des Onlineshops am Umsatz 2025?",
        "what percentage of our 2025 sales was online?",
    ],
)
def test_the_share_of_one_value_is_its_row_with_the_whole(
    engine: Engine, demo_warehouse: DemoWarehouse, question: str
) -> None:
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        ((part, whole),) = con.execute(_ONLINE_2025).fetchall()
    table = table_of(ask(engine, question))
    assert len(table.rows) == 1, table.rows  # the online row alone, not the stores' beside it
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert row["sale_line__channel"] == "online"
    assert abs(float(str(row["net_sales"])) - float(part)) < 0.01
    assert abs(float(str(row["net_sales__total"])) - float(whole)) < 0.01
    assert abs(float(str(row["net_sales__share"])) - float(part) / float(whole)) < 1e-9


@pytest.mark.parametrize(
    "question",
    [
        "What share of our net sales came from the online shop in each quarter of 2025?",
        "Welcher Anteil des Umsatzes kam 2025 je Quartal aus dem Onlineshop?",
        "online share of net sales per quarter in 2025",
    ],
)
def test_the_share_of_one_value_per_period_names_each_period(
    engine: Engine, demo_warehouse: DemoWarehouse, question: str
) -> None:
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        want = con.execute(
            "select quarter(sale_date), sum(case when channel = 'online' then net_amount else 0 end) "
            "/ sum(net_amount) from marts.fct_sales where tenant_id = 'nordwind-fashion' "
            "and sale_date between date '2025-01-01' and date '2025-12-31' group by 1 order by 1"
        ).fetchall()
    events = ask(engine, question)
    table = table_of(events)
    shares = [float(str(dict(zip(table.columns, r, strict=True))["net_sales__share"])) for r in table.rows]
    assert len(shares) == 4 and all(abs(a - float(b)) < 1e-9 for a, (_, b) in zip(shares, want, strict=True))
    text = answer_of(events)
    assert all(f"Q{q} 2025" in text for q in range(1, 5)), text


def test_a_share_by_a_breakdown_shows_every_row_without_the_whole(engine: Engine) -> None:
    table = table_of(ask(engine, "share of net sales by channel in 2025"))
    assert len(table.rows) == 2
    assert "net_sales__total" not in table.columns


@pytest.mark.parametrize(
    "question",
    [
        "What share of our shipments in 2025 were booked via EDI?",
        "Welcher Anteil der Sendungen wurde 2025 per EDI gebucht?",
        "what percentage of 2025 shipments came in by EDI?",
    ],
)
def test_the_share_of_one_value_in_another_project(freight: Project, question: str) -> None:
    ((part, whole),) = freight.sql(
        "select sum(case when BookingChannel = 'EDI' then 1 else 0 end), count(*) "
        "from transport.fct_shipments where StatusCode <> 'CXL' "
        "and ship_date between date '2025-01-01' and date '2025-12-31'"
    )
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert len(rows(answer)) == 1, rows(answer)
    assert query(answer)["group_by"][0].endswith("booking_channel")
    row = dict(zip(answer["columns"], rows(answer)[0], strict=True))  # type: ignore[call-overload]
    assert row["shipments"] == part and row["shipments__total"] == whole
