"""Per-tenant reads: dimension values and data versions, both through the guard."""

from __future__ import annotations

import duckdb
import pytest

from semantic_layer.data_version import read_data_version
from semantic_layer.dimension_values import load_dimension_values
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import data_versions_policy, policy_guard
from semantic_layer.protocols import SqlGuard
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.semantic_layer.subscription_fixture import TENANTS, BuiltFixture


def _values(layer: SemanticLayer, tenant: str) -> dict[str, set[str]]:
    return {dv.dimension: set(dv.values) for dv in layer.dimension_values(tenant)}


@pytest.mark.parametrize("tenant", TENANTS)
def test_dimension_values_are_the_tenants_own(
    layer: SemanticLayer, raw: duckdb.DuckDBPyConnection, tenant: str
) -> None:
    got = _values(layer, tenant)
    countries = {
        r[0]
        for r in raw.execute("SELECT country FROM billing.dim_accounts WHERE org_id = ?", [tenant]).fetchall()
    }
    plans = {
        r[0]
        for r in raw.execute(
            "SELECT plan FROM billing.fct_subscriptions WHERE org_id = ?", [tenant]
        ).fetchall()
    }
    assert got["account__country"] == countries
    assert got["subscription__plan"] == plans
    assert set(got) == {"account__country", "subscription__plan", "subscription__billing_period"}


def test_one_tenant_never_sees_anothers_values(layer: SemanticLayer) -> None:
    acme, globex, initech = (_values(layer, t) for t in TENANTS)
    assert "JP" in globex["account__country"] and "JP" not in acme["account__country"]
    assert "enterprise" in initech["subscription__plan"]
    assert "enterprise" not in acme["subscription__plan"] | globex["subscription__plan"]


def test_values_are_capped(layer: SemanticLayer, warehouse: DuckDbWarehouse, guard: SqlGuard) -> None:
    capped = load_dimension_values(layer.project, layer.catalog, warehouse, "acme", guard, cap=1)
    country = next(dv for dv in capped if dv.dimension == "account__country")
    assert len(country.values) == 1 and country.truncated


def test_data_version_comes_from_the_metadata_table(layer: SemanticLayer) -> None:
    acme = layer.data_version("acme")
    assert (acme.value, acme.source) == ("v-acme-2", "table")  # the latest load wins
    assert acme.last_data_date is not None and acme.last_data_date.isoformat() == "2025-06-30"
    assert layer.data_version("globex").value == "v-globex-1"


def test_data_version_falls_back_to_the_file(
    layer: SemanticLayer, built: BuiltFixture, guard: SqlGuard
) -> None:
    no_row = layer.data_version("initech")
    assert no_row.source == "fingerprint" and no_row.value.startswith("fingerprint:")
    plain = DuckDbWarehouse(built.warehouse_without_meta)
    guard = policy_guard(data_versions_policy("duckdb"))
    no_table = read_data_version(plain, guard, "acme")
    assert no_table.source == "fingerprint"
    assert no_table.value == read_data_version(plain, guard, "acme").value  # stable
    assert no_table.value != no_row.value  # a different file, a different version


def test_user_queries_cannot_read_the_metadata_table(layer: SemanticLayer) -> None:
    from guardrails.errors import UserError

    with pytest.raises(UserError):
        layer.guard("SELECT data_version FROM mercurios_meta.data_versions", tenant_id="acme")


def test_the_guard_remembers_what_it_allowed_per_tenant_never_across(
    guard: SqlGuard, warehouse: DuckDbWarehouse
) -> None:
    from guardrails.errors import UserError

    sql = "SELECT COUNT(*) AS n FROM billing.fct_invoices"
    first = guard(sql, tenant_id="acme")
    assert guard(sql, tenant_id="acme") is first  # allowed before: not parsed again
    other = guard(sql, tenant_id="globex")
    assert other is not first and "'globex'" in other.sql and "'acme'" not in other.sql
    counts = {t: warehouse.execute(guard(sql, tenant_id=t), timeout_s=5, row_cap=1).rows for t in TENANTS}
    assert len(set(counts.values())) == len(TENANTS)
    for _ in range(2):  # a refusal is refused every time, never remembered as allowed
        with pytest.raises(UserError):
            guard("DELETE FROM billing.fct_invoices", tenant_id="acme")
