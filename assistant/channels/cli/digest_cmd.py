"""`mercurios digest preview --tenant T --as-of D --out digest.html`: render a digest without sending.

Inline charts are written beside the HTML (their cid: links rewritten to the files) so the preview
opens in any browser. `subscribe|list|unsubscribe|run-due` work on the app database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from assistant.channels.cli.insights_cmd import load_report
from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.channels.digests.focus import Focus, check_focus
from assistant.channels.digests.narrative import DigestSummaries
from assistant.channels.digests.render import render_digest
from assistant.channels.digests.report_source import SemanticReportSource
from assistant.channels.digests.service import ask_links, build_insight_writer, build_runner
from assistant.channels.digests.unsubscribe import PREVIEW_UNSUBSCRIBE_PATH
from assistant.channels.slack.digest_delivery import slack_digest_sender
from assistant.core.insights.headline_view import headline_view
from assistant.core.tenants import UnknownTenantError
from assistant.runtime.app_services import widget_secret
from assistant.runtime.digests.slack_targets import SlackTargets
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore, validate_request
from assistant.runtime.from_settings import tenant_directory
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import get_settings
from guardrails.errors import UserError

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _digest() -> None:
    """Insight digests by email or Slack."""


@app.command("preview")
def preview(
    tenant: TenantOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML.")] = Path("digest.html"),
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    cadence: Annotated[str, typer.Option("--cadence", help="day | week | month")] = "week",
) -> None:
    """Render the digest of one tenant to an HTML file (and a .txt beside it); send nothing."""
    settings = get_settings()
    report = load_report(tenant, as_of, cadence)
    db, _ = _store()
    digest = render_digest(
        report,
        ask_link=ask_links(settings, TenantRepository(db), widget_secret(settings)),
        unsubscribe_url=f"{settings.public_base_url.rstrip('/')}{PREVIEW_UNSUBSCRIBE_PATH}",
        cadence_word={"day": "daily", "week": "weekly", "month": "monthly"}[cadence],
        summary=DigestSummaries(build_insight_writer(settings)).summarise(report).text,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    html = digest.html
    for i, image in enumerate(digest.images):
        png = out.with_name(f"{out.stem}-chart{i + 1}.png")
        png.write_bytes(image.png)
        html = html.replace(f"cid:{image.cid}", png.name)
    out.write_text(html, encoding="utf-8")
    out.with_suffix(".txt").write_text(digest.text, encoding="utf-8")
    if report.headline is not None:
        for line in headline_view(report, report.headline).text_lines():
            typer.echo(line)
    typer.echo(f"wrote {out} ({len(report.insights)} insights, {len(digest.images)} charts)")


def _store() -> tuple[Database, SubscriptionStore]:
    db = Database(get_settings().resolved_database_url)
    db.migrate()
    return db, SubscriptionStore(db)


@app.command("subscribe")
def subscribe(
    cron: Annotated[str, typer.Option("--cron", help="e.g. '0 7 * * 1' = Mondays 07:00")],
    tenant: TenantOpt = None,
    to: Annotated[list[str] | None, typer.Option("--to", help="Recipient (repeat for more).")] = None,
    timezone: Annotated[str, typer.Option("--timezone")] = "Europe/Berlin",
    cadence: Annotated[str, typer.Option("--cadence", help="day | week | month")] = "week",
    user: Annotated[str, typer.Option("--user")] = "cli",
    metric: Annotated[list[str] | None, typer.Option("--metric")] = None,
    store: Annotated[list[str] | None, typer.Option("--store")] = None,
    category: Annotated[list[str] | None, typer.Option("--category")] = None,
    slack_channel: Annotated[
        str | None, typer.Option("--slack-channel", help="Post to this Slack channel id instead of email.")
    ] = None,
    slack_team: Annotated[
        str | None, typer.Option("--slack-team", help="The channel's workspace (needed if several).")
    ] = None,
) -> None:
    """Subscribe recipients (or a Slack channel of a workspace linked to the tenant) to a tenant's
    digest; focus values must exist in the tenant's catalog."""
    if cadence not in ("day", "week", "month"):
        raise UserError(f"--cadence must be day, week or month, not {cadence!r}")
    request = SubscriptionRequest(
        cron=cron,
        timezone=timezone,
        cadence=cadence,  # type: ignore[arg-type]
        recipients=tuple(to or ()),
        metrics=tuple(metric or ()),
        stores=tuple(store or ()),
        categories=tuple(category or ()),
        channel="slack" if slack_channel else "email",
        slack_channel=slack_channel,
        slack_team=slack_team,
    )
    validate_request(request)
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    sl = build_semantic_layer(settings)
    directory = tenant_directory(settings, sl.warehouse)
    directory.get(tenant)  # an unknown tenant is refused before anything is stored
    values = SemanticReportSource(sl, directory).values(tenant)
    check_focus(Focus(request.metrics, request.stores, request.categories), values)
    db, subs = _store()
    TenantRepository(db).seed_from_directory(directory.all())
    if slack_channel:
        team = SlackTargets(db).team_for(tenant, slack_channel, slack_team)
        request = request.model_copy(update={"slack_team": team})
    sub = subs.create(tenant, user, request)
    typer.echo(sub.subscription_id)


