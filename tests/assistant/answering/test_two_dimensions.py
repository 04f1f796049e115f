"""Two-dimension and multi-metric answers (issue #17, item 10), on results with known numbers.

A by-store question followed by "and by week?" returns one row per store and week. The answer must
read it as one series per store — the extremes between stores and the trend between complete
weeks — with a line per store in the chart, and every number it states must pass the grounding
check. Several metrics in one plan: each metric named with its value, one chart per metric.
"""

from __future__ import annotations

from datetime import date, datetime

from assistant.core.answering.charts import chart_spec
from assistant.core.answering.grounding import check_grounding
from assistant.core.answering.narrative import write_narrative
from assistant.core.answering.result_view import ResultView
from assistant.core.answering.two_dimensions import series_table
from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import MetricPlan
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)
# net sales, units and orders add up across stores and weeks; a return rate does not
ADDITIVE = {"net_sales", "units_sold", "gross_margin"}
RETAIL = CATALOG.model_copy(
    update={"metrics": tuple(m.model_copy(update={"additive": m.name in ADDITIVE}) for m in CATALOG.metrics)}
)
LEXICON = build_lexicon(RETAIL, VALUES)


def plan(question: str, previous: MetricPlan | None = None) -> MetricPlan:
    p = OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=RETAIL, lexicon=LEXICON, previous=previous)
    )
    assert isinstance(p, MetricPlan), p
    return p


def week(day: int, month: int = 9) -> datetime:
    return datetime(2026, month, day)


# "last month" as of 2026-10-31 is September; its weeks (Monday) run from Aug 31 (partial: Sep 1-6
# only) to Sep 28 (partial: Sep 28-30). The partial weeks are tiny on purpose: a trend read from
# the first to the last row would be a made-up +1.000 %.
WEEKLY = {
    "Nordwind Hamburg": (5.0, 100.0, 130.0, 110.0, 30.0),
    "Nordwind Berlin": (4.0, 80.0, 60.0, 90.0, 20.0),
    "Nordwind Köln": (1.0, 20.0, 10.0, 8.0, 2.0),
}
WEEKS = (week(31, 8), week(7), week(14), week(21), week(28))


def by_store_and_week() -> ResultView:
    by_store = plan("net sales by store last month")
    follow = plan("and by week?", by_store)
    assert set(follow.query.group_by) == {"store__store_name", "metric_time"}
    assert follow.query.time_grain == "week"
    rows = [(w, store, values[i]) for i, w in enumerate(WEEKS) for store, values in WEEKLY.items()]
    # MetricFlow returns the rows ordered by week, the lowest store-week (Köln) among the first
    return ResultView.build(follow, ["metric_time__week", "store__store_name", "net_sales"], rows, RETAIL)


def test_week_by_store_names_extremes_per_series_and_the_trend_between_full_weeks() -> None:
    v = by_store_and_week()
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert text.startswith(
        "Net sales by store and week last month (2026-09-01 to 2026-09-30): "
        "Nordwind Hamburg highest (€375.00 in total), Nordwind Köln lowest (€41.00); "
        "overall +4.0% from €200.00 in the week of Sep 7, 2026 to €208.00 in the week of Sep 21, 2026 "
        "(full weeks only)."
    ), text
    assert "Change: Nordwind Hamburg +10.0%, Nordwind Berlin +12.5%, Nordwind Köln -60.0%." in text
    assert "lowest net sales" not in text  # not the first row of a 15-row table
    assert check_grounding(text, v).ok, check_grounding(text, v)
    # an invented trend, or a week the result does not hold, is still caught
    assert not check_grounding(text.replace("+4.0%", "+37.0%"), v).ok
    assert check_grounding(text.replace("Sep 21, 2026", "Sep 22, 2026"), v).ungrounded == ("Sep 22, 2026",)


def test_week_by_store_chart_is_a_line_per_store_largest_first() -> None:
    spec = chart_spec(by_store_and_week())
    assert spec is not None and spec["mark"]["type"] == "line"
    enc = spec["encoding"]
    assert enc["x"] == {"field": "metric_time__week", "type": "temporal", "title": "Week"}
    assert enc["color"]["field"] == "store__store_name"
    assert enc["color"]["sort"] == ["Nordwind Hamburg", "Nordwind Berlin", "Nordwind Köln"]
    values = spec["data"]["values"]
    assert len(values) == 15 and values[0]["store__store_name"] == "Nordwind Hamburg"
    assert spec["title"] == "Net sales by store and week"


def test_many_series_name_who_rose_and_fell_most_in_german_locale() -> None:
    follow = plan("and by week?", plan("net sales by store last month"))
    stores = {
        "Nordwind Hamburg": (100.0, 150.0),
        "Nordwind Berlin": (80.0, 40.0),
        "Nordwind München": (90.0, 99.0),
        "Nordwind Online": (50.0, 50.0),
    }
    rows = [(w, s, vals[i]) for i, w in enumerate((week(7), week(14))) for s, vals in stores.items()]
    v = ResultView.build(follow, ["metric_time__week", "store__store_name", "net_sales"], rows, RETAIL)
    text = write_narrative(v, locale="de-DE", currency="EUR")
    assert "Nordwind Hamburg highest (250,00\xa0€ in total), Nordwind Online lowest (100,00\xa0€)" in text
    assert "overall +5,9\xa0% from 320,00\xa0€ in the week of 07.09.2026" in text  # 339 / 320
    assert text.endswith("Nordwind Hamburg rose most, +50,0\xa0%; Nordwind Berlin fell most, -50,0\xa0%."), (
        text
    )
    assert check_grounding(text, v).ok


