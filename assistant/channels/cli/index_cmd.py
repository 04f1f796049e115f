"""`mercurios index`: build and search the retrieval index (catalog, values, examples, documents).

`mercurios index [--tenant T] [--rebuild]` indexes the shared catalog, the seed examples and each
tenant's dimension values (read through the guard), plus the demo documents of demo tenants;
`mercurios index docs PATH --tenant T` adds a folder or file of business documents. With the
embedded store every run writes a new index version and swaps it in only on success.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.settings import Settings, get_settings
from retrieval.factory import build_embedder, open_reader, open_writer
from retrieval.indexers.document_indexer import index_documents
from retrieval.knowledge_index import IndexRunReport, index_knowledge
from retrieval.retriever import Retriever

DEMO_DOCUMENTS = Path(__file__).resolve().parents[3] / "ingestion" / "demo" / "documents"

app = typer.Typer(no_args_is_help=False)


def index_all(
    settings: Settings, tenants: list[str] | None = None, *, rebuild: bool = False
) -> IndexRunReport:
    """Catalog + seed examples + every (or the named) tenant's values and demo documents."""
    from assistant.runtime.from_settings import tenant_directory
    from assistant.runtime.services import build_semantic_layer

    sl = build_semantic_layer(settings)
    directory = tenant_directory(settings, sl.warehouse)
    chosen = tenants or sorted(directory.all())
    for t in chosen:
        directory.get(t)  # unknown tenant → a clear error, nothing written
    values = {
        t: {dv.dimension: dv.values for dv in sl.dimension_values(t) if not dv.truncated} for t in chosen
    }
    documents = {t: DEMO_DOCUMENTS / t for t in chosen if (DEMO_DOCUMENTS / t).is_dir()}
    config = retrieval_config(settings)
    embedder = build_embedder(config)
    with open_writer(config, embedder, rebuild=rebuild, rebuild_partitions=tuple(tenants or ())) as store:
        return index_knowledge(
            store,
            embedder,
            catalog=sl.catalog,
            values=values,
            documents=documents,
            max_document_bytes=config.max_document_bytes,
        )


def _print(report: IndexRunReport, as_json: bool) -> None:
    if as_json:
        rows = [
            {
                "what": s.what,
                "partition": s.partition,
                "items": s.items,
                "added": s.sync.added,
                "updated": s.sync.updated,
                "deleted": s.sync.deleted,
                "unchanged": s.sync.unchanged,
                "seconds": round(s.seconds, 3),
            }
            for s in report.steps
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for s in report.steps:
        typer.echo(
            f"{s.partition:<20} {s.what:<14} {s.items:>6} items  +{s.sync.added} ~{s.sync.updated} "
            f"-{s.sync.deleted} ={s.sync.unchanged}  {s.seconds:.2f}s"
        )


@app.callback(invoke_without_command=True)
def index(
    ctx: typer.Context,
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", help="Only this tenant (repeatable).")
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything from scratch.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Index the catalog, seed examples, tenants' dimension values and demo documents."""
    if ctx.invoked_subcommand is not None:
        return
    _print(index_all(get_settings(), tenant, rebuild=rebuild), as_json)


@app.command("docs")
def docs(
    path: Annotated[Path, typer.Argument(help="A document or a folder of documents (.md .html .pdf .txt).")],
    tenant: TenantOpt = None,
    collection: Annotated[
        str | None, typer.Option("--collection", help="Name of this document set (default: folder name).")
    ] = None,
) -> None:
    """Index business documents for one tenant (only changed chunks are re-embedded)."""
    tenant = resolve_tenant(tenant, get_settings())
    config = retrieval_config(get_settings())
    embedder = build_embedder(config)
    with open_writer(config, embedder) as store:
        report = index_documents(
            store, embedder, tenant, path, collection=collection, max_bytes=config.max_document_bytes
        )
    s = report.sync
    typer.echo(
        f"{tenant}: {report.files} files, {report.chunks} chunks "
        f"(+{s.added} ~{s.updated} -{s.deleted} ={s.unchanged})"
    )


@app.command("search")
def search(
    question: Annotated[str, typer.Argument(help="A question, as a user would ask it.")],
    tenant: TenantOpt = None,
    documents: Annotated[bool, typer.Option("--documents", help="Search document chunks.")] = False,
) -> None:
    """Show what retrieval finds for a question (candidates, values, examples or document chunks)."""
    tenant = resolve_tenant(tenant, get_settings())
    config = retrieval_config(get_settings())
    embedder = build_embedder(config)
    store = open_reader(config, embedder)
    try:
        retriever = Retriever(store, embedder)
        if documents:
            doc_ctx = retriever.documents(tenant, question)
            typer.echo(f"answerable: {doc_ctx.answerable}")
            for c in doc_ctx.chunks:
                typer.echo(
                    f"[{c.similarity:.2f} terms={c.shared_terms} relevance={c.relevance:.2f}] "
                    f"{c.citation.label()}: {c.text[:120]!r}"
                )
            return
        ctx = retriever.context(tenant, question)
        typer.echo("metrics:    " + ", ".join(c.name for c in ctx.metrics))
        typer.echo("dimensions: " + ", ".join(c.name for c in ctx.dimensions))
        typer.echo(
            "values:     " + ", ".join(f"{v.dimension}={v.value} ({v.how} {v.score:.2f})" for v in ctx.values)
        )
        typer.echo("examples:   " + " | ".join(e.question for e in ctx.examples))
    finally:
        store.close()
