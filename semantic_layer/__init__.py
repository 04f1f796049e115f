"""The semantic layer: a dbt project's metrics, compiled by MetricFlow, run through the guard.

Public API: `SemanticProject`, `SemanticQuery` (+ `Filter`, `TimeRange`, `OrderBy`, `Grain`),
`Catalog`, `CompiledQuery`, `SemanticLayer`, `Warehouse`, `QueryResult`.
"""

import os

# MetricFlow and dbt read this when first imported; the package init runs before any submodule.
os.environ.setdefault("DO_NOT_TRACK", "1")

from semantic_layer.catalog import Catalog, build_catalog
from semantic_layer.compiler import CompiledQuery, compile_query
from semantic_layer.facade import ExecutedQuery, SemanticLayer
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import QueryResult, SqlGuard, Warehouse
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange

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
