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
