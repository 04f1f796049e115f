"""Issue #17's held-out failure classes at the planner, English and German: the project's own words
for stored values (value synonyms), words only a description knows (asked unless the plan explains
them), a phrase naming one figure more exactly than another, verbs and unit words that name no
figure, 'pro m²', a bracket that lists what a value holds, 'X as a percentage of Y', the biggest drop
against last year (ranked on the change) and the average of a total (asked, never the total)."""

from __future__ import annotations

from datetime import date

from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo
from tests.assistant.planning.test_understanding import CATALOG as BASE
from tests.assistant.planning.test_understanding import VALUES as BASE_VALUES

AS_OF = date(2026, 10, 31)
_SALES = BASE.metric("net_sales")
assert _SALES is not None


def _metric(name: str, label: str, synonyms: tuple[str, ...], *, fmt: str, role: str | None,
            description: str = "", dims: tuple[str, ...] = _SALES.dimensions) -> MetricInfo:  # fmt: skip
    return _SALES.model_copy(
        update={
            "name": name,
            "label": label,
            "synonyms": synonyms,
            "format": fmt,
            "role": role,
            "description": description,
            "dimensions": dims,
        }
    )


CAMPAIGN_DIMS = ("metric_time", "campaign__campaign_name", "campaign__send_date")
STOCK_DIMS = ("metric_time", "store__store_name", "store__city", "product__category")
WEB_DIMS = ("metric_time", "web_session__source", "web_session__medium")
MEDIUM = DimensionInfo(
    name="web_session__medium", label="Traffic medium", synonyms=("medium",), type="categorical",
    entity="web_session", description="The kind of traffic, e.g. organic, cpc (paid search), email.",
)  # fmt: skip
SYNONYMS = {
    "product__category": (
        ("Womenswear", ("women's wear", "Damenmode", "Damen")),
        ("Cycling", ("bikes",)),
        ("Kids", ("kidswear and babywear",)),
    ),
    "sale_line__channel": (("online", ("webshop", "Onlineshop")), ("store", ("Filialen", "stores"))),
}
EXTRA_METRICS = (
    _metric("on_hand_units", "Units on hand", ("stock", "inventory", "Bestand"), fmt="number", role="stock",
            description="Units in stock at the last stock count.", dims=STOCK_DIMS),
    _metric("inventory_value", "Inventory value", ("stock value", "inventory at cost", "Lagerwert"),
            fmt="currency", role="stock", description="Value at cost of the stock at the last stock count.",
            dims=STOCK_DIMS),
    _metric("average_order_value", "Average order value", ("average basket value",), fmt="currency",
            role="money", description="Net sales per order: what an average basket is worth."),
    _metric("sell_through_rate", "Sell-through rate", ("sell through",), fmt="percent", role="rate"),
    _metric("units_per_transaction", "Units per transaction", ("Teile pro Bon", "UPT"), fmt="number",
            role="rate"),
    _metric("discount_amount", "Discounts", ("discount", "Rabatt", "Rabatte"), fmt="currency", role="money"),
    _metric("selling_area_sqm", "Selling area (sqm)", ("sqm", "Verkaufsfläche"), fmt="number", role=None,
            dims=STOCK_DIMS),
    _metric("sales_per_sqm", "Sales per sqm", ("Umsatz pro qm", "sales per square metre"), fmt="currency",
            role="money", dims=STOCK_DIMS),
    _metric("gross_margin_pct", "Gross margin %", ("margin percentage",), fmt="percent", role="rate"),
    _metric("returned_units", "Returned units", ("returns",), fmt="number", role="returned_quantity",
            dims=(*_SALES.dimensions, "sale_line__is_return")),
    _metric("weeks_of_supply", "Weeks of supply", ("stock cover",), fmt="number", role=None,
            dims=(*STOCK_DIMS, "product__product_name")).model_copy(update={"kpi": "stock_cover"}),
    *(
        _metric(name, label, synonyms, fmt=fmt, role=None, dims=CAMPAIGN_DIMS).model_copy(
            update={"entities": ("campaign", "tenant")}
        )
        for name, label, synonyms, fmt in (
            ("email_revenue", "E-mail revenue", ("campaign revenue", "newsletter revenue"), "currency"),
            ("email_recipients", "E-mail recipients", ("recipients",), "number"),
            ("email_opens", "E-mail opens", ("opens",), "number"),
        )
    ),
)  # fmt: skip
CAMPAIGN = DimensionInfo(
    name="campaign__campaign_name", label="Campaign name", synonyms=("campaign", "mailing", "newsletter"),
    type="categorical", entity="campaign", description="The campaign's subject line.",
)  # fmt: skip


