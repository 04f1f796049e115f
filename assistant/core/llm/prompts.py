"""The planner's and the narrator's prompts, built only from what one turn may see.

Everything tenant-specific in a prompt comes through the arguments: the catalog slice (shared
definitions, no data), the values the question itself named (this tenant's lexicon) and the
previous plan of this conversation. Nothing here reads a global list of tenants, stores or
products, so nothing of another tenant can leak in.
"""

from __future__ import annotations

import json
from datetime import date

from assistant.core.llm.catalog_slice import CatalogSlice
from assistant.core.planning.plans import MetricPlan
from assistant.core.planning.time_range import TimeMatch
from semantic_layer.catalog import MetricInfo

TIME_CONVENTIONS = """\
Time conventions (use them to fill time_range; dates are inclusive):
- "today" is the as-of date below. Weeks start on Monday.
- "last week/month/quarter/year" = the previous full calendar period.
- "this week/month/quarter/year" = from its start through the as-of date.
- "YTD" = January 1 through the as-of date.
- "last N days" = the N days ending on the as-of date, inclusive.
- "last N weeks/months" = the N full periods before the current one.
- "vs last year" / "YoY" = comparison same_period_last_year; "vs the period before" = previous_period.
- No time words = all loaded data: omit time_range."""

PLANNER_RULES = """\
You turn a question about this company's business data into exactly one tool call. Rules:
- Use only the metric and dimension names listed below, spelled exactly.
- Filter values must be copied exactly from "values named in the question".
- "by X" is a group_by; "in/for/only X" is a filter. "top N" = order_by the metric descending + limit N.
- A trend ("per month", "over time") is group_by ["metric_time"] with time_grain.
- If the question is ambiguous or names something not listed, call ask_clarification.
- If it is not about this company's business data, call refuse.
- Never invent numbers; you only plan the query."""


def _metric_line(m: MetricInfo) -> str:
    also = f"; also called: {', '.join(m.synonyms)}" if m.synonyms else ""
    desc = f" — {m.description}" if m.description else ""
    return f"- {m.name}: {m.label}{desc}{also} (format {m.format or 'number'})"


def planner_system_prompt(*, sql_schema: str = "", allow_sql: bool = False) -> str:
    parts = [PLANNER_RULES, TIME_CONVENTIONS]
    if allow_sql:
        parts.append(
            "Only if query_metrics cannot express the question, call run_sql with one read-only SELECT. "
            "Do not filter by tenant yourself; the guard adds it."
            + (f"\nTables:\n{sql_schema}" if sql_schema else "")
        )
    return "\n\n".join(parts)


def planner_user_prompt(
    question: str,
    *,
    as_of: date,
    context: CatalogSlice,
    time_hint: TimeMatch | None,
    previous: MetricPlan | None,
) -> str:
    lines = [f"As-of date (today): {as_of.isoformat()} ({as_of.strftime('%A')})", "", "Metrics:"]
    lines += [_metric_line(m) for m in context.metrics]
    lines += ["", "Dimensions:"]
    for d in context.dimensions:
        also = f"; also called: {', '.join(d.synonyms)}" if d.synonyms else ""
        lines.append(f"- {d.name}: {d.label} ({d.type}){also}")
    if context.values:
        lines += ["", "Values named in the question:"]
        lines += [f'- {v.dimension} = "{v.value}" (written: "{v.as_written}")' for v in context.values]
    if context.examples:
        lines += ["", "Verified examples of similar questions and their query plans (follow their style):"]
        lines += [f"- {q} → {plan}" for q, plan in context.examples]
    if time_hint is not None:
        r = time_hint.range
        lines += [
            "",
            f'The time phrase "{time_hint.phrase}" means {r.start.isoformat()} to {r.end.isoformat()} '
            "under the conventions.",
        ]
    if previous is not None:
        prev = {
            "query": previous.query.model_dump(mode="json", exclude_defaults=True),
            "period": previous.period.label,
            "comparison": previous.comparison,
            "share_of_total": previous.share_of_total,
        }
        lines += [
            "",
            "Previous question's plan in this conversation (a follow-up like 'and by store?' "
            "or 'what about last year?' changes only what it names):",
            json.dumps(prev, ensure_ascii=False),
        ]
    lines += ["", f"Question: {question}"]
    return "\n".join(lines)


NARRATOR_SYSTEM_PROMPT = """\
You write the answer to an analytics question about this company's data in 1 to 3 plain sentences.
Use only numbers that appear in the result below, written exactly as formatted there; never compute
new numbers, never round differently, never guess causes. Name the period. No markdown, no preamble."""
