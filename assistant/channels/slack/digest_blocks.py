"""A digest as a Slack message: Block Kit with the headline insights and their numbers, a link per
insight that opens the assistant with its question (`assistant/runtime/ask_links.py`), the charts as PNG
files for the thread, and how to unsubscribe. Pure: the report in, the payload out — the same
report the email is rendered from.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.channels.slack.blocks import Block, context, mrkdwn_escape, section
from assistant.core.answering.formatting import format_value
from assistant.core.insights.model import Insight, InsightReport, Severity
from assistant.runtime.ask_links import AskLink
from assistant.runtime.charts_png import render_png
from assistant.runtime.digests.layout import KIND_LABELS, MAX_CHARTS, MAX_ITEMS

MAX_FIELDS = 6  # numbers shown per insight (Slack allows 10 fields per section)
SEVERITY_MARKS = {
    Severity.HIGH: ":red_circle: HIGH",
    Severity.MEDIUM: ":large_orange_circle: MEDIUM",
    Severity.LOW: ":large_blue_circle: LOW",
    Severity.INFO: ":white_circle: INFO",
}
FIGURE_LABELS = {
    "change_pct": "Change %",
    "z": "z-score",
    "forecast_weekly_units": "Forecast units / week",
}


@dataclass(frozen=True)
class ChartFile:
    filename: str
    title: str
    png: bytes


@dataclass(frozen=True)
class SlackDigest:
    tenant_id: str
    text: str  # the notification / fallback text
    blocks: tuple[Block, ...]
    charts: tuple[ChartFile, ...]


def _label(name: str) -> str:
    return FIGURE_LABELS.get(name, name.replace("_", " ").capitalize())


def _fields(insight: Insight, report: InsightReport) -> list[dict[str, str]]:
    out = []
    for figure in insight.figures[:MAX_FIELDS]:
        if figure.value is None:
            continue
        value = format_value(
            round(figure.value, 3) if figure.format == "percent" else figure.value,
            figure.format,
            locale=report.locale,
            currency=report.currency,
        )
        out.append({"type": "mrkdwn", "text": f"*{mrkdwn_escape(_label(figure.name))[:80]}*\n{value}"})
    return out


def slack_digest(
    report: InsightReport,
    *,
    ask_link: AskLink,
    unsubscribe_url: str,
    cadence_word: str = "weekly",
    summary: str = "",
    charts: bool = True,
) -> SlackDigest:
    title = f"{report.tenant_name}: your {cadence_word} insights"
    period = f"{report.period.label}: {report.period.start.isoformat()} to {report.period.end.isoformat()}"
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": True}},
        context(mrkdwn_escape(period)),
    ]
    if summary:
        blocks.append(section(mrkdwn_escape(summary)))
    files: list[ChartFile] = []
    chosen = report.top(MAX_ITEMS)
    for insight in chosen:
        link = ask_link(report.tenant_id, insight.question or insight.headline)
        text = (
            f"{SEVERITY_MARKS[insight.severity]} · {KIND_LABELS[insight.kind]}\n"
            f"*{mrkdwn_escape(insight.headline)}*\n<{link}|Ask about this in Mercurios>"
        )
        block = section(text)
        fields = _fields(insight, report)
        if fields:
            block["fields"] = fields
        blocks += [{"type": "divider"}, block]
        if charts and insight.chart is not None and len(files) < MAX_CHARTS:
            name = str(insight.chart.get("title") or KIND_LABELS[insight.kind])
            files.append(ChartFile(f"chart-{len(files) + 1}.png", name[:200], render_png(insight.chart)))
    if not chosen:
        blocks.append(section("Nothing stood out in this period."))
    blocks += [
        {"type": "divider"},
        context(
            f"You get this digest because of a subscription for {mrkdwn_escape(report.tenant_name)}. "
            f"<{unsubscribe_url}|Unsubscribe> (or `mercurios digest unsubscribe`)."
        ),
    ]
    lead = f" — {chosen[0].headline}" if chosen else ""
    return SlackDigest(
        tenant_id=report.tenant_id,
        text=mrkdwn_escape(f"{title}, {report.period.label}{lead}")[:3000],
        blocks=tuple(blocks),
        charts=tuple(files),
    )
