"""`SemanticLayer`: compile → guard → execute in one object, for the engine, the CLI and tests.

It holds the project, its catalog, a warehouse and a guard, and every method that touches data
goes through the guard with the caller's tenant. Nothing here decides tenancy; the guard does.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from guardrails.errors import MercuriosError
from guardrails.guard_policy import Dialect
from semantic_layer.catalog import Catalog, project_catalog
from semantic_layer.comparisons import (
    CompareMode,
    check_comparison,
    check_share,
    compile_comparison,
    compile_share,
)
from semantic_layer.compiler import CompiledQuery, compile_query
from semantic_layer.data_version import DataVersion, read_data_version
from semantic_layer.dimension_values import DimensionValues, holds_empty_values, load_dimension_values
from semantic_layer.errors import (
    InvalidFilterValueError,
    WarehouseOutdatedError,
    WarehouseStatementError,
    is_value_conversion,
    missing_column,
)
from semantic_layer.guarding import data_versions_policy, policy_guard
from semantic_layer.partners import counts_partnerless_facts
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import QueryResult, SqlGuard, Warehouse
from semantic_layer.query import Filter, SemanticQuery
from semantic_layer.validation import validate


@dataclass(frozen=True)
class ExecutedQuery:
    """What ran and what came back: the compiled SQL, the SQL as executed (guarded), the rows."""

    compiled: CompiledQuery
    guarded_sql: str
    result: QueryResult


class SemanticLayer:
    def __init__(
        self,
        project: SemanticProject,
        warehouse: Warehouse,
        guard: SqlGuard,
        *,
        timeout_s: float = 30.0,
        row_cap: int = 10_000,
    ) -> None:
        self.project = project
        self.warehouse = warehouse
        self.guard = guard
        self.timeout_s = timeout_s
        self.row_cap = row_cap

    @cached_property
    def catalog(self) -> Catalog:
        return project_catalog(self.project)

    def with_warehouse(self, warehouse: Warehouse) -> SemanticLayer:
        """The same project, guard and limits over another warehouse (e.g. one wrapped so that a
        running statement can be interrupted); this layer is left as it is."""
        other = SemanticLayer(
            self.project, warehouse, self.guard, timeout_s=self.timeout_s, row_cap=self.row_cap
        )
        if "catalog" in self.__dict__:  # already read: share it rather than read it again
            other.__dict__["catalog"] = self.__dict__["catalog"]
        return other

    @property
    def dialect(self) -> str:
        return self.warehouse.dialect

    def check(
        self, query: SemanticQuery, *, comparison: CompareMode | None = None, share: bool = False
    ) -> None:
        """Raise the `UserError` that compiling `query` (compared, or as shares) would raise, as far
        as our own rules tell — names, joins, grains, comparison and share rules — without MetricFlow
        or the warehouse: microseconds, where a compile takes milliseconds."""
        resolved = validate(query, self.catalog, comparison=comparison is not None)
        if comparison is not None:
            check_comparison(resolved, comparison)
        elif share:
            check_share(resolved)

    def compile(self, query: SemanticQuery) -> CompiledQuery:
        return compile_query(self.project, self.catalog, query, self.dialect)

    def execute_compiled(self, compiled: CompiledQuery, tenant_id: str | None) -> ExecutedQuery:
        guarded = self.guard(compiled.sql, tenant_id=tenant_id)
        try:
            result = self.warehouse.execute(guarded, timeout_s=self.timeout_s, row_cap=self.row_cap)
        except WarehouseStatementError as exc:
            # MetricFlow only names columns of the project's semantic models: one the table lacks
            # means the warehouse predates the project, not a bad question.
            column = missing_column(str(exc))
            if column is None:
                raise
            raise WarehouseOutdatedError(
                f'The warehouse has no column "{column}", which the dbt project\'s semantic models '
                "read: it was built from an older version of the project. Rebuild it "
                "(`mercurios build`, or `dbt build` on the project)."
            ) from exc
        return ExecutedQuery(compiled=compiled, guarded_sql=guarded.sql, result=result)

    def run(self, query: SemanticQuery, tenant_id: str | None) -> ExecutedQuery:
        try:
            return self.execute_compiled(self.compile(query), tenant_id)
        except WarehouseStatementError as exc:
            if not query.filters or not is_value_conversion(exc.kind):
                raise
            named = "; ".join(
                f"{f.dimension} {f.operator} {', '.join(repr(v) for v in f.values)}" for f in query.filters
            )
            raise InvalidFilterValueError(
                f"a filter value does not fit its dimension's type ({exc.kind}): {named}"
            ) from exc

    def query(self, query: SemanticQuery, tenant_id: str | None) -> QueryResult:
        """Compile, guard (for `tenant_id`) and execute one semantic query."""
        return self.run(query, tenant_id).result

    def compare(self, query: SemanticQuery, tenant_id: str | None, mode: CompareMode) -> ExecutedQuery:
        compiled = compile_comparison(self.project, self.catalog, query, mode, self.dialect)
        return self.execute_compiled(compiled, tenant_id)

    def share(self, query: SemanticQuery, tenant_id: str | None) -> ExecutedQuery:
        return self.execute_compiled(
            compile_share(self.project, self.catalog, query, self.dialect), tenant_id
        )

    def dimension_values(
        self,
        tenant_id: str | None,
        *,
        cap: int = 500,
        version: DataVersion | None = None,
        only: Collection[str] | None = None,
    ) -> tuple[DimensionValues, ...]:
        """Every categorical dimension's values as `tenant_id` sees them (or those named in `only`).
        With the tenant's data `version`, kept in the project's disk cache (`tenant_cached`): a new
        process does not run the two dozen value queries again until the data changes."""
        wanted = None if only is None else frozenset(only)

        def load() -> list[dict[str, Any]]:
            found = load_dimension_values(
                self.project,
                self.catalog,
                self.warehouse,
                tenant_id,
                self.guard,
                cap=cap,
                timeout_s=self.timeout_s,
                only=wanted,
            )
            return [dataclasses.asdict(v) for v in found]

        what = f"values|{cap}" if wanted is None else f"values|{cap}|{','.join(sorted(wanted))}"
        stored = self.tenant_cached(what, tenant_id, version, load)
        return tuple(
            DimensionValues(d["dimension"], tuple(d["values"]), bool(d["truncated"])) for d in stored
        )

    def holds_empty_values(self, dimension: str, tenant_id: str | None, version: DataVersion | None) -> bool:
        """Whether the dimension's own table leaves it empty on some rows (see `holds_empty_values`);
        kept with the tenant's data version."""
        return bool(
            self.tenant_cached(
                f"empty|{dimension}",
                tenant_id,
                version,
                lambda: holds_empty_values(
                    self.project, self.warehouse, dimension, tenant_id, self.guard, timeout_s=self.timeout_s
                ),
            )
        )

    def counts_partnerless_facts(
        self, metric: str, entity: str, tenant_id: str | None, version: DataVersion | None
    ) -> bool:
        """Whether `metric` counts facts with no `entity` (see `partners`); kept with the tenant's
        data version."""
        return bool(
            self.tenant_cached(
                f"partnerless|{metric}|{entity}",
                tenant_id,
                version,
                lambda: counts_partnerless_facts(
                    self.project,
                    self.warehouse,
                    metric,
                    entity,
                    tenant_id,
                    self.guard,
                    timeout_s=self.timeout_s,
                ),
            )
        )

    def counts_filtered(
        self, metric: str, flt: Filter, tenant_id: str | None, version: DataVersion | None
    ) -> bool:
        """Whether `metric` held to `flt` has a value other than zero over all the tenant's data (a
        figure whose definition leaves the value out has none); kept with the tenant's data version.
        A query that fails says True (nothing is asked on a guess)."""

        def build() -> bool:
            try:
                result = self.query(SemanticQuery(metrics=(metric,), filters=(flt,)), tenant_id)
            except MercuriosError:
                return True
            value = result.rows[0][-1] if result.rows else None
            return value is not None and not isinstance(value, str) and value != 0

        key = f"counts|{metric}|{flt.model_dump_json()}"
        return bool(self.tenant_cached(key, tenant_id, version, build))

    def tenant_cached(
        self, what: str, tenant_id: str | None, version: DataVersion | None, build: Callable[[], Any]
    ) -> Any:
        """A JSON value derived from one tenant's data (its dimension values, its item hierarchy):
        `build()`, kept in the project's disk cache under the tenant, its data `version` and the
        warehouse's fingerprint — each checked on every read, so one tenant never reads another's
        entry and a load or a rebuild is never served stale. Without a version or a disk cache,
        just `build()`. A broken entry is built again."""
        cache = self.project.cache
        if version is None or cache is None:
            return build()
        key = f"{what}|{tenant_id!r}|{version.value}|{self.warehouse.fingerprint()}"
        stored = cache.read_keyed("tenant", key)
        if stored is not None:
            try:
                return json.loads(stored)
            except ValueError:
                pass
        value = build()
        cache.write_keyed("tenant", key, json.dumps(value, default=str))
        return value

    def data_version(self, tenant_id: str | None) -> DataVersion:
        """The tenant's data version, read through a guard that allows only the metadata table."""
        dialect: Dialect = "snowflake" if self.dialect == "snowflake" else "duckdb"
        return read_data_version(self.warehouse, policy_guard(data_versions_policy(dialect)), tenant_id)