SEND_DATE = DimensionInfo(
    name="campaign__send_date", label="Send date", synonyms=("Versanddatum",), type="time", entity="campaign",
    description="The day the campaign was sent.",
)  # fmt: skip


RETURN_FLAG = DimensionInfo(
    name="sale_line__is_return", label="Is return", synonyms=("returned",), type="categorical",
    entity="sale_line", description="True for returned items.",
)  # fmt: skip


def _catalog(with_value_synonyms: bool) -> Catalog:
    dims = [
        d.model_copy(update={"value_synonyms": SYNONYMS.get(d.name, ()) if with_value_synonyms else ()})
        for d in BASE.dimensions
    ]
    medium = MEDIUM.model_copy(
        update={"value_synonyms": (("cpc", ("paid search",)),) if with_value_synonyms else ()}
    )
    base = [
        m.model_copy(update={"dimensions": WEB_DIMS}) if m.name == "sessions" else m for m in BASE.metrics
    ]
    base = [m.model_copy(update={"synonyms": (*m.synonyms, "Bruttoumsatz")}) if m.name == "gross_sales" else m
            for m in base]  # fmt: skip
    return BASE.model_copy(
        update={
            "metrics": (*base, *EXTRA_METRICS),
            "dimensions": (*dims, medium, CAMPAIGN, SEND_DATE, RETURN_FLAG),
        }
    )


VALUES = {
    **BASE_VALUES,
    "product__category": (*BASE_VALUES["product__category"], "Cycling"),
    "web_session__source": ("google", "newsletter"),
    "web_session__medium": ("cpc", "organic", "email"),
    "campaign__campaign_name": ("Sommer Sale", "Herbst Looks"),
}
CATALOG = _catalog(with_value_synonyms=True)
LEXICON = build_lexicon(CATALOG, VALUES, {})
BARE = _catalog(with_value_synonyms=False)
BARE_LEXICON = build_lexicon(BARE, VALUES, {})


def plan(question: str, previous: MetricPlan | None = None, *, bare: bool = False) -> Plan:
    return OfflinePlanner().plan(
        PlannerInput(
            question=question, as_of=AS_OF, catalog=BARE if bare else CATALOG,
            lexicon=BARE_LEXICON if bare else LEXICON, previous=previous, default_metric="net_sales",
        )
    )  # fmt: skip


def metric_plan(question: str, previous: MetricPlan | None = None) -> MetricPlan:
    result = plan(question, previous)
    assert isinstance(result, MetricPlan), result
    return result


def filters(p: MetricPlan) -> list[tuple[str, tuple[object, ...]]]:
    return [(f.dimension, f.values) for f in p.query.filters]


# ---- the project's own words for its values ------------------------------------------------------


def test_value_synonyms_name_the_stored_value_in_english_and_german() -> None:
    for question in ("Umsatz Damenmode letzten Monat", "net sales for women's wear last month"):
        assert filters(metric_plan(question)) == [("product__category", ("Womenswear",))], question
    web = metric_plan("Umsatz im Onlineshop letzten Monat")
    assert filters(web) == [("sale_line__channel", ("online",))]


def test_a_value_synonym_only_counts_for_the_values_this_tenant_holds() -> None:
    lexicon = build_lexicon(CATALOG, {**VALUES, "product__category": ("Menswear", "Shoes")}, {})
    assert not any(e.value == "Womenswear" for e in lexicon.lookup(("damenmode",)))


def test_a_synonym_inside_a_hyphenated_name_is_not_that_value() -> None:
    # 'E-bikes' names its own items, not the category a synonym 'bikes' stands for
    assert all(f.values != ("Cycling",) for f in _filters_or_none("E-bikes sales last month"))
    assert filters(metric_plan("bikes sales last month")) == [("product__category", ("Cycling",))]


def _filters_or_none(question: str) -> list[object]:
    result = plan(question)
    return list(result.query.filters) if isinstance(result, MetricPlan) else []


def test_a_german_plural_of_a_dimension_word_keeps_reading_as_that_dimension() -> None:
    # 'Filialen' is a channel synonym too, but 'Welche 3 Filialen' asks for stores
    p = metric_plan("Welche 3 Filialen hatten im ersten Quartal 2026 den höchsten Umsatz?")
    assert p.query.group_by == ("store__store_name",) and p.query.limit == 3


# ---- words only a description knows: asked unless the plan explains them ------------------------


