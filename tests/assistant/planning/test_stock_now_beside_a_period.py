"""Two asks of different kinds and days in one question: 'units sold in H1 2026 and current stock',
'Laufschuhe: verkaufte Stück im ersten Halbjahr 2026 und aktueller Lagerbestand', 'units sold last
month and stock on hand now'. One plan holds one period, and the stock was given at that period's
end (30 June) for a stock asked today: asked now. A stock asked 'now' with no other period, and both
asked for one period that reaches today ('this month … current stock'), are answered as before."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {"product__category": ("Running", "Ski")}


@pytest.mark.parametrize(
    "question",
    [
        "Running: units sold in H1 2026 and current stock",
        "Running: verkaufte Stück im ersten Halbjahr 2026 und aktueller Lagerbestand",
        "units sold of Running last month and stock on hand now",
        "Ski: Absatz im September und Lagerbestand jetzt",
        "Ski: Absatz im September und Lagerbestand heute",
    ],
)
def test_stock_now_beside_a_past_period_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    asked = plan(catalogs["retail"], question, VALUES)
    assert isinstance(asked, ClarificationPlan), (question, asked)


@pytest.mark.parametrize(
    "question",
    [
        "current stock of Running",
        "units sold this month and current stock",
        "stock on hand at the end of September",
        "Lagerbestand heute",
    ],
)
def test_stock_of_one_period_is_answered(catalogs: dict[str, Catalog], question: str) -> None:
    asked = plan(catalogs["retail"], question, VALUES)
    assert isinstance(asked, MetricPlan), (question, asked)
