"""The semantic layer: a dbt project's metrics, compiled by MetricFlow, run through the guard.

Public API: `SemanticProject`, `SemanticQuery` (+ `Filter`, `TimeRange`, `OrderBy`, `Grain`),
`Catalog`, `CompiledQuery`, `SemanticLayer`, `Warehouse`, `QueryResult`.

The names are exported lazily (PEP 562): importing one submodule (the query types, the errors)
must not import MetricFlow, which only compiling needs.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# MetricFlow and dbt read this when first imported; the package init runs before any submodule.
os.environ.setdefault("DO_NOT_TRACK", "1")

if TYPE_CHECKING:
    from semantic_layer.catalog import Catalog, build_catalog
    from semantic_layer.compiler import CompiledQuery, compile_query
    from semantic_layer.facade import ExecutedQuery, SemanticLayer
    from semantic_layer.project import SemanticProject
    from semantic_layer.protocols import QueryResult, SqlGuard, Warehouse
    from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange

_EXPORTS = {
    "Catalog": "catalog",
    "build_catalog": "catalog",
    "CompiledQuery": "compiler",
    "compile_query": "compiler",
    "ExecutedQuery": "facade",
    "SemanticLayer": "facade",
    "SemanticProject": "project",
    "QueryResult": "protocols",
    "SqlGuard": "protocols",
    "Warehouse": "protocols",
    "Filter": "query",
    "Grain": "query",
    "OrderBy": "query",
    "SemanticQuery": "query",
    "TimeRange": "query",
}

__all__ = [
    "Catalog",
    "CompiledQuery",
    "ExecutedQuery",
    "Filter",
    "Grain",
    "OrderBy",
    "QueryResult",
    "SemanticLayer",
    "SemanticProject",
    "SemanticQuery",
    "SqlGuard",
    "TimeRange",
    "Warehouse",
    "build_catalog",
    "compile_query",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'semantic_layer' has no attribute {name!r}")
    return getattr(importlib.import_module(f"semantic_layer.{module}"), name)
