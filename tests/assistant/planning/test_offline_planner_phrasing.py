"""Phrasings retailers use that the golden set's second wave exposed: a superlative the ranking did
not know ("fewest"), "percentage" inside a metric's name, and everyday verbs ("bring in") that the
typo corrector bent into a dimension value ("bing", a traffic source)."""

from __future__ import annotations

from datetime import date

from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import MetricPlan
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)
LEXICON = build_lexicon(CATALOG, {**VALUES, "web_session__source": ("google", "bing", "newsletter")})


def metric_plan(question: str) -> MetricPlan:
    result = OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=CATALOG, lexicon=LEXICON)
    )
    assert isinstance(result, MetricPlan), result
    return result


def test_fewest_ranks_from_the_bottom() -> None:
    p = metric_plan("which category sold the fewest units last month?")
    assert p.query.metrics == ("units_sold",) and p.query.group_by == ("product__category",)
    assert p.query.limit == 1 and not p.query.order_by[0].descending


def test_percentage_in_a_metric_phrase_is_not_a_share() -> None:
    assert not metric_plan("margin percentage last month").share_of_total
    assert metric_plan("what percentage of sales is online?").share_of_total


def test_bring_in_is_not_a_typo_for_a_traffic_source() -> None:
    p = metric_plan("what % of revenue did each store bring in last quarter")
    assert p.share_of_total and p.query.group_by == ("store__store_name",)
    assert all(f.dimension != "web_session__source" for f in p.query.filters)


def test_abbreviated_time_units_are_read_as_the_full_words() -> None:
    p = metric_plan("gross sales last wk")
    assert (p.query.time_range.start, p.query.time_range.end) == (date(2026, 10, 19), date(2026, 10, 25))
    q = metric_plan("orders past 3 mths by store")
    assert (q.query.time_range.start, q.query.time_range.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert q.query.group_by == ("store__store_name",)
