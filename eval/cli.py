"""`mercurios eval run|gate|compare`: suites against the configured warehouse, gated, compared.

The engine comes from the same settings as `mercurios ask` (what a user runs is what is scored);
the gold SQL runs on the same DuckDB file over its own read-only connection. `--model` swaps in
the LLM planner, `--api URL --key K` asks a running service instead, and `--project/--warehouse/
--questions` evaluates any dbt project with its own question file (bring your own evaluation).
Misses never fail `run` — a score is a measurement — unless `--min-accuracy` asks; per-case
trouble (a failing gold SQL, an unknown tenant, an unreachable API) is reported, and the run
completes. Only a run that cannot start at all (no warehouse, unreadable gates) exits 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.core.engine import Engine
from assistant.runtime.services import build_engine, build_semantic_layer
from assistant.runtime.settings import Settings, get_settings
from eval.answerers import ApiAnswerer, EngineAnswerer
from eval.errors import HarnessError
from eval.gates import GATES_FILE, check, load_gates
from eval.html_report import render_html
from eval.protocols import Answerer
from eval.report import render_text
from eval.retrieval_suite import run_retrieval
from eval.run import RunResult, expand, run_suites
from eval.run_diff import diff_runs, render_diff
from eval.runner import CaseResult, GoldOracle
from eval.suite import SuiteError, load_suite
from guardrails.errors import MercuriosError

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _eval() -> None:
    """Evaluation: golden questions scored by executing gold SQL."""


def _progress(enabled: bool) -> Callable[[str, int], Callable[[CaseResult], None] | None]:
    """A rich progress bar per suite on stderr (stdout stays the report)."""

    def start(suite: str, total: int) -> Callable[[CaseResult], None] | None:
        if not enabled or total == 0:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn(f"{suite:<15}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )  # fmt: skip
        task = bar.add_task(suite, total=total)
        bar.start()
        done = [0]

        def tick(_: CaseResult) -> None:
            bar.advance(task)
            done[0] += 1
            if done[0] >= total:
                bar.stop()

        return tick

    return start


def _keys(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        tenant, sep, key = v.partition("=")
        out[tenant if sep else "*"] = key if sep else v
    return out


def _settings(
    project: Path | None,
    warehouse: Path | None,
    tenant_column: str | None,
    model: str | None,
    target_path: Path | None = None,
) -> Settings:
    settings = get_settings()
    update: dict[str, Any] = {}
    if project is not None:
        update["dbt_project_dir"] = project.resolve()
        update["dbt_target_path"] = (target_path or project / "target").resolve()
    if warehouse is not None:
        update["duckdb_path"] = warehouse.resolve()
    if tenant_column is not None:
        update["tenancy"] = {"tenant_column": tenant_column}
    if model is not None:
        update["llm"] = {"model": model}
    return settings.updated(**update) if update else settings


def _single_tenant_questions(questions: Path) -> bool:
    """A question file whose cases all say `tenant_column: null` is about a single-tenant project:
    its gold SQL has no tenant to filter, and the project runs in single-tenant mode (never a
    multi-tenant guard looking for a column the project does not have)."""
    try:
        cases = load_suite(str(questions), strict=False).cases
    except SuiteError:
        return False  # reported by the run itself
    return bool(cases) and all(c.tenant_column is None for c in cases)


def _engine(settings: Settings, byo: bool, oracle: GoldOracle) -> Engine:
    if not byo or settings.tenancy.single_tenant:
        # a single-tenant project has the product's own one-tenant directory, as `mercurios ask` has
        return build_engine(settings)
    from eval.byo import ProjectTenants

    sl = build_semantic_layer(settings)
    return build_engine(
        settings, semantic_layer=sl, tenants=ProjectTenants(oracle, settings.tenancy.tenant_column)
    )


def execute_run(
    suites: list[str],
    *,
    settings: Settings,
    answerer_for: Callable[[GoldOracle], Answerer],
    filter_: str | None = None,
    limit: int | None = None,
    workers: int = 1,
    progress: bool = False,
    with_retrieval: bool = True,
) -> RunResult:
    if settings.warehouse != "duckdb":
        raise HarnessError("the eval oracle runs gold SQL on the DuckDB warehouse file only")
    oracle = GoldOracle(settings.resolved_duckdb_path, settings.tenancy.tenant_column)
    try:
        answerer = answerer_for(oracle)
        retrieval = (
            (lambda: run_retrieval(settings, build_semantic_layer(settings))) if with_retrieval else None
        )
        return run_suites(
            suites, answerer, oracle, needle=filter_, limit=limit, workers=workers,
            retrieval=retrieval, progress=_progress(progress),
        )  # fmt: skip
    finally:
        oracle.close()


def _emit(run: RunResult, as_json: bool, html: Path | None, json_out: Path | None) -> dict[str, Any]:
    body = run.as_json()
    if json_out is not None:
        json_out.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if html is not None:
        html.write_text(render_html(body), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(body if len(body["suites"]) != 1 else next(iter(body["suites"].values())),
                              ensure_ascii=False, indent=2, default=str))  # fmt: skip
    else:
        for report in run.reports:
            typer.echo(render_text(report) + "\n")
        if run.retrieval is not None:
            typer.echo(f"{run.retrieval.report.render()}\n  ({run.retrieval.index} index)")
        elif run.retrieval_error:
            typer.echo(f"retrieval: not run — {run.retrieval_error}")
        usage = body["usage"]
        if usage.get("prompt_tokens"):
            typer.echo(f"LLM total: {usage['prompt_tokens']:.0f}+{usage['completion_tokens']:.0f} tokens, "
                       f"${usage['cost_usd']:.4f}")  # fmt: skip
        typer.echo(f"elapsed {run.meta['elapsed_s']} s")
    return body


SuiteOpt = Annotated[
    list[str] | None,
    typer.Option("--suite", help="Suite name under eval/suites/, a YAML path, or 'all' (repeatable)."),
]


@app.command("run")
def run(
    suite: SuiteOpt = None,
    filter_: Annotated[
        str | None, typer.Option("--filter", help="Only cases whose id or a tag contains this.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many cases.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write the run's JSON here.")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report.")] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option("--min-accuracy", min=0.0, max=1.0, help="Exit 1 if a suite's score is below this."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Cases asked concurrently.")] = 1,
    model: Annotated[str | None, typer.Option("--model", help="LLM planner: any litellm model.")] = None,
    api: Annotated[str | None, typer.Option("--api", help="Ask a running service at this URL.")] = None,
    key: Annotated[
        list[str] | None, typer.Option("--key", help="API key, or TENANT=KEY per tenant (repeatable).")
    ] = None,
    project: Annotated[Path | None, typer.Option("--project", help="Bring your own dbt project.")] = None,
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="Its DuckDB warehouse file.")] = None,
    questions: Annotated[Path | None, typer.Option("--questions", help="Its question file (YAML).")] = None,
    tenant_column: Annotated[
        str | None, typer.Option("--tenant-column", help="The project's tenant column (default tenant_id).")
    ] = None,
    target_path: Annotated[
        Path | None,
        typer.Option("--target-path", help="The project's dbt target folder (default DIR/target)."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
) -> None:
    """Run suites and report scores, latency, cost and every miss."""
    byo = project is not None or questions is not None
    if byo and (project is None or warehouse is None or questions is None):
        typer.echo("error: bring your own evaluation needs --project, --warehouse and --questions", err=True)
        raise typer.Exit(2)
    names = [str(questions)] if questions is not None else expand(suite or ["retail"])
    settings = _settings(project, warehouse, tenant_column, model, target_path)
    if questions is not None and not settings.tenancy.single_tenant and _single_tenant_questions(questions):
        settings = settings.updated(tenancy={"single_tenant": True})

    def answerer_for(oracle: GoldOracle) -> Answerer:
        if api is not None:
            return ApiAnswerer(api, _keys(key))
        return EngineAnswerer(_engine(settings, byo, oracle), name=f"llm:{model}" if model else "offline")

    try:
        result = execute_run(
            names, settings=settings, answerer_for=answerer_for, filter_=filter_, limit=limit,
            workers=workers, progress=progress and sys.stderr.isatty(),
            with_retrieval=api is None and not byo,
        )  # fmt: skip
    except (HarnessError, MercuriosError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _emit(result, as_json, html, json_out)
    low = [r for r in result.reports if min_accuracy is not None and r.accuracy < min_accuracy]
    if low:
        for r in low:
            typer.echo(
                f"{r.suite}: accuracy {r.accuracy:.1%} is below --min-accuracy {min_accuracy:.1%}", err=True
            )
        raise typer.Exit(1)


@app.command("gate")
def gate(
    gates_file: Annotated[Path, typer.Option("--gates", help="Thresholds (YAML).")] = GATES_FILE,
    from_run: Annotated[
        Path | None, typer.Option("--from", help="Check a saved run's JSON instead of running.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Cases asked concurrently.")] = 1,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML report of the run.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json-out", help="Write the run's JSON.")] = None,
) -> None:
    """Run the gated suites offline and exit 1 if any score is below its threshold."""
    try:
        gates = load_gates(gates_file)
        if from_run is not None:
            body = json.loads(from_run.read_text(encoding="utf-8"))
        else:
            settings = get_settings()
            result = execute_run(
                gates.suite_names, settings=settings, workers=workers, progress=sys.stderr.isatty(),
                answerer_for=lambda oracle: EngineAnswerer(build_engine(settings)),
                with_retrieval=bool(gates.retrieval),
            )  # fmt: skip
            body = _emit(result, False, html, json_out)
    except (HarnessError, MercuriosError, OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    checks = check(gates, body)
    typer.echo("\n".join(c.line() for c in checks))
    if not all(c.ok for c in checks):
        typer.echo("eval gate: FAILED", err=True)
        raise typer.Exit(1)
    typer.echo("eval gate: passed")


@app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run's JSON (--json-out).")],
    run_b: Annotated[Path, typer.Argument(help="The later run's JSON.")],
    fail_if_worse: Annotated[
        bool, typer.Option("--fail-if-worse", help="Exit 1 if anything got worse.")
    ] = False,
) -> None:
    """What got better and what got worse between two runs."""
    from eval.run_diff import got_worse

    try:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (run_a, run_b))
    except (OSError, ValueError) as exc:
        typer.echo(f"error: cannot read runs: {exc}", err=True)
        raise typer.Exit(2) from exc
    diffs = diff_runs(a, b)
    typer.echo(render_diff(diffs))
    if fail_if_worse and got_worse(diffs):
        raise typer.Exit(1)


def _bench_warehouse(settings: Settings, scale: float | None) -> tuple[Settings, Path | None]:
    """The configured warehouse, or (with --scale) var/bench/scale-S, built there once if missing."""
    if scale is None:
        return settings, None
    from assistant.runtime.warehouse_build import build_warehouse, parse_end_date

    folder = settings.data_dir / "bench" / f"scale-{scale:g}"
    path, target = folder / "warehouse.duckdb", folder / "dbt-target"
    if not path.exists():
        typer.echo(f"building a scale-{scale:g} warehouse into {path} (once) …", err=True)
        folder.mkdir(parents=True, exist_ok=True)
        build_warehouse(path, end_date=parse_end_date("2026-10-31"), scale=scale,
                        dbt_project_dir=settings.dbt_project_dir, dbt_target_path=target)  # fmt: skip
    return settings.model_copy(update={"duckdb_path": path.resolve()}), target if target.exists() else None


@app.command("bench")
def bench(
    scale: Annotated[
        float | None,
        typer.Option(
            "--scale", min=0.001, help="Demo warehouse scale (built into var/bench once if missing)."
        ),
    ] = None,
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant to ask as.")] = "nordwind-fashion",
    as_of: Annotated[str, typer.Option("--as-of", help="The date treated as today.")] = "2026-10-31",
    repeat: Annotated[int, typer.Option("--repeat", min=1, help="Timed rounds per figure.")] = 3,
    chunks: Annotated[
        list[int] | None, typer.Option("--chunks", help="Retrieval: chunk counts to index (repeatable).")
    ] = None,
    retrieval: Annotated[
        bool, typer.Option("--retrieval/--no-retrieval", help="Include the retrieval benchmark.")
    ] = True,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, help="Only the first N questions and queries (quick look)."),
    ] = None,
    api: Annotated[
        bool,
        typer.Option(
            "--api/--no-api",
            help="Also load the HTTP API: a server spawned on loopback, load from this process.",
        ),
    ] = False,
    api_workers: Annotated[
        int, typer.Option("--api-workers", min=1, help="Worker processes of that server.")
    ] = 2,
    api_seconds: Annotated[float, typer.Option("--api-seconds", min=0.5, help="Per API phase.")] = 10.0,
) -> None:
    """Every performance figure in one report, each beside the raw DuckDB time of the same SQL."""
    from assistant.runtime.warehouse_build import parse_end_date
    from eval.bench.ask import QUESTIONS
    from eval.bench.report import (
        BenchReport,
        bench_ask_and_cache,
        bench_retrieval,
        bench_semantic_layer,
        render_bench,
    )

    try:
        settings, target = _bench_warehouse(get_settings(), scale)
        if not settings.resolved_duckdb_path.exists():
            raise HarnessError(
                f"no warehouse at {settings.resolved_duckdb_path} (run `mercurios build` first)"
            )
        day = parse_end_date(as_of)
        engine = build_engine(settings, dbt_target_path=target)
        engine.tenants.get(tenant)
        layer = build_semantic_layer(settings, dbt_target_path=target)
        lines = bench_semantic_layer(
            layer,
            tenant,
            as_of=day,
            repeat=repeat,
            tenant_column=settings.tenancy.tenant_column,
            sample=sample,
        )
        lines += bench_ask_and_cache(
            engine, settings.resolved_duckdb_path, tenant, as_of=day, repeat=repeat,
            questions=QUESTIONS[:sample],
        )  # fmt: skip
        if retrieval:
            from assistant.channels.cli.index_cmd import DEMO_DOCUMENTS
            from assistant.runtime.from_settings import retrieval_config
            from eval.bench.retrieval import run_benchmark
            from retrieval.factory import build_embedder

            embedder = build_embedder(retrieval_config(settings))
            workdir = settings.data_dir / "bench" / "retrieval"
            lines += bench_retrieval(
                lambda n: run_benchmark(embedder, workdir, DEMO_DOCUMENTS, chunks=n, values=200, queries=50),
                chunks or [40, 10_000],
            )
    except (HarnessError, MercuriosError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    report = BenchReport(
        warehouse=str(settings.resolved_duckdb_path), scale=scale, tenant=tenant, lines=tuple(lines)
    )
    typer.echo(render_bench(report))
    if api:
        from eval.bench.cli import api_load_report

        served = settings if target is None else settings.model_copy(update={"dbt_target_path": target})
        try:
            text = api_load_report(spawn=True, settings=served, workers=api_workers, seconds=api_seconds)
        except MercuriosError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo("")
        typer.echo(text)
