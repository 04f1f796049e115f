"""What a digest shows, whichever channel carries it: the email and the Slack message list the same
insights under the same labels, with the same grouped cards and chart descriptions."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.insights.model import Insight, InsightKind, InsightReport
from assistant.core.insights.selection import Group, money
from assistant.runtime.ask_links import AskLink

MAX_CHARTS = 6
KIND_LABELS = {
    InsightKind.ANOMALY: "Anomaly",
    InsightKind.STOCK_RISK: "Stock risk",
    InsightKind.CHANGE: "Change",
    InsightKind.TOP_MOVER: "Top movers",
    InsightKind.FORECAST: "Forecast",
    InsightKind.PRICE: "Prices & discounts",
}
GROUP_TITLES = {
    InsightKind.ANOMALY: "more unusual series",
    InsightKind.STOCK_RISK: "more stock risks",
    InsightKind.PRICE: "more price and discount moves",
}


@dataclass(frozen=True)
class GroupRow:
    subject: str
    brief: str
    impact: str
    link: str


@dataclass(frozen=True)
class GroupItem:
    kind_label: str
    title: str  # "5 more stock risks"
    total: str  # "≈ 3.456 € at stake in all"
    rows: tuple[GroupRow, ...]


def chart_alt(insight: Insight) -> str:
    """What the chart shows, for a reader who cannot see it: its title and the finding."""
    if insight.chart is None:
        return ""
    return f"Chart: {insight.chart.get('title', 'chart')}. {insight.headline}"


def group_item(report: InsightReport, group: Group, ask_link: AskLink) -> GroupItem:
    return GroupItem(
        kind_label=KIND_LABELS[group.kind],
        title=f"{len(group.insights)} {GROUP_TITLES.get(group.kind, 'more findings')}",
        total=f"≈ {money(report, group.impact)} at stake in all",
        rows=tuple(
            GroupRow(
                subject=i.subject,
                brief=i.brief or i.headline,
                impact=money(report, i.impact) if i.impact is not None else "–",
                link=ask_link(report.tenant_id, i.question or i.headline),
            )
            for i in group.insights
        ),
    )
