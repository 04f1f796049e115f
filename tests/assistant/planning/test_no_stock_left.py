"""'Which products are out of stock?', 'Welche Artikel sind in Hamburg ausverkauft?', 'which items are
sold out': the items with no stock left now — a condition on the stock figure's own value, which no
plan holds. They were answered as the lowest stock cover first (ten items that still had stock, said
to be out of it); now asked, with what can be shown. Said ahead ('soon', 'running out', 'bald
ausverkauft') it stays the items about to run out, lowest cover first. ('keinen Bestand mehr', 'zero
stock' were asked already: the negation is read by nothing.)"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {"store__store_name": ("Nordwind Hamburg",), "store__city": ("Hamburg",)}


@pytest.mark.parametrize(
    "question",
    [
        "Which products are out of stock in Hamburg?",
        "which products are sold out?",
        "Welche Artikel sind in Hamburg ausverkauft?",
        "Welche Artikel haben in der Filiale Hamburg keinen Bestand mehr?",
        "which items have zero stock at the Hamburg store?",
    ],
)
def test_items_with_no_stock_left_are_asked(catalogs: dict[str, Catalog], question: str) -> None:
    asked = plan(catalogs["retail"], question, VALUES)
    assert isinstance(asked, ClarificationPlan), (question, asked)


def test_the_question_back_offers_the_stock_smallest_first(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["retail"], "which products are sold out?", VALUES)
    assert isinstance(asked, ClarificationPlan)
    assert asked.options[0] == "Units on hand by product name, smallest first"


@pytest.mark.parametrize(
    "question",
    [
        "Welche Produkte sind bald ausverkauft?",
        "which products will soon be sold out?",
        "which products are running out of stock?",
    ],
)
def test_items_about_to_run_out_keep_the_lowest_cover_first(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = plan(catalogs["retail"], question, VALUES)
    assert isinstance(asked, MetricPlan), (question, asked)
    assert asked.query.metrics == ("weeks_of_supply",) and not asked.query.order_by[0].descending
