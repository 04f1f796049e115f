from __future__ import annotations

import pytest

from semantic_layer.errors import InvalidQueryError
from semantic_layer.filter_parser import parse_filters
from semantic_layer.query import Filter


def test_reads_simple_conditions_as_typed_filters() -> None:
    text = (
        "account__country = 'DE' AND subscription__plan NOT IN ('pro', 'basic') AND amount BETWEEN 1 AND 2.5"
    )
    assert parse_filters(text) == (
        Filter(dimension="account__country", operator="=", values=("DE",)),
        Filter(dimension="subscription__plan", operator="not in", values=("pro", "basic")),
        Filter(dimension="amount", operator="between", values=(1, 2.5)),
    )
    assert parse_filters("x != -3 AND (y LIKE 'Ham%')") == (
        Filter(dimension="x", operator="!=", values=(-3,)),
        Filter(dimension="y", operator="like", values=("Ham%",)),
    )


@pytest.mark.parametrize(
    "text", ["a = b", "a = 1 OR b = 2", "t.a = 'x'", "drop table x", "a = (SELECT 1)", "NOT a = 1"]
)
def test_anything_but_dimension_op_literal_is_refused(text: str) -> None:
    with pytest.raises(InvalidQueryError):
        parse_filters(text)
