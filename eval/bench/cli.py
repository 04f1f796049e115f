"""`mercurios bench ...`: performance figures, printed for the README and reviews, never asserted.

`bench build` builds warehouses at given scales and prints build time and mart sizes; `bench ask`
times offline answers end to end by stage; `bench sl` times the semantic layer on an existing
warehouse (see `eval.bench.semantic_layer`): compile and guard per query, and the guarded SQL's
execution against the raw compiled SQL.
"""

from __future__ import annotations

import dataclasses
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
        format_report(
            run_benchmark(layer, tenant_id, repeat=repeat, tenant_column=settings.tenancy.tenant_column)
        )
    )


@app.command("ask")
def ask(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant to ask as.")] = "nordwind-fashion",
    as_of: Annotated[str, typer.Option("--as-of", help="The date treated as today.")] = "2026-10-31",
    repeat: Annotated[int, typer.Option("--repeat", min=1, help="Rounds over the question set.")] = 3,
    scale: Annotated[
        list[float] | None,
        typer.Option(
            "--scale",
            min=0.001,
            help="Demo warehouse scale (repeatable; built into <data dir>/bench/scale-S once if missing). "
            "Scale 1 is always measured beside any other. Default: the configured warehouse.",
        ),
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, help="DuckDB threads (MERCURIOS_DUCKDB_THREADS).")
    ] = None,
) -> None:
    """Offline `ask` end to end: median/p95 per stage and where the time goes, beside DuckDB's own time
    for the SQL it ran (targets at scale 1: 50 / 150 / 20 ms; at scale 10: median 80, p95 250 ms)."""
    from assistant.runtime.services import build_engine
    from assistant.runtime.warehouse_build import parse_end_date
    from eval.bench.ask import ScaledAsk, duckdb_floor, format_ask_benchmark, format_scaled, run_ask_benchmark
    from eval.cli import _bench_warehouse

    settings = get_settings()
    if threads is not None:
        settings = settings.updated(duckdb={"threads": threads})
    day = parse_end_date(as_of)
    if not scale:
        engine = build_engine(settings)
        engine.tenants.get(tenant)
        result = run_ask_benchmark(engine, tenant, as_of=day, repeat=repeat)
        floor = duckdb_floor(settings.resolved_duckdb_path, result, repeat=repeat)
        typer.echo(format_ask_benchmark(result))
        typer.echo(format_scaled([ScaledAsk("configured", result, floor)]))
        return
    runs = []
    for s in sorted({1.0, *scale}):
        scaled, target = _bench_warehouse(settings, s)
        engine = build_engine(scaled, dbt_target_path=target)
        engine.tenants.get(tenant)
        result = run_ask_benchmark(engine, tenant, as_of=day, repeat=repeat)
        floor = duckdb_floor(scaled.resolved_duckdb_path, result, repeat=repeat)
        runs.append(ScaledAsk(f"scale {s:g}", result, floor))
        engine.sl.warehouse.close()  # type: ignore[attr-defined]
    typer.echo(f"ask (offline planner), {tenant} as of {day}, {len(runs[0].result.question_median_ms)} "
               f"questions × {repeat}" + (f", DuckDB threads {threads}" if threads else ""))  # fmt: skip
    typer.echo(format_scaled(runs))


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
        report = dataclasses.replace(report, startup=server.startup)
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


@app.command("digest-detectors")
def digest_detectors(
    seed: Annotated[
        int, typer.Option("--seed", help="Seeds the events and the histories. Default: held out (unseen).")
    ] = 4_270_917,
    scale: Annotated[
        float, typer.Option("--scale", min=0.01, max=2.0, help="Demo scale of the histories.")
    ] = 0.3,
    weeks: Annotated[int, typer.Option("--weeks", min=4, max=104, help="Weekly digests per tenant.")] = 52,
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", help="Only these demo tenants (repeatable). Default: all.")
    ] = None,
    end_date: Annotated[str, typer.Option("--end-date", help="Last day of the histories.")] = "2026-10-31",
    workdir: Annotated[Path, typer.Option("--workdir", help="Where the warehouse is built.")] = Path(
        "var/bench/digest-detectors"
    ),
    verbose: Annotated[bool, typer.Option("--verbose", help="A line per digest while it runs.")] = False,
) -> None:
    """Plant random events (closures, spikes, outages, stock-outs, price and discount changes) into
    fresh histories and run a year of weekly digests: recall, false alarms per digest, rank."""
    from assistant.runtime.warehouse_build import parse_end_date
    from eval.bench.digest_detectors import format_result, run_benchmark

    result = run_benchmark(
        seed=seed,
        scale=scale,
        weeks=weeks,
        tenants=tenant,
        end=parse_end_date(end_date),
        workdir=workdir,
        dbt_project_dir=get_settings().dbt_project_dir,
        progress=verbose,
    )
    typer.echo(format_result(result))


@app.command("digest-screenshots")
def digest_screenshots(
    tenant: Annotated[str, typer.Option("--tenant", help="Whose digest.")] = "nordwind-fashion",
    as_of: Annotated[str, typer.Option("--as-of", help="The date treated as today.")] = "2026-10-31",
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Where the PNGs go.")] = Path(
        "var/bench/digest-screenshots"
    ),
) -> None:
    """The digest email in Chromium at 600 px and 375 px, light and dark: screenshots to look at,
    and per shot horizontal overflow, findings not visible, broken images, images without alt text."""
    from assistant.channels.digests.render import render_digest
    from assistant.channels.digests.unsubscribe import PREVIEW_UNSUBSCRIBE_PATH
    from assistant.core.insights.report import build_report
    from assistant.runtime.app_services import widget_secret
    from assistant.runtime.ask_links import AskLinks
    from assistant.runtime.warehouse_build import parse_end_date
    from eval.bench.digest_screenshots import chromium, format_shots, shoot

    settings = get_settings()
    target = os.environ.get("DBT_TARGET_PATH")
    layer = build_semantic_layer(
        settings, dbt_target_path=Path(target) if target else settings.dbt_target_path
    )
    report = build_report(layer, WarehouseTenantDirectory(layer.warehouse).get(tenant), parse_end_date(as_of))
    base = settings.public_base_url.rstrip("/")
    digest = render_digest(
        report,
        ask_link=AskLinks(base, widget_secret(settings)),
        unsubscribe_url=f"{base}{PREVIEW_UNSUBSCRIBE_PATH}",
    )
    with chromium() as browser:
        shots = shoot(browser, digest, out_dir, stem=f"digest-{tenant}-{as_of}")
    typer.echo(format_shots(shots))


@app.command("fairness")
def fairness(
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes of the spawned server.")
    ] = 2,
    seconds: Annotated[float, typer.Option("--seconds", min=1, help="Duration of each phase.")] = 20.0,
    flood_clients: Annotated[
        int, typer.Option("--flood-clients", min=1, help="Tenant A's clients in flight during the flood.")
    ] = 16,
    b_rate: Annotated[
        float, typer.Option("--b-rate", min=0.1, help="Tenant B's questions per second.")
    ] = 4.0,
) -> None:
    """Tenant A floods GraphQL and /v1/query, tenant B asks steadily: B's p95 quiet vs under the flood
    (target <= 3x) and /healthz p99 (target <= 100 ms), on a spawned loopback server (printed)."""
    from eval.bench.fairness import format_fairness_report, run_fairness_benchmark

    report = run_fairness_benchmark(
        get_settings(), workers=workers, seconds=seconds, flood_clients=flood_clients, b_rate=b_rate
    )
    typer.echo(format_fairness_report(report))
