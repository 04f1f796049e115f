"""A report's summary in words: the template writer (always available), and the numeric grounding
check an LLM-written summary must pass — the same check as chat answers, over the insights' numbers.

Facts are every number the typed insights carry (figures, drivers, their magnitudes), the counts of
findings, the period's dates and the numbers already in the template headlines (which are written
from those figures). A number in an LLM draft that matches none of them, within rounding, rejects
the draft: a wrong number in fluent prose is worse than a plain sentence.
"""

from __future__ import annotations

from assistant.core.answering.grounding import NUMBER_PATTERN, GroundingReport, numbers_close, parse_number
from assistant.core.insights.model import Insight, InsightReport, Severity
from assistant.core.insights.selection import plan_digest


def shown(report: InsightReport) -> tuple[Insight, ...]:
    """The findings a digest shows one by one, in its order."""
    return plan_digest(report).cards


def template_summary(report: InsightReport) -> str:
    top = shown(report)
    if not top:
        return f"Nothing stood out for {report.tenant_name} in the {report.period.label}."
    counts = {s: sum(1 for i in top if i.severity == s) for s in Severity}
    parts = []
    if counts[Severity.HIGH]:
        n = counts[Severity.HIGH]
        parts.append(f"{n} finding{'s' if n > 1 else ''} need{'' if n > 1 else 's'} attention")
    if counts[Severity.MEDIUM]:
        n = counts[Severity.MEDIUM]
        parts.append(f"{n} {'are' if n > 1 else 'is'} worth a look")
    if not parts:
        parts.append("no urgent findings")
    return (
        f"{report.tenant_name}, {report.period.label}: {' and '.join(parts)}. "
        f"Most important: {top[0].headline}"
    )


def _numbers(text: str) -> set[float]:
    found = set()
    for m in NUMBER_PATTERN.finditer(text):
        parsed = parse_number(m.group(0))
        if parsed is not None:
            value, percent, _scale = parsed
            found.add(value / 100.0 if percent else value)
    return found


def insight_facts(report: InsightReport) -> set[float]:
    facts: set[float] = set(float(n) for n in range(0, 11))
    insights = report.insights
    facts.add(float(len(insights)))
    facts.update(float(sum(1 for i in insights if i.severity == s)) for s in Severity)
    top = shown(report)
    facts.add(float(len(top)))
    facts.update(float(sum(1 for i in top if i.severity == s)) for s in Severity)
    p = report.period
    for day in (p.start, p.end, p.previous_start, p.previous_end, report.as_of):
        facts.update({float(day.year), float(day.month), float(day.day)})
    facts.add(float(p.days))
    for insight in insights:
        facts.update(float(f.value) for f in insight.figures if f.value is not None)
        if insight.impact is not None:
            facts.update({insight.impact, float(round(insight.impact))})
        for d in insight.drivers:
            facts.update({d.current, d.previous, d.change})
            if d.share_of_change is not None:
                facts.add(d.share_of_change)
        facts |= _numbers(insight.headline) | _numbers(insight.subject)
    if report.headline is not None:
        for figure in report.headline.figures:
            values = (
                figure.current,
                figure.previous,
                figure.last_year,
                figure.vs_previous,
                figure.vs_last_year,
            )
            facts.update(v for v in values if v is not None)
            if figure.change_kind == "points":  # "+1.3 pp" is written as 1.3
                facts.update(v * 100 for v in (figure.vs_previous, figure.vs_last_year) if v is not None)
        for row in report.headline.stores:
            facts.update(
                v for v in (row.sales, row.purchases, row.vs_previous, row.vs_last_year) if v is not None
            )
    return facts | {-f for f in facts}  # "fell 12 %" states a change of -0.12 as a magnitude


def check_insight_grounding(text: str, report: InsightReport) -> GroundingReport:
    facts = insight_facts(report)
    bad: list[str] = []
    for m in NUMBER_PATTERN.finditer(text):
        parsed = parse_number(m.group(0))
        if parsed is None:
            continue
        value, percent, scale = parsed
        # Stricter than chat answers: every percent behind an insight is a fraction, so "15 %" must
        # match a fraction 0.15, never a 15 that happens to be a day of the month.
        candidate = value / 100.0 if percent else value
        if not any(numbers_close(candidate, f, scale) for f in facts):
            bad.append(m.group(0).strip())
    return GroundingReport(ok=not bad, ungrounded=tuple(bad))
