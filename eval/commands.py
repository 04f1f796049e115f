"""The CLI commands that belong to evaluation, registered into `mercurios` through the
`mercurios.cli` entry point (pyproject.toml): `mercurios eval …`, `mercurios bench …`,
`mercurios index eval`, `mercurios index bench` and `mercurios ingest bench`.

Evaluation sits on top of the product (ARCHITECTURE.md): it may import the CLI, the CLI never imports
it, so the CLI finds these commands by entry point instead of by import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from assistant.channels.cli.lazy import Registry


def register(cli: Registry) -> None:
    """Registers evaluation's commands with `mercurios`, by name: nothing here is imported until one
    of them runs (the CLI calls this when it lists or resolves commands)."""
    cli.add("bench", "eval.bench.cli:app", "Benchmarks: build, semantic layer, ask (printed, not asserted).")
    cli.add("eval", "eval.cli:app", "Evaluation: golden questions scored by executing gold SQL.")
    cli.add(
        "eval",
        "eval.commands:eval_recall",
        "Recall@k of the live index on the labelled retrieval suite (run `mercurios index` first).",
        under=("index",),
    )
    cli.add(
        "bench",
        "eval.commands:index_bench",
        "Print embedded-store indexing throughput and query latency (demo size and 100k chunks).",
        under=("index",),
    )
    cli.add(
        "bench",
        "eval.commands:ingest_bench",
        "Rows/s from the simulator (a separate process, on loopback) into an in-memory DuckDB.",
        under=("ingest",),
    )


def eval_recall(
    suite: Annotated[Path | None, typer.Option("--suite", help="Retrieval suite YAML.")] = None,
    min_metric_recall: Annotated[float | None, typer.Option(help="Exit 1 below this metric recall.")] = None,
    min_value_recall: Annotated[float | None, typer.Option(help="Exit 1 below this value recall.")] = None,
) -> None:
    """Recall@k of the live index on the labelled retrieval suite (run `mercurios index` first)."""
    from assistant.runtime.from_settings import retrieval_config
    from assistant.runtime.services import build_semantic_layer
    from assistant.runtime.settings import get_settings
    from eval.bench.retrieval_recall import SUITE, check_suite, evaluate, load_suite
    from retrieval.factory import build_embedder, open_reader
    from retrieval.retriever import Retriever

    settings = get_settings()
    k, cases = load_suite(suite or SUITE)
    sl = build_semantic_layer(settings)
    tenants = sorted({c.tenant for c in cases})
    check_suite(cases, {t: {dv.dimension: dv.values for dv in sl.dimension_values(t)} for t in tenants})
    config = retrieval_config(settings)
    embedder = build_embedder(config)
    store = open_reader(config, embedder)
    try:
        report = evaluate(Retriever(store, embedder), cases, k)
    finally:
        store.close()
    typer.echo(report.render())
    if (min_metric_recall is not None and report.metrics.recall < min_metric_recall) or (
        min_value_recall is not None and report.values.recall < min_value_recall
    ):
        raise typer.Exit(1)


def index_bench(
    chunks: Annotated[
        list[int] | None, typer.Option("--chunks", help="Chunk counts to index (repeatable).")
    ] = None,
    values: Annotated[int, typer.Option("--values", help="Dimension values to index.")] = 2_000,
    queries: Annotated[int, typer.Option("--queries", help="Queries per size.")] = 100,
    workdir: Annotated[Path, typer.Option("--workdir", help="Scratch folder.")] = Path("var/bench"),
) -> None:
    """Print embedded-store indexing throughput and query latency (demo size and 100k chunks)."""
    from assistant.channels.cli.index_cmd import DEMO_DOCUMENTS
    from assistant.runtime.from_settings import retrieval_config
    from assistant.runtime.settings import get_settings
    from eval.bench.retrieval import run_benchmark
    from retrieval.factory import build_embedder

    embedder = build_embedder(retrieval_config(get_settings()))
    for n in chunks or [40, 100_000]:
        typer.echo(
            run_benchmark(embedder, workdir, DEMO_DOCUMENTS, chunks=n, values=values, queries=queries).line()
        )


def ingest_bench(
    scale: Annotated[float, typer.Option("--scale", help="Demo scale the simulator serves.")] = 0.2,
    page_size: Annotated[int, typer.Option("--page-size", min=1, max=10_000)] = 10_000,
    lake: Annotated[
        bool, typer.Option("--lake/--no-lake", help="Also archive pages in a temp lake.")
    ] = False,
) -> None:
    """Rows/s from the simulator (a separate process, on loopback) into an in-memory DuckDB."""
    from eval.bench.prohandel import run_benchmark

    result = run_benchmark(scale=scale, page_size=page_size, with_lake=lake)
    typer.echo(result.summary())
