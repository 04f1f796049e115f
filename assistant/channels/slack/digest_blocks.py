"""A digest as a Slack message: Block Kit with the week's figures, the findings and their numbers,
per finding an "Ask about this" button (the bot answers the question in the digest's thread) and a
link that opens the question in the widget on the tenant's site (`assistant/runtime/ask_links.py`),
the charts as PNG files for the thread, and how to unsubscribe. Pure: the report in, the payload
out — the same report the email is rendered from.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.channels.slack.blocks import FOLLOWUP, Block, button, context, mrkdwn_escape, section
from assistant.core.answering.formatting import format_value
from assistant.core.insights.headline_view import HeadlineView, headline_view
from assistant.core.insights.model import Insight, InsightReport, Severity
from assistant.core.insights.selection import impact_text, plan_digest
from assistant.runtime.ask_links import AskLink
from assistant.runtime.charts_png import render_png
from assistant.runtime.digests.layout import KIND_LABELS, MAX_CHARTS, chart_alt, group_item

MAX_STORE_ROWS = 15
ASK_BUTTON = "Ask about this"  # answered in the digest's thread
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
    alt: str = ""  # what the chart shows, for a reader who cannot see it


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


def _headline_blocks(view: HeadlineView) -> list[Block]:
    """The week's figures as section fields, the comparison periods, and the stores as a table."""
    fields = [
        {
            "type": "mrkdwn",
            "text": f"*{mrkdwn_escape(f.label)}*\n{mrkdwn_escape(f.value)}\n"
            f"{mrkdwn_escape(f.vs_previous)} {view.previous_short} · "
            f"{mrkdwn_escape(f.vs_last_year)} {view.last_year_short}",
        }
        for f in view.figures[:10]
    ]
    out: list[Block] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*At a glance* ({view.period})"},
            "fields": fields,
        },
        context(mrkdwn_escape(f"Compared with the {view.previous} and {view.last_year}.")),
    ]
    if view.stores:
        name = max(len(s.store) for s in view.stores)
        rows = [
            f"{s.store:<{name}}  {s.sales:>14}  {s.vs_previous:>8}  {s.vs_last_year:>8}"
            for s in view.stores[:MAX_STORE_ROWS]
        ]
        prev, ly = view.previous_short.removeprefix("vs "), view.last_year_short.removeprefix("vs ")
        head = f"{view.location:<{name}}  {view.sales_label:>14}  {prev:>8}  {ly:>8}"
        out.append(section("```" + "\n".join([head, *rows])[:2900] + "```"))
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
    if report.headline is not None:
        blocks += _headline_blocks(headline_view(report, report.headline))
    files: list[ChartFile] = []
    plan = plan_digest(report)
    chosen = plan.cards
    for n, insight in enumerate(chosen):
        question = insight.question or insight.headline
        link = ask_link(report.tenant_id, question)
        stake = impact_text(report, insight)
        estimate = f"\n{mrkdwn_escape(stake)} _({mrkdwn_escape(insight.impact_basis)})_" if stake else ""
        text = (
            f"{SEVERITY_MARKS[insight.severity]} · {KIND_LABELS[insight.kind]}\n"
            f"*{mrkdwn_escape(insight.headline)}*{estimate}\n<{link}|Open in the Mercurios widget>"
        )
        block = section(text)
        fields = _fields(insight, report)
        if fields:
            block["fields"] = fields
        # The button asks the question here: the bot answers it in this message's thread (the
        # follow-up listener of the Slack app), where the team can keep asking.
        ask = {"type": "actions", "elements": [button(ASK_BUTTON, f"{FOLLOWUP}_{n}", question)]}
        blocks += [{"type": "divider"}, block, ask]
        if charts and insight.chart is not None and len(files) < MAX_CHARTS:
            name = str(insight.chart.get("title") or KIND_LABELS[insight.kind])
            files.append(
                ChartFile(
                    f"chart-{len(files) + 1}.png", name[:200], render_png(insight.chart), chart_alt(insight)
                )
            )
    if not chosen:
        blocks.append(section("Nothing stood out in this period."))
    for group in plan.groups:
        item = group_item(report, group, ask_link)
        rows = "\n".join(
            f"• <{r.link}|{mrkdwn_escape(r.subject)}>: {mrkdwn_escape(r.brief)} ({mrkdwn_escape(r.impact)})"
            for r in item.rows
        )
        head = f"{item.kind_label}: *{mrkdwn_escape(item.title)}* ({mrkdwn_escape(item.total)})"
        blocks += [{"type": "divider"}, section(f"{head}\n{rows}"[:2900])]
    if plan.quiet:
        blocks.append(context(mrkdwn_escape(" ".join(plan.quiet))))
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
