"""Narratives, charts, follow-ups and the grounding check, on results shaped like MetricFlow's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.core.answering.charts import chart_spec
from assistant.core.answering.followups import suggest_followups
from assistant.core.answering.formatting import format_value
from assistant.core.answering.grounding import check_grounding
from assistant.core.answering.narrative import write_narrative
from assistant.core.answering.result_view import ResultView
from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import MetricPlan
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)
LEXICON = build_lexicon(CATALOG, VALUES)


def plan(question: str, previous: MetricPlan | None = None) -> MetricPlan:
    p = OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=CATALOG, lexicon=LEXICON, previous=previous)
    )
    assert isinstance(p, MetricPlan), p
    return p


def view(question: str, columns: list[str], rows: list[tuple[object, ...]]) -> ResultView:
    return ResultView.build(plan(question), columns, rows, CATALOG)


def test_locale_formatting() -> None:
    assert (
        format_value(Decimal("1234567.891"), "currency", locale="de-DE", currency="EUR")
        == "1.234.567,89\xa0€"
    )
    assert format_value(1234567.891, "currency", locale="de-CH", currency="CHF") == "CHF\xa01’234’567.89"
    assert format_value(0.4213, "percent", locale="de-AT", currency="EUR").startswith("42,1")
    assert format_value(None, "currency", locale="de-DE", currency="EUR") == "–"


def test_single_value_narrative_names_the_period_and_amount() -> None:
    v = view("net sales last month", ["net_sales"], [(Decimal("812345.60"),)])
    text = write_narrative(v, locale="de-DE", currency="EUR")
    assert text == "Net sales last month (2026-09-01 to 2026-09-30) was 812.345,60\xa0€."
    assert chart_spec(v) is None
    assert check_grounding(text, v).ok


def test_ranking_narrative_and_bar_chart() -> None:
    rows = [("Nordwind Hamburg", 120000.0), ("Nordwind Berlin", 98000.5), ("Nordwind München", 87000.0)]
    v = view("top 3 stores by net sales last month", ["store__store_name", "net_sales"], rows)
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert text.startswith("Nordwind Hamburg had the highest net sales last month")
    assert "€120,000.00" in text and "Nordwind Berlin (€98,000.50)" in text
    spec = chart_spec(v)
    assert spec is not None and spec["mark"] == "bar" and len(spec["data"]["values"]) == 3
    assert check_grounding(text, v).ok


def test_time_series_narrative_and_line_chart() -> None:
    rows = [(date(2026, 7, 1), 10.0), (date(2026, 8, 1), 30.0), (date(2026, 9, 1), 20.0)]
    v = view("monthly units sold in Q3", ["metric_time__month", "units_sold"], rows)
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "from 10" in text and "to 20" in text and "Highest: 30" in text
    spec = chart_spec(v)
    assert spec is not None and spec["mark"]["type"] == "line"
    assert spec["data"]["values"][0]["metric_time__month"] == "2026-07-01"


def test_comparison_narrative_lists_decliners() -> None:
    cols = [
        "product__category",
        "gross_margin",
        "gross_margin__comparison",
        "gross_margin__change",
        "gross_margin__change_pct",
    ]
    rows = [
        ("Kids", 900.0, 1000.0, -100.0, -0.1),
        ("Shoes", 1100.0, 1000.0, 100.0, 0.1),
        ("Menswear", 500.0, 520.0, -20.0, -20 / 520),
    ]
    v = view("which categories lost margin vs last year?", cols, rows)
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "2 of 3 declined" in text and text.index("Kids") < text.index("Menswear")
    assert "1 grew" in text and "Shoes (+10.0%)" in text
    assert check_grounding(text, v).ok
    assert chart_spec(v)["encoding"]["x"]["field"] == "gross_margin__change_pct"  # type: ignore[index]


def test_the_biggest_drop_when_nothing_dropped_says_so() -> None:
    cols = [
        "store__store_name",
        "net_sales",
        "net_sales__comparison",
        "net_sales__change",
        "net_sales__change_pct",
    ]
    v = view("which store had the biggest drop in net sales vs last year last month?", cols,
             [("Nordwind Berlin", 1050.0, 1000.0, 50.0, 0.05)])  # fmt: skip
    assert v.plan.query.order_by[0].name == "net_sales__change" and not v.plan.query.order_by[0].descending
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert "no store declined" in text and "Nordwind Berlin (+5.0%)" in text
    dropped = view("which store had the biggest drop in net sales vs last year last month?", cols,
                   [("Nordwind Berlin", 950.0, 1000.0, -50.0, -0.05)])  # fmt: skip
    text = write_narrative(dropped, locale="en-US", currency="EUR")
    assert "declined" in text and "no store" not in text and "Nordwind Berlin (-5.0%)" in text


def test_share_narrative_focuses_on_the_named_value() -> None:
    cols = ["sale_line__channel", "net_sales", "net_sales__share"]
    v = view("what share of sales is online?", cols, [("store", 750.0, 0.75), ("online", 250.0, 0.25)])
    text = write_narrative(v, locale="en-US", currency="EUR")
    # the share asked about, with the whole it is of (a share of one part, session 30)
    assert text.startswith("Online accounted for 25.0% of net sales (€250.00 of €1,000.00)")
    assert chart_spec(v)["mark"]["type"] == "arc"  # type: ignore[index]


def test_grounding_catches_a_hallucinated_number() -> None:
    v = view("net sales last month", ["net_sales"], [(812345.6,)])
    assert check_grounding("Net sales were €812,345.60 last month.", v).ok
    assert check_grounding("Net sales were 812.345,60 € last month.", v).ok
    report = check_grounding("Net sales were €812,345.60, up 12% on last year.", v)
    assert not report.ok and report.ungrounded == ("12%",)
    assert not check_grounding("Net sales were €900,000 last month.", v).ok


def test_no_rows_says_so() -> None:
    v = view("net sales in Hamburg last week", ["net_sales"], [])
    assert write_narrative(v, locale="en-US", currency="EUR").startswith(
        "There is no data for Hamburg last week"
    )


def test_followups_are_understood_as_follow_ups() -> None:
    v = view("net sales last month", ["net_sales"], [(1.0,)])
    suggestions = suggest_followups(v, CATALOG)
    assert "and by store?" in suggestions and "what about vs last year?" in suggestions
    for s in suggestions:
        follow = OfflinePlanner().plan(
            PlannerInput(question=s, as_of=AS_OF, catalog=CATALOG, lexicon=LEXICON, previous=v.plan)
        )
        assert isinstance(follow, MetricPlan), (s, follow)
        assert follow.query.metrics == ("net_sales",)


def test_groups_without_any_value_are_left_out_and_counted() -> None:
    rows = [("Nordwind Hamburg", 120.0), ("Nordwind Online-Shop", None), ("Nordwind Berlin", 80.0)]
    v = view("net sales by store last month", ["store__store_name", "net_sales"], rows)
    assert [r[0] for r in v.rows] == ["Nordwind Hamburg", "Nordwind Berlin"]
    text = write_narrative(v, locale="en-US", currency="EUR")
    assert text.endswith("(1 without a value not shown.)")
