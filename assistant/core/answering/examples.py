"""Example questions in the project's own words, for help, refusal and suggestion texts.

Built from the catalog: the project's default metric (`meta: {mercurios: {default: true}}`, else its
first money metric) and its breakdown dimensions by role — so a logistics project is offered
"freight revenue by origin region last month", never another domain's metrics.
"""

from __future__ import annotations

from assistant.core.answering.breakdowns import breakdown_dimensions, breakdown_phrase, in_sentence
from semantic_layer.catalog import Catalog


def example_questions(catalog: Catalog, *, limit: int = 4) -> tuple[str, ...]:
    """A few questions the project can answer, simplest first."""
    metric = catalog.default_metric()
    if metric is None:
        return ()
    name = in_sentence(metric.label)
    out = [f"{name} last month"]
    dims = breakdown_dimensions(catalog, metric)
    if dims:
        out.append(f"{name} by {breakdown_phrase(catalog, dims[0])} last month")
    if "metric_time" in metric.dimensions:
        out.append(f"{name} by month this year")
    others = [m for m in catalog.metrics if m.name != metric.name and m.type == "simple"]
    if others:
        out.append(f"{in_sentence(others[0].label)} last month")
    return tuple(dict.fromkeys(out))[:limit]


def example_question(catalog: Catalog) -> str:
    """The one example a short help text quotes: a breakdown if there is one."""
    examples = example_questions(catalog)
    with_breakdown = [e for e in examples if " by " in e and " by month" not in e]
    return (with_breakdown or list(examples) or ["your headline figure last month"])[0]


def metric_names_for_help(catalog: Catalog, *, limit: int = 6) -> tuple[str, ...]:
    """Metric labels to name in a help text, the default metric first."""
    first = catalog.default_metric()
    ordered = [first, *(m for m in catalog.metrics if m is not first)] if first else list(catalog.metrics)
    return tuple(in_sentence(m.label) for m in ordered if m is not None)[:limit]


def help_text(catalog: Catalog) -> str:
    """What Mercurios answers, in the project's words: its metrics, its breakdowns, an example."""
    metric = catalog.default_metric()
    dims = breakdown_dimensions(catalog, metric)
    by = ", ".join(breakdown_phrase(catalog, d) for d in dims[:3])
    return (
        "I answer questions about your business data — for example "
        + ", ".join(metric_names_for_help(catalog))
        + f" — by {by + ' or ' if by else ''}time. Try: '{example_question(catalog)}'."
    )
