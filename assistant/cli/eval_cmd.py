"""`mercurios eval run`: the golden suite against the configured warehouse, with a report.

The engine comes from the same settings as `mercurios ask` (what a user runs is what is scored);
the gold SQL runs on the same DuckDB file over its own read-only connection. Misses never fail the
command — a score is a measurement, not a crash — unless `--min-accuracy` asks for a gate; a
broken suite, a failing gold SQL or a missing warehouse exits 2.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from assistant.services import build_engine
from assistant.settings import get_settings
from eval.report import build_report, render_text
from eval.runner import CaseResult, GoldOracle, HarnessError, run_cases
from eval.suite import SuiteError, load_suite

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _eval() -> None:
    """Evaluation: golden questions scored by executing gold SQL."""


@app.command("run")
def run(
    suite: Annotated[
        str, typer.Option("--suite", help="Suite name under eval/suites/, or a YAML path.")
    ] = "retail",
    filter_: Annotated[
        str | None, typer.Option("--filter", help="Only cases whose id or a tag contains this.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many cases.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
    min_accuracy: Annotated[
        float | None,
        typer.Option(
            "--min-accuracy", min=0.0, max=1.0, help="Exit 1 if accuracy is below this (a CI gate)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per case as it runs.")] = False,
) -> None:
    """Run a golden suite and report execution accuracy, latency and every miss."""
    settings = get_settings()
    try:
        if settings.warehouse != "duckdb":
            raise HarnessError("the eval oracle runs gold SQL on the DuckDB warehouse file only")
        loaded = load_suite(suite)
        cases = loaded.select(filter_, limit)
        if not cases:
            raise HarnessError(f"no case of suite {loaded.name} matches --filter {filter_!r}")
        oracle = GoldOracle(settings.resolved_duckdb_path)
        engine = build_engine(settings)

        def progress(r: CaseResult) -> None:
            mark = "✓" if r.outcome == "pass" else "✗"
            print(f"{mark} {r.case.id} ({r.latency_ms:.0f} ms)", file=sys.stderr, flush=True)

        try:
            results = run_cases(engine, cases, oracle, progress=progress if verbose else None)
        finally:
            oracle.close()
    except (HarnessError, SuiteError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    report = build_report(loaded.name, results)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(report))
    if min_accuracy is not None and report.accuracy < min_accuracy:
        typer.echo(f"accuracy {report.accuracy:.1%} is below --min-accuracy {min_accuracy:.1%}", err=True)
        raise typer.Exit(1)
