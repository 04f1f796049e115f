"""What the planner knows about one tenant: the lexicon (catalog words + the tenant's own values)
and the data version it was built from.

The lexicon is the catalog-only knowledge every engine has. When a retrieval index exists
(`mercurios index`), `for_question` adds what retrieval finds for one question (candidate metrics,
values named in other words, verified examples) and `documents` the tenant's document chunks; with
no index both return None and planning works exactly as before. A failing index degrades to the
lexicon (logged), because a question about sales must not fail for want of embeddings.

Snapshots are cached per (tenant, data version): a new load rebuilds the tenant's lexicon on its
next question; one tenant's values never enter another tenant's snapshot.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.planning.offline.lexicon import Lexicon, Members, build_lexicon, hierarchy_dimensions
from assistant.core.planning.offline.value_lookup import ValueIndex, build_value_index
from guardrails.errors import MercuriosError
from semantic_layer.data_version import DataVersion
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import SemanticQuery

if TYPE_CHECKING:  # types only: retrieval loads numpy, pyarrow and the lemmatizer when it opens
    from retrieval.live import LiveRetriever
    from retrieval.retriever import DocumentContext, RetrievalContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeSnapshot:
    tenant_id: str
    data_version: DataVersion
    lexicon: Lexicon
    values: dict[str, tuple[str, ...]]
    beyond_cap: tuple[str, ...] = ()  # the dimensions with more values than the lexicon holds


DATA_VERSION_MAX_AGE_S = 5.0
# The values of a dimension too large for the lexicon, read when a question names one (see
# `values_beyond_cap`): at most this many per dimension
MAX_LOOKUP_VALUES = 100_000


class TenantKnowledge:
    def __init__(
        self,
        semantic_layer: SemanticLayer,
        *,
        max_values_per_dimension: int = 500,
        retriever: LiveRetriever | None = None,
    ) -> None:
        self._sl = semantic_layer
        self._cap = max_values_per_dimension
        self._retriever = retriever
        self._snapshots: dict[str, KnowledgeSnapshot] = {}
        self._beyond_cap: dict[str, tuple[str, ValueIndex]] = {}  # tenant → (data version, index)
        self._versions: dict[str, tuple[str, float, DataVersion]] = {}  # tenant → (fingerprint, at, version)
        self._lock = threading.Lock()

    def data_version(self, tenant_id: str) -> DataVersion:
        """The tenant's data version, re-read when the warehouse changed or after a few seconds.

        Reading it is a guarded query on every question (a few ms of the hot path); the
        warehouse's fingerprint (a DuckDB file's mtime and size) changes the moment a build or a
        load lands, so the version is re-read then — and at least every
        `DATA_VERSION_MAX_AGE_S` for warehouses without a file to watch (Snowflake).
        """
        fingerprint = self._sl.warehouse.fingerprint()
        now = time.monotonic()
        with self._lock:
            cached = self._versions.get(tenant_id)
        if cached is not None and cached[0] == fingerprint and now - cached[1] < DATA_VERSION_MAX_AGE_S:
            return cached[2]
        version = self._sl.data_version(tenant_id)
        with self._lock:
            self._versions[tenant_id] = (fingerprint, now, version)
        return version

    def for_tenant(self, tenant_id: str) -> KnowledgeSnapshot:
        version = self.data_version(tenant_id)
        with self._lock:
            snap = self._snapshots.get(tenant_id)
            if snap is not None and snap.data_version.value == version.value:
                return snap
        found = self._sl.dimension_values(tenant_id, cap=self._cap, version=version)
        values = {dv.dimension: dv.values for dv in found if not dv.truncated}
        beyond_cap = tuple(dv.dimension for dv in found if dv.truncated)
        lexicon = build_lexicon(self._sl.catalog, values, self._members(tenant_id, version))
        snap = KnowledgeSnapshot(tenant_id, version, lexicon, values, beyond_cap)
        with self._lock:
            self._snapshots[tenant_id] = snap
        return snap

    def values_beyond_cap(self, tenant_id: str) -> ValueIndex:
        """The tenant's values of the dimensions too large for its lexicon, indexed by their words.
        Read through the semantic layer's dimension-values query (guarded, scoped to the tenant)
        with a larger cap, kept per tenant and data version (in memory, and on disk like the
        lexicon's values). Asked only for a question the lexicon does not read whole; a tenant
        without such dimensions costs nothing."""
        snap = self.for_tenant(tenant_id)
        if not snap.beyond_cap:
            return ValueIndex()
        version = snap.data_version
        with self._lock:
            cached = self._beyond_cap.get(tenant_id)
        if cached is not None and cached[0] == version.value:
            return cached[1]
        found = self._sl.dimension_values(
            tenant_id, cap=MAX_LOOKUP_VALUES, version=version, only=snap.beyond_cap
        )
        held = self._sl.tenant_cached(
            "role_values", tenant_id, version, lambda: self._query_role_values(tenant_id, snap.beyond_cap)
        )
        index = build_value_index({dv.dimension: dv.values for dv in found}, held)
        with self._lock:
            self._beyond_cap[tenant_id] = (version.value, index)
        return index

    def _query_role_values(self, tenant_id: str, dimensions: tuple[str, ...]) -> dict[str, list[str]]:
        """For a column reached through several entity roles (one party table as shipper, consignee
        and carrier): the values each role's facts hold, so a name found under every role is read
        as the role that has it. One grouped metric query per role dimension, through the semantic
        layer (guarded, tenant-scoped); a role whose query fails or is cut short stays unknown."""
        catalog = self._sl.catalog
        infos = [d for d in (catalog.dimension(n) for n in dimensions) if d is not None]
        by_column: dict[tuple[str | None, str], list[str]] = {}
        for d in infos:
            by_column.setdefault((d.model, d.element or d.name.split("__")[-1]), []).append(d.name)
        out: dict[str, list[str]] = {}
        for names in by_column.values():
            if len(names) < 2:
                continue
            for name in names:
                held = self._held_values(tenant_id, name)
                if held is not None:
                    out[name] = held
        return out

    def _held_values(self, tenant_id: str, name: str) -> list[str] | None:
        """The values of `name` some fact holds: grouped by it, every simple additive metric that
        reaches it in one query (their rows joined, so a figure over a subset of the facts — claims
        of a few shipments, a metric with its own filter — hides no value another fact holds); each
        metric alone, their values joined, when the semantic layer cannot join them. None: unknown."""
        catalog = self._sl.catalog
        fitting = tuple(
            m.name for m in catalog.metrics if m.additive and m.type == "simple" and name in m.dimensions
        )
        joined = self._values_of(tenant_id, name, fitting) if fitting else None
        if joined is not None or len(fitting) < 2:
            return joined
        found = [v for m in fitting if (v := self._values_of(tenant_id, name, (m,))) is not None]
        return sorted({x for v in found for x in v}) if found else None

    def _values_of(self, tenant_id: str, name: str, metrics: tuple[str, ...]) -> list[str] | None:
        try:
            result = self._sl.query(SemanticQuery(metrics=metrics, group_by=(name,)), tenant_id)
        except MercuriosError as exc:
            log.warning("values of %s held by %s unavailable for %s: %s", name, metrics, tenant_id, exc)
            return None
        if result.truncated or name not in result.column_names:
            return None
        i = result.column_names.index(name)
        return sorted({str(row[i]) for row in result.rows if row[i] is not None})

    @property
    def retrieval_version(self) -> str | None:
        """The index version this process has opened (None: retrieval not opened, or no index)."""
        return self._retriever.version if self._retriever is not None else None

    def _members(self, tenant_id: str, version: DataVersion) -> dict[str, Members]:
        """The tenant's items with their place in the hierarchy (item → category, subcategory …), for
        general product words ('Leuchten' → the category holding every lamp). One grouped query per
        entity with a primary dimension, through the semantic layer (guarded, tenant-scoped); kept
        per data version in the semantic layer's cache (a full pass over the sales of ten million
        lines is not repeated by every new process)."""
        stored = self._sl.tenant_cached(
            "members",
            tenant_id,
            version,
            lambda: {
                name: {"dimensions": m.dimensions, "rows": m.rows, "primary": m.primary}
                for name, m in self._query_members(tenant_id).items()
            },
        )
        return {
            name: Members(tuple(m["dimensions"]), tuple(tuple(r) for r in m["rows"]), int(m["primary"]))
            for name, m in stored.items()
        }

    def _query_members(self, tenant_id: str) -> dict[str, Members]:
        out: dict[str, Members] = {}
        catalog = self._sl.catalog
        for name, levels in hierarchy_dimensions(catalog):
            dims = (name, *levels)
            metric = next(
                (m for m in catalog.metrics if m.additive and all(d in m.dimensions for d in dims)), None
            )
            if metric is None:
                continue
            try:
                result = self._sl.query(SemanticQuery(metrics=(metric.name,), group_by=dims), tenant_id)
            except MercuriosError as exc:
                log.warning("item hierarchy of %s unavailable for %s: %s", name, tenant_id, exc)
                continue
            columns = result.column_names
            index = [columns.index(d) for d in dims if d in columns]
            if len(index) != len(dims) or result.truncated:
                continue
            rows = tuple(
                tuple(str(row[i]) for i in index)
                for row in result.rows
                if all(row[i] is not None for i in index)
            )
            out[name] = Members(dims, rows, 1)
        return out

    def for_question(self, tenant_id: str, question: str) -> RetrievalContext | None:
        """What retrieval finds for this question in this tenant's world (None: no index)."""
        if self._retriever is None:
            return None
        try:
            retriever = self._retriever.get()
            return retriever.context(tenant_id, question) if retriever is not None else None
        except MercuriosError as exc:
            log.warning("retrieval unavailable, planning with the lexicon only: %s", exc)
            return None

    def documents(self, tenant_id: str, question: str) -> DocumentContext | None:
        """The tenant's document chunks for the question (None: no index or no documents at all)."""
        if self._retriever is None:
            return None
        try:
            retriever = self._retriever.get()
            return retriever.documents(tenant_id, question) if retriever is not None else None
        except MercuriosError as exc:
            log.warning("document search unavailable: %s", exc)
            return None

    def lookup(self, tenant_id: str, question: str) -> QuestionLookup:
        """Retrieval for one question, on demand (see `QuestionLookup`)."""
        return QuestionLookup(self, tenant_id, question)


