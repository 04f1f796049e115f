"""`build_report`: every insight of one tenant for one period, in one typed report.

The source's guard scopes every query to the tenant; the tenant's profile only supplies the name,
currency and locale of the wording. No sales in the period is the user's problem to know about
(too early, too late, nothing loaded) — a clear error, never an empty digest. A period the data
end inside of is cut at the tenant's last loaded day and labelled "partly loaded" (see
`periods.loaded_part`): every insight then reads only loaded days.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.anomalies import anomaly_insights
from assistant.core.insights.changes import change_insights
from assistant.core.insights.errors import NoDataForPeriodError
from assistant.core.insights.fetch import InsightContext, data_bounds, totals
from assistant.core.insights.forecast import forecast_insights
from assistant.core.insights.headline import build_headline
from assistant.core.insights.model import InsightReport
from assistant.core.insights.movers import mover_insights
from assistant.core.insights.periods import Cadence, loaded_part, period_for
from assistant.core.insights.pricing import pricing_insights
from assistant.core.insights.protocols import MetricSource
from assistant.core.insights.stock import stock_insights
from assistant.core.tenants import TenantProfile


def build_report(
    source: MetricSource, tenant: TenantProfile, as_of: dt.date, *, cadence: Cadence = "week"
) -> InsightReport:
    calendar_period = period_for(as_of, cadence)
    bounds = data_bounds(source, tenant.tenant_id, calendar_period.start, calendar_period.end)
    period = loaded_part(calendar_period, bounds.last)
    ctx = InsightContext(
        source=source,
        tenant_id=tenant.tenant_id,
        period=period,
        locale=tenant.locale,
        currency=tenant.currency,
        data_start=bounds.first,
    )
    if not totals(ctx, ("orders",), period.start, period.end)["orders"]:
        raise NoDataForPeriodError(
            f"tenant {tenant.tenant_id!r} has no sales from {period.start} to {period.end}: "
            "pick an --as-of within its loaded data"
        )
    insights = [
        *anomaly_insights(ctx),
        *stock_insights(ctx),
        *change_insights(ctx),
        *mover_insights(ctx),
        *pricing_insights(ctx),
        *forecast_insights(ctx),
    ]
    return InsightReport(
        tenant_id=tenant.tenant_id,
        tenant_name=tenant.name,
        as_of=as_of,
        period=period,
        currency=tenant.currency,
        locale=tenant.locale,
        insights=tuple(insights),
        headline=build_headline(ctx, cadence),
    )