def test_a_ratio_by_category_and_week_speaks_of_averages_not_totals() -> None:
    p = plan("weekly return rate by category last month")
    rows = [
        (week(7), "Shoes", 0.20), (week(7), "Kids", 0.10),
        (week(14), "Shoes", 0.30), (week(14), "Kids", 0.12),
    ]  # fmt: skip
    v = ResultView.build(p, ["metric_time__week", "product__category", "return_rate"], rows, RETAIL)
    table = series_table(v)
    assert table is not None and not table.additive
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "Shoes highest (25.0% on average per week), Kids lowest (11.0%)" in text
    assert "overall" not in text  # return rates of two categories do not add up
    assert (
        "Change from the week of Sep 7, 2026 to the week of Sep 14, 2026: Shoes +50.0%, Kids +20.0%." in text
    )
    assert check_grounding(text, v).ok


def test_two_categories_get_extremes_and_a_heatmap() -> None:
    p = plan("net sales by store and category last month")
    rows = [
        ("Nordwind Hamburg", "Shoes", 50.0), ("Nordwind Hamburg", "Kids", 30.0),
        ("Nordwind Berlin", "Shoes", 10.0), ("Nordwind Berlin", "Kids", 45.0),
    ]  # fmt: skip
    v = ResultView.build(p, ["store__store_name", "product__category", "net_sales"], rows, RETAIL)
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert text.startswith(
        "Net sales by store and category last month (2026-09-01 to 2026-09-30): "
        "Nordwind Hamburg highest (€80.00 in total), Nordwind Berlin lowest (€55.00); "
        "the largest single value is Nordwind Hamburg / Shoes (€50.00), "
        "the smallest Nordwind Berlin / Shoes (€10.00)."
    ), text
    assert check_grounding(text, v).ok
    spec = chart_spec(v)
    assert spec is not None and spec["mark"] == "rect"
    assert spec["encoding"]["y"]["field"] == "store__store_name"
    assert spec["encoding"]["x"]["field"] == "product__category"
    assert spec["encoding"]["color"]["field"] == "net_sales"


def test_several_metrics_each_named_with_its_value() -> None:
    single = ResultView.build(
        plan("net sales and orders last month"), ["net_sales", "orders"], [(1234.5, 42)], RETAIL
    )
    text = write_narrative(single, locale="en-US", currency="EUR")
    assert "Net sales last month (2026-09-01 to 2026-09-30) was €1,234.50" in text
    assert "Orders last month (2026-09-01 to 2026-09-30) was 42" in text
    assert chart_spec(single) is None and check_grounding(text, single).ok

    by_store = plan("net sales and orders by store last month")
    rows = [("Nordwind Hamburg", 500.0, 20), ("Nordwind Berlin", 400.0, 25), ("Nordwind Köln", 100.0, 5)]
    v = ResultView.build(by_store, ["store__store_name", "net_sales", "orders"], rows, RETAIL)
    assert v.columns == ("store__store_name", "net_sales", "orders")  # a column per metric
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert text.startswith("Nordwind Hamburg had the highest net sales last month")
    assert text.endswith("Highest orders: Nordwind Berlin (25).")
    assert check_grounding(text, v).ok
    spec = chart_spec(v)
    assert spec is not None and [c["encoding"]["x"]["field"] for c in spec["vconcat"]] == [
        "net_sales",
        "orders",
    ]


def test_several_metrics_over_time_one_line_each_or_one_chart_each() -> None:
    monthly = plan("net sales and gross margin by month this year")
    rows = [(date(2026, 1, 1), 100.0, 40.0), (date(2026, 2, 1), 120.0, 45.0), (date(2026, 3, 1), 90.0, 30.0)]
    v = ResultView.build(monthly, ["metric_time__month", "net_sales", "gross_margin"], rows, RETAIL)
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "Net sales by month" in text and "Gross margin: from €40.00" in text and "Highest: €45.00" in text
    assert check_grounding(text, v).ok
    spec = chart_spec(v)  # both are amounts: one chart, a line per metric
    assert spec is not None and spec["encoding"]["color"]["field"] == "metric"
    assert {d["metric"] for d in spec["data"]["values"]} == {"Net sales", "Gross margin"}

    mixed = plan("net sales and orders by month this year")
    rows = [(date(2026, 1, 1), 100.0, 4), (date(2026, 2, 1), 120.0, 5)]
    v = ResultView.build(mixed, ["metric_time__month", "net_sales", "orders"], rows, RETAIL)
    spec = chart_spec(v)  # an amount and a count: a chart each, each with its own axis
    assert spec is not None and [c["encoding"]["y"]["field"] for c in spec["vconcat"]] == [
        "net_sales",
        "orders",
    ]
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "Orders: from 4" in text and check_grounding(text, v).ok
