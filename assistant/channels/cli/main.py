"""The `mercurios` command line: one entry point, thin over the packages.

Errors are caught once, here: a `UserError` prints `error: <message>` on one line and exits 2;
an `InternalError` prints `internal error [<code>]: <message>` and exits 1. Nothing else prints
tracebacks unless `MERCURIOS_DEBUG=1`.
"""

from __future__ import annotations

import os
import sys

import typer

from assistant.channels.cli.lazy import Registry, lazy_group_class
from guardrails.errors import MercuriosError, UserError

_CLI = "assistant.channels.cli"

# Every subcommand by name, in `--help` order: imported only when it runs (see lazy.py).
COMMANDS = Registry()
for _name, _target, _help in (
    (
        "build",
        f"{_CLI}.build_cmd:build",
        "Generate the three demo retailers and build the warehouse with dbt (atomic swap on success).",
    ),
    (
        "demo",
        f"{_CLI}.build_cmd:demo",
        "Build the demo warehouse (once), show what it holds and answers, then serve the API.",
    ),
    ("ask", f"{_CLI}.ask_cmd:ask", "Ask one question about a tenant's data."),
    (
        "chat",
        f"{_CLI}.ask_cmd:chat",
        "An interactive conversation (follow-ups understood; Ctrl-D or 'exit' to quit).",
    ),
    ("sl", f"{_CLI}.sl_cmd:app", "Semantic layer: list, compile and run metric queries."),
    ("guard", f"{_CLI}.guard_cmd:app", "SQL guardrails: check what a query would be allowed to do."),
):
    COMMANDS.add(_name, _target, _help)
# Commands of packages above the CLI (evaluation's `bench` and `eval`, ...) plug in here by entry
# point: the CLI never imports them (ARCHITECTURE.md).
COMMANDS.plugins_here()
for _name, _target, _help in (
    ("ingest", f"{_CLI}.ingest_cmd:app", "Load source data (ProHandel) into the raw tables."),
    ("lake", f"{_CLI}.ingest_cmd:lake_app", "Raw-data lake: expire, replay."),
    (
        "backup",
        f"{_CLI}.ingest_cmd:backup",
        "Back up the warehouse (DuckDB EXPORT DATABASE) and the app database (SQLite / pg_dump).",
    ),
    (
        "restore",
        f"{_CLI}.ingest_cmd:restore",
        "Restore the warehouse and app database from a backup set (the configured targets are replaced).",
    ),
    ("index", f"{_CLI}.index_cmd:app", "Retrieval index: catalog, values, examples, documents."),
    (
        "insights",
        f"{_CLI}.insights_cmd:insights",
        "What changed, why, what is unusual and what needs attention, for one tenant.",
    ),
    ("digest", f"{_CLI}.digest_cmd:app", "Insight digests by email: preview, send."),
    (
        "serve",
        f"{_CLI}.serve_cmd:serve",
        "Run the API (SSE chat, ask, catalog, query, keys) until Ctrl-C; streams drain on shutdown.",
    ),
    ("retention", f"{_CLI}.retention_cmd:app", "Per-tenant data retention (app database)."),
    ("tenants", f"{_CLI}.admin_cmd:tenants_app", "Tenants of the service (app database)."),
    ("keys", f"{_CLI}.admin_cmd:keys_app", "Tenant API keys (hashed at rest)."),
    ("slack", f"{_CLI}.slack_cmd:app", "Slack: link workspaces to tenants, the app manifest."),
):
    COMMANDS.add(_name, _target, _help)

app = typer.Typer(
    cls=lazy_group_class(COMMANDS),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help for the command list: typer's rich formatter imports rich and markdown-it
    # (~0.1 s of a 0.2 s `mercurios --help`, issue #21); each subcommand's own help stays rich
    rich_markup_mode=None,
    help="Mercurios: ask your data (any dbt project with a semantic layer).",
)


@app.callback()
def _root() -> None:
    """Mercurios: a conversational analytics assistant over your dbt semantic layer."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except MercuriosError as exc:
        if os.environ.get("MERCURIOS_DEBUG"):
            raise
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.code
        if isinstance(exc, UserError):
            print(f"error: {first_line}", file=sys.stderr)
            sys.exit(2)
        print(f"internal error [{exc.code}]: {first_line}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
