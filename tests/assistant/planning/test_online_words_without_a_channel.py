"""Online-shop and stores words on figures that have no sales channel (session 33, precision probing).

- 'stock in units for the online shop' was every store's stock, said as 'units on hand covers the
  online shop only': a figure without a channel was taken for one that is online by nature (web
  sessions). Now the one value named 'online' its rows do reach (the store's type) filters it;
- 'how many customers signed up online vs in store' was every sign-up: a figure without a channel
  and no online value is asked about (only a figure whose own words say online drops the words);
- 'web revenue vs online net sales': 'online' was dropped for both figures because one figure's name
  ('online revenue') holds it; the other figure takes it, so it is kept and the mix is asked;
- 'gross margin … stores only', 'nur Filialen', 'only stores' were breakdowns by store (the online
  shop among them): said as the only ones, the stores word is the store channel, like 'in stores'.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "sale_line__channel": ("online", "store"),
        "store__store_type": ("online", "store"),
        "product__category": ("Lighting", "Shoes"),
    },
    "logistics": {"shipment__booking_channel": ("EDI", "PORTAL", "API", "COUNTER")},
    "hospitality": {"reservation__channel": ("Website", "Walk-in"), "property__region": ("Tirol",)},
}


def _filters(planned: MetricPlan) -> dict[str, tuple[object, ...]]:
    return {f.dimension: f.values for f in planned.query.filters}


@pytest.mark.parametrize(
    "question",
    [
        "stock in units for the online shop",
        "Lagerwert im Onlineshop",
        "inventory value in the web shop",
        "how many units do we have in stock online",
    ],
)
def test_stock_of_the_online_shop_is_filtered_by_its_store_kind(
    catalogs: dict[str, Catalog], question: str
) -> None:
    planned = plan(catalogs["retail"], question, VALUES["retail"])
    assert isinstance(planned, MetricPlan)
    assert _filters(planned).get("store__store_type") == ("online",)


@pytest.mark.parametrize(
    "question",
    [
        "how many customers signed up online vs in store this year",
        "how many new customers signed up online last month",
        "Wie viele Neukunden haben sich online angemeldet?",
        "web revenue vs online net sales last month",
        "Webshop-Umsatz laut Analytics und Online-Nettoumsatz im September",
    ],
)
def test_online_words_a_figure_cannot_take_are_asked(catalogs: dict[str, Catalog], question: str) -> None:
    assert isinstance(plan(catalogs["retail"], question, VALUES["retail"]), ClarificationPlan)


@pytest.mark.parametrize(
    "question",
    [
        "web sessions in the online shop last week",
        "online sessions last week",
        "Sitzungen im Onlineshop im Oktober",
    ],
)
def test_a_figure_online_by_nature_still_drops_the_words(catalogs: dict[str, Catalog], question: str) -> None:
    planned = plan(catalogs["retail"], question, VALUES["retail"])
    assert isinstance(planned, MetricPlan)
    assert planned.query.metrics == ("sessions",)


@pytest.mark.parametrize(
    "question",
    [
        "gross margin in Lighting last month, stores only",
        "net sales per region last month, stores only",
        "Umsatz nur Filialen im September",
        "Umsatz nur in den Filialen im September",
        "only stores: units sold last week",
        "units sold last week in stores only",
    ],
)
def test_stores_said_as_the_only_ones_are_the_store_channel(
    catalogs: dict[str, Catalog], question: str
) -> None:
    planned = plan(catalogs["retail"], question, VALUES["retail"])
    assert isinstance(planned, MetricPlan)
    assert _filters(planned).get("sale_line__channel") == ("store",)
    assert "store__store_name" not in planned.query.group_by


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "net sales by store last month"),
        ("retail", "net sales online vs stores last month"),
        ("logistics", "Shipments by booking channel last month"),
        ("hospitality", "Room revenue by channel last month"),
    ],
)
def test_breakdowns_by_store_and_channel_still_answer(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    planned = plan(catalogs[project], question, VALUES[project])
    assert isinstance(planned, MetricPlan)
    assert planned.query.group_by
