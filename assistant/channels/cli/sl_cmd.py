"""`mercurios sl ...`: list, compile and run metric queries against the configured dbt project.

Thin over `semantic_layer`: the project comes from `MERCURIOS_DBT_PROJECT_DIR` (its `target/`, or
`DBT_TARGET_PATH` as dbt itself reads it), the warehouse and tenancy from the same settings the
service uses. `compile` prints MetricFlow's SQL and the guarded SQL; `query` also runs it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
from enum import StrEnum
from pathlib import Path

import typer

from assistant.channels.cli.tenant_option import TENANT_HELP, resolve_tenant
from assistant.runtime.settings import Settings, get_settings
from guardrails.guard_policy import Dialect
from semantic_layer.catalog import Catalog, project_catalog
from semantic_layer.comparisons import compile_comparison, compile_share
from semantic_layer.compiler import CompiledQuery, compile_query
from semantic_layer.facade import ExecutedQuery, SemanticLayer
from semantic_layer.filter_parser import parse_filters
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import SqlGuard
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange
from semantic_layer.warehouses import warehouse_from_settings

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _sl() -> None:
    """Semantic layer: list, compile and run metric queries."""


class DialectOption(StrEnum):
    duckdb = "duckdb"
    snowflake = "snowflake"


class CompareOption(StrEnum):
    previous_period = "previous_period"
    same_period_last_year = "same_period_last_year"


def _project(settings: Settings) -> SemanticProject:
    target = os.environ.get("DBT_TARGET_PATH")
    return SemanticProject.load(
        settings.dbt_project_dir,
        target_path=Path(target) if target else settings.dbt_target_path,
        cache_dir=settings.resolved_cache_dir / "semantic",
    )


def _guard(project: SemanticProject, settings: Settings, dialect: Dialect) -> SqlGuard:
    policy = policy_for_project(
        project,
        dialect=dialect,
        tenant_column=settings.tenancy.tenant_column,
        tenant_neutral=settings.tenancy.tenant_neutral_relations,
        single_tenant=settings.tenancy.single_tenant,
        max_rows=settings.row_cap,
    )
    return policy_guard(policy)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _semantic_query(
    metrics: str,
    group_by: str | None,
    where: list[str] | None,
    start: str | None,
    end: str | None,
    grain: Grain,
    order_by: str | None,
    limit: int | None,
) -> SemanticQuery:
    filters: tuple[Filter, ...] = tuple(f for text in where or [] for f in parse_filters(text))
    orders = tuple(OrderBy(name=o.lstrip("-"), descending=o.startswith("-")) for o in _split(order_by))
    return SemanticQuery(
        metrics=_split(metrics),
        group_by=_split(group_by),
        time_grain=grain,
        filters=filters,
        time_range=TimeRange(
            start=dt.date.fromisoformat(start) if start else None,
            end=dt.date.fromisoformat(end) if end else None,
        ),
        order_by=orders,
        limit=limit,
    )


def _compile(
    project: SemanticProject,
    catalog: Catalog,
    query: SemanticQuery,
    dialect: str,
    compare: CompareOption | None,
    share: bool,
) -> CompiledQuery:
    if compare is not None:
        return compile_comparison(project, catalog, query, compare.value, dialect)
    if share:
        return compile_share(project, catalog, query, dialect)
    return compile_query(project, catalog, query, dialect)


_METRICS = typer.Option(..., "--metrics", help="Comma-separated metric names.")
_GROUP_BY = typer.Option(
    None, "--group-by", help="Comma-separated dimensions, e.g. metric_time__month,account__country."
)
_WHERE = typer.Option(
    None, "--where", help="A filter such as \"account__country = 'DE'\" (repeatable, AND-ed)."
)
_START = typer.Option(None, "--start", help="First date (inclusive), YYYY-MM-DD.")
_END = typer.Option(None, "--end", help="Last date (inclusive), YYYY-MM-DD.")
_GRAIN = typer.Option(Grain.DAY, "--grain", help="Grain of a bare metric_time.")
_ORDER = typer.Option(None, "--order-by", help="Comma-separated outputs; prefix '-' for descending.")
_LIMIT = typer.Option(None, "--limit", min=1)
_COMPARE = typer.Option(None, "--compare", help="Add the comparison period's values and changes.")
_SHARE = typer.Option(False, "--share", help="Add each row's share of the total.")
_JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("list-metrics")
def list_metrics(as_json: bool = _JSON) -> None:
    """List the metrics of the configured dbt project."""
    catalog = project_catalog(_project(get_settings()))
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in catalog.metrics], indent=2))
        return
    for m in catalog.metrics:
        synonyms = f"  (also: {', '.join(m.synonyms)})" if m.synonyms else ""
        typer.echo(f"{m.name:<28} {m.label}{synonyms}")


@app.command("list-dimensions")
def list_dimensions(
    metric: str | None = typer.Option(
        None, "--metric", help="Only dimensions this metric can be broken down by."
    ),
    as_json: bool = _JSON,
) -> None:
    """List dimensions (all, or those reachable from one metric)."""
    catalog = project_catalog(_project(get_settings()))
    dims = catalog.dimensions
    if metric is not None:
        info = catalog.metric(metric)
        if info is None:
            from semantic_layer.validation import validate

            validate(SemanticQuery(metrics=(metric,)), catalog)  # raises with suggestions
            return
        dims = tuple(d for d in dims if d.name in info.dimensions)
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json") for d in dims], indent=2))
        return
    for d in dims:
        typer.echo(f"{d.name:<40} {d.type:<12} {d.label}")


@app.command("compile")
def compile_cmd(
    tenant: str | None = typer.Option(None, "--tenant", "-t", help=TENANT_HELP),
    metrics: str = _METRICS,
    group_by: str | None = _GROUP_BY,
    where: list[str] | None = _WHERE,
    start: str | None = _START,
    end: str | None = _END,
    grain: Grain = _GRAIN,
    order_by: str | None = _ORDER,
    limit: int | None = _LIMIT,
    compare: CompareOption | None = _COMPARE,
    share: bool = _SHARE,
    dialect: DialectOption = typer.Option(DialectOption.duckdb, "--dialect"),
) -> None:
    """Print the SQL MetricFlow compiles and the SQL the guard makes of it for the tenant."""
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    project = _project(settings)
    query = _semantic_query(metrics, group_by, where, start, end, grain, order_by, limit)
    compiled = _compile(project, project_catalog(project), query, dialect.value, compare, share)
    guarded = _guard(project, settings, "snowflake" if dialect is DialectOption.snowflake else "duckdb")(
        compiled.sql, tenant_id=tenant
    )
    typer.echo(f"-- compiled ({compiled.dialect}, {compiled.elapsed_ms:.1f} ms)\n{compiled.sql}\n")
    typer.echo(f"-- guarded for tenant {tenant}\n{guarded.sql}")


@app.command("query")
def query_cmd(
    tenant: str | None = typer.Option(None, "--tenant", "-t", help=TENANT_HELP),
    metrics: str = _METRICS,
    group_by: str | None = _GROUP_BY,
    where: list[str] | None = _WHERE,
    start: str | None = _START,
    end: str | None = _END,
    grain: Grain = _GRAIN,
    order_by: str | None = _ORDER,
    limit: int | None = _LIMIT,
    compare: CompareOption | None = _COMPARE,
    share: bool = _SHARE,
    as_json: bool = _JSON,
) -> None:
    """Compile, guard and run a metric query on the configured warehouse; print a table or JSON."""
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    project = _project(settings)
    warehouse = warehouse_from_settings(settings)
    dialect: Dialect = "snowflake" if warehouse.dialect == "snowflake" else "duckdb"
    layer = SemanticLayer(
        project,
        warehouse,
        _guard(project, settings, dialect),
        timeout_s=settings.query_timeout_s,
        row_cap=settings.row_cap,
    )
    query = _semantic_query(metrics, group_by, where, start, end, grain, order_by, limit)
    executed = layer.execute_compiled(
        _compile(project, layer.catalog, query, dialect, compare, share), tenant
    )
    if as_json:
        typer.echo(_as_json(executed))
    else:
        _print_table(executed)


def _as_json(executed: ExecutedQuery) -> str:
    result = executed.result
    return json.dumps(
        {
            "sql": executed.guarded_sql,
            "compiled_sql": executed.compiled.sql,
            "columns": [{"name": c.name, "type": c.type} for c in result.columns],
            "rows": [list(r) for r in result.rows],
            "truncated": result.truncated,
            "timings_ms": {"compile": executed.compiled.elapsed_ms, "execute": result.elapsed_ms},
        },
        default=_json_value,
    )


def _json_value(value: object) -> object:
    """Decimals as numbers (amounts), dates and times as ISO strings."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _print_table(executed: ExecutedQuery) -> None:
    from rich.console import Console
    from rich.table import Table

    result = executed.result
    table = Table(*result.column_names)
    for row in result.rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console = Console()
    console.print(table)
    note = " (truncated)" if result.truncated else ""
    console.print(f"{len(result.rows)} rows{note} in {result.elapsed_ms:.0f} ms")
