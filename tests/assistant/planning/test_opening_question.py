"""An opening yes/no question before the question asked (issue #17, session 29): 'Is X pulling its
weight? <figures for X vs Y>' — the figures asked after it are answered when the opening adds nothing
a plan could hold (no figure, period or ranking; only values the rest filters by); an opening naming
a value the rest leaves out is still asked about. Retail and hospitality catalogs, parsed with dbt."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {"store__city": ("Leipzig", "Dresden", "Hamburg", "Berlin")},
    "hospitality": {"property__property_name": ("Halden House Porto Flores", "Halden House Lisboa Ribeira")},
}


@pytest.mark.parametrize(
    ("project", "question", "metric", "values"),
    [
        (
            "retail",
            "Is Hamburg keeping up? Sales per sqm for Hamburg vs Berlin in September.",
            "sales_per_sqm",
            {"Hamburg", "Berlin"},
        ),
        (
            "retail",
            "Zieht Hamburg mit? Umsatz pro qm für Hamburg und Berlin im September.",
            "sales_per_sqm",
            {"Hamburg", "Berlin"},
        ),
        (
            "hospitality",
            "Is Porto Flores holding its own? Room revenue for Porto Flores vs Lisboa Ribeira last month.",
            "room_revenue",
            {"Halden House Porto Flores", "Halden House Lisboa Ribeira"},
        ),
        (
            "hospitality",
            "Hält Porto Flores mit? Logisumsatz für Porto Flores und Lisboa Ribeira im September.",
            "room_revenue",
            {"Halden House Porto Flores", "Halden House Lisboa Ribeira"},
        ),
    ],
)
def test_the_question_after_an_opening_is_answered(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str, values: set[str]
) -> None:
    asked = plan(catalogs[project], question, VALUES[project])
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == (metric,)
    assert {str(v) for f in asked.query.filters for v in f.values} == values


def test_an_opening_naming_a_value_the_rest_leaves_out_is_asked(catalogs: dict[str, Catalog]) -> None:
    asked = plan(
        catalogs["retail"],
        "Is Leipzig carrying its weight? Sales per sqm for Dresden last month.",
        VALUES["retail"],
    )
    assert isinstance(asked, ClarificationPlan), asked
