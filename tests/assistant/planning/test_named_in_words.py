"""Classes of the blind-written logistics sets (issue #18, session 29), each on two projects or more:

- a count of an entity named beside another figure ('freight revenue and number of consignments',
  'how many reservations and what room revenue') is asked too — it was silently dropped, and the
  other figure alone answered the question;
- a dimension several roles hold ('account segment' of shippers, consignees, carriers) is the role
  the figure itself counts ('active shippers' → the shipper's segment, 'unique guests' → the
  guest's country), when the question's other words name none;
- politeness shorthand ('pls', 'plz', 'thx') names nothing: no country 'PL' read into it;
- values set against each other ('cross-border vs domestic lanes') are one row each, also when
  the question writes a value otherwise than the catalog stores it ('cross-border' / CROSS_BORDER),
  and a value two dimensions hold is read in the dimension of the value it is set against
  ('Hamburg versus Munich': both cities);
- the verb of a count in its own ask ('how many consignments did we ship … and how much revenue')
  names no other figure.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from assistant.core.knowledge import TenantKnowledge
from assistant.core.planning.offline.lexicon import Lexicon, build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.catalog import Catalog
from tests.assistant.planning.test_offline_planner import metric_plan
from tests.byo_projects import Project, metrics_of, query, rows
from tests.demo import DemoWarehouse


@pytest.fixture(scope="module")
def retail(demo_warehouse: DemoWarehouse) -> Callable[[str], Plan]:
    """The retail demo project's own catalog and the demo tenant's values."""
    layer = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    lexicon = TenantKnowledge(layer).for_tenant("nordwind-fashion").lexicon

    def ask(question: str) -> Plan:
        return OfflinePlanner().plan(
            PlannerInput(question=question, as_of=date(2026, 10, 31), catalog=layer.catalog, lexicon=lexicon)
        )

    return ask


def _metric_plan(retail: Callable[[str], Plan], question: str) -> MetricPlan:
    p = retail(question)
    assert isinstance(p, MetricPlan), p
    return p


# ---- a count of an entity named beside another figure ----------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Freight revenue and number of consignments for Q3 2026",
        "consignments and freight revenue in Q3 2026",
        "how many consignments and what freight revenue in Q3 2026?",
        "Q3 2026: freight revenue and consignment count",
        "Frachtumsatz und Anzahl der Sendungen im 3. Quartal 2026",
    ],
)
def test_a_count_of_an_entity_beside_a_figure_is_asked_too(freight: Project, question: str) -> None:
    ((count, revenue),) = freight.sql(
        "select sum(case when StatusCode <> 'CXL' then 1 else 0 end), sum(freight_revenue_eur) "
        "from transport.fct_shipments where ship_date between date '2026-07-01' and date '2026-09-30'"
    )
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert sorted(metrics_of(answer)) == ["freight_revenue", "shipments"]
    ((*got,),) = rows(answer)
    by = dict(zip(metrics_of(answer), got[-2:], strict=True))
    assert by["shipments"] == count
    assert abs(float(str(by["freight_revenue"])) - float(str(revenue))) < 0.01


def test_a_count_said_after_its_entity_with_how_many_is_asked_too(freight: Project) -> None:
    answer = freight.ask("cash on delivery consignments last month - how many and what freight revenue?")
    assert answer["kind"] == "data", answer["answer"]
    assert sorted(metrics_of(answer)) == ["freight_revenue", "shipments"]
    assert [f["dimension"] for f in query(answer)["filters"]] == ["shipment__is_cod"]  # type: ignore[index]


@pytest.mark.parametrize(
    "question",
    [
        "room revenue and number of reservations last month",
        "how many reservations and what room revenue last month?",
        "Zimmerumsatz und Anzahl der Reservierungen letzten Monat",
    ],
)
def test_a_count_beside_a_figure_is_never_dropped_in_hospitality(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    # several counts count reservations (bookings, arrivals, …): asked which, or answered with one
    # of them — never the room revenue alone
    if answer["kind"] == "data":
        assert len(metrics_of(answer)) == 2 and "room_revenue" in metrics_of(answer)
    else:
        assert answer["kind"] == "clarification", answer


@pytest.mark.parametrize(
    "question",
    [
        "net sales and how many customers last month",
        "net sales and number of customers last month",
        "Nettoumsatz und Anzahl der Kunden letzten Monat",
    ],
)
def test_a_count_beside_a_figure_is_never_dropped_in_retail(
    retail: Callable[[str], Plan], question: str
) -> None:
    p = retail(question)
    # active and new customers both count customers: asked which, never the net sales alone
    assert isinstance(p, ClarificationPlan), p
    assert "Active customers" in p.options and "New customers" in p.options


def test_a_figure_and_a_count_named_by_its_own_metric_stay_as_they_were(
    retail: Callable[[str], Plan],
) -> None:
    assert _metric_plan(retail, "net sales and number of receipts last month").query.metrics == (
        "net_sales",
        "orders",
    )
    assert metric_plan("net sales and number of receipts last month").query.metrics == ("net_sales", "orders")


# ---- the role the figure counts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How many active shippers did we have per month in Q2 2026, split by account segment?",
        "active shippers by account segment last quarter",
        "Wie viele aktive Versender hatten wir im letzten Quartal nach Account-Segment?",
    ],
)
def test_a_dimension_of_several_roles_is_the_role_the_figure_counts(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert "shipper__account_segment" in query(answer)["group_by"]  # type: ignore[operator]


def test_the_role_the_figure_counts_in_hospitality(hotels: Project) -> None:
    answer = hotels.ask("how many unique guests per month in 2025 by country")
    assert answer["kind"] == "data", answer["answer"]
    assert "guest__country" in query(answer)["group_by"]  # type: ignore[operator]


def test_the_role_the_figure_counts_in_retail(retail: Callable[[str], Plan]) -> None:
    p = _metric_plan(retail, "how many active customers per month this year by city")
    assert "customer__city" in p.query.group_by
    asked = retail("net sales by city last month")  # a figure that counts no role: still asked
    assert isinstance(asked, ClarificationPlan), asked


def test_a_figure_that_counts_no_role_still_asks(hotels: Project) -> None:
    answer = hotels.ask("bookings by country last year")
    assert answer["kind"] == "clarification", answer


# ---- politeness shorthand ----------------------------------------------------------------------


def test_politeness_shorthand_names_nothing_in_logistics(freight: Project) -> None:
    answer = freight.ask("revenue per kilo by service level last quarter, highest first pls")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["revenue_per_kg"]
    assert query(answer)["filters"] == []


@pytest.mark.parametrize(
    "question", ["net sales by store last month plz", "net sales by category last month pls thx"]
)
def test_politeness_shorthand_names_nothing_in_retail(retail: Callable[[str], Plan], question: str) -> None:
    p = _metric_plan(retail, question)
    assert p.query.metrics == ("net_sales",) and not p.query.filters


# ---- values set against each other -------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "average transit days in September 2026: cross-border vs domestic lanes",
        "Durchschnittliche Laufzeit im September 2026: Cross-Border gegen Domestic",
        "shipments last quarter, cross-border versus local",
    ],
)
def test_values_written_otherwise_set_against_each_other_are_a_row_each(
    freight: Project, question: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["lane__lane_type"]
    assert len(rows(answer)) == 2


def test_values_written_otherwise_set_against_each_other_in_hospitality(hotels: Project) -> None:
    answer = hotels.ask("bookings last month: walk-in vs website")
    assert answer["kind"] == "data", answer["answer"]
    assert len(query(answer)["group_by"]) == 1  # type: ignore[arg-type]
    assert len(rows(answer)) == 2


@pytest.mark.parametrize(
    "question", ["units sold last month: Hamburg versus Munich", "Umsatz im September: Hamburg gegen München"]
)
def test_a_value_two_dimensions_hold_is_read_with_the_one_it_is_set_against(
    retail: Callable[[str], Plan], question: str
) -> None:
    p = _metric_plan(retail, question)
    (by,) = p.query.group_by
    assert [f.dimension for f in p.query.filters] == [by]
    assert set(p.query.filters[0].values) == {"Hamburg", "München"}


# ---- a count's verb in its own ask -------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How many consignments did we ship last month and how much freight revenue did that bring in?",
        "how many shipments did we ship in September 2026, and what freight revenue did they bring?",
        "Wie viele Sendungen haben wir im September 2026 verschickt, wie viel Frachtumsatz hat das gebracht?",
    ],
)
def test_the_verb_of_a_count_in_its_own_ask_names_no_other_figure(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert sorted(metrics_of(answer)) == ["freight_revenue", "shipments"]


# ---- German words of any catalog ----------------------------------------------------------------


def test_land_is_the_country(freight: Project) -> None:
    answer = freight.ask("aktive Versender nach Land im letzten Quartal")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["shipper__country_code"]


def test_land_is_the_country_in_hospitality(hotels: Project) -> None:
    answer = hotels.ask("Buchungen nach Land des Gastes letztes Jahr")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["guest__country"]


def test_ausbezahlt_is_paid(freight: Project) -> None:
    answer = freight.ask("wie viel haben wir dieses Jahr für Claims ausbezahlt?")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["claims_paid_amount"]


# ---- a label 'X per N Y' said apart ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How many claims did we get per 1000 shipments in 2025?",
        "wie viele Reklamationen hatten wir 2025 pro 1.000 Sendungen?",
        "claims in 2025 per 1,000 shipments",
    ],
)
def test_a_label_with_a_number_said_apart_is_that_figure(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["claims_per_1000_shipments"]


def _shop_with_complaints() -> tuple[Catalog, Lexicon]:
    from tests.assistant.planning.retail_catalog import CATALOG, VALUES, _metric

    catalog = CATALOG.model_copy(
        update={
            "metrics": (
                *CATALOG.metrics,
                _metric("complaints", "Complaints", (), fmt="number"),
                _metric("complaints_per_10000_orders", "Complaints per 10,000 orders", (), fmt="number"),
            )
        }
    )
    return catalog, build_lexicon(catalog, VALUES)


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many complaints did we have per 10000 orders last month?", ("complaints_per_10000_orders",)),
        ("Wie viele Beschwerden gab es letzten Monat pro 10.000 Bestellungen?", None),
        ("complaints last month per 10,000 orders by store", ("complaints_per_10000_orders",)),
        ("complaints and orders last month", ("complaints", "orders")),  # no number: two figures
    ],
)
def test_a_label_with_a_number_said_apart_in_another_project(
    question: str, metrics: tuple[str, ...] | None
) -> None:
    catalog, lexicon = _shop_with_complaints()
    p = OfflinePlanner().plan(
        PlannerInput(question=question, as_of=date(2026, 10, 31), catalog=catalog, lexicon=lexicon)
    )
    if metrics is None:  # 'Beschwerden' is no word of this catalog: asked, never another figure
        assert isinstance(p, ClarificationPlan), p
    else:
        assert isinstance(p, MetricPlan), p
        assert p.query.metrics == metrics


# ---- a general word beside a named figure -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("shipments and revenue by lane type YTD", "shipments"),
        ("YTD revenue and shipment count by lane type", "freight_revenue"),
        ("pieces and revenue by service last month", "pieces_shipped"),
    ],
)
def test_a_general_word_beside_a_named_figure_reads_as_it_reads_alone(
    freight: Project, question: str, first: str
) -> None:
    # 'revenue' alone is the freight revenue (the sum, not the revenue per kg built on it): beside
    # another figure it was asked which, naming the other figure as an option too
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer)[0] == first and "freight_revenue" in metrics_of(answer)
    assert len(metrics_of(answer)) == 2


@pytest.mark.parametrize(
    "question",
    [
        "revenue per month in Q3 2026",
        "Umsatz pro Monat im 3. Quartal 2026",
        "consignments and revenue per month in Q3 2026",
    ],
)
def test_per_month_is_a_grain_not_a_ratio_asked(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert "freight_revenue" in metrics_of(answer) and "revenue_per_kg" not in metrics_of(answer)
    assert query(answer)["group_by"] == ["metric_time"]


def test_a_ratio_word_still_asks_which_revenue(freight: Project) -> None:
    answer = freight.ask("revenue per consignment last month")
    assert answer["kind"] == "clarification", answer


@pytest.mark.parametrize(
    "question",
    [
        "Pünktlichkeit nach Carrier letzten Monat",
        "Pünktlichkeit Oktober 2026 im Vergleich zum Oktober letzten Jahres?",
        "Wie war die Pünktlichkeit im letzten Quartal?",
    ],
)
def test_puenktlichkeit_is_the_on_time_rate_not_the_count(freight: Project, question: str) -> None:
    # punctuality is a rate: it was the count of on-time deliveries, said as the punctuality
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["on_time_delivery_rate"]
