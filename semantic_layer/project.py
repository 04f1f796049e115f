"""A dbt project's semantic layer, loaded once and kept in process.

`SemanticProject.load` reads `target/semantic_manifest.json` (re-running `dbt parse` when it is
missing or older than the project's YAML/SQL), and keeps one MetricFlow engine per SQL dialect,
created lazily: compiling a query is then pure computation, no subprocess, no warehouse.

Relations are normalised to `schema.table`: dbt writes the DuckDB file's name as the
"database", and that name changes when a warehouse is rebuilt into a temp file and swapped in.
"""

from __future__ import annotations

import json
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import yaml

from guardrails.errors import MercuriosError
from semantic_layer.dbt_runner import run_dbt
from semantic_layer.errors import SemanticProjectError, UnsupportedDialectError
from semantic_layer.project_cache import ProjectCache, manifest_hash

if TYPE_CHECKING:  # MetricFlow takes most of a second to import: only a compile that needs it does
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
    from metricflow_semantic_interfaces.implementations.semantic_manifest import (
        PydanticSemanticManifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

log = logging.getLogger(__name__)

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
    from metricflow.protocols.sql_client import SqlEngine

    if dialect == "duckdb":
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        return _RenderOnlySqlClient(SqlEngine.DUCKDB, DuckDbSqlPlanRenderer())
    if dialect == "snowflake":
        from metricflow.sql.render.snowflake import SnowflakeSqlPlanRenderer

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


class SemanticProject:
    """The semantic manifest of one dbt project and its (lazy) MetricFlow engines.

    The manifest is parsed on first use, not on load: with a warm `ProjectCache` (catalog,
    relations, compiled SQL) a process can answer without importing MetricFlow at all. Without a
    cache the manifest is parsed at load, so a broken one fails there, as it always did.
    """

    def __init__(self, project_dir: Path, manifest_json: str, *, cache: ProjectCache | None = None) -> None:
        self.project_dir = project_dir
        self.manifest_json = manifest_json  # relations already normalised to schema.table
        self.manifest_hash = manifest_hash(manifest_json)
        self.cache = cache
        self._engines: dict[str, MetricFlowEngine] = {}
        self._lock = threading.Lock()
        self._sql_cache: OrderedDict[Hashable, str] = OrderedDict()

    @classmethod
    def load(
        cls, project_dir: Path, *, target_path: Path | None = None, cache_dir: Path | None = None
    ) -> SemanticProject:
        """Load a project, re-parsing it with dbt first if its semantic manifest is missing or stale.
        With `cache_dir`, what the manifest yields is kept there for the next process."""
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
        return cls.from_manifest_json(manifest_file.read_text(), project_dir=project_dir, cache_dir=cache_dir)

    @classmethod
    def from_manifest_json(
        cls, manifest_json: str, *, project_dir: Path, cache_dir: Path | None = None
    ) -> SemanticProject:
        try:
            raw = json.loads(manifest_json)
            _strip_database(raw)
        except ValueError as exc:
            raise SemanticProjectError(f"invalid semantic manifest for {project_dir}: {exc}") from exc
        normalised = json.dumps(raw, sort_keys=True)
        cache = ProjectCache.open(cache_dir, normalised) if cache_dir is not None else None
        project = cls(project_dir, normalised, cache=cache)
        if cache is None or cache.read_bytes(_MANIFEST_ENTRY) is None:
            project.manifest  # noqa: B018 -- parse now: an unusable manifest fails at load
        return project

    @cached_property
    def manifest(self) -> PydanticSemanticManifest:
        """MetricFlow's parsed manifest: unpickled from the cache when this manifest was parsed
        before (a pickle of our own cache directory, written by this code), else parsed."""
        if self.cache is not None:
            stored = self.cache.read_bytes(_MANIFEST_ENTRY)
            if stored is not None:
                try:
                    return cast("PydanticSemanticManifest", pickle.loads(stored))
                except Exception as exc:  # an entry from a broken write or another library version
                    log.debug("ignoring the cached manifest of %s: %s", self.project_dir, exc)
        manifest = self._parse()
        if self.cache is not None:
            self.cache.write_bytes(_MANIFEST_ENTRY, pickle.dumps(manifest))
        return manifest

    def _parse(self) -> PydanticSemanticManifest:
        from metricflow_semantics.model.dbt_manifest_parser import (
            parse_manifest_from_dbt_generated_manifest,
        )

        try:
            manifest = parse_manifest_from_dbt_generated_manifest(self.manifest_json)
        except Exception as exc:  # MetricFlow raises many kinds; all mean "this manifest is unusable"
            raise SemanticProjectError(f"invalid semantic manifest for {self.project_dir}: {exc}") from exc
        if not manifest.metrics:
            raise SemanticProjectError(f"the dbt project {self.project_dir} defines no metrics")
        return manifest

    @cached_property
    def lookup(self) -> SemanticManifestLookup:
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        try:
            return SemanticManifestLookup(self.manifest)
        except Exception as exc:
            raise SemanticProjectError(f"invalid semantic manifest for {self.project_dir}: {exc}") from exc

    def engine(self, dialect: str) -> MetricFlowEngine:
        """The MetricFlow engine that renders `dialect` (built on first use, then reused)."""
        client = _sql_client(dialect)  # raises UnsupportedDialectError for anything but DIALECTS
        lookup = self.lookup
        with self._lock:
            engine = self._engines.get(dialect)
            if engine is None:
                from metricflow.engine.metricflow_engine import MetricFlowEngine
                from metricflow.protocols.sql_client import SqlClient

                # Compiling needs only the two members of SqlClient that _RenderOnlySqlClient has.
                engine = MetricFlowEngine(lookup, cast(SqlClient, client))
                self._engines[dialect] = engine
            return engine

    def cached_sql(self, key: Hashable, build: Callable[[], str]) -> str:
        """SQL compiled before for the same key (query, dialect), else `build()` and remember it.

        Compiling takes 5–20 ms (and a cold process first imports MetricFlow); planners, digests
        and retries ask the same query again and again. The manifest never changes under a loaded
        project, so entries never go stale. In memory the cache is bounded (least recently used
        entries go first); on disk (`ProjectCache`) it is keyed by the key's `repr`, which names
        every value with its type (a date filter and a string filter never share an entry).
        """
        with self._lock:
            if key in self._sql_cache:
                self._sql_cache.move_to_end(key)
                return self._sql_cache[key]
        key_text = repr(key)
        sql = self.cache.read_sql(key_text) if self.cache is not None else None
        if sql is None:
            sql = build()
            if self.cache is not None:
                self.cache.write_sql(key_text, sql)
        with self._lock:
            self._sql_cache[key] = sql
            while len(self._sql_cache) > _SQL_CACHE_SIZE:
                self._sql_cache.popitem(last=False)
        return sql

    def cached_json(self, name: str, build: Callable[[], Any]) -> Any:
        """A JSON value derived from the manifest alone (the catalog, the relations), from the disk
        cache when there, else `build()` and kept there."""
        if self.cache is not None:
            stored = self.cache.read_text(name)
            if stored is not None:
                try:
                    return json.loads(stored)
                except ValueError:
                    pass
        value = build()
        if self.cache is not None:
            self.cache.write_text(name, json.dumps(value))
        return value

    @cached_property
    def _relation_lists(self) -> dict[str, list[list[str]]]:
        def build() -> dict[str, list[list[str]]]:
            manifest = self.manifest
            models = {(m.node_relation.schema_name, m.node_relation.alias) for m in manifest.semantic_models}
            spines = [
                (s.node_relation.schema_name, s.node_relation.alias)
                for s in manifest.project_configuration.time_spines
            ]
            return {
                "relations": [list(r) for r in sorted(models | set(spines))],
                "time_spines": [list(r) for r in spines],
            }

        return cast(dict[str, list[list[str]]], self.cached_json("relations.json", build))

    def relations(self) -> tuple[tuple[str, str], ...]:
        """(schema, table) of every relation the compiled SQL may read, time spines included."""
        return tuple((s, t) for s, t in self._relation_lists["relations"])

    def time_spine_relations(self) -> tuple[tuple[str, str], ...]:
        return tuple((s, t) for s, t in self._relation_lists["time_spines"])


_MANIFEST_ENTRY = "manifest.pickle"
