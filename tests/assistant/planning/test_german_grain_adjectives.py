"""A German grain adjective takes its case ending ('Wöchentlicher Umsatz', 'Monatliche Retourenquote',
'Tägliche Sendungen'): the same grain as 'wöchentlich' bare — not an unknown word asked about."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Grain
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("project", "question", "grain"),
    [
        ("retail", "Wöchentlicher Umsatz in den letzten 4 Wochen", Grain.WEEK),
        ("retail", "Monatliche Retourenquote dieses Jahr", Grain.MONTH),
        ("logistics", "Tägliche Sendungen letzte Woche", Grain.DAY),
        ("hospitality", "Monatlicher Zimmerumsatz 2025", Grain.MONTH),
        ("hospitality", "Wöchentliche belegte Zimmernächte im Oktober 2026", Grain.WEEK),
    ],
)
def test_an_inflected_grain_adjective_is_the_grain(
    catalogs: dict[str, Catalog], project: str, question: str, grain: Grain
) -> None:
    found = plan(catalogs[project], question)
    assert isinstance(found, MetricPlan), found
    assert found.query.group_by == ("metric_time",), found
    assert found.query.time_grain == grain, found
