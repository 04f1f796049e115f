"""Two kinds of party set against each other ('claims filed by consignees vs shippers'): the side each
row was on — the dimension whose values are those sides (a claimant role) — never both words dropped
as entities named in passing (that answered the total as if it were the breakdown). With no such
dimension reachable, asked back."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

_ROLES = {"claim__claimant_role": ("SHIPPER", "CONSIGNEE")}


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("How many claims were filed by consignees vs shippers this year?", "claims_filed"),
        ("Claims filed by shippers or by consignees in 2025", "claims_filed"),
        ("Claimed amount: shippers compared to consignees, last quarter", "claimed_amount"),
        ("Wie viele Reklamationen kamen 2025 von Versendern und wie viele von Empfängern?", "claims_filed"),
    ],
)
def test_sides_set_against_are_the_role_that_names_them(
    catalogs: dict[str, Catalog], question: str, metric: str
) -> None:
    found = plan(catalogs["logistics"], question, _ROLES)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == (metric,), found
    assert found.query.group_by == ("claim__claimant_role",), found


def test_sides_no_dimension_tells_apart_are_asked(catalogs: dict[str, Catalog]) -> None:
    # shipments have no claimant: 'by shippers vs consignees' is asked, not answered as the total
    found = plan(catalogs["logistics"], "shipments by shippers vs consignees last month", _ROLES)
    assert isinstance(found, ClarificationPlan), found


def test_one_party_named_by_is_still_its_breakdown(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["logistics"], "claims filed by consignees this year", _ROLES)
    assert isinstance(found, MetricPlan), found
    assert found.query.group_by == ("shipment__consignee__party_name",), found
