"""What a digest shows, and in which order: variety by design, ranked by money at stake.

Ranking by impact alone lets one kind crowd out the rest (eight stock-risk cards and nothing
else). So each kind has a cap; a kind's findings past its cap — or past the digest's card limit —
go into one card per kind with a table, so nothing is dropped silently. The forecast, which is
planning information rather than a finding, comes last. A detector that found nothing says so
("nothing unusual"): silence in a digest reads as "not checked".

Pure over the report; the email and Slack digests and the summary writers all use this plan, so
they show the same findings in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.answering.formatting import format_value
from assistant.core.insights.model import Insight, InsightKind, InsightReport, Severity
from assistant.core.insights.wording import article

_CENTS = re.compile(r"[.,]00(?=\D*$)")
CAPS: dict[InsightKind, int] = {
    InsightKind.ANOMALY: 3,
    InsightKind.STOCK_RISK: 3,
    InsightKind.CHANGE: 2,
    InsightKind.TOP_MOVER: 1,
    InsightKind.FORECAST: 1,
    InsightKind.PRICE: 2,
}
GROUPED = (InsightKind.ANOMALY, InsightKind.STOCK_RISK, InsightKind.PRICE)  # past the cap: one table card
MAX_CARDS = 8  # findings shown one by one (the forecast and the grouped cards come on top)
CHANGE_CARD_KPIS = ("sales", "margin_rate")  # the headline shows the others' moves (roles.py)
NOTABLE_MARGIN_POINTS = 0.01  # a gross margin moving by a point or more is worth a card


@dataclass(frozen=True)
class Group:
    """Findings of one kind past its cap, shown as one card with a table."""

    kind: InsightKind
    insights: tuple[Insight, ...]

    @property
    def impact(self) -> float:
        return sum(i.impact or 0.0 for i in self.insights)


@dataclass(frozen=True)
class DigestPlan:
    cards: tuple[Insight, ...]  # one card each: most money at stake first, the forecast last
    groups: tuple[Group, ...]
    quiet: tuple[str, ...]  # what was checked and found nothing unusual, said explicitly

    @property
    def kinds(self) -> tuple[InsightKind, ...]:
        return tuple(dict.fromkeys([*(i.kind for i in self.cards), *(g.kind for g in self.groups)]))


def worth_a_card(insight: Insight) -> bool:
    """A change earns a card when it moved enough to matter (the headline shows every key figure's
    move anyway); every other finding is a finding because its detector judged it one."""
    if insight.kind is not InsightKind.CHANGE:
        return True
    if insight.kpi not in CHANGE_CARD_KPIS:
        return False
    if insight.kpi == "margin_rate":
        return abs(insight.figure("change") or 0.0) >= NOTABLE_MARGIN_POINTS
    return insight.severity is not Severity.INFO


def plan_digest(report: InsightReport, *, max_cards: int = MAX_CARDS) -> DigestPlan:
    shown: list[Insight] = []
    overflow: dict[InsightKind, list[Insight]] = {}
    taken: dict[InsightKind, int] = {}
    forecast: list[Insight] = []
    for insight in report.ranked():
        if not worth_a_card(insight):
            continue
        if insight.kind is InsightKind.FORECAST:
            forecast += [insight][: CAPS[InsightKind.FORECAST] - len(forecast)]
            continue
        if taken.get(insight.kind, 0) < CAPS.get(insight.kind, 1) and len(shown) < max_cards:
            shown.append(insight)
            taken[insight.kind] = taken.get(insight.kind, 0) + 1
        elif insight.kind in GROUPED:
            overflow.setdefault(insight.kind, []).append(insight)  # never dropped: grouped
    groups = tuple(Group(kind, tuple(items)) for kind, items in overflow.items())
    return DigestPlan(cards=(*shown, *forecast), groups=groups, quiet=_quiet(report))


_NOT_CHECKED = {
    InsightKind.ANOMALY: "unusual days",
    InsightKind.STOCK_RISK: "stock risks",
    InsightKind.CHANGE: "changes",
    InsightKind.TOP_MOVER: "top movers",
    InsightKind.PRICE: "prices and discounts",
    InsightKind.FORECAST: "the forecast",
}


def _quiet(report: InsightReport) -> tuple[str, ...]:
    """What was checked and found nothing — only what was checked: a kind the project lacks the
    roles for is said to be not checked, never "nothing unusual"."""
    said = []
    if report.checked(InsightKind.ANOMALY) and not report.of_kind(InsightKind.ANOMALY):
        series = " and ".join(f"every {noun}" for noun in report.anomaly_nouns) or "every series"
        said.append(f"Nothing unusual: {series} sold within its expected daily range.")
    if report.checked(InsightKind.STOCK_RISK) and not report.of_kind(InsightKind.STOCK_RISK):
        location = report.nouns.get("location", "location")
        group = report.nouns.get("group", "group")
        said.append(
            f"No stock risks: no top seller runs low and no {location} is out of "
            f"{article(group)} {group} it sells."
        )
    changes = [i for i in report.of_kind(InsightKind.CHANGE) if i.kpi == "sales"]
    if changes and not worth_a_card(changes[0]):
        label = _label(report, changes[0].subject)
        said.append(f"{label} were steady against the previous period (see the figures above).")
    for u in report.unavailable:
        said.append(
            f"Not checked: {_NOT_CHECKED[u.kind]} — this project does not declare {', '.join(u.needs)} "
            "(meta.mercurios in its dbt YAML)."
        )
    return tuple(said)


def _label(report: InsightReport, metric: str) -> str:
    """The metric's label as the headline block shows it ("Net sales")."""
    figures = report.headline.figures if report.headline is not None else ()
    return next((f.label for f in figures if f.metric == metric), "Sales")


def money(report: InsightReport, value: float) -> str:
    """A whole amount in the tenant's locale and currency ('1.234 €', 'CHF 1’234'): an estimate
    shows no cents."""
    text = format_value(round(value), "currency", locale=report.locale, currency=report.currency)
    return _CENTS.sub("", text, count=1)


def impact_text(report: InsightReport, insight: Insight) -> str:
    """'≈ 1.234 € at stake' ('' without an estimate)."""
    return "" if insight.impact is None else f"≈ {money(report, insight.impact)} at stake"
