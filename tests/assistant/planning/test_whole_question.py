"""An answer accounts for the whole question, or the planner asks back naming what it left out.

The words stop-word lists call function words include some that change what is asked: a number
that is no row limit ('over 10000'), a negation of the figure itself ('no sales', 'ohne Umsatz').
Answered without them, the number shown would be confidently wrong; the user gets a clarification
that names the words and offers the reading the planner has instead. A question whose every word
is read — a number that is the top-N, a negation the figure's definition holds — is still answered.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from tests.assistant.planning.test_offline_planner import plan


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("net sales by store with more than 10000 last month", "'more than 10000'"),
        ("Umsatz je Filiale über 5000 Euro im letzten Monat", "'über 5000'"),
        ("which products had no sales last month", "'no'"),
        ("Filialen ohne Umsatz letzten Monat", "'ohne'"),
        ("net sales per product last month", "'per product'"),
        ("net sales before 10am last month", "'10am'"),
    ],
)
def test_a_word_the_plan_does_not_read_is_asked_about_by_name(question: str, named: str) -> None:
    result = plan(question)
    assert isinstance(result, ClarificationPlan), result
    assert named in result.question
    # the reading the planner has is offered, so one reply can take it
    assert result.options and "Net sales" in result.options[0] and "last month" in result.options[0]


def test_a_repeat_or_frequency_word_is_asked_about() -> None:
    for question, named in (
        ("units sold again last month", "'again'"),
        ("how often did we sell units", "'often'"),
    ):
        result = plan(question)
        assert isinstance(result, ClarificationPlan), result
        assert named in result.question and "Units sold" in result.options[0]


def test_a_number_that_is_the_row_limit_is_read() -> None:
    result = plan("top 3 stores by net sales last month")
    assert isinstance(result, MetricPlan), result
    assert result.query.limit == 3


def test_a_negation_outside_the_figure_is_still_a_filter() -> None:
    result = plan("margin for Hamburg and Berlin excluding online")
    assert isinstance(result, MetricPlan), result
    assert any(f.operator != "=" for f in result.query.filters), result.query.filters


@pytest.mark.parametrize("question", ["net sales per store last month", "Umsatz pro Filiale letzten Monat"])
def test_per_a_breakdown_is_read_as_the_breakdown(question: str) -> None:
    result = plan(question)
    assert isinstance(result, MetricPlan), result
    assert result.query.group_by == ("store__store_name",)


def test_a_fully_read_question_is_answered() -> None:
    result = plan("net sales by store last month")
    assert isinstance(result, MetricPlan), result
    assert result.query.metrics == ("net_sales",)


def test_a_slip_about_as_close_to_two_values_is_asked_not_guessed() -> None:
    """'oumenswear' is as near Womenswear as Menswear: correcting it to either would be a guess."""
    result = plan("net sales of oumenswear last month")
    assert isinstance(result, ClarificationPlan), result
    assert "'oumenswear'" in result.question
    assert set(result.options) >= {"Womenswear", "Menswear"}
    one_way = plan("net sales of womenswaer last month")  # one close word: corrected and answered
    assert isinstance(one_way, MetricPlan), one_way
    assert one_way.query.filters[0].values == ("Womenswear",)


def test_a_month_the_period_does_not_reach_is_asked_about() -> None:
    """'the first half of October' read as H1 would answer January to June: the month is named."""
    result = plan("net sales for the first half of october")
    assert isinstance(result, ClarificationPlan), result
    assert "'october'" in result.question
    named = plan("net sales from November 2025 to January 2026")  # every month inside the period
    assert isinstance(named, MetricPlan), named


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("net sales until last month", "'until'"),
        ("Umsatz bis heute", "'bis'"),
        ("net sales up to yesterday", "'up to'"),
    ],
)
def test_an_end_bound_answered_as_one_period_is_asked_about(question: str, named: str) -> None:
    result = plan(question)
    assert isinstance(result, ClarificationPlan), result
    assert named in result.question


def test_a_range_holds_its_bound() -> None:
    result = plan("Umsatz von November bis Januar")
    assert isinstance(result, MetricPlan), result
    assert (result.period.start, result.period.end) == (date(2025, 11, 1), date(2026, 1, 31))
