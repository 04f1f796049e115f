"""The offline planner with retrieval: values named in other words resolve on a per-question copy of
the lexicon (the cached one never changes), the lexicon's own readings are never overruled, and
document questions become a DocumentPlan only with documents and never for a metric question."""

from __future__ import annotations

from datetime import date

from assistant.core.planning.offline.lexicon import build_lexicon, key_of
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.offline.retrieval_hints import with_retrieval
from assistant.core.planning.plans import ClarificationPlan, DocumentPlan, MetricPlan, Plan, RefusalPlan
from retrieval.retriever import Citation, DocumentChunk, DocumentContext, RetrievalContext, ValueMatch
from semantic_layer.query import Filter
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)


def _ctx(question: str, *values: ValueMatch) -> RetrievalContext:
    return RetrievalContext("nordwind-fashion", question, (), (), tuple(values), ())


def _docs(question: str, answerable: bool = True) -> DocumentContext:
    chunk = DocumentChunk(
        "Return policy\nCustomers may return unworn items within 30 days.",
        Citation("return-policy.md", "Return policy", "Returns", 0),
        score=0.03,
        similarity=0.5,
        shared_terms=1 if answerable else 0,
    )
    return DocumentContext("nordwind-fashion", question, (chunk,), answerable)


def _plan(question: str, **kw: object) -> Plan:
    lexicon = kw.pop("lexicon", None) or build_lexicon(CATALOG, VALUES)
    return OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=CATALOG, lexicon=lexicon, **kw)  # type: ignore[arg-type]
    )


TRAINERS = ValueMatch("product__category", "Shoes", 0.8, "trainers", "alias")


def test_a_value_in_other_words_becomes_the_filter_without_touching_the_cached_lexicon() -> None:
    lexicon = build_lexicon(CATALOG, VALUES)
    question = "net sales of trainers last month"
    before = _plan(question, lexicon=lexicon)
    assert not (isinstance(before, MetricPlan) and before.query.filters)
    after = _plan(question, lexicon=lexicon, retrieval=_ctx(question, TRAINERS))
    assert isinstance(after, MetricPlan)
    assert after.query.filters == (Filter(dimension="product__category", operator="=", values=("Shoes",)),)
    assert lexicon.lookup(key_of("trainers")) == []  # the tenant's cached lexicon is unchanged
    assert with_retrieval(lexicon, None) is lexicon


def test_a_typo_the_lexicon_cannot_place_resolves_instead_of_a_clarification() -> None:
    question = "net sales of Levys Jeens"
    assert isinstance(_plan(question), ClarificationPlan)
    levis = ValueMatch("product__brand", "Levi's", 0.9, "Levys Jeens", "fuzzy")
    plan = _plan(question, retrieval=_ctx(question, levis))
    assert isinstance(plan, MetricPlan)
    assert plan.query.filters == (Filter(dimension="product__brand", operator="=", values=("Levi's",)),)


def test_retrieval_never_overrules_what_the_lexicon_reads() -> None:
    question = "net sales in Hamburg by category"
    wrong = (
        ValueMatch("store__city", "Berlin", 0.9, "Hamburg", "semantic"),  # the lexicon knows Hamburg
        ValueMatch("product__brand", "Nordwind", 0.9, "category", "fuzzy"),  # a dimension word
        ValueMatch("product__brand", "Levi's", 0.7, "net", "fuzzy"),  # below the score threshold
    )
    plan = _plan(question, retrieval=_ctx(question, *wrong))
    assert isinstance(plan, MetricPlan)
    assert plan.query.filters == (Filter(dimension="store__city", operator="=", values=("Hamburg",)),)
    assert plan.query.group_by == ("product__category",)


def test_document_questions_need_documents_and_cue_words() -> None:
    question = "what is our return policy?"
    assert not isinstance(_plan(question), DocumentPlan)  # no index: exactly as before
    assert _plan(question, documents=_docs(question)) == DocumentPlan(question=question)
    unanswerable = _plan(question, documents=_docs(question, answerable=False))
    assert unanswerable == DocumentPlan(question=question)  # the engine then says the documents do not say


def test_metric_questions_never_become_document_questions() -> None:
    for question in ("return rate by store last month", "top 5 categories by refunds this year"):
        plan = _plan(question, documents=_docs(question))
        assert not isinstance(plan, DocumentPlan), question


def test_off_topic_stays_a_refusal_unless_the_documents_answer_it() -> None:
    question = "do staff get free coffee?"
    assert isinstance(_plan(question, documents=_docs(question, answerable=False)), RefusalPlan)
    assert _plan(question, documents=_docs(question)) == DocumentPlan(question=question)


def test_two_values_about_as_near_the_same_words_are_asked_not_guessed() -> None:
    """Retrieval finds 'sneakers' near Shoes (0.80) and near Accessories (0.78): either filter would
    be a guess; the word is asked about. Well ahead of any other value, it is the filter."""
    question = "net sales of sneakers last month"
    shoes = ValueMatch("product__category", "Shoes", 0.8, "sneakers", "semantic")
    near = ValueMatch("product__category", "Accessories", 0.78, "sneakers", "semantic")
    asked = _plan(question, retrieval=_ctx(question, shoes, near))
    assert isinstance(asked, ClarificationPlan), asked
    assert "sneakers" in asked.question
    far = ValueMatch("product__category", "Accessories", 0.6, "sneakers", "semantic")
    taken = _plan(question, retrieval=_ctx(question, shoes, far))
    assert isinstance(taken, MetricPlan), taken
    assert taken.query.filters == (Filter(dimension="product__category", operator="=", values=("Shoes",)),)