def test_a_follow_up_word_only_a_description_knows_is_asked_not_dropped() -> None:
    first = metric_plan("visits last month by traffic source")
    # without the project's value synonyms, the catalog's own gloss ('cpc (paid search)' in the
    # medium's description) names the value (session 32); it is never dropped
    bare = plan("just the paid search ones", first, bare=True)
    assert isinstance(bare, MetricPlan) and filters(bare) == [("web_session__medium", ("cpc",))]
    # with the project's value synonym it is a filter
    narrowed = metric_plan("just the paid search ones", first)
    assert filters(narrowed) == [("web_session__medium", ("cpc",))]
    assert narrowed.query.group_by == ("web_session__source",)


def test_a_description_word_the_chosen_figure_explains_is_no_question() -> None:
    p = metric_plan("What was our stock worth at cost at the end of last month?")
    assert p.query.metrics == ("inventory_value",)
    # 'worth' alone with a count of units: which figure? asked, not answered in units
    assert isinstance(plan("What was our stock worth last month?"), ClarificationPlan)


# ---- verbs, unit words and units that name no other figure ---------------------------------------


def test_selling_verbs_and_unit_words_name_no_second_figure() -> None:
    sold = metric_plan("How much did we sell online during Black Week 2025 (Mon 24 to Sun 30 November)?")
    assert sold.query.metrics == ("net_sales",)
    assert filters(sold) == [("sale_line__channel", ("online",))]
    assert metric_plan("Womenswear: verkaufte Teile im ersten Quartal nach Marke").query.metrics == (
        "units_sold",
    )
    assert metric_plan("Teile pro Bon letzten Monat").query.metrics == ("units_per_transaction",)


def test_per_square_metre_in_german_is_the_sales_density_figure() -> None:
    for question in ("Verkaufsfläche und Umsatz pro m² letztes Jahr", "Umsatz pro qm letztes Jahr"):
        p = metric_plan(question)
        assert "sales_per_sqm" in p.query.metrics and "net_sales" not in p.query.metrics, question


def test_a_bracket_after_a_value_lists_what_it_holds() -> None:
    p = metric_plan("Umsatz mit der ganzen Damenmode (Womenswear, Menswear) letzten Monat")
    assert filters(p) == [("product__category", ("Womenswear",))]


# ---- X as a percentage of Y ------------------------------------------------------------------------


def test_a_figure_as_a_percentage_of_another_is_their_ratio_in_percent() -> None:
    for question in (
        "Discounts as a percentage of gross sales last month",
        "What share of gross sales were discounts last month?",
        "Anteil der Rabatte am Bruttoumsatz letzten Monat",
        "Rabatte in % vom Bruttoumsatz letzten Monat",
    ):
        p = metric_plan(question)
        assert p.derived is not None and p.derived.percent, question
        assert (p.derived.numerator, p.derived.denominator) == ("discount_amount", "gross_sales"), question
        assert not p.share_of_total and not p.query.group_by, question
    # one figure and a value: still the share of a breakdown
    online = metric_plan("what share of net sales came from the online shop last month")
    assert online.share_of_total and online.derived is None
    assert online.query.group_by == ("sale_line__channel",)


# ---- the biggest drop: ranked on the change against the compared period ---------------------------


def test_the_biggest_drop_ranks_on_the_change_most_negative_first() -> None:
    for question, n in (
        ("which store had the biggest drop in net sales vs last year last month?", 1),
        ("Welche Kategorie hatte letzten Monat den größten Rückgang zum Vorjahr?", 1),
        ("which 3 brands declined the most last month?", 3),
    ):
        p = metric_plan(question)
        assert p.comparison == "same_period_last_year", question
        assert [(o.name, o.descending) for o in p.query.order_by] == [("net_sales__change", False)], question
        assert p.query.limit == n and p.query.metrics == ("net_sales",), question
        assert any("biggest drop first" in u for u in p.understood), question
    grew = metric_plan("which 3 brands grew the most vs last year last month?")
    assert [(o.name, o.descending) for o in grew.query.order_by] == [("net_sales__change", True)]
    # no change word: the figure itself is ranked, as before
    top = metric_plan("which store had the biggest net sales last month?")
    assert [(o.name, o.descending) for o in top.query.order_by] == [("net_sales", True)]


# ---- the average of a total ----------------------------------------------------------------------


def test_the_average_of_a_total_is_asked_never_answered_with_the_total() -> None:
    for question in ("What was the average discount last month?", "durchschnittlicher Rabatt letzten Monat"):
        asked = plan(question)
        assert isinstance(asked, ClarificationPlan), question
        assert "per what" in asked.question and "Discounts per order" in asked.options, question
    per_order = metric_plan("average discount per order last month")
    assert per_order.derived is not None and (per_order.derived.numerator, per_order.derived.denominator) == (
        "discount_amount", "orders",
    )  # fmt: skip


# ---- shorthand, money units, the percentage sibling ----------------------------------------------


