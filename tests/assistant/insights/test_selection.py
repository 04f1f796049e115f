"""What a digest shows: ranked by money at stake, each kind capped (the rest grouped, never
dropped), the forecast last, and "nothing unusual" said when a detector found nothing."""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.model import Insight, InsightKind, InsightReport, Period, Severity
from assistant.core.insights.selection import impact_text, plan_digest
from semantic_layer.query import SemanticQuery

QUERY = SemanticQuery(metrics=("net_sales",))
WEEK = Period(
    start=dt.date(2026, 10, 19),
    end=dt.date(2026, 10, 25),
    previous_start=dt.date(2026, 10, 12),
    previous_end=dt.date(2026, 10, 18),
    label="week of 2026-10-19",
)


def finding(
    kind: InsightKind,
    subject: str,
    impact: float | None,
    *,
    severity: Severity = Severity.HIGH,
    kpi: str = "",
) -> Insight:
    return Insight(
        kind=kind,
        severity=severity,
        headline=f"{subject} headline",
        subject=subject,
        kpi=kpi,
        query=QUERY,
        impact=impact,
    )


def report(*insights: Insight) -> InsightReport:
    return InsightReport(
        tenant_id="t",
        tenant_name="T",
        as_of=dt.date(2026, 10, 31),
        period=WEEK,
        currency="EUR",
        locale="de-DE",
        insights=insights,
    )


def test_eight_stock_risks_do_not_crowd_out_the_other_kinds() -> None:
    stock = [finding(InsightKind.STOCK_RISK, f"risk {n}", 5_000.0 - n * 100) for n in range(8)]
    others = [
        finding(InsightKind.CHANGE, "net_sales", 1_200.0, severity=Severity.MEDIUM, kpi="sales"),
        finding(InsightKind.ANOMALY, "Nordwind Köln", 900.0),
        finding(InsightKind.TOP_MOVER, "products", 300.0, severity=Severity.LOW),
        finding(InsightKind.FORECAST, "units_sold", None, severity=Severity.INFO),
    ]
    plan = plan_digest(report(*stock, *others))
    kinds = [i.kind for i in plan.cards]
    assert kinds.count(InsightKind.STOCK_RISK) == 3
    assert set(kinds) == {
        InsightKind.STOCK_RISK,
        InsightKind.CHANGE,
        InsightKind.ANOMALY,
        InsightKind.TOP_MOVER,
        InsightKind.FORECAST,
    }
    # most money at stake first; the forecast (no money estimate) last
    impacts = [i.impact for i in plan.cards[:-1]]
    assert impacts == sorted(impacts, reverse=True)  # type: ignore[type-var]
    assert plan.cards[-1].kind is InsightKind.FORECAST
    # the five other stock risks in one card, none dropped, the largest first
    [group] = plan.groups
    assert group.kind is InsightKind.STOCK_RISK
    assert [i.subject for i in group.insights] == [f"risk {n}" for n in range(3, 8)]
    assert group.impact == sum(5_000.0 - n * 100 for n in range(3, 8))
    assert plan.quiet == ()  # every detector had something to say


def test_nothing_unusual_is_said_and_small_changes_leave_the_card_to_the_headline() -> None:
    steady = Insight(
        kind=InsightKind.CHANGE,
        severity=Severity.INFO,  # a 2 % move
        headline="Net sales rose 2 %",
        subject="net_sales",
        kpi="sales",
        query=QUERY,
        impact=800.0,
    )
    units = finding(InsightKind.CHANGE, "units_sold", 700.0, severity=Severity.MEDIUM, kpi="units")
    plan = plan_digest(report(steady, units, finding(InsightKind.FORECAST, "units_sold", None)))
    assert [i.kind for i in plan.cards] == [InsightKind.FORECAST]
    assert any(line.startswith("Nothing unusual:") for line in plan.quiet)
    assert any(line.startswith("No stock risks:") for line in plan.quiet)
    assert any("steady" in line for line in plan.quiet)


def test_the_estimate_is_shown_in_the_tenants_currency_without_cents() -> None:
    de = report(finding(InsightKind.ANOMALY, "x", 1234.56))
    assert impact_text(de, de.insights[0]) == "≈ 1.235\u00a0€ at stake"
    ch = de.model_copy(update={"locale": "de-CH", "currency": "CHF"})
    assert impact_text(ch, ch.insights[0]) == "≈ CHF\u00a01’235 at stake"
    none = finding(InsightKind.FORECAST, "units", None)
    assert impact_text(de, none) == ""


def test_nothing_unusual_names_the_projects_own_dimensions() -> None:
    """The quiet lines use the nouns the catalog gives (roles.py), so a logistics project reads
    "every depot and every service" and a retailer still "every store and every category"."""
    retail = report().model_copy(
        update={"nouns": {"location": "store", "group": "category"}, "anomaly_nouns": ("store", "category")}
    )
    assert plan_digest(retail).quiet[:2] == (
        "Nothing unusual: every store and every category sold within its expected daily range.",
        "No stock risks: no top seller runs low and no store is out of a category it sells.",
    )
    depots = report().model_copy(
        update={"nouns": {"location": "depot", "group": "item group"}, "anomaly_nouns": ("depot",)}
    )
    quiet = " ".join(plan_digest(depots).quiet)
    assert "Nothing unusual: every depot sold within" in quiet
    assert "no depot is out of an item group it sells" in quiet
    assert "store" not in quiet and "category" not in quiet
