"""`build_report`: every insight of one tenant for one period, in one typed report.

The source's guard scopes every query to the tenant; the tenant's profile only supplies the name,
currency and locale of the wording. No sales in the period is the user's problem to know about
(too early, too late, nothing loaded) — a clear error, never an empty digest. A period the data
end inside of is cut at the tenant's last loaded day and labelled "partly loaded" (see
`periods.loaded_part`): every insight then reads only loaded days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.core.insights.anomalies import anomaly_dimensions, anomaly_insights, anomaly_needs
from assistant.core.insights.changes import change_insights, change_needs
from assistant.core.insights.errors import NoDataForPeriodError
from assistant.core.insights.fetch import InsightContext, data_bounds, totals
from assistant.core.insights.forecast import forecast_insights, forecast_needs
from assistant.core.insights.headline import build_headline
from assistant.core.insights.model import Insight, InsightKind, InsightReport, Unavailable
from assistant.core.insights.movers import mover_insights, mover_needs
from assistant.core.insights.periods import Cadence, loaded_part, period_for
from assistant.core.insights.pricing import pricing_insights, pricing_needs
from assistant.core.insights.protocols import CatalogSource, MetricSource
from assistant.core.insights.roles import InsightRoles, insight_roles
from assistant.core.insights.stock import stock_insights, stock_needs
from assistant.core.tenants import TenantProfile
from semantic_layer.catalog import Catalog

Detect = Callable[[InsightContext], list[Insight]]
Needs = Callable[[InsightRoles], tuple[str, ...]]

# Each detector with what it needs of the project (roles.py): what it lacks is reported, not run.
DETECTORS: tuple[tuple[InsightKind, Detect, Needs], ...] = (
    (InsightKind.ANOMALY, anomaly_insights, anomaly_needs),
    (InsightKind.STOCK_RISK, stock_insights, stock_needs),
    (InsightKind.CHANGE, change_insights, change_needs),
    (InsightKind.TOP_MOVER, mover_insights, mover_needs),
    (InsightKind.PRICE, pricing_insights, pricing_needs),
    (InsightKind.FORECAST, forecast_insights, forecast_needs),
)


def build_report(
    source: MetricSource,
    tenant: TenantProfile,
    as_of: dt.date,
    *,
    cadence: Cadence = "week",
    catalog: Catalog | None = None,
) -> InsightReport:
    """The tenant's report; `catalog` defaults to the source's own (the semantic layer's).
    `InsightsUnavailableError` when the project declares no sales metric (roles.py)."""
    if catalog is None:
        if not isinstance(source, CatalogSource):
            raise TypeError("build_report needs the project's catalog: pass catalog= or a semantic layer")
        catalog = source.catalog
    roles = insight_roles(catalog)
    activity = roles.activity.name
    calendar_period = period_for(as_of, cadence)
    bounds = data_bounds(
        source, tenant.tenant_id, calendar_period.start, calendar_period.end, metric=activity
    )
    period = loaded_part(calendar_period, bounds.last)
    ctx = InsightContext(
        source=source,
        tenant_id=tenant.tenant_id,
        period=period,
        roles=roles,
        locale=tenant.locale,
        currency=tenant.currency,
        data_start=bounds.first,
    )
    if not totals(ctx, (activity,), period.start, period.end)[activity]:
        raise NoDataForPeriodError(
            f"tenant {tenant.tenant_id!r} has no sales from {period.start} to {period.end}: "
            "pick an --as-of within its loaded data"
        )
    insights: list[Insight] = []
    unavailable: list[Unavailable] = []
    for kind, detect, needs in DETECTORS:
        missing = needs(roles)
        if missing:
            unavailable.append(Unavailable(kind=kind, needs=missing))
        else:
            insights += detect(ctx)
    return InsightReport(
        tenant_id=tenant.tenant_id,
        tenant_name=tenant.name,
        as_of=as_of,
        period=period,
        currency=tenant.currency,
        locale=tenant.locale,
        insights=tuple(insights),
        headline=build_headline(ctx, cadence),
        unavailable=tuple(unavailable),
        nouns={
            role: d.noun
            for role, d in (("location", roles.location), ("group", roles.group), ("item", roles.item))
            if d is not None
        },
        anomaly_nouns=tuple(d.noun for d in anomaly_dimensions(roles)),
    )
