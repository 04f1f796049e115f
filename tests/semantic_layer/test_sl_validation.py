from __future__ import annotations

import pytest
from pydantic import ValidationError

from guardrails.errors import UserError
from semantic_layer.catalog import Catalog
from semantic_layer.errors import (
    InvalidGrainError,
    InvalidQueryError,
    UnknownDimensionError,
    UnknownMetricError,
    UnreachableDimensionError,
)
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery
from semantic_layer.validation import validate


@pytest.mark.parametrize(
    ("metric", "suggestion"),
    [
        ("mrrr", "mrr"),
        ("churnrate", "churn_rate"),
        ("cancellations", "churned_subscriptions"),
        ("billings", "invoice_revenue"),
    ],
)
def test_unknown_metric_suggests_names_labels_and_synonyms(
    catalog: Catalog, metric: str, suggestion: str
) -> None:
    with pytest.raises(UnknownMetricError) as info:
        validate(SemanticQuery(metrics=(metric,)), catalog)
    assert info.value.code == "unknown_metric"
    assert f"unknown metric {metric!r}" in info.value.message
    assert suggestion in info.value.message.split("did you mean", 1)[1]


def test_unknown_dimension_suggests_the_qualified_name(catalog: Catalog) -> None:
    with pytest.raises(UnknownDimensionError, match=r"'contry'.*did you mean account__country"):
        validate(SemanticQuery(metrics=("mrr",), group_by=("contry",)), catalog)


def test_unreachable_dimension_lists_what_is_available(catalog: Catalog) -> None:
    with pytest.raises(UnreachableDimensionError) as info:
        validate(SemanticQuery(metrics=("new_accounts",), group_by=("subscription__plan",)), catalog)
    assert "account__country" in info.value.message
    assert isinstance(info.value, UserError)


def test_grain_finer_than_the_data_is_refused(catalog: Catalog) -> None:
    with pytest.raises(
        InvalidGrainError, match="mrr is not available by day; use one of: month, quarter, year"
    ):
        validate(SemanticQuery(metrics=("mrr",), group_by=("metric_time",)), catalog)
    with pytest.raises(InvalidGrainError):
        validate(SemanticQuery(metrics=("invoice_revenue", "mrr"), group_by=("metric_time__week",)), catalog)
    with pytest.raises(InvalidGrainError, match="not a time dimension"):
        validate(SemanticQuery(metrics=("mrr",), group_by=("subscription__plan__month",)), catalog)


def test_resolves_bare_time_dimensions_with_the_query_grain(catalog: Catalog) -> None:
    resolved = validate(
        SemanticQuery(
            metrics=("mrr",), group_by=("metric_time", "account__country"), time_grain=Grain.QUARTER
        ),
        catalog,
    )
    assert [g.mf_name for g in resolved.group_by] == ["metric_time__quarter", "account__country"]


def test_order_by_must_name_an_output(catalog: Catalog) -> None:
    with pytest.raises(InvalidQueryError, match="cannot order by 'plan'"):
        validate(
            SemanticQuery(
                metrics=("mrr",), group_by=("subscription__plan",), order_by=(OrderBy(name="plan"),)
            ),
            catalog,
        )


def test_filters_are_checked_and_typed(catalog: Catalog) -> None:
    with pytest.raises(UnknownDimensionError):
        validate(
            SemanticQuery(metrics=("mrr",), filters=(Filter(dimension="cuntry", values=("DE",)),)), catalog
        )
    with pytest.raises(ValidationError):
        Filter(dimension="account__country", operator="between", values=("DE",))
    with pytest.raises(ValidationError):
        Filter(dimension="account__country", operator="drop table", values=("DE",))  # type: ignore[arg-type]
