"""Issue #17's classes at the planner: ordering, counting, channel vs store, named periods compared,
follow-ups that move the period, general product words, words never dropped silently, off-topic
questions — English and German, on a small catalog that declares roles like the retail demo."""

from __future__ import annotations

from datetime import date

from assistant.core.planning.offline.lexicon import Members, build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan, RefusalPlan
from semantic_layer.catalog import Catalog, DimensionInfo, EntityInfo, MetricInfo
from tests.assistant.planning.retail_catalog import CATALOG as BASE
from tests.assistant.planning.retail_catalog import VALUES as BASE_VALUES

AS_OF = date(2026, 10, 31)
ROLES = {"net_sales": "money", "gross_sales": "money", "gross_margin": "money", "orders": "count",
         "units_sold": "quantity", "return_rate": "rate", "sessions": "count"}  # fmt: skip
DIM_ROLES = {"store__store_name": "location", "store__city": "location", "product__category": "product",
             "product__brand": "product", "sale_line__channel": "channel"}  # fmt: skip
SUB = DimensionInfo(
    name="product__subcategory", label="Subcategory", description="", synonyms=("sub-category",),
    type="categorical", entity="product", role="product",
)  # fmt: skip
NAME = DimensionInfo(
    name="product__product_name", label="Product", description="", synonyms=("article",),
    type="categorical", entity="product",
)  # fmt: skip
SALES_DIMS = ("product__subcategory", "product__product_name")
CUSTOMERS = MetricInfo(
    name="active_customers", label="Active customers", description="Distinct customers who bought.",
    synonyms=("buying customers",), type="simple", format="number", unit=None,
    dimensions=BASE.metrics[0].dimensions, entities=("customer",), grains=BASE.metrics[0].grains,
    role="count", counts="customer",
)  # fmt: skip
CATALOG = Catalog(
    metrics=(
        *(
            m.model_copy(
                update={"role": ROLES.get(m.name), "dimensions": (*m.dimensions, *SALES_DIMS)}
                if m.name != "sessions" else {"role": ROLES.get(m.name)}
            )
            for m in BASE.metrics
        ),
        CUSTOMERS,
    ),
    dimensions=(
        *(
            d.model_copy(update={"role": DIM_ROLES.get(d.name), "primary": d.name == "product__category"})
            for d in BASE.dimensions
        ),
        SUB,
        NAME,
    ),
    entities=(
        *BASE.entities,
        EntityInfo(name="customer", description="", label="Customer", synonyms=("shopper", "Kunde")),
    ),
)  # fmt: skip
ITEMS = (
    ("Lumo Pendelleuchte Slim", "Lighting", "Pendelleuchten"),
    ("Lumo Stehleuchte Arc", "Lighting", "Stehleuchten"),
    ("Lumo Glühbirne E27", "Lighting", "Leuchtmittel"),
    ("Odlo Skijacke Linea", "Apparel", "Funktionsjacken"),
    ("Mammut Hardshelljacke Nova", "Apparel", "Funktionsjacken"),
    ("Mammut Fleecejacke Terra", "Apparel", "Fleece"),
    ("Völkl Skihelm Premium", "Ski", "Helme"),
    ("Roeckl Handschuhe Warm", "Apparel", "Mützen & Handschuhe"),
)
VALUES = {
    **BASE_VALUES,
    "product__category": (*BASE_VALUES["product__category"], "Lighting", "Apparel", "Ski"),
    "product__subcategory": tuple(sorted({row[2] for row in ITEMS})),
    "product__product_name": tuple(row[0] for row in ITEMS),
}
MEMBERS = {
    "product__product_name": Members(
        ("product__product_name", "product__category", "product__subcategory"), ITEMS, 1
    )
}
LEXICON = build_lexicon(CATALOG, VALUES, MEMBERS)
PLANNER = OfflinePlanner()


def plan(question: str, previous: MetricPlan | None = None, as_of: date = AS_OF) -> Plan:
    return PLANNER.plan(
        PlannerInput(
            question=question, as_of=as_of, catalog=CATALOG, lexicon=LEXICON, previous=previous,
            default_metric="net_sales",
        )
    )  # fmt: skip


