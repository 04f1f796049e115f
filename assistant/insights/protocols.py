"""The one seam of the insights: something that runs a semantic query for a tenant.

`semantic_layer.facade.SemanticLayer` satisfies it (compile → guard → execute); insights never
see SQL or a warehouse, so every number they report went through the tenant guard.
"""

from __future__ import annotations

from typing import Protocol

from semantic_layer.protocols import QueryResult
from semantic_layer.query import SemanticQuery


class MetricSource(Protocol):
    def query(self, query: SemanticQuery, tenant_id: str | None) -> QueryResult: ...
