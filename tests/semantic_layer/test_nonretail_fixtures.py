"""The logistics and hospitality fixture projects: real dbt builds, queried through the semantic layer.

Both are single-tenant, third-party-style projects (PascalCase TMS columns; PMS short codes; one
party/profile table joined in several roles; two-hop entity paths). Each is built once per session
into a temp DuckDB file, and every check compares `SemanticLayer.query` (single-tenant guard, as
`mercurios sl query` runs it) with hand-written SQL over the project's own tables, read from a copy.
The builds are the shared session fixtures `logistics` and `hospitality` (tests/nonretail.py).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from semantic_layer.query import SemanticQuery, TimeRange
from tests.nonretail import BuiltProject


def _norm(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, decimal.Decimal | float):
        return float(value)
    return value


Table = dict[tuple[object, ...], tuple[object, ...]]


def _table(rows: Iterable[Sequence[object]], keys: int) -> Table:
    """Rows as {group-by values: metric values}, dates as ISO days and numbers as floats."""
    out: Table = {}
    for row in rows:
        values = tuple(_norm(v) for v in row)
        out[values[:keys]] = values[keys:]
    return out


def _sl(built: BuiltProject, query: SemanticQuery) -> Table:
    result = built.layer.query(query, tenant_id=None)
    assert not result.truncated
    return _table(result.rows, len(query.group_by))


def _sql(built: BuiltProject, sql: str, keys: int) -> Table:
    return _table(built.raw.execute(sql).fetchall(), keys)


def _assert_same(got: Table, want: Table) -> None:
    assert set(got) == set(want)
    for key, values in want.items():
        assert len(got[key]) == len(values), key
        for g, w in zip(got[key], values, strict=True):
            assert g == (w if w is None else pytest.approx(w, rel=1e-9, abs=1e-9)), key


def _top(table: Table) -> object:
    """The group with the largest first metric."""
    return max(table.items(), key=lambda kv: float(kv[1][0]))[0][0]  # type: ignore[arg-type]


# --- logistics: Kestrel Parcel & Freight ----------------------------------------------------------


def test_logistics_shipments_and_revenue_by_month(logistics: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("shipments", "freight_revenue"),
        group_by=("metric_time__month",),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)),
    )
    want = _sql(
        logistics,
        """
        SELECT date_trunc('month', ship_date),
               SUM(CASE WHEN StatusCode <> 'CXL' THEN 1 ELSE 0 END), SUM(freight_revenue_eur)
        FROM transport.fct_shipments
        WHERE ship_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'
        GROUP BY 1
        """,
        1,
    )
    assert len(want) == 12
    _assert_same(_sl(logistics, query), want)


@pytest.mark.parametrize(
    ("role", "column"), [("shipper", "shipper_party_no"), ("consignee", "consignee_party_no")]
)
def test_logistics_party_country_through_each_role(logistics: BuiltProject, role: str, column: str) -> None:
    query = SemanticQuery(metrics=("freight_revenue", "shipments"), group_by=(f"{role}__country_code",))
    want = _sql(
        logistics,
        f"""
        SELECT p.CountryCode, SUM(s.freight_revenue_eur),
               SUM(CASE WHEN s.StatusCode <> 'CXL' THEN 1 ELSE 0 END)
        FROM transport.fct_shipments AS s
        LEFT JOIN transport.dim_parties AS p ON p.party_no = s.{column}
        GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(logistics, query), want)


def test_logistics_the_two_party_paths_answer_differently(logistics: BuiltProject) -> None:
    def ranking(role: str) -> list[object]:
        got = _sl(logistics, SemanticQuery(metrics=("shipments",), group_by=(f"{role}__country_code",)))
        return [k[0] for k, _ in sorted(got.items(), key=lambda kv: -float(kv[1][0]))]  # type: ignore[arg-type]

    shipper, consignee = ranking("shipper"), ranking("consignee")
    assert shipper[0] == consignee[0] == "DE"
    assert shipper[1] != consignee[1]  # PL ships, AT receives
    assert "FR" in consignee and "FR" not in shipper


def test_logistics_on_time_rate_by_origin_region_two_hops(logistics: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("on_time_delivery_rate", "late_deliveries"),
        group_by=("lane__origin_depot__region",),
        time_range=TimeRange(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)),
    )
    want = _sql(
        logistics,
        """
        SELECT d.RegionName,
               SUM(CASE WHEN s.is_on_time THEN 1 ELSE 0 END) * 1.0
                 / SUM(CASE WHEN s.StatusCode = 'DLV' THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.StatusCode = 'DLV' THEN 1 ELSE 0 END)
                 - SUM(CASE WHEN s.is_on_time THEN 1 ELSE 0 END)
        FROM transport.fct_shipments AS s
        JOIN transport.dim_lanes AS l ON l.lane_code = s.lane_code
        JOIN transport.dim_depots AS d ON d.depot_code = l.origin_depot_code
        WHERE s.delivered_date BETWEEN DATE '2026-01-01' AND DATE '2026-06-30'
        GROUP BY 1
        """,
        1,
    )
    assert len(want) == 7
    _assert_same(_sl(logistics, query), want)