_UNSET = object()


class QuestionLookup:
    """What retrieval finds for one question, looked up when the planner first asks and kept for
    the rest of the question (`RetrievalLookup`). A question the lexicon reads whole never asks,
    so a cold process answers it without opening the index or loading the embedder.
    `elapsed_ms` is the time spent looking up, which the engine reports as retrieval."""

    def __init__(self, knowledge: TenantKnowledge, tenant_id: str, question: str) -> None:
        self._knowledge = knowledge
        self._tenant_id = tenant_id
        self._question = question
        self._context: object = _UNSET
        self._documents: object = _UNSET
        self._values: ValueIndex | None = None
        self.elapsed_ms = 0.0

    @property
    def searched(self) -> bool:
        """Whether the retrieval index or the documents were searched for this question (their
        results can change without the data version changing)."""
        return self._context is not _UNSET or self._documents is not _UNSET

    def values(self) -> ValueIndex:
        """The tenant's values beyond the lexicon's cap (`TenantKnowledge.values_beyond_cap`)."""
        if self._values is None:
            started = time.perf_counter()
            self._values = self._knowledge.values_beyond_cap(self._tenant_id)
            self.elapsed_ms += (time.perf_counter() - started) * 1000
        return self._values

    def context(self) -> RetrievalContext | None:
        if self._context is _UNSET:
            started = time.perf_counter()
            self._context = self._knowledge.for_question(self._tenant_id, self._question)
            self.elapsed_ms += (time.perf_counter() - started) * 1000
        return self._context  # type: ignore[return-value]

    def documents(self) -> DocumentContext | None:
        if self._documents is _UNSET:
            started = time.perf_counter()
            self._documents = self._knowledge.documents(self._tenant_id, self._question)
            self.elapsed_ms += (time.perf_counter() - started) * 1000
        return self._documents  # type: ignore[return-value]
