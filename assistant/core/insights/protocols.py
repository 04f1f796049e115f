"""The one seam of the insights: something that runs a semantic query for a tenant.

`semantic_layer.facade.SemanticLayer` satisfies it (compile → guard → execute); insights never
see SQL or a warehouse, so every number they report went through the tenant guard.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from semantic_layer.catalog import Catalog
from semantic_layer.data_version import DataVersion
from semantic_layer.protocols import QueryResult
from semantic_layer.query import SemanticQuery


class MetricSource(Protocol):
    def query(self, query: SemanticQuery, tenant_id: str | None) -> QueryResult: ...


@runtime_checkable
class DataVersionSource(Protocol):
    """A source that also knows each tenant's loaded data range (the semantic layer does)."""

    def data_version(self, tenant_id: str) -> DataVersion: ...


@runtime_checkable
class CatalogSource(Protocol):
    """A source that knows its project's catalog (the semantic layer does): where the insights
    find their metrics and dimensions by role."""

    @property
    def catalog(self) -> Catalog: ...