def test_logistics_failed_attempts_by_consignee_country_two_hops(logistics: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("failed_delivery_attempts", "delivery_attempts"),
        group_by=("shipment__consignee__country_code",),
    )
    want = _sql(
        logistics,
        """
        SELECT p.CountryCode, SUM(CASE WHEN a.is_failed THEN 1 ELSE 0 END), COUNT(*)
        FROM transport.fct_delivery_attempts AS a
        LEFT JOIN transport.fct_shipments AS s ON s.consignment_number = a.consignment_number
        LEFT JOIN transport.dim_parties AS p ON p.party_no = s.consignee_party_no
        GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(logistics, query), want)
    assert logistics.layer.catalog.metric("failed_delivery_rate") is None  # only its two parts exist


def test_logistics_claims_paid_and_claims_per_1000(logistics: BuiltProject) -> None:
    paid = SemanticQuery(metrics=("claims_paid_amount", "claims_filed"), group_by=("claim__claim_type",))
    want = _sql(
        logistics,
        """
        SELECT ClaimType, SUM(CASE WHEN ClaimStatus = 'PAID' THEN SettledAmount ELSE 0 END), COUNT(*)
        FROM transport.fct_claims GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(logistics, paid), want)
    per_1000 = SemanticQuery(metrics=("claims_per_1000_shipments",), group_by=("metric_time__year",))
    want = _sql(
        logistics,
        """
        WITH c AS (SELECT date_trunc('year', claimed_on) AS y, COUNT(*) AS n
                   FROM transport.fct_claims GROUP BY 1),
             s AS (SELECT date_trunc('year', ship_date) AS y,
                          SUM(CASE WHEN StatusCode <> 'CXL' THEN 1 ELSE 0 END) AS n
                   FROM transport.fct_shipments GROUP BY 1)
        SELECT s.y, 1000.0 * c.n / s.n FROM s JOIN c USING (y)
        """,
        1,
    )
    _assert_same(_sl(logistics, per_1000), want)


# --- hospitality: Halden House Hotels -------------------------------------------------------------


def test_hospitality_occupancy_adr_revpar_by_region_two_hops(hospitality: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("occupancy_rate", "adr", "revpar"),
        group_by=("room__property__region",),
        time_range=TimeRange(start=dt.date(2025, 6, 1), end=dt.date(2025, 8, 31)),
    )
    want = _sql(
        hospitality,
        """
        SELECT h.region_name,
               SUM(CASE WHEN n.is_occupied THEN 1 ELSE 0 END) * 1.0
                 / SUM(CASE WHEN n.is_available THEN 1 ELSE 0 END),
               SUM(n.room_revenue)
                 / SUM(CASE WHEN n.is_occupied AND NOT n.is_complimentary THEN 1 ELSE 0 END),
               SUM(n.room_revenue) / SUM(CASE WHEN n.is_available THEN 1 ELSE 0 END)
        FROM analytics.room_nights AS n
        JOIN analytics.rooms AS r ON r.room_code = n.room_code
        JOIN analytics.hotels AS h ON h.hotel_code = r.hotel_code
        WHERE n.stay_date BETWEEN DATE '2025-06-01' AND DATE '2025-08-31'
        GROUP BY 1
        """,
        1,
    )
    assert set(want) == {("Iberia",), ("Nordics",), ("Alps",)}
    _assert_same(_sl(hospitality, query), want)


