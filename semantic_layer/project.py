"""A dbt project's semantic layer, loaded once and kept in process.

`SemanticProject.load` reads `target/semantic_manifest.json` (re-running `dbt parse` when it is
missing or older than the project's YAML/SQL), and keeps one MetricFlow engine per SQL dialect,
created lazily: compiling a query is then pure computation, no subprocess, no warehouse.

Relations are normalised to `schema.table`: dbt writes the DuckDB file's name as the
"database", and that name changes when a warehouse is rebuilt into a temp file and swapped in.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import yaml
from metricflow.engine.metricflow_engine import MetricFlowEngine
from metricflow.protocols.sql_client import SqlClient, SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.snowflake import SnowflakeSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantic_interfaces.implementations.semantic_manifest import (
    PydanticSemanticManifest,
)
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

from guardrails.errors import MercuriosError
from semantic_layer.dbt_runner import run_dbt
from semantic_layer.errors import SemanticProjectError, UnsupportedDialectError

Dialect = Literal["duckdb", "snowflake"]
DIALECTS: tuple[Dialect, ...] = ("duckdb", "snowflake")

# MetricFlow resets process-global id counters on every query: compile one query at a time.
MF_LOCK = threading.Lock()
_SQL_CACHE_SIZE = 512


@dataclass(frozen=True)
class _RenderOnlySqlClient:
    """What MetricFlowEngine needs to *compile*: the engine type and its renderer, no connection."""

    sql_engine_type: SqlEngine
    sql_plan_renderer: SqlPlanRenderer


def _sql_client(dialect: str) -> _RenderOnlySqlClient:
    if dialect == "duckdb":
        return _RenderOnlySqlClient(SqlEngine.DUCKDB, DuckDbSqlPlanRenderer())
    if dialect == "snowflake":
        return _RenderOnlySqlClient(SqlEngine.SNOWFLAKE, SnowflakeSqlPlanRenderer())
    raise UnsupportedDialectError(f"unsupported SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")


def _strip_database(node: object) -> None:
    """Rewrite every `node_relation` in the manifest JSON to `schema.table` (see module doc)."""
    if isinstance(node, dict):
        relation = node.get("node_relation")
        if isinstance(relation, dict) and "schema_name" in relation and "alias" in relation:
            relation["database"] = None
            relation["relation_name"] = f"{relation['schema_name']}.{relation['alias']}"
        for value in node.values():
            _strip_database(value)
    elif isinstance(node, list):
        for item in node:
            _strip_database(item)


def _source_paths(project_dir: Path) -> list[Path]:
    """dbt_project.yml plus every file under its model and macro paths (what `dbt parse` reads)."""
    config_file = project_dir / "dbt_project.yml"
    try:
        config = yaml.safe_load(config_file.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SemanticProjectError(f"cannot read {config_file}: {exc}") from exc
    dirs = [*config.get("model-paths", ["models"]), *config.get("macro-paths", ["macros"])]
    files = [config_file]
    for rel in dirs:
        root = project_dir / str(rel)
        if root.is_dir():
            files.extend(p for p in root.rglob("*") if p.is_file())
    return files


def _is_stale(manifest: Path, project_dir: Path) -> bool:
    if not manifest.is_file():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _source_paths(project_dir))


@dataclass
class SemanticProject:
    """The parsed semantic manifest of one dbt project and its (lazy) MetricFlow engines."""

    project_dir: Path
    manifest: PydanticSemanticManifest
    lookup: SemanticManifestLookup
    _engines: dict[str, MetricFlowEngine] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _sql_cache: OrderedDict[Hashable, str] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def load(cls, project_dir: Path, *, target_path: Path | None = None) -> SemanticProject:
        """Load a project, re-parsing it with dbt first if its semantic manifest is missing or stale."""
        project_dir = Path(project_dir).resolve()
        if not (project_dir / "dbt_project.yml").is_file():
            raise SemanticProjectError(f"not a dbt project (no dbt_project.yml): {project_dir}")
        target = Path(target_path).resolve() if target_path is not None else project_dir / "target"
        manifest_file = target / "semantic_manifest.json"
        if _is_stale(manifest_file, project_dir):
            try:
                run_dbt(project_dir, ["parse"], target_path=target)
            except MercuriosError as exc:
                raise SemanticProjectError(f"cannot parse the dbt project {project_dir}: {exc}") from exc
        if not manifest_file.is_file():
            raise SemanticProjectError(f"dbt parse wrote no semantic manifest under {target}")
        return cls.from_manifest_json(manifest_file.read_text(), project_dir=project_dir)

    @classmethod
    def from_manifest_json(cls, manifest_json: str, *, project_dir: Path) -> SemanticProject:
        try:
            raw = json.loads(manifest_json)
            _strip_database(raw)
            manifest = parse_manifest_from_dbt_generated_manifest(json.dumps(raw))
            lookup = SemanticManifestLookup(manifest)
        except Exception as exc:  # MetricFlow raises many kinds; all mean "this manifest is unusable"
            raise SemanticProjectError(f"invalid semantic manifest for {project_dir}: {exc}") from exc
        if not manifest.metrics:
            raise SemanticProjectError(f"the dbt project {project_dir} defines no metrics")
        return cls(project_dir=project_dir, manifest=manifest, lookup=lookup)

    def engine(self, dialect: str) -> MetricFlowEngine:
        """The MetricFlow engine that renders `dialect` (built on first use, then reused)."""
        with self._lock:
            engine = self._engines.get(dialect)
            if engine is None:
                # Compiling needs only the two members of SqlClient that _RenderOnlySqlClient has.
                engine = MetricFlowEngine(self.lookup, cast(SqlClient, _sql_client(dialect)))
                self._engines[dialect] = engine
            return engine

    def cached_sql(self, key: Hashable, build: Callable[[], str]) -> str:
        """SQL compiled before for the same key (query, dialect), else `build()` and remember it.

        Compiling takes 5–20 ms; planners, digests and retries ask the same query again and again.
        The manifest never changes under a loaded project, so entries never go stale; the cache
        is bounded (least recently used entries go first).
        """
        with self._lock:
            if key in self._sql_cache:
                self._sql_cache.move_to_end(key)
                return self._sql_cache[key]
        sql = build()
        with self._lock:
            self._sql_cache[key] = sql
            while len(self._sql_cache) > _SQL_CACHE_SIZE:
                self._sql_cache.popitem(last=False)
        return sql

    def relations(self) -> tuple[tuple[str, str], ...]:
        """(schema, table) of every relation the compiled SQL may read, time spines included."""
        found = {
            (sm.node_relation.schema_name, sm.node_relation.alias) for sm in self.manifest.semantic_models
        }
        for spine in self.manifest.project_configuration.time_spines:
            found.add((spine.node_relation.schema_name, spine.node_relation.alias))
        return tuple(sorted(found))

    def time_spine_relations(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (s.node_relation.schema_name, s.node_relation.alias)
            for s in self.manifest.project_configuration.time_spines
        )
