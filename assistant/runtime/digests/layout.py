"""What a digest shows, whichever channel carries it: the email and the Slack message list the same
insights under the same labels."""

from __future__ import annotations

from assistant.core.insights.model import InsightKind

MAX_ITEMS = 8
MAX_CHARTS = 4
KIND_LABELS = {
    InsightKind.ANOMALY: "Anomaly",
    InsightKind.STOCK_RISK: "Stock risk",
    InsightKind.CHANGE: "Change",
    InsightKind.TOP_MOVER: "Top movers",
    InsightKind.FORECAST: "Forecast",
}
