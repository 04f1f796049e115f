"""The column-wise fast path gives exactly the record-wise validator's result, or declines the page."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ingestion.prohandel.resources import RESOURCES
from ingestion.prohandel.simulator import FaultPlan, Simulator
from ingestion.prohandel.simulator_server import demo_simulator
from ingestion.quality.fast_path import validate_clean_page
from ingestion.quality.validation import KnownKeys, validate_page, validate_records
from tests.demo import TEST_END_DATE

TENANT = "casa-living"


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=[TENANT])


def _page(sim: Simulator, resource: str) -> list[Any]:
    code = next(iter(sim.accounts))
    return sim.page_items(code, resource, sim.visible(code, resource, None), 1, 2000)


def _known(sim: Simulator) -> KnownKeys:
    branches = frozenset(r["id"] for r in _page(sim, "branches"))
    articles = frozenset(r["id"] for r in _page(sim, "articles"))
    return KnownKeys(branches, articles)


def test_clean_pages_of_every_resource_match_the_reference(sim: Simulator) -> None:
    sim.reset_faults()
    known = _known(sim)
    for resource in RESOURCES:
        records = _page(sim, resource.name)
        fast = validate_clean_page(resource, records, known)
        assert fast is not None, resource.name
        assert fast == validate_records(resource, records, known), resource.name


@pytest.mark.parametrize(
    "spoil",
    ["duplicate", "negative_stock", "unknown_branch", "bad_date", "string_quantity", "null_key", "new_field"],
)
def test_a_page_with_anything_off_is_declined_and_validated_record_by_record(
    sim: Simulator, spoil: str
) -> None:
    sim.reset_faults()
    known = _known(sim)
    resource = next(r for r in RESOURCES if r.name == "inventory")
    records = copy.deepcopy(_page(sim, "inventory"))
    bad = records[7]
    if spoil == "duplicate":
        records.append(dict(records[3]))
    elif spoil == "negative_stock":
        bad["onHand"] = -4
    elif spoil == "unknown_branch":
        bad["branchId"] = "no-such-branch"
    elif spoil == "bad_date":
        bad["date"] = "31.10.2026"
    elif spoil == "string_quantity":
        bad["onHand"] = "12"
    elif spoil == "null_key":
        bad["articleId"] = None
    else:
        bad["loyaltyScore"] = 3
    assert validate_clean_page(resource, records, known) is None
    page = validate_page(resource, records, known)
    assert page == validate_records(resource, records, known)
    assert page.rejected or page.duplicates or page.extras


def test_a_renamed_field_is_left_to_the_reference_path_which_reports_the_drift(sim: Simulator) -> None:
    sim.reset_faults(FaultPlan(rename_fields={"articles": {"retailPrice": "salesPrice"}}))
    try:
        records = _page(sim, "articles")
    finally:
        sim.reset_faults()
    resource = next(r for r in RESOURCES if r.name == "articles")
    assert validate_clean_page(resource, records, KnownKeys()) is None
    assert validate_page(resource, records, KnownKeys()).drift.renamed == {"salesPrice": "retailPrice"}
