"""The planner's tool schemas are generated from the argument models (`model_json_schema()`): what
the model is told it may send is exactly what the planner accepts."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from assistant.core.llm.tools import ARGUMENT_MODELS, QUERY_TOOL, tool_schemas
from semantic_layer.query import Grain, ValueOperator


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def _query_properties() -> dict[str, Any]:
    [query] = [t for t in tool_schemas(allow_sql=False) if t["function"]["name"] == QUERY_TOOL]
    return query["function"]["parameters"]["properties"]  # type: ignore[no-any-return]


def test_the_filter_operators_and_grains_offered_are_the_semantic_layers_own() -> None:
    props = _query_properties()
    assert props["filters"]["items"]["properties"]["operator"]["enum"] == list(get_args(ValueOperator))
    assert props["time_grain"]["enum"] == [g.value for g in Grain]


def test_every_object_forbids_unknown_fields_and_nothing_needs_resolving() -> None:
    """A misnamed field is an error the model is told about, and providers that resolve no `$ref`
    read every schema as written."""
    schemas = tool_schemas(allow_sql=True)
    assert {t["function"]["name"] for t in schemas} == set(ARGUMENT_MODELS)
    objects = _objects(schemas)
    assert len(objects) >= len(schemas) + 3  # the tools, a filter, a time range, an ordering
    assert all(o.get("additionalProperties") is False for o in objects)
    assert "$ref" not in json.dumps(schemas) and "null" not in json.dumps(schemas)


def test_an_operator_the_schema_does_not_offer_is_refused_by_the_model() -> None:
    offered = _query_properties()["filters"]["items"]["properties"]["operator"]["enum"]
    assert "~" not in offered
    with pytest.raises(ValidationError):
        ARGUMENT_MODELS[QUERY_TOOL].model_validate(
            {"metrics": ["net_sales"], "filters": [{"dimension": "store", "operator": "~", "values": ["x"]}]}
        )
