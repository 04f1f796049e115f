"""What the offline planner is given for one question: `PlannerInput` (the question, the as-of
date, the catalog and the tenant's lexicon, the previous plan, what retrieval found) and
`RetrievalLookup`, the on-demand lookup of retrieval's findings. The lowest module of the planner:
every step and helper reads the question through it. `planner` re-exports both names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.value_lookup import ValueIndex
from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog

if TYPE_CHECKING:  # types only: the retriever module loads numpy and the lemmatizer
    from retrieval.retriever import DocumentContext, RetrievalContext


CATALOG_DEFAULT = "\0catalog-default"  # PlannerInput's default_metric unless given: see __post_init__


class RetrievalLookup(Protocol):
    """What retrieval finds for one question, looked up when a planner first asks (each at most
    once). Opening the index and the embedder costs a cold process about a second, and a question
    the lexicon reads whole never needs them."""

    def context(self) -> RetrievalContext | None: ...

    def documents(self) -> DocumentContext | None: ...

    def values(self) -> ValueIndex:
        """The tenant's values of the dimensions too large for the lexicon (see `value_lookup`)."""
        ...


@dataclass(frozen=True)
class PlannerInput:
    question: str
    as_of: date
    catalog: Catalog
    lexicon: Lexicon  # built for this tenant (catalog words + the tenant's values)
    previous: MetricPlan | None = None
    foreign_terms: Sequence[str] = ()  # other tenants' ids and names: naming one is a refusal
    default_metric: str | None = CATALOG_DEFAULT  # else: the catalog's declared default (below)
    first_data_date: date | None = None  # for the "all loaded data" label
    retrieval: RetrievalContext | None = None  # what retrieval found for this question (None: no index)
    documents: DocumentContext | None = None  # the tenant's document chunks for it (None: no index)
    lookup: RetrievalLookup | None = None  # both of the above on demand (when not given as values)

    def __post_init__(self) -> None:
        """Not given, the default metric is the one the project declares (`meta: {mercurios:
        {default: true}}`), none when it declares none — never a name written here."""
        if self.default_metric == CATALOG_DEFAULT:
            declared = self.catalog.declared_default
            object.__setattr__(self, "default_metric", declared.name if declared else None)

    def retrieved(self) -> RetrievalContext | None:
        """What retrieval found for the question: as given, else looked up now."""
        if self.retrieval is not None or self.lookup is None:
            return self.retrieval
        return self.lookup.context()

    def document_context(self) -> DocumentContext | None:
        """The tenant's document chunks for the question: as given, else looked up now."""
        if self.documents is not None or self.lookup is None:
            return self.documents
        return self.lookup.documents()

    def values_beyond_cap(self) -> ValueIndex:
        """The values the lexicon's cap left out, looked up now (empty without a lookup)."""
        return self.lookup.values() if self.lookup is not None else ValueIndex()
