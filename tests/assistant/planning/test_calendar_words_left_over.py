"""A calendar word left over is no part of a figure's name (session 33, precision probing).

'best day of the week for sales' and 'sales during Easter week 2026' were answered with 'Units sold in
the 4 weeks to the stock count' (a figure whose name and synonyms hold 'week' as its window): the
leftover 'week' made that figure the 'sharper' or the 'described' reading. A calendar word says when,
never which figure; left unread it is asked about, as the other projects already did.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {"product__category": ("Shoes", "Menswear")},
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen",)},
    "hospitality": {"property__region": ("Tirol",)},
}
WINDOW_FIGURES = {"trailing_4_weeks_units_sold", "weeks_of_supply"}


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "best day of the week for sales this year"),
        ("retail", "sales during Easter week 2026"),
        ("retail", "Umsatz am besten Tag der Woche dieses Jahr"),
        ("retail", "sales in the busiest week of the year"),
        ("logistics", "shipments during Easter week 2026"),
        ("logistics", "which day of the week had the most shipments"),
        ("hospitality", "best day of the week for arrivals"),
    ],
)
def test_a_calendar_word_left_over_is_asked_not_read_as_a_window_figure(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    planned = plan(catalogs[project], question, VALUES[project])
    if isinstance(planned, MetricPlan):  # never the figure whose window the word is
        assert not set(planned.query.metrics) & WINDOW_FIGURES
    else:
        assert isinstance(planned, ClarificationPlan)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many weeks will the stock last", "weeks_of_supply"),
        ("wie viele Wochen reicht der Bestand", "weeks_of_supply"),
        ("4-week sales", "trailing_4_weeks_units_sold"),
        ("net sales per week last month", "net_sales"),
    ],
)
def test_figures_named_with_their_window_still_answer(
    catalogs: dict[str, Catalog], question: str, metric: str
) -> None:
    planned = plan(catalogs["retail"], question, VALUES["retail"])
    assert isinstance(planned, MetricPlan)
    assert metric in planned.query.metrics
