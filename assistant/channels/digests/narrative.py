"""The digest's opening summary: by the LLM when one is configured (and only if every number in it
is grounded in the insights), by the template otherwise — and the record says which, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from assistant.core.insights.model import InsightReport
from assistant.core.insights.narrative import template_summary

if TYPE_CHECKING:  # the LLM modules load only when a model is configured
    from assistant.core.llm.narrator import Narration


class InsightWriter(Protocol):
    def write(self, report: InsightReport, *, template: str) -> Narration: ...


@dataclass(frozen=True)
class Summary:
    text: str
    source: Literal["llm", "template"]
    note: str  # for the delivery record: which writer, and why the template when an LLM was asked

    @property
    def used_llm(self) -> bool:
        return self.source == "llm"


class DigestSummaries:
    def __init__(self, llm: InsightWriter | None = None) -> None:
        self.llm = llm

    def summarise(self, report: InsightReport) -> Summary:
        template = template_summary(report)
        if self.llm is None:
            return Summary(template, "template", "")
        narration = self.llm.write(report, template=template)
        if narration.source == "llm":
            return Summary(narration.text, "llm", "summary written by the LLM (numbers grounded)")
        return Summary(
            template, "template", f"summary from the template: LLM draft not used ({narration.error})"
        )
