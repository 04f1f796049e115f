"""Acceptance 2 and 3 over real HTTP: bad rows quarantined with reasons; the tenant is the credential's."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import httpx
import pytest

from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import Credentials, ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.errors import ProHandelAuthError
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import TEST_END_DATE

A, B = "alpin-sport", "casa-living"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
CHANGED = "2025-01-01T00:00:00"


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=[A, B])
    with SimulatorServer(sim) as srv:
        yield srv


def _stock(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "date": "2025-01-05",
        "branchId": "alp-b01",
        "articleId": "alp-a00001",
        "onHand": 3,
        "onOrder": 0,
        "changedAt": CHANGED,
    }
    row.update(overrides)
    return row


BAD_STOCK = [
    _stock(branchId=None),  # null key
    _stock(onHand=-4),  # negative stock
    _stock(branchId="alp-b77"),  # unknown branch
    _stock(date="31.12.2024"),  # unparseable date
    _stock(onOrder="seven"),  # wrong type
    _stock(articleId="alp-a99999"),  # unknown article
]


def test_bad_rows_are_quarantined_with_reasons_and_good_rows_land(server: SimulatorServer) -> None:
    server.sim.reset_faults(FaultPlan(inject_records={"inventory": BAD_STOCK}, server_error_every=2))
    con = duckdb.connect()
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        report = sync_tenant(client, DuckDbSink(con), page_size=5000, alert_share=0.0)
    inv = report.load("inventory")
    assert inv.rows_rejected == len(BAD_STOCK)
    assert inv.rows_loaded == inv.rows_received - len(BAD_STOCK) - inv.duplicates
    landed = con.execute("SELECT count(*) FROM raw.prohandel_inventory WHERE tenant_id = ?", [A]).fetchone()
    assert landed is not None and landed[0] == inv.rows_loaded > 1000
    reasons = [
        r[0]
        for r in con.execute(
            "SELECT reason FROM raw.raw_rejected WHERE tenant_id = ? AND resource = 'inventory'",
            [A],
        ).fetchall()
    ]
    assert sorted(reasons) == sorted(
        [
            "branchId is null",
            "onHand: -4 is below the minimum 0",
            "branchId: unknown branch 'alp-b77'",
            "date: unparseable date '31.12.2024'",
            "onOrder: expected a number, got str 'seven'",
            "articleId: unknown article 'alp-a99999'",
        ]
    )
    logged = con.execute(
        "SELECT rows_rejected, status FROM ingest.load_log WHERE resource = 'inventory' AND tenant_id = ?",
        [A],
    ).fetchone()
    assert logged == (len(BAD_STOCK), "success")
    assert any("inventory" in alert for alert in report.alerts)


def test_a_page_fetched_with_tenant_a_credentials_lands_only_as_tenant_a(server: SimulatorServer) -> None:
    con = duckdb.connect()
    sink = DuckDbSink(con)
    server.sim.reset_faults()
    with ProHandelClient(server.credentials(B), policy=FAST) as client:
        sync_tenant(client, sink, page_size=5000)
    b_rows = con.execute("SELECT count(*) FROM raw.prohandel_branches WHERE tenant_id = ?", [B]).fetchone()
    # A's API serves records that claim to be B's, with B's ids and a tenant field
    foreign = {
        "id": "cas-b01",
        "number": 1,
        "name": "Hijack",
        "country": "CH",
        "type": "store",
        "openingDate": "2020-01-01",
        "tenantId": B,
        "tenant_id": B,
        "changedAt": CHANGED,
    }
    server.sim.reset_faults(FaultPlan(inject_records={"branches": [foreign]}))
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        sync_tenant(client, sink, page_size=5000)
    owners = con.execute(
        "SELECT DISTINCT tenant_id FROM raw.prohandel_branches WHERE name = 'Hijack'"
    ).fetchall()
    assert owners == [(A,)]
    # B's row with the same key is untouched by A's upsert
    assert (
        con.execute("SELECT count(*) FROM raw.prohandel_branches WHERE tenant_id = ?", [B]).fetchone()
        == b_rows
    )
    assert con.execute(
        "SELECT name FROM raw.prohandel_branches WHERE tenant_id = ? AND branch_id = 'cas-b01'", [B]
    ).fetchone() != ("Hijack",)
    # the tenant field the payload carried is kept as a new field, never used as the tenant
    kept = con.execute(
        "SELECT tenant_id, fields FROM raw.raw_extra_fields WHERE record_key = 'cas-b01'"
    ).fetchall()
    assert [t for t, _ in kept] == [A] and B in kept[0][1]


def test_tenant_a_token_cannot_read_tenant_b_instance(server: SimulatorServer) -> None:
    server.sim.reset_faults()
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        token = client._valid_token()
        b_url = token.server_url.replace("/instances/alp/", "/instances/cas/")
        response = httpx.get(f"{b_url}/branches", headers={"Authorization": f"Bearer {token.access_token}"})
    assert response.status_code == 403


def test_wrong_secret_is_a_clear_auth_error(server: SimulatorServer) -> None:
    creds = Credentials(A, f"{A}-key", "wrong", server.auth_url)
    with (
        ProHandelClient(creds, policy=FAST) as client,
        pytest.raises(ProHandelAuthError, match="key and secret"),
    ):
        client.server_url  # noqa: B018


def test_retry_after_is_honoured_and_expired_tokens_are_refreshed(server: SimulatorServer) -> None:
    server.sim.reset_faults(FaultPlan(rate_limit_every=1, retry_after_s=1, expire_token_every=1))
    slept: list[float] = []
    with ProHandelClient(server.credentials(A), policy=FAST, sleep=slept.append) as client:
        pages = list(client.pages("branches", changed_since=None, page_size=100))
        assert pages[0].items and client.stats.rate_limited == 1 and client.stats.token_refreshes == 1
    assert slept and min(slept) >= 1.0  # the server's Retry-After, not the 5 ms backoff
