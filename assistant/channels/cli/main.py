"""The `mercurios` command line: one entry point, thin over the packages.

Errors are caught once, here: a `UserError` prints `error: <message>` on one line and exits 2;
an `InternalError` prints `internal error [<code>]: <message>` and exits 1. Nothing else prints
tracebacks unless `MERCURIOS_DEBUG=1`.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points

import typer

from assistant.channels.cli import (
    admin_cmd,
    ask_cmd,
    build_cmd,
    digest_cmd,
    guard_cmd,
    index_cmd,
    ingest_cmd,
    insights_cmd,
    retention_cmd,
    serve_cmd,
    sl_cmd,
    slack_cmd,
)
from guardrails.errors import MercuriosError, UserError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Mercurios: ask your data (any dbt project with a semantic layer).",
)


@app.callback()
def _root() -> None:
    """Mercurios: a conversational analytics assistant over your dbt semantic layer."""


app.command("build")(build_cmd.build)
app.command("demo")(build_cmd.demo)
app.command("ask")(ask_cmd.ask)
app.command("chat")(ask_cmd.chat)
app.add_typer(sl_cmd.app, name="sl", help="Semantic layer: list, compile and run metric queries.")
app.add_typer(guard_cmd.app, name="guard", help="SQL guardrails: check what a query would be allowed to do.")
# Commands of packages above the CLI (evaluation's `bench` and `eval`, ...) plug in by entry point: the
# CLI never imports them (ARCHITECTURE.md). Loaded here so `--help` lists them in this place.
for plugin in sorted(entry_points(group="mercurios.cli"), key=lambda ep: ep.name):
    plugin.load()(app)
app.add_typer(ingest_cmd.app, name="ingest", help="Load source data (ProHandel) into the raw tables.")
app.add_typer(ingest_cmd.lake_app, name="lake", help="Raw-data lake: expire, replay.")
app.command("backup")(ingest_cmd.backup)
app.command("restore")(ingest_cmd.restore)
app.add_typer(index_cmd.app, name="index", help="Retrieval index: catalog, values, examples, documents.")
app.command("insights")(insights_cmd.insights)
app.add_typer(digest_cmd.app, name="digest", help="Insight digests by email: preview, send.")
app.command("serve")(serve_cmd.serve)
app.add_typer(retention_cmd.app, name="retention", help="Per-tenant data retention (app database).")
app.add_typer(admin_cmd.tenants_app, name="tenants", help="Tenants of the service (app database).")
app.add_typer(admin_cmd.keys_app, name="keys", help="Tenant API keys (hashed at rest).")
app.add_typer(slack_cmd.app, name="slack", help="Slack: link workspaces to tenants, the app manifest.")


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
