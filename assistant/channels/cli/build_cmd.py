"""`mercurios build`, `mercurios demo` and `mercurios bench`: the embedded warehouse end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from assistant.core.clock import clock_for
from assistant.runtime.settings import Settings, get_settings
from assistant.runtime.warehouse_build import (
    BuildReport,
    RawLanding,
    build_warehouse,
    default_demo_end_date,
    parse_end_date,
    stale_demo_reason,
)
from ingestion.demo import generate_demo

EndDate = Annotated[
    str | None,
    typer.Option(
        "--end-date",
        help="Last day of demo history (YYYY-MM-DD). Default: yesterday in the demo tenants' timezone.",
        show_default=False,
    ),
]
Scale = Annotated[float, typer.Option("--scale", help="1.0 is ~1M sales lines; tests use 0.02.")]
Tenants = Annotated[
    list[str] | None, typer.Option("--tenant", help="Only these demo tenants (repeatable). Default: all.")
]
WarehousePath = Annotated[
    Path | None, typer.Option("--warehouse", help="DuckDB file to (re)build. Default: MERCURIOS_DUCKDB_PATH.")
]


def _print_report(report: BuildReport) -> None:
    typer.echo(f"Built {report.path} ({report.file_size_bytes / 1e6:.1f} MB) in {report.total_s:.1f} s")
    typer.echo(f"  generate {report.generate_s:.1f} s, dbt build {report.dbt_s:.1f} s")
    typer.echo(f"  tenants: {', '.join(report.tenants)}; history ends {report.end_date.isoformat()}")
    for mart in report.marts:
        typer.echo(f"  marts.{mart.table:<26} {mart.rows:>10,} rows")


def resolve_end_date(settings: Settings, given: str | None, tenants: list[str] | None = None) -> date:
    """The given end date, or yesterday by the settings' clock (MERCURIOS_TODAY pins it)."""
    if given is not None:
        return parse_end_date(given)
    return default_demo_end_date(clock_for(settings.today), tenants)


def build(
    end_date: EndDate = None,
    scale: Scale = 1.0,
    tenant: Tenants = None,
    warehouse: WarehousePath = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
) -> None:
    """Generate the three demo retailers and build the warehouse with dbt (atomic swap on success)."""
    settings = get_settings()
    report = build_warehouse(
        warehouse or settings.resolved_duckdb_path,
        end_date=resolve_end_date(settings, end_date, tenant),
        scale=scale,
        tenants=tenant or None,
        dbt_project_dir=settings.dbt_project_dir,
        dbt_target_path=settings.dbt_target_path,
    )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "path": str(report.path),
                    "end_date": report.end_date.isoformat(),
                    "scale": report.scale,
                    "tenants": list(report.tenants),
                    "seconds": {"generate": report.generate_s, "dbt": report.dbt_s, "total": report.total_s},
                    "marts": {m.table: {"rows": m.rows, "checksum": m.checksum} for m in report.marts},
                },
                indent=2,
            )
        )
    else:
        _print_report(report)


def demo(
    end_date: EndDate = None,
    scale: Scale = 1.0,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild even if the warehouse exists.")] = False,
    via_api: Annotated[
        bool,
        typer.Option(
            "--via-api", help="Land the data through the ProHandel connector and its simulator (with faults)."
        ),
    ] = False,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="End by serving the API on http://127.0.0.1:8000.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for --serve.")] = 8000,
) -> None:
    """Build the demo warehouse (once), show what it holds and answers, then serve the API.

    Without --end-date the data ends yesterday and is rebuilt when an older build has fallen behind,
    so the sample questions, the demo page and the printed curl example answer on any day. With
    --end-date the day after it never comes: "today" is pinned to that date for the whole demo."""
    settings = get_settings()
    if end_date is not None:
        settings = settings.model_copy(update={"today": parse_end_date(end_date)})
    wanted_end = resolve_end_date(settings, end_date)
    path = settings.resolved_duckdb_path
    stale = (
        None
        if rebuild or via_api or not path.exists()
        else stale_demo_reason(path, wanted_end, pinned=end_date is not None)
    )
    if stale is not None:
        typer.echo(stale)
    if rebuild or via_api or not path.exists() or stale is not None:
        land: RawLanding = generate_demo
        if via_api:
            from ingestion.prohandel.demo_via_api import land_demo_via_api

            land = land_demo_via_api
            typer.echo("Landing the demo data through the ProHandel simulator and the real connector…")
        report = build_warehouse(
            path,
            end_date=wanted_end,
            scale=scale,
            dbt_project_dir=settings.dbt_project_dir,
            dbt_target_path=settings.dbt_target_path,
            land=land,
        )
        _print_report(report)
    else:
        typer.echo(f"Using the existing warehouse {path} (pass --rebuild to build it again).")
    _print_demo_overview(path)
    _index_demo(settings)
    _print_sample_answers(settings, pinned=end_date is not None)
    if serve:
        _serve_demo(settings, port)


def _index_demo(settings: Settings) -> None:
    """Index the demo tenants' values and business documents, so that the demo answers values named
    in other words ('trainers', 'Munich') and document questions. Incremental: a re-run with an
    unchanged warehouse embeds nothing."""
    from assistant.channels.cli.index_cmd import index_all

    report = index_all(settings)
    added = sum(s.sync.added + s.sync.updated for s in report.steps)
    typer.echo(f"\nRetrieval index: {sum(s.items for s in report.steps)} records ({added} new or changed).")


