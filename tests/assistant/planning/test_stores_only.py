"""'stores only', 'only the stores', 'nur Filialen': the store side of the channel, as 'in the stores'
already is — no breakdown by store (which kept the online shop in, a row of its own, beside the
regions asked for). A ranked 'top 5 stores only' stays the stores ranked."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Filter
from tests.assistant.planning.project_catalogs import plan

_CHANNEL = {"sale_line__channel": ("store", "online")}
_STORE = Filter(dimension="sale_line__channel", operator="=", values=("store",))


@pytest.mark.parametrize(
    ("question", "group_by"),
    [
        ("Net sales and gross margin by region for Q3, stores only", ("store__region",)),
        ("Umsatz nach Region im Q3, nur Filialen", ("store__region",)),
        ("Units sold by category last month, only the stores", ("product__category",)),
        ("Retourenquote letzten Monat, nur Filialen", ()),
        ("Orders last week, stores only", ()),
    ],
)
def test_stores_only_is_the_store_channel(
    catalogs: dict[str, Catalog], question: str, group_by: tuple[str, ...]
) -> None:
    found = plan(catalogs["retail"], question, _CHANNEL)
    assert isinstance(found, MetricPlan), found
    assert found.query.group_by == group_by, found
    assert _STORE in found.query.filters, found


def test_top_stores_only_stays_a_ranking_of_stores(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["retail"], "Top 5 stores only by net sales last month", _CHANNEL)
    assert isinstance(found, MetricPlan), found
    assert found.query.group_by == ("store__store_name",), found