def _known(db: Database, tenant: str) -> None:
    """A tenant neither the app database nor the warehouse knows is a typo, not an empty list."""
    try:
        TenantRepository(db).get(tenant)
    except UnknownTenantError:
        settings = get_settings()
        tenant_directory(settings, build_semantic_layer(settings).warehouse).get(tenant)


@app.command("list")
def list_subscriptions(tenant: TenantOpt = None) -> None:
    """The tenant's active subscriptions, one per line."""
    tenant = resolve_tenant(tenant, get_settings())
    db, subs = _store()
    _known(db, tenant)
    found = subs.list(tenant)
    for s in found:
        where = f"slack:{s.slack_team}/{s.slack_channel}" if s.channel == "slack" else ", ".join(s.recipients)
        typer.echo(f"{s.subscription_id}  {s.cron!r} {s.timezone}  {s.cadence}  {where}")
    if not found:
        typer.echo(f"no active digest subscriptions for {tenant}")


@app.command("unsubscribe")
def unsubscribe(
    subscription_id: Annotated[str, typer.Argument()],
    tenant: TenantOpt = None,
) -> None:
    """Stop a subscription (its delivery record stays)."""
    tenant = resolve_tenant(tenant, get_settings())
    db, subs = _store()
    _known(db, tenant)
    subs.deactivate(tenant, subscription_id)
    typer.echo(f"unsubscribed {subscription_id}")


def _moment(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(
            f"--now must be an ISO date-time like 2026-03-23T07:00Z, not {value[:40]!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@app.command("run-due")
def run_due(
    now: Annotated[
        str | None,
        typer.Option("--now", help="Treat this moment (ISO, UTC if no zone) as now: replays, tests."),
    ] = None,
) -> None:
    """Send every due digest once (for cron or a Kubernetes CronJob); safe to run concurrently."""
    moment = _moment(now)
    settings = get_settings()
    db, _subs = _store()
    sl = build_semantic_layer(settings)
    runner = build_runner(
        settings,
        db,
        sl,
        tenant_directory(settings, sl.warehouse),
        widget_secret(settings),
        slack=slack_digest_sender(settings, db),
    )
    summary = runner.run_due(moment)
    for o in summary.outcomes:
        typer.echo(f"{o.tenant_id}  {o.subscription_id}  {o.period_key}  {o.status}  {o.detail}")
    typer.echo(f"{len(summary.outcomes)} digest(s) handled, {summary.count('sent')} sent")
    failed = summary.count("failed") + summary.count("gave_up")
    if failed:
        typer.echo(
            f"error: {failed} digest(s) could not be delivered (see the lines above); "
            "each is recorded and a later run retries the failed ones",
            err=True,
        )
        raise typer.Exit(1)
