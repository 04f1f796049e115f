"""`mercurios insights --tenant T [--as-of D] [--cadence week] [--json]`: the tenant's insights.

Thin over `assistant.core.insights.report.build_report`; every number comes from semantic queries run
through the tenant guard of the configured semantic layer.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.core.clock import clock_for
from assistant.core.insights.model import InsightReport
from assistant.core.insights.periods import Cadence
from assistant.core.insights.report import build_report
from assistant.runtime.from_settings import tenant_directory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import get_settings
from guardrails.errors import UserError


def parse_as_of(value: str | None, timezone: str) -> dt.date:
    if value is None:
        return clock_for(get_settings().today).today(timezone)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--as-of must be a date like 2026-03-23, not {value!r}") from None


def load_report(tenant: str | None, as_of: str | None, cadence: str) -> InsightReport:
    if cadence not in ("day", "week", "month"):
        raise UserError(f"--cadence must be day, week or month, not {cadence!r}")
    settings = get_settings()
    tenant = resolve_tenant(tenant, settings)
    sl = build_semantic_layer(settings)
    profile = tenant_directory(settings, sl.warehouse).get(tenant)
    kind: Cadence = cadence  # type: ignore[assignment]
    # The insights read the project's metrics and dimensions by role (core/insights/roles.py): a
    # project declaring no sales metric gets `insights_unavailable`, one lacking some roles a
    # report that says what it did not check.
    return build_report(sl, profile, parse_as_of(as_of, profile.timezone), cadence=kind)


def insights(
    tenant: TenantOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The date treated as today (YYYY-MM-DD).")
    ] = None,
    cadence: Annotated[str, typer.Option("--cadence", help="day | week | month")] = "week",
    as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
) -> None:
    """What changed, why, what is unusual and what needs attention, for one tenant."""
    report = load_report(tenant, as_of, cadence)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{report.tenant_name} — {report.period.label} ({report.period.start} to {report.period.end})")
    for insight in report.top(len(report.insights)):
        typer.echo(f"[{insight.severity.value:6}] {insight.kind.value:10} {insight.headline}")
    for missing in report.unavailable:
        typer.echo(
            f"[not checked] {missing.kind.value:10} the project does not declare {', '.join(missing.needs)}"
        )