def metric_plan(question: str, previous: MetricPlan | None = None, as_of: date = AS_OF) -> MetricPlan:
    result = plan(question, previous, as_of)
    assert isinstance(result, MetricPlan), result
    return result


def span(p: MetricPlan) -> tuple[str, str]:
    rng = p.query.time_range
    assert rng.start is not None and rng.end is not None
    return rng.start.isoformat(), rng.end.isoformat()


# ---- ordering: sort every row; only top N / 'the best' limits ------------------------------------


def test_ordering_words_sort_all_rows() -> None:
    for question, descending in (
        ("net sales by brand, biggest first", True),
        ("net sales by brand sorted descending", True),
        ("Umsatz pro Marke, größte zuerst", True),
        ("net sales by brand, lowest first", False),
        ("Umsatz nach Marke aufsteigend", False),
    ):
        p = metric_plan(question)
        assert p.query.limit is None, question
        assert p.query.order_by[0].name == "net_sales" and p.query.order_by[0].descending is descending


def test_top_n_still_limits_and_keeps_its_count() -> None:
    assert metric_plan("top 3 brands by net sales, biggest first").query.limit == 3
    assert metric_plan("which 2 stores had the highest net sales last month").query.limit == 2
    assert metric_plan("Welche 3 Filialen hatten den höchsten Umsatz?").query.limit == 3


# ---- counting: units or a count, never money ----------------------------------------------------


def test_how_many_is_a_count_never_money() -> None:
    assert metric_plan("how many Shoes did we sell last month?").query.metrics == ("units_sold",)
    assert metric_plan("Wie viele Accessories haben wir letzte Woche verkauft?").query.metrics == (
        "units_sold",
    )
    assert metric_plan("How many customers bought Levi's this year?").query.metrics == ("active_customers",)
    assert metric_plan("Wie viele Kunden haben dieses Jahr eingekauft?").query.metrics == (
        "active_customers",
    )
    assert metric_plan("Menswear: Teile pro Marke letzten Monat").query.metrics == ("units_sold",)


def test_how_much_did_we_take_adds_the_money_figure() -> None:
    p = metric_plan("Black Friday last year: how much did we take and how many orders?")
    assert p.query.metrics == ("net_sales", "orders") and span(p) == ("2025-11-28", "2025-11-28")


# ---- channel vs store ------------------------------------------------------------------------


def test_online_vs_stores_compares_the_channel() -> None:
    for question in (
        "net sales web shop vs stores last month",
        "return rate online vs in store this year",
        "Umsatz Filialen vs. Online letzten Monat",
    ):
        p = metric_plan(question)
        assert p.query.group_by == ("sale_line__channel",), question
        assert not p.query.filters, question


def test_the_online_shop_alone_filters_the_channel() -> None:
    p = metric_plan("net sales in the online shop last month")
    assert [(f.dimension, f.values) for f in p.query.filters] == [("sale_line__channel", ("online",))]


# ---- two named periods, follow-ups that move the period -----------------------------------------


def test_two_named_periods_are_a_comparison() -> None:
    p = metric_plan("December sales by category compared with November", as_of=date(2025, 12, 31))
    assert p.comparison == "previous_period" and span(p) == ("2025-12-01", "2025-12-31")
    q = metric_plan("Umsatz im Dezember 2025 vs. Dezember 2024")
    assert q.comparison == "same_period_last_year" and span(q) == ("2025-12-01", "2025-12-31")
    odd = plan("net sales March vs January")
    assert isinstance(odd, ClarificationPlan) and "January" in odd.question


def test_follow_ups_move_the_previous_period() -> None:
    first = metric_plan("net sales by store last month")
    before = metric_plan("and the previous month?", first)
    assert span(before) == ("2026-08-01", "2026-08-31") and before.query.group_by == first.query.group_by
    assert span(metric_plan("same period last year?", first)) == ("2025-09-01", "2025-09-30")
    week = metric_plan("Umsatz letzte Woche")
    assert span(metric_plan("und die Woche davor?", week)) == ("2026-10-12", "2026-10-18")
    top = metric_plan("top 5 brands by net sales last quarter")
    earlier = metric_plan("same thing a year earlier?", top)
    assert span(earlier) == ("2025-07-01", "2025-09-30") and earlier.query.limit == 5


