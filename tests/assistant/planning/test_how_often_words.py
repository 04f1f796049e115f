"""'More than once', 'mehr als einmal', 'zweimal' (session 33, precision probing).

'Wie viele Kunden haben dieses Jahr mehr als einmal gekauft?' was every active customer (340): the
German 'einmal' was no number word, so the threshold went unread ('more than once' was already
asked). German times-words are number words now, and 'mehrmals', 'mehrfach' are content words a
plan must read, like 'often' and 'again'.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {"product__category": ("Shoes",)},
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen",)},
    "hospitality": {"property__region": ("Tirol",)},
}


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Wie viele Kunden haben dieses Jahr mehr als einmal gekauft?"),
        ("retail", "how many customers bought more than once this year"),
        ("retail", "Wie viele Kunden haben im Oktober zweimal gekauft?"),
        ("retail", "Kunden, die dieses Jahr mehrfach gekauft haben"),
        ("logistics", "Wie viele Sendungen wurden zweimal zugestellt?"),
        ("hospitality", "guests who stayed more than once this year"),
    ],
)
def test_how_often_is_asked_when_no_figure_reads_it(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Wie viele Kunden haben dieses Jahr gekauft?"),
        ("logistics", "Wie viele Sendungen wurden letzten Monat zugestellt?"),
        ("hospitality", "how many guests stayed this year"),
    ],
)
def test_counts_without_how_often_still_answer(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), MetricPlan)