def _serve_demo(settings: Settings, port: int) -> None:
    """Seed the demo tenants into the app database, mint one analyst key, and serve until Ctrl-C."""
    from assistant.channels.cli.serve_cmd import serve_api
    from assistant.core.tenants import WarehouseTenantDirectory
    from assistant.runtime.persistence.database import Database
    from assistant.runtime.persistence.key_store import KeyRepository
    from assistant.runtime.persistence.tenant_store import TenantRepository
    from assistant.runtime.services import build_semantic_layer

    db = Database(settings.resolved_database_url)
    db.migrate()
    directory = WarehouseTenantDirectory(build_semantic_layer(settings).warehouse)
    TenantRepository(db).seed_from_directory(directory.all())
    key = KeyRepository(db).create("nordwind-fashion", "analyst", "demo").token
    typer.echo(
        f"\nThe chat widget demo: http://127.0.0.1:{port}/demo\n"
        f"Serving the API on http://127.0.0.1:{port} (docs: /docs). A demo key for nordwind-fashion:\n"
        f"  curl -s -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' "
        f'-d \'{{"question": "net sales by store last month"}}\' http://127.0.0.1:{port}/v1/ask\n'
        "Ctrl-C stops it.",
    )
    # the /demo host page is on for this app only: a copy of the settings, never the environment
    serve_api(settings.updated(api={"demo_page": True}), port=port, seed_demo=False)


SAMPLE_QUESTIONS = (
    ("nordwind-fashion", "net sales by store last month"),
    ("nordwind-fashion", "which categories lost margin vs last year?"),
    ("alpin-sport", "top 3 products by units sold last week"),
    ("casa-living", "what share of sales is online?"),
)


def _print_sample_answers(settings: Settings, *, pinned: bool) -> None:
    """A few questions answered offline, so the demo shows the assistant, not just the data. They
    are asked as of today by the settings' clock, as the served API and the demo page ask them."""
    from assistant.core.context import RequestContext
    from assistant.core.events import collect
    from assistant.runtime.services import build_engine

    engine = build_engine(settings)
    clock = clock_for(settings.today)
    days = {t: clock.today(engine.tenants.get(t).timezone) for t, _ in SAMPLE_QUESTIONS}
    shown = ", ".join(sorted({d.isoformat() for d in days.values()}))
    typer.echo(f"\nAsking the offline assistant (as of {shown}):")
    for tenant, question in SAMPLE_QUESTIONS:
        profile = engine.tenants.get(tenant)
        as_of = days[tenant]
        ctx = RequestContext(
            tenant_id=tenant,
            as_of=as_of,
            locale=profile.locale,
            timezone=profile.timezone,
            currency=profile.currency,
        )
        result = collect(list(engine.ask(question, ctx)), tenant=tenant, question=question, as_of=as_of)
        typer.echo(f"\n  [{tenant}] {question}\n  → {result['answer']}")
    as_of_option = f" --as-of {days['nordwind-fashion']}" if pinned else ""
    typer.echo(
        '\nAsk your own: .venv/bin/mercurios ask "net sales in Hamburg last week" --tenant nordwind-fashion'
        f"{as_of_option} --explain   (or: .venv/bin/mercurios chat --tenant alpin-sport{as_of_option})"
    )


def _print_demo_overview(path: Path) -> None:
    """One line per tenant; its total formatted in the tenant's locale and currency, as answers are."""
    import duckdb

    from assistant.core.answering.formatting import format_value

    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            """
            SELECT t.tenant_id, t.tenant_name, t.currency, t.locale,
                   (SELECT count(*) FROM marts.dim_stores s WHERE s.tenant_id = t.tenant_id) AS stores,
                   v.first_data_date, v.last_data_date,
                   (SELECT sum(net_amount) FROM marts.fct_sales f WHERE f.tenant_id = t.tenant_id)
            FROM mercurios_meta.tenants t JOIN mercurios_meta.data_versions v USING (tenant_id)
            ORDER BY t.tenant_id
            """
        ).fetchall()
    typer.echo("\nTenants in the demo warehouse:")
    for tenant_id, name, currency, locale, stores, first, last, net in rows:
        typer.echo(
            f"  {tenant_id:<18} {name:<18} {stores:>3} stores  {first} … {last}  "
            f"net sales {format_value(net, 'currency', locale=locale, currency=currency)}"
        )


def bench(
    scale: Annotated[
        list[float] | None, typer.Option("--scale", help="Scales to build (repeatable). Default: 1.")
    ] = None,
    end_date: EndDate = None,
    workdir: Annotated[
        Path, typer.Option("--workdir", help="Where to build the benchmark warehouses.")
    ] = Path("var/bench"),
) -> None:
    """Print build time and mart sizes per scale (figures for the README, not assertions)."""
    settings = get_settings()
    typer.echo("scale | generate s | dbt s | total s | file MB | fct_sales rows | inventory rows")
    for s in scale or [1.0]:
        report = build_warehouse(
            workdir / f"bench-scale-{s:g}.duckdb",
            end_date=resolve_end_date(settings, end_date),
            scale=s,
            dbt_project_dir=settings.dbt_project_dir,
            dbt_target_path=workdir / f"target-{s:g}",
        )
        typer.echo(
            f"{s:>5g} | {report.generate_s:>10.1f} | {report.dbt_s:>5.1f} | {report.total_s:>7.1f} | "
            f"{report.file_size_bytes / 1e6:>7.0f} | {report.mart('fct_sales').rows:>14,} | "
            f"{report.mart('fct_inventory_snapshots').rows:>14,}"
        )