def test_a_new_place_replaces_the_previous_place() -> None:
    berlin = metric_plan("Umsatz in der Filiale Nordwind Berlin letzten Monat")
    munich = metric_plan("und für München?", berlin)
    assert [(f.dimension, f.values) for f in munich.query.filters] == [("store__city", ("München",))]


# ---- general product words: the broadest level holding them -------------------------------------


def test_a_product_word_filters_the_level_that_holds_all_its_items() -> None:
    lamps = metric_plan("Leuchten sales last month")
    assert [(f.dimension, f.values) for f in lamps.query.filters] == [("product__category", ("Lighting",))]
    jackets = metric_plan("Hardshell- und Skijacken: verkaufte Teile nach Marke")
    assert [(f.dimension, f.values) for f in jackets.query.filters] == [
        ("product__subcategory", ("Funktionsjacken",))
    ]
    assert jackets.query.metrics == ("units_sold",) and jackets.query.group_by == ("product__brand",)
    # a short compound head is no product word: 'Schuhe' does not mean gloves ('Handschuhe')
    assert isinstance(plan("Schuhe sales last month"), ClarificationPlan)


# ---- nothing dropped silently; off-topic stays off-topic ----------------------------------------


def test_a_word_that_names_nothing_is_asked_about() -> None:
    asked = plan("net sales of unicorn saddles last month")
    assert isinstance(asked, ClarificationPlan) and "'unicorn'" in asked.question
    weather = plan("how did the weather affect sales?")
    assert not isinstance(weather, MetricPlan)


def test_off_topic_city_questions_are_refused_not_answered_with_data() -> None:
    for question in ("who is the mayor of Hamburg?", "Wie viele Einwohner hat Berlin?"):
        result = plan(question)
        assert isinstance(result, RefusalPlan) and result.reason == "off_topic", question


def test_the_answer_states_what_was_understood() -> None:
    p = metric_plan("net sales by brand in Hamburg last month, biggest first")
    said = "; ".join(p.understood)
    assert "Net sales" in said and "by brand" in said and "Hamburg" in said
    assert "2026-09-01 to 2026-09-30" in said and "largest first" in said


def test_ranked_periods_and_german_elided_compounds() -> None:
    best_day = metric_plan("Was war unser umsatzstärkster Tag im Dezember 2025?")
    assert best_day.query.group_by == ("metric_time",) and best_day.query.time_grain.value == "day"
    assert best_day.query.limit == 1 and best_day.query.order_by[0].descending
    weeks = metric_plan("top 3 weeks by net sales this year")
    assert weeks.query.time_grain.value == "week" and weeks.query.limit == 3
    tiers = metric_plan("Wie viele Gold- und Platin-Kunden haben dieses Jahr eingekauft?")
    assert [(f.dimension, f.operator, f.values) for f in tiers.query.filters] == [
        ("customer__loyalty_tier", "in", ("gold", "platinum"))
    ]


def test_in_the_stores_is_the_store_channel_and_web_figures_ignore_the_web_shop() -> None:
    p = metric_plan("top 3 brands by units sold in the stores this year")
    assert p.query.group_by == ("product__brand",)
    filters = [(f.dimension, f.values) for f in p.query.filters if f.operator != "is not null"]
    assert filters == [("sale_line__channel", ("store",))]
    web = metric_plan("web sessions in the online shop last month")
    assert web.query.metrics == ("sessions",) and not web.query.filters
    assert any("online shop only" in u for u in web.understood)


def test_this_season_without_dates_is_asked_about() -> None:
    asked = plan("net sales this season by category")
    assert isinstance(asked, ClarificationPlan) and "this season" in asked.question
    dated = metric_plan("net sales this season (Nov 2025–Mar 2026) by category")
    assert span(dated) == ("2025-11-01", "2026-03-31")
