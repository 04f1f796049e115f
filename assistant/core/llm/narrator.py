"""The LLM narrative writer: a friendlier 1–3 sentence answer, or the template when in doubt.

The model sees the question as the planner understood it, the period and scope, a capped slice of
the result (formatted in the tenant's locale and currency, so it can copy numbers instead of
computing them) and the template's sentence as a correct reference. Its text is used only if every
number in it passes the grounding check against the result; one ungrounded number — or a failed,
slow or empty call — and the user gets the template instead. A wrong number in fluent prose is
worse than a plain sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from assistant.core.answering.formatting import format_value
from assistant.core.answering.grounding import check_grounding
from assistant.core.answering.result_view import ResultView
from assistant.core.insights.headline_view import headline_view
from assistant.core.insights.model import InsightReport
from assistant.core.insights.narrative import check_insight_grounding, shown
from assistant.core.insights.selection import impact_text
from assistant.core.llm.client import LlmClient, Usage
from assistant.core.llm.errors import LlmUnavailableError
from assistant.core.llm.prompts import NARRATOR_SYSTEM_PROMPT

MAX_TEXT_CHARS = 700


@dataclass(frozen=True)
class Narration:
    """`grounded`: the returned `text` passed the grounding check. `ungrounded`: the numbers of a
    rejected LLM draft (why the template was used); empty when the draft was accepted or none came.
    `error`: why no usable draft came (timeout, provider down, empty answer)."""

    text: str
    source: Literal["llm", "template"]
    grounded: bool
    ungrounded: tuple[str, ...]
    usage: Usage
    error: str = ""


class LlmNarrator:
    def __init__(self, client: LlmClient, *, max_rows: int = 20, max_tokens: int = 300) -> None:
        self.client = client
        self.max_rows = max_rows
        self.max_tokens = max_tokens

    def write(
        self, view: ResultView, *, template: str, locale: str, currency: str, question: str = ""
    ) -> Narration:
        if not view.rows:
            return self._template(view, template, Usage(), error="no rows: nothing for a model to add")
        prompt = self.prompt(view, template=template, locale=locale, currency=currency, question=question)
        messages = [
            {"role": "system", "content": NARRATOR_SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
        ]
        try:
            completion = self.client.complete(messages, max_tokens=self.max_tokens)
        except LlmUnavailableError as exc:
            return self._template(view, template, exc.usage, error=exc.message)
        text = " ".join(completion.text.split())
        if not text or len(text) > MAX_TEXT_CHARS:
            reason = "empty answer" if not text else "answer too long"
            return self._template(view, template, completion.usage, error=reason)
        report = check_grounding(text, view)
        if not report.ok:
            return self._template(view, template, completion.usage, ungrounded=report.ungrounded)
        return Narration(text=text, source="llm", grounded=True, ungrounded=(), usage=completion.usage)

    def prompt(
        self, view: ResultView, *, template: str, locale: str, currency: str, question: str = ""
    ) -> str:
        """Only what the answer needs: the reading of the question, the period, and at most
        `max_rows` rows (the result is already ordered as asked; a series keeps its last row)."""
        rows = list(view.rows)
        shown = rows[: self.max_rows]
        if len(rows) > self.max_rows and view.time_column is not None:
            shown = [*rows[: self.max_rows - 1], rows[-1]]
        header = " | ".join(view.labels.get(c, c) for c in view.columns)
        body = [
            " | ".join(_cell(view, c, v, locale, currency) for c, v in zip(view.columns, row, strict=True))
            for row in shown
        ]
        omitted = f", {len(rows) - len(shown)} more not shown" if len(rows) > len(shown) else ""
        lines = []
        if question:
            lines.append(f"Question: {question}")
        lines += [
            f"Understood as: {'; '.join(view.plan.understood)}" if view.plan.understood else "",
            f"Period: {view.plan.period.label}",
            f"Scope: {view.scope}" if view.scope else "",
            f"Result ({len(rows)} rows{omitted}):",
            header,
            *body,
            "",
            f"Reference summary (correct, but plain): {template}",
        ]
        return "\n".join(line for line in lines if line)

    @staticmethod
    def _template(
        view: ResultView, template: str, usage: Usage, *, ungrounded: tuple[str, ...] = (), error: str = ""
    ) -> Narration:
        return Narration(
            text=template,
            source="template",
            grounded=check_grounding(template, view).ok,
            ungrounded=ungrounded,
            usage=usage,
            error=error or ("ungrounded numbers: " + ", ".join(ungrounded) if ungrounded else ""),
        )


def _cell(view: ResultView, column: str, cell: object, locale: str, currency: str) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, dt.date | dt.datetime):
        return cell.isoformat()[:10]
    return format_value(cell, view.fmt(column), locale=locale, currency=currency)


INSIGHTS_SYSTEM_PROMPT = """\
You write the opening summary of a retailer's insight digest in 2 to 4 plain sentences: what needs
attention first, then what else changed. Use only the findings below and only numbers that appear
there, written exactly as formatted; never compute new numbers, never guess causes. No markdown,
no greeting, no preamble."""


class InsightNarrator:
    """The digest summary from typed insights, by the LLM — kept only if every number in it passes
    the numeric grounding check against the insights' numbers (`assistant/core/insights/narrative.py`);
    otherwise, or when the model fails, the template summary, with the reason in `error`."""

    def __init__(self, client: LlmClient, *, max_items: int = 8, max_tokens: int = 300) -> None:
        self.client = client
        self.max_items = max_items
        self.max_tokens = max_tokens

    def write(self, report: InsightReport, *, template: str) -> Narration:
        if not report.insights:
            return Narration(template, "template", True, (), Usage(), error="no insights to summarise")
        messages = [
            {"role": "system", "content": INSIGHTS_SYSTEM_PROMPT},
            {"role": "user", "content": self.prompt(report, template=template)},
        ]
        try:
            completion = self.client.complete(messages, max_tokens=self.max_tokens)
        except LlmUnavailableError as exc:
            return Narration(template, "template", True, (), exc.usage, error=exc.message)
        text = " ".join(completion.text.split())
        if not text or len(text) > MAX_TEXT_CHARS:
            reason = "empty answer" if not text else "answer too long"
            return Narration(template, "template", True, (), completion.usage, error=reason)
        check = check_insight_grounding(text, report)
        if not check.ok:
            return Narration(
                template,
                "template",
                True,
                check.ungrounded,
                completion.usage,
                error="ungrounded numbers: " + ", ".join(check.ungrounded),
            )
        return Narration(text=text, source="llm", grounded=True, ungrounded=(), usage=completion.usage)

    def prompt(self, report: InsightReport, *, template: str) -> str:
        """The findings a reader of the digest sees, each with its numbers formatted for the tenant."""
        lines = [
            f"Retailer: {report.tenant_name}",
            f"Period: {report.period.label} ({report.period.start} to {report.period.end})",
        ]
        if report.headline is not None:
            lines += headline_view(report, report.headline).text_lines()
        lines.append("Findings, most important first:")
        for n, insight in enumerate(shown(report)[: self.max_items], start=1):
            numbers = "; ".join(
                f"{f.name.replace('_', ' ')} = "
                + format_value(f.value, f.format, locale=report.locale, currency=report.currency)
                for f in insight.figures
                if f.value is not None
            )
            lines.append(f"{n}. [{insight.severity.value}] {insight.kind.value}: {insight.headline}")
            if insight.impact is not None:
                lines.append(f"   {impact_text(report, insight)} ({insight.impact_basis})")
            if numbers:
                lines.append(f"   numbers: {numbers}")
        lines += ["", f"Reference summary (correct, but plain): {template}"]
        return "\n".join(lines)