def test_shorthand_and_money_units_are_read_not_asked_about() -> None:
    p = metric_plan("avg basket value online vs instore last mnth")
    assert p.query.metrics == ("average_order_value",) and p.query.group_by == ("sale_line__channel",)
    assert metric_plan("gross margin for Menswear this year in euros").query.metrics == ("gross_margin",)


def test_a_money_figure_as_a_percentage_too_adds_its_percentage_metric() -> None:
    for question in (
        "gross margin for Menswear this year, in euros and as a percentage",
        "Marge Herrenmode dieses Jahr in Euro und in %",
    ):
        p = metric_plan(question.replace("Herrenmode", "Menswear"))
        assert p.query.metrics == ("gross_margin", "gross_margin_pct"), question
    # a typo in the percentage word is asked about, never dropped
    assert isinstance(plan("gross margin this year as a prcntage"), ClarificationPlan)


# ---- the figure the breakdown asked for belongs to; the set of items asked about together --------


def test_a_general_figure_word_reads_as_the_figure_that_reaches_what_was_named() -> None:
    p = metric_plan("How much revenue have the newsletter campaigns brought in this year?")
    assert p.query.metrics == ("email_revenue",) and not p.query.group_by and not p.query.filters
    # 'email' names the figure here, not the traffic medium 'email'
    q = metric_plan("email campaign revenue last month")
    assert q.query.metrics == ("email_revenue",) and not q.query.filters
    # a figure no campaign figure stands for: asked, as before
    assert isinstance(plan("orders by campaign last month"), ClarificationPlan)


def test_an_entitys_plural_name_is_the_set_asked_about_unless_a_breakdown_is_said() -> None:
    together = metric_plan("October mailings: recipients and opens")
    assert together.query.metrics == ("email_recipients", "email_opens") and not together.query.group_by
    for question in (
        "recipients by campaign last month",
        "which campaigns had the most opens last month?",
        "show me last month's mailings with their recipients",
    ):
        assert metric_plan(question).query.group_by == ("campaign__campaign_name",), question
    # figures measured on more than the campaign (net sales of stores): the plural stays a breakdown
    assert metric_plan("net sales stores last month").query.group_by == ("store__store_name",)


# ---- a date of the item's own, named in full --------------------------------------------------------


def test_an_items_own_date_named_in_full_is_a_breakdown_by_that_day() -> None:
    p = metric_plan("E-mail revenue per mailing last month (name and send date)")
    assert p.query.group_by == ("campaign__campaign_name", "campaign__send_date")
    assert metric_plan("Opens je Versanddatum im September").query.group_by == ("campaign__send_date",)
    # 'date' alone is no such name
    assert not any(e.target == "campaign__send_date" for e in LEXICON.lookup(("date",)))


# ---- the most returned, soon sold out, a word of one value's synonyms ---------------------------


def test_the_most_returned_items_rank_on_returned_units_not_money() -> None:
    p = metric_plan("most returned products this year")
    assert p.query.metrics == ("returned_units",) and p.query.group_by == ("product__product_name",)
    assert p.query.order_by[0].descending
    assert not [f for f in p.query.filters if f.operator != "is not null"]  # 'returned' filters nothing


def test_soon_sold_out_is_the_lowest_stock_cover_in_english_and_german() -> None:
    for question in ("Welche Produkte sind bald ausverkauft?", "which products will soon be sold out?"):
        p = metric_plan(question)
        assert p.query.metrics == ("weeks_of_supply",), question
        assert p.query.group_by == ("product__product_name",) and not p.query.order_by[0].descending, question


def test_a_word_of_one_values_longer_synonym_names_that_value() -> None:
    assert filters(metric_plan("babywear sales last month")) == [("product__category", ("Kids",))]


def test_two_figures_sharing_their_last_word_are_both_asked_for() -> None:
    assert metric_plan("gross and net sales last month").query.metrics == ("gross_sales", "net_sales")
    # two values of a place stay one combined filter, as before
    assert metric_plan("Hamburg and Berlin net sales last month").query.metrics == ("net_sales",)


def test_values_listed_as_a_heading_are_answered_one_row_each_a_plain_and_stays_combined() -> None:
    for question in ("Womenswear and Kids: units sold in 2025", "Hamburg und Berlin: Umsatz letzten Monat"):
        p = metric_plan(question)
        assert len(p.query.group_by) == 1, question
        assert filters(p) == [(p.query.group_by[0], p.query.filters[0].values)], question
        assert len(p.query.filters[0].values) == 2, question
    combined = metric_plan("net sales of Hamburg and Berlin last month")
    assert combined.query.group_by == () or list(combined.query.group_by) == []
    assert filters(combined) == [("store__city", ("Hamburg", "Berlin"))]
