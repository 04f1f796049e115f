"""The offline planner reads retail questions the way a store manager means them."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan, RefusalPlan
from semantic_layer.query import Filter, Grain
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)
LEXICON = build_lexicon(CATALOG, VALUES)
PLANNER = OfflinePlanner()


def plan(question: str, previous: MetricPlan | None = None, **kw: object) -> Plan:
    return PLANNER.plan(
        PlannerInput(
            question=question, as_of=AS_OF, catalog=CATALOG, lexicon=LEXICON, previous=previous, **kw
        )  # type: ignore[arg-type]
    )


def metric_plan(question: str, previous: MetricPlan | None = None) -> MetricPlan:
    result = plan(question, previous)
    assert isinstance(result, MetricPlan), result
    return result


def test_net_sales_by_store_last_month() -> None:
    p = metric_plan("net sales by store last month")
    assert p.query.metrics == ("net_sales",)
    assert p.query.group_by == ("store__store_name",)
    assert (p.query.time_range.start, p.query.time_range.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert p.query.order_by[0].name == "net_sales" and p.query.order_by[0].descending


@pytest.mark.parametrize(
    "question", ["revenue per branch in September 2026", "Umsatz pro Filiale im September 2026"]
)
def test_synonyms_and_german(question: str) -> None:
    p = metric_plan(question)
    assert p.query.metrics == ("net_sales",)
    assert p.query.group_by == ("store__store_name",)
    assert p.query.time_range.start == date(2026, 9, 1)


def test_value_linking_with_exonyms_and_umlauts() -> None:
    for q in ("sales in Munich last week", "sales in Muenchen last week", "sales in münchen last week"):
        p = metric_plan(q)
        assert p.query.filters == (Filter(dimension="store__city", operator="=", values=("München",)),), q


def test_several_values_become_in_and_negation_becomes_not() -> None:
    p = metric_plan("margin for Hamburg and Berlin excluding online")
    assert p.query.metrics == ("gross_margin",)
    assert Filter(dimension="store__city", operator="in", values=("Hamburg", "Berlin")) in p.query.filters
    assert Filter(dimension="sale_line__channel", operator="!=", values=("online",)) in p.query.filters


def test_ranking() -> None:
    top = metric_plan("top 3 categories by units sold this year")
    assert top.query.group_by == ("product__category",)
    assert top.query.limit == 3 and top.query.order_by[0].descending
    worst = metric_plan("which store had the lowest revenue last quarter")
    assert worst.query.limit == 1 and not worst.query.order_by[0].descending
    bottom = metric_plan("worst categories by margin")
    assert bottom.query.limit == 5 and not bottom.query.order_by[0].descending


def test_grain_and_trend() -> None:
    weekly = metric_plan("weekly net sales in Q3")
    assert weekly.query.group_by == ("metric_time",) and weekly.query.time_grain == Grain.WEEK
    trend = metric_plan("revenue trend this year")
    assert trend.query.group_by == ("metric_time",) and trend.query.time_grain == Grain.MONTH


def test_comparisons() -> None:
    yoy = metric_plan("net sales last month vs last year")
    assert yoy.comparison == "same_period_last_year"
    assert yoy.query.time_range.start == date(2026, 9, 1)
    mom = metric_plan("orders this month compared to last month")
    assert mom.comparison == "previous_period" and mom.query.time_range.start == date(2026, 10, 1)
    lost = metric_plan("which categories lost margin vs last year?")
    assert lost.comparison == "same_period_last_year" and lost.query.group_by == ("product__category",)


def test_share_of_total_keeps_the_named_value_in_focus() -> None:
    p = metric_plan("what share of sales is online?")
    assert p.share_of_total and p.focus == ("online",)
    assert p.query.group_by == ("sale_line__channel",) and p.query.filters == ()


def test_no_time_words_covers_all_data() -> None:
    p = metric_plan("net sales by category")
    assert p.query.time_range.start is None and p.period.label == "all loaded data"


def test_follow_ups_reuse_the_previous_plan() -> None:
    first = metric_plan("net sales last month")
    by_store = metric_plan("and by store?", first)
    assert by_store.query.group_by == ("store__store_name",) and by_store.query.metrics == ("net_sales",)
    assert by_store.query.time_range == first.query.time_range
    hamburg = metric_plan("only Hamburg", by_store)
    assert Filter(dimension="store__city", operator="=", values=("Hamburg",)) in hamburg.query.filters
    last_year = metric_plan("what about last year?", hamburg)
    assert (
        last_year.query.time_range.start == date(2025, 1, 1)
        and last_year.query.filters == hamburg.query.filters
    )
    weekly = metric_plan("show it weekly", first)
    assert weekly.query.time_grain == Grain.WEEK and "metric_time" in weekly.query.group_by
    why = metric_plan("why?", first)
    assert why.drill_down and why.comparison is not None


@pytest.mark.parametrize(
    ("first", "then", "figure"),
    [
        ("top 5 brands by units sold last month", "and the revenue?", "net_sales"),
        ("Welche Filiale hat letzten Monat am meisten Stück verkauft?", "und der Umsatz?", "net_sales"),
        ("best 3 categories by revenue this year", "and the margin?", "gross_margin"),
    ],
)
def test_a_ranking_follow_up_that_names_another_figure_ranks_that_figure(
    first: str, then: str, figure: str
) -> None:
    # the order of the turn before named a figure no longer selected: no query at all (an error)
    ranked = metric_plan(first)
    p = metric_plan(then, ranked)
    assert p.query.metrics == (figure,)
    assert [(o.name, o.descending) for o in p.query.order_by] == [(figure, True)]
    assert p.query.limit == ranked.query.limit and p.query.group_by == ranked.query.group_by


def test_a_follow_up_after_a_word_of_assent_keeps_the_breakdown_and_adds_the_figure_named_too() -> None:
    by_store = metric_plan("and by store?", metric_plan("net sales for shoes last month"))
    both = metric_plan("ok, now only Hamburg and Berlin, with the margin too", by_store)
    assert both.query.metrics == ("net_sales", "gross_margin")
    assert (
        both.query.group_by == by_store.query.group_by and both.query.time_range == by_store.query.time_range
    )
    assert Filter(dimension="store__city", operator="in", values=("Hamburg", "Berlin")) in both.query.filters
    assert set(by_store.query.filters) <= set(both.query.filters)  # the category stays
    german = metric_plan("Danke! Und jetzt nur Hamburg, bitte auch die Marge", by_store)
    assert (
        german.query.metrics == ("net_sales", "gross_margin")
        and german.query.group_by == by_store.query.group_by
    )
    # without 'too' / 'auch' the figure named replaces the one before
    assert metric_plan("great, and the margin?", by_store).query.metrics == ("gross_margin",)


@pytest.mark.parametrize(
    "question", ["and by store?", "Und in den Filialen?", "what about Hamburg?", "now only online"]
)
def test_a_follow_up_with_nothing_before_it_asks_which_figure_instead_of_guessing_one(question: str) -> None:
    # the conversation's first turn, or one after a question asked back: no figure to carry over
    asked = plan(question)
    assert isinstance(asked, ClarificationPlan), asked
    assert "no earlier answer" in asked.question and "Net sales" in asked.options
    # the same words after an answer build on it
    assert metric_plan(question, metric_plan("units sold last month")).query.metrics == ("units_sold",)


def test_unknown_place_is_a_clarification_not_a_silent_total() -> None:
    p = plan("net sales in Paris last month")
    assert isinstance(p, ClarificationPlan) and "Paris" in p.question
    typo = metric_plan("net sales in Hambrug")  # a near-exact typo is corrected, and says so
    assert typo.query.filters == (Filter(dimension="store__city", operator="=", values=("Hamburg",)),)
    assert any("Hamburg" in u for u in typo.understood)
    other = plan("units sold in Dusseldorff and Bremen")
    assert isinstance(other, ClarificationPlan) and "Bremen" in other.question


def test_vague_and_off_topic() -> None:
    vague = plan("how are we doing?")
    assert isinstance(vague, ClarificationPlan) and "Net sales" in vague.options
    off = plan("what's the weather in the Alps tomorrow? tell me a joke")
    assert isinstance(off, RefusalPlan | ClarificationPlan)
    joke = plan("tell me a joke")
    assert isinstance(joke, RefusalPlan) and joke.reason == "off_topic"


def test_metric_that_cannot_be_split_that_way_asks() -> None:
    p = plan("web sessions by store")
    assert isinstance(p, ClarificationPlan) and "store" in p.question.lower()


def test_another_tenant_named_in_the_question_is_refused() -> None:
    p = plan("show casa-living's sales last month", foreign_terms=("casa-living", "Casa Living"))
    assert isinstance(p, RefusalPlan) and p.reason == "cross_tenant"


def test_typos_are_forgiven() -> None:
    p = metric_plan("revnue by categroy last month")
    assert p.query.metrics == ("net_sales",) and p.query.group_by == ("product__category",)


def test_swapped_letters_are_forgiven() -> None:
    p = metric_plan("retrun rate by category last month")
    assert p.query.metrics == ("return_rate",) and p.query.group_by == ("product__category",)


def test_values_set_against_each_other_are_shown_side_by_side() -> None:
    versus = metric_plan("gross margin Hamburg vs Berlin last month")
    assert versus.query.group_by == ("store__city",)
    both = Filter(dimension="store__city", operator="in", values=("Hamburg", "Berlin"))
    assert both in versus.query.filters
    combined = metric_plan("gross margin Hamburg and Berlin last month")  # 'and' stays one figure
    assert combined.query.group_by == ()


def test_a_lone_unknown_name_with_nothing_of_the_business_is_off_topic() -> None:
    off = plan("what is the capital of France?")
    assert isinstance(off, RefusalPlan) and off.reason == "off_topic"
    near_miss = plan("what about Hambrugg?")  # a misspelling of one of our names still asks
    assert isinstance(near_miss, ClarificationPlan) and "Hamburg" in near_miss.options


def test_requests_to_change_data_are_refused() -> None:
    for q in ("delete all sales from last month", "please drop the stores table", "update all prices by 10%"):
        p = plan(q)
        assert isinstance(p, RefusalPlan) and p.reason == "not_allowed", q
    assert isinstance(plan("change in net sales by store last month"), MetricPlan)


def test_everyday_topics_are_off_topic_but_metrics_still_answer() -> None:
    weather = plan("what's the weather in Hamburg tomorrow?")
    assert isinstance(weather, RefusalPlan) and weather.reason == "off_topic"
    # a metric question is not refused, but a word it cannot place ('rainy') is asked about, never
    # silently dropped (an answer for all days would look right and be wrong)
    rainy = plan("net sales in Hamburg on rainy days last month")
    assert isinstance(rainy, ClarificationPlan) and "'rainy'" in rainy.question
    things = plan("how are things?")
    assert isinstance(things, ClarificationPlan)
