"""`mercurios bench ...`: performance figures, printed for the README and reviews, never asserted.

`bench build` builds warehouses at given scales and prints build time and mart sizes; `bench ask`
times offline answers end to end by stage; `bench sl` times the semantic layer on an existing
warehouse (see `eval.bench.semantic_layer`): compile and guard per query, and the guarded SQL's
execution against the raw compiled SQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from assistant.channels.cli import build_cmd
from assistant.core.tenants import UnknownTenantError, WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings, get_settings
from eval.bench.semantic_layer import format_report, run_benchmark

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _bench() -> None:
    """Performance figures (printed, not asserted)."""


@app.command("sl")
def sl(
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="DuckDB file to run on. Default: MERCURIOS_DUCKDB_PATH."),
    ] = None,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Tenant to scope the queries to. Default: the first one.")
    ] = None,
    repeat: Annotated[int, typer.Option("--repeat", min=1, help="Timed runs per query and stage.")] = 20,
) -> None:
    """Compile + guard time per query (target <= 15 ms median) and guarded vs raw execution (<= 1.1x)."""
    settings = get_settings()
    if warehouse is not None:
        settings = settings.model_copy(update={"duckdb_path": warehouse})
    target = os.environ.get("DBT_TARGET_PATH")
    layer = build_semantic_layer(
        settings, dbt_target_path=Path(target) if target else settings.dbt_target_path
    )
    directory = WarehouseTenantDirectory(layer.warehouse)
    tenant_id = tenant or min(directory.all(), default=None)
    if tenant_id is None:
        raise UnknownTenantError("the warehouse has no tenants to benchmark")
    directory.get(tenant_id)  # an unknown tenant is a clear error, not a table of empty results
    typer.echo(
        format_report(run_benchmark(layer, tenant_id, repeat=repeat, tenant_column=settings.tenant_column))
    )


@app.command("ask")
def ask(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant to ask as.")] = "nordwind-fashion",
    as_of: Annotated[str, typer.Option("--as-of", help="The date treated as today.")] = "2026-10-31",
    repeat: Annotated[int, typer.Option("--repeat", min=1, help="Rounds over the question set.")] = 3,
) -> None:
    """Offline `ask` end to end: median/p95 and where the time goes (targets 50 / 150 / 20 ms)."""
    from assistant.runtime.services import build_engine
    from assistant.runtime.warehouse_build import parse_end_date
    from eval.bench.ask import format_ask_benchmark, run_ask_benchmark

    engine = build_engine(get_settings())
    engine.tenants.get(tenant)
    result = run_ask_benchmark(engine, tenant, as_of=parse_end_date(as_of), repeat=repeat)
    typer.echo(format_ask_benchmark(result))


app.command("build")(build_cmd.bench)


def api_load_report(
    *,
    spawn: bool,
    settings: Settings | None = None,
    url: str | None = None,
    key: str | None = None,
    pid: int | None = None,
    workers: int = 2,
    seconds: float = 10.0,
    concurrency: int = 8,
) -> str:
    """The API load benchmark's printed report (shared by `bench api` and `eval bench --api`)."""
    from eval.bench.api_load import (
        BenchmarkTargetError,
        Target,
        format_load_report,
        run_load_benchmark,
        spawn_server,
    )

    if spawn == (url is not None):
        raise BenchmarkTargetError("give either --spawn or --url with --key")
    if spawn:
        server = spawn_server(settings or get_settings(), workers=workers)
        try:
            report = run_load_benchmark(server.target, seconds=seconds, concurrency=concurrency)
        finally:
            server.stop()
    else:
        if key is None:
            raise BenchmarkTargetError("--url needs --key (an analyst API key of that server)")
        assert url is not None
        report = run_load_benchmark(Target(url, key, pid), seconds=seconds, concurrency=concurrency)
    return format_load_report(report)


@app.command("api")
def api(
    url: Annotated[
        str | None, typer.Option("--url", help="A running server on loopback (with --key).")
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="An analyst API key of that server.")] = None,
    pid: Annotated[
        int | None,
        typer.Option("--pid", help="The server's pid (its workers' RSS is read under it; with --url)."),
    ] = None,
    spawn: Annotated[
        bool, typer.Option("--spawn", help="Start the server as a separate process on a free loopback port.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes of the spawned server.")
    ] = 2,
    seconds: Annotated[float, typer.Option("--seconds", min=0.5, help="Duration of each phase.")] = 10.0,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Requests in flight.")] = 8,
) -> None:
    """HTTP load on /v1/ask: cached and uncached req/s and p50/p95, worker RSS (printed, not asserted)."""
    typer.echo(
        api_load_report(
            spawn=spawn,
            url=url,
            key=key,
            pid=pid,
            workers=workers,
            seconds=seconds,
            concurrency=concurrency,
        )
    )
