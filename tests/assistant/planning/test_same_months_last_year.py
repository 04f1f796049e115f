"""A German compound whose first part is a period with its linking 's' ('Monatsumsatz',
'Wochenumsatz', 'Tagesumsatz') is the figure per that period (monthly revenue), on every project, and
'im Vorjahresvergleich' sets that series beside the same months last year. ('next to / neben the same
months last year' as a comparison was withdrawn in session 33: it added a confidently wrong answer on
a frozen held-out half.)"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Grain
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("project", "question", "metric"),
    [
        ("retail", "Monatsumsatz 2026 im Vorjahresvergleich", "net_sales"),
        ("retail", "Monatsumsatz dieses Jahr vs Vorjahr", "net_sales"),
        ("logistics", "Monatsumsatz 2026 im Vorjahresvergleich", "freight_revenue"),
    ],
)
def test_a_monthly_series_beside_the_same_months_last_year(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str
) -> None:
    asked = plan(catalogs[project], question)
    assert isinstance(asked, MetricPlan), (question, asked)
    assert asked.query.metrics == (metric,)
    assert asked.query.time_grain == Grain.MONTH and "metric_time" in asked.query.group_by[0]
    assert asked.comparison == "same_period_last_year"


@pytest.mark.parametrize(
    ("project", "question", "grain"),
    [
        ("retail", "Wochenumsatz im Oktober", Grain.WEEK),
        ("retail", "Tagesumsatz letzte Woche", Grain.DAY),
        ("logistics", "Wochenumsatz im Oktober", Grain.WEEK),
    ],
)
def test_a_period_before_a_figure_in_one_german_word_is_its_grain(
    catalogs: dict[str, Catalog], project: str, question: str, grain: Grain
) -> None:
    asked = plan(catalogs[project], question)
    assert isinstance(asked, MetricPlan), (question, asked)
    assert asked.query.time_grain == grain and asked.comparison is None
