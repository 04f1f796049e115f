"""Per-tenant knowledge: the data version is read once per warehouse state, not on every question."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.core.knowledge import TenantKnowledge
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from guardrails.guarded_sql import GuardedSql
from semantic_layer.protocols import QueryResult, Warehouse
from tests.demo import DemoWarehouse


class CountingWarehouse:
    def __init__(self, inner: Warehouse) -> None:
        self.inner = inner
        self.statements = 0

    @property
    def dialect(self) -> str:
        return self.inner.dialect

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        self.statements += 1
        return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)

    def fingerprint(self) -> str:
        return self.inner.fingerprint()


def test_the_data_version_is_reread_when_the_warehouse_changes(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, copy)
    sl = build_semantic_layer(Settings(duckdb_path=copy), dbt_target_path=demo_warehouse.dbt_target_path)
    counting = CountingWarehouse(sl.warehouse)
    sl.warehouse = counting
    knowledge = TenantKnowledge(sl)
    first = knowledge.data_version("alpin-sport")
    reads = counting.statements
    assert knowledge.data_version("alpin-sport") == first and counting.statements == reads  # cached
    other = knowledge.data_version("casa-living")
    assert other.value != first.value  # per tenant, never shared
    # a build lands the way `mercurios build` does: a new file renamed over the old one
    staged = tmp_path / "staged" / "warehouse.duckdb"
    staged.parent.mkdir()
    shutil.copyfile(demo_warehouse.path, staged)
    script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"UPDATE mercurios_meta.data_versions SET data_version = 'reloaded' "
        "WHERE tenant_id = 'alpin-sport'\"); con.execute('CHECKPOINT'); con.close()"
    )
    subprocess.run([sys.executable, "-c", script, str(staged)], check=True, timeout=60)
    os.replace(staged, copy)
    assert knowledge.data_version("alpin-sport").value == "reloaded"
    assert knowledge.data_version("casa-living").value == other.value


def test_a_new_process_builds_a_tenants_lexicon_from_the_cache_without_querying_the_data(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    settings = Settings(duckdb_path=demo_warehouse.path, cache_dir=tmp_path / "cache")
    first_sl = build_semantic_layer(settings, dbt_target_path=demo_warehouse.dbt_target_path)
    first_sl.warehouse = first = CountingWarehouse(first_sl.warehouse)
    built = TenantKnowledge(first_sl).for_tenant("casa-living")
    assert first.statements > 2  # the version, two dozen value lists, the item hierarchy

    again_sl = build_semantic_layer(settings, dbt_target_path=demo_warehouse.dbt_target_path)
    again_sl.warehouse = again = CountingWarehouse(again_sl.warehouse)
    cached = TenantKnowledge(again_sl).for_tenant("casa-living")
    assert again.statements == 1  # the data version alone
    assert cached.values == built.values
    assert cached.lexicon.entries == built.lexicon.entries
    assert cached.lexicon.vocabulary == built.lexicon.vocabulary


# ---- the values each role's facts hold ------------------------------------------------------------


class _TwoFacts:
    """A semantic layer stub: `claimed` is measured on a few shipments' claims only, `shipments` on
    every shipment; both reach the consignee's name (and the shipper's, the same party column)."""

    def __init__(self, *, joined: bool = True) -> None:
        from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

        dims = tuple(
            DimensionInfo(name=f"{role}__party_name", label="Party", description="", synonyms=(),
                          type="categorical", entity=role, model="parties", element="party_name")
            for role in ("consignee", "shipper")
        )  # fmt: skip
        metrics = tuple(
            MetricInfo(name=name, label=name, description="", synonyms=(), type="simple", format=None,
                       unit=None, dimensions=tuple(d.name for d in dims), entities=(), grains=(),
                       additive=True)
            for name in ("claimed", "shipments")
        )  # fmt: skip
        self.catalog = Catalog(metrics=metrics, dimensions=dims, entities=())
        self.joined = joined
        self.asked: list[tuple[str, ...]] = []

    def query(self, query: object, tenant_id: str) -> QueryResult:
        from guardrails.errors import MercuriosError
        from semantic_layer.protocols import ResultColumn

        metrics = query.metrics  # type: ignore[attr-defined]
        (name,) = query.group_by  # type: ignore[attr-defined]
        self.asked.append(metrics)
        if len(metrics) > 1 and not self.joined:
            raise MercuriosError("cannot join these metrics")
        held = {"claimed": ["Anna"], "shipments": ["Anna", "Bert", "Cora"]}
        values = sorted({v for m in metrics for v in held[m]})
        return QueryResult(
            columns=(ResultColumn(name, "VARCHAR"), *(ResultColumn(m, "DOUBLE") for m in metrics)),
            rows=tuple((v, *(1.0 for _ in metrics)) for v in values),
            truncated=False,
            elapsed_ms=0.0,
        )


def test_a_role_holds_the_values_of_every_fact_not_just_the_first_figures() -> None:
    # 'claimed' sorts first and covers one consignee: read alone, Bert and Cora would be no
    # consignee and a question about them would be read under another role
    stub = _TwoFacts()
    held = TenantKnowledge(stub)._query_role_values("t", ("consignee__party_name", "shipper__party_name"))  # type: ignore[arg-type]
    assert held["consignee__party_name"] == ["Anna", "Bert", "Cora"]
    assert stub.asked[0] == ("claimed", "shipments")


def test_a_role_joins_each_figures_values_when_the_facts_cannot_be_queried_together() -> None:
    stub = _TwoFacts(joined=False)
    held = TenantKnowledge(stub)._query_role_values("t", ("consignee__party_name", "shipper__party_name"))  # type: ignore[arg-type]
    assert held["consignee__party_name"] == ["Anna", "Bert", "Cora"]
    assert ("shipments",) in stub.asked
