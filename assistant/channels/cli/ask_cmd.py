"""`mercurios ask` and `mercurios chat`: the engine's event stream in a terminal.

Conversations live in the app database, as the service keeps them (SQLite at
`<data_dir>/app.db` by default, PostgreSQL with `MERCURIOS_DATABASE_URL`): a follow-up asked in a
second invocation (`ask --conversation ID`) or a resumed `chat --conversation ID` continues the
earlier turns. Conversations are keyed by tenant: another tenant's id is "no such conversation".
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer

from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.core.clock import clock_for
from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import (
    AnswerEvent,
    ClarificationEvent,
    DoneEvent,
    ErrorEvent,
    Event,
    PlanEvent,
    RefusalEvent,
    SqlEvent,
    TableEvent,
    collect,
)
from assistant.runtime.from_settings import tenant_directory
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_engine, build_semantic_layer
from assistant.runtime.settings import Settings, get_settings
from guardrails.errors import NotFoundError, UserError

AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="The date treated as today (YYYY-MM-DD). Default: today.")
]


MAX_CONVERSATION_ID = 64  # the app database's column


def _engine(settings: Settings, tenant: str) -> tuple[Engine, SqlConversationStore]:
    """The engine with the app database's conversation store. The asking tenant (from the
    warehouse registry) is copied into the app database when missing, as `mercurios demo` does, so
    its conversations have their owner row there."""
    sl = build_semantic_layer(settings)
    directory = tenant_directory(settings, sl.warehouse)
    profile = directory.get(tenant)  # an unknown tenant fails here, before anything is written
    db = Database(settings.resolved_database_url)
    db.migrate()
    TenantRepository(db).seed_from_directory({tenant: profile})
    store = SqlConversationStore(db)
    return build_engine(settings, semantic_layer=sl, tenants=directory, store=store), store


def _continued(store: SqlConversationStore, tenant: str, conversation: str | None) -> str | None:
    """The conversation to continue: it must exist under this tenant (an id of another tenant, or
    a mistyped one, is refused rather than answered without its earlier turns)."""
    if conversation is None:
        return None
    if len(conversation) > MAX_CONVERSATION_ID or store.info(tenant, conversation) is None:
        raise NotFoundError(
            f"no conversation {conversation!r} for tenant {tenant!r} "
            "(ask without --conversation to start one)",
            code="conversation_not_found",
        )
    return conversation


def _context(engine: Engine, tenant: str, as_of: str | None, conversation: str | None) -> RequestContext:
    profile = engine.tenants.get(tenant)
    if as_of is None:
        day = clock_for(get_settings().today).today(profile.timezone)
    else:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError as exc:
            raise UserError(f"malformed --as-of {as_of!r}: expected YYYY-MM-DD") from exc
    return RequestContext(
        tenant_id=tenant,
        user_id="cli",
        roles=("analyst",),
        conversation_id=conversation,
        as_of=day,
        locale=profile.locale,
        timezone=profile.timezone,
        currency=profile.currency,
    )


def _render_table(e: TableEvent, max_rows: int = 20) -> str:
    widths = [len(label) for label in e.labels]
    shown = e.formatted[:max_rows]
    for row in shown:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(label.ljust(w) for label, w in zip(e.labels, widths, strict=True))
    out = [line, "  ".join("─" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in shown]
    if e.total_rows > len(shown):
        out.append(f"… showing {len(shown)} of {e.total_rows} rows")
    return "\n".join(out)


def _print_human(events: list[Event], explain: bool) -> None:
    for e in events:
        if isinstance(e, PlanEvent) and explain:
            understood = getattr(e.plan, "understood", ())
            if understood:
                typer.echo("Understood: " + "; ".join(understood))
        elif isinstance(e, SqlEvent) and explain:
            typer.echo(f"SQL ({'verified' if e.verified else 'generated SQL, not verified'}):\n{e.sql}\n")
        elif isinstance(e, TableEvent) and e.columns and len(e.rows) > 1:
            typer.echo(_render_table(e) + "\n")
        elif isinstance(e, AnswerEvent):
            typer.echo(e.text + (" (cached)" if e.cached and explain else ""))
            if e.followups:
                typer.echo("Try: " + " · ".join(e.followups))
        elif isinstance(e, ClarificationEvent):
            typer.echo(e.question)
            for option in e.options:
                typer.echo(f"  - {option}")
        elif isinstance(e, RefusalEvent):
            typer.echo(e.message)
        elif isinstance(e, ErrorEvent):
            typer.echo(f"error: {e.message}", err=True)
        elif isinstance(e, DoneEvent) and explain:
            typer.echo("timings (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in e.timings_ms.items()))


def _follow_up_hint(tenant: str, conversation_id: str) -> str:
    return f'Follow up: mercurios ask "…" --tenant {tenant} --conversation {conversation_id}'


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    tenant: TenantOpt = None,
    as_of: AsOfOpt = None,
    conversation: Annotated[
        str | None,
        typer.Option(
            "--conversation",
            help="Continue this conversation (follow-ups); every answer prints its conversation id.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as one JSON object.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also show the plan, SQL and timings.")] = False,
) -> None:
    """Ask one question about a tenant's data."""
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    engine, store = _engine(settings, tenant)
    ctx = _context(engine, tenant, as_of, _continued(store, tenant, conversation))
    events = list(engine.ask(question, ctx))
    result = collect(events, tenant=tenant, question=question, as_of=ctx.as_of)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    else:
        _print_human(events, explain)
        if result.get("conversation_id"):
            typer.echo(_follow_up_hint(tenant, result["conversation_id"]))
    if result["kind"] == "error":
        raise typer.Exit(2)


def chat(
    tenant: TenantOpt = None,
    as_of: AsOfOpt = None,
    conversation: Annotated[
        str | None, typer.Option("--conversation", help="Resume this conversation (from ask or chat).")
    ] = None,
) -> None:
    """An interactive conversation (follow-ups understood; Ctrl-D or 'exit' to quit)."""
    import contextlib
    import uuid

    with contextlib.suppress(ImportError):  # line editing and history for input(), where available
        import readline  # noqa: F401
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    engine, store = _engine(settings, tenant)
    conversation_id = _continued(store, tenant, conversation) or uuid.uuid4().hex
    ctx = _context(engine, tenant, as_of, conversation_id)
    typer.echo(f"Mercurios — {engine.tenants.get(tenant).name}, as of {ctx.as_of}. Ask away (exit to quit).")
    typer.echo(f"Conversation {conversation_id} (resume it later with --conversation {conversation_id})")
    while True:
        try:
            question = input("› ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo()
            return
        if question.lower() in ("exit", "quit", ":q"):
            return
        if not question:
            continue
        _print_human(list(engine.ask(question, ctx)), explain=False)
        sys.stdout.flush()