@pytest.mark.parametrize(("role", "column"), [("guest", "guest_profile_no"), ("booker", "booker_profile_no")])
def test_hospitality_profile_country_through_each_role(
    hospitality: BuiltProject, role: str, column: str
) -> None:
    query = SemanticQuery(metrics=("arrivals", "bookings"), group_by=(f"{role}__country",))
    want = _sql(
        hospitality,
        f"""
        SELECT p.country_code, SUM(CASE WHEN r.is_stay THEN 1 ELSE 0 END), COUNT(*)
        FROM analytics.reservations AS r
        LEFT JOIN analytics.profiles AS p ON p.profile_no = r.{column}
        GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(hospitality, query), want)


def test_hospitality_adr_through_reservation_to_guest_or_booker(hospitality: BuiltProject) -> None:
    tables: dict[str, Table] = {}
    for role, column in (("guest", "guest_profile_no"), ("booker", "booker_profile_no")):
        query = SemanticQuery(metrics=("room_revenue", "adr"), group_by=(f"reservation__{role}__country",))
        want = _sql(
            hospitality,
            f"""
            SELECT p.country_code, SUM(n.room_revenue),
                   SUM(n.room_revenue)
                     / NULLIF(SUM(CASE WHEN n.is_occupied AND NOT n.is_complimentary THEN 1 ELSE 0 END), 0)
            FROM analytics.room_nights AS n
            LEFT JOIN analytics.reservations AS r ON r.confirmation_no = n.confirmation_no
            LEFT JOIN analytics.profiles AS p ON p.profile_no = r.{column}
            GROUP BY 1
            """,
            1,
        )
        got = _sl(hospitality, query)
        _assert_same(got, want)
        tables[role] = {k: v for k, v in got.items() if k != (None,)}  # vacant nights have no reservation
    assert (_top(tables["guest"]), _top(tables["booker"])) == ("DE", "NL")  # OTAs book as Dutch profiles


def test_hospitality_bookings_and_cancellations_by_booking_date(hospitality: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("bookings", "cancelled_bookings"),
        group_by=("reservation__channel_group",),
        time_range=TimeRange(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)),
    )
    want = _sql(
        hospitality,
        """
        SELECT channel_group, COUNT(*), SUM(CASE WHEN is_cancelled THEN 1 ELSE 0 END)
        FROM analytics.reservations
        WHERE booked_on BETWEEN DATE '2026-01-01' AND DATE '2026-06-30'
        GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(hospitality, query), want)
    assert hospitality.layer.catalog.metric("cancellation_rate") is None  # only its two parts exist


def test_hospitality_total_revenue_derived_across_models(hospitality: BuiltProject) -> None:
    query = SemanticQuery(
        metrics=("total_revenue", "fnb_revenue"),
        group_by=("metric_time__month",),
        time_range=TimeRange(start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31)),
    )
    want = _sql(
        hospitality,
        """
        WITH rooms AS (SELECT date_trunc('month', stay_date) AS m, SUM(room_revenue) AS v
                       FROM analytics.room_nights WHERE stay_date >= DATE '2026-01-01' GROUP BY 1),
             folio AS (SELECT date_trunc('month', posting_date) AS m, SUM(net_amount) AS v,
                              SUM(CASE WHEN dept_code = 'FNB' THEN net_amount ELSE 0 END) AS fnb
                       FROM analytics.folio_lines WHERE posting_date >= DATE '2026-01-01' GROUP BY 1)
        SELECT rooms.m, rooms.v + folio.v, folio.fnb FROM rooms JOIN folio USING (m)
        """,
        1,
    )
    assert len(want) == 10
    _assert_same(_sl(hospitality, query), want)


def test_hospitality_length_of_stay_by_brand(hospitality: BuiltProject) -> None:
    query = SemanticQuery(metrics=("average_length_of_stay", "unique_guests"), group_by=("property__brand",))
    want = _sql(
        hospitality,
        """
        SELECT h.brand_name, AVG(CASE WHEN r.is_stay THEN r.nights END),
               COUNT(DISTINCT CASE WHEN r.is_stay THEN r.guest_profile_no END)
        FROM analytics.reservations AS r JOIN analytics.hotels AS h ON h.hotel_code = r.hotel_code
        GROUP BY 1
        """,
        1,
    )
    _assert_same(_sl(hospitality, query), want)


# --- `mercurios sl` on both, single-tenant ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "metric", "group_by"),
    [
        ("logistics", "on_time_delivery_rate", "lane__destination_depot__region"),
        ("hospitality", "occupancy_rate", "property__property_name"),
    ],
)
def test_sl_cli_runs_single_tenant(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    metric: str,
    group_by: str,
) -> None:
    from assistant.channels.cli import sl_cmd
    from assistant.runtime.settings import get_settings

    built: BuiltProject = request.getfixturevalue(name)
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built.warehouse_path, copy)  # the CLI opens its own connection
    monkeypatch.setenv("MERCURIOS_DBT_PROJECT_DIR", str(built.project_dir))
    monkeypatch.setenv("MERCURIOS_DUCKDB_PATH", str(copy))
    monkeypatch.setenv("MERCURIOS_SINGLE_TENANT", "true")
    monkeypatch.setenv("DBT_TARGET_PATH", str(built.target_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        listed = runner.invoke(sl_cmd.app, ["list-metrics", "--json"])
        assert listed.exit_code == 0, listed.output
        assert metric in {m["name"] for m in json.loads(listed.output)}
        args = ["query", "--tenant", "default", "--metrics", metric, "--group-by", group_by, "--json"]
        result = runner.invoke(sl_cmd.app, args)
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert [c["name"] for c in data["columns"]] == [group_by, metric]
        assert len(data["rows"]) >= 6 and all(0 < row[1] <= 1 for row in data["rows"])
    finally:
        get_settings.cache_clear()
