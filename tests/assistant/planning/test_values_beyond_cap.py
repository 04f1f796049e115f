"""A value of a dimension too large for the lexicon (issues #17/#18): a party name among the logistics
fixture's ~1,550, an article among a tenant's products) is found when the question names it exactly,
and filtered on; another tenant's value is never found."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.knowledge import TenantKnowledge
from assistant.core.planning.offline.lexicon import Entry, Lexicon
from assistant.core.planning.offline.linking import link
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.offline.value_lookup import build_value_index, with_values_beyond_cap
from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from tests.byo_projects import Project
from tests.demo import DemoWarehouse


def test_a_shipper_beyond_the_lexicons_cap_is_found_and_filtered(freight: Project) -> None:
    parties = [r[0] for r in freight.sql('select "PartyName" from transport.dim_parties order by 1')]
    assert len(parties) > 500  # more than the lexicon holds: no shipper name is in it
    # a company that shipped in 2025, from the end of the alphabet (beyond the first 500 names)
    name, revenue = freight.sql(
        'select p."PartyName", sum(s.freight_revenue_eur) from transport.fct_shipments s '
        "join transport.dim_parties p on p.party_no = s.shipper_party_no "
        "where s.ship_date between date '2025-01-01' and date '2025-12-31' and p.\"PartyKind\" = 'COMPANY' "
        "group by 1 order by 1 desc limit 1"
    )[0]
    assert isinstance(name, str) and parties.index(name) >= 500
    answer = freight.ask(f"freight revenue of shipper {name} in 2025")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["filters"] == [
        {"dimension": "shipper__party_name", "operator": "=", "values": [name]}
    ]
    rows = answer["rows"]
    assert isinstance(rows, list) and rows[0][-1] == pytest.approx(float(revenue))  # type: ignore[arg-type]
    # written in lower case, without the dots of its legal form: the same company
    loose = name.lower().replace(".", "")
    again = freight.ask(f"freight revenue of shipper {loose} in 2025")
    assert again["kind"] == "data", again["answer"]
    assert isinstance(again["rows"], list) and again["rows"][0][-1] == pytest.approx(float(revenue))  # type: ignore[index]


def test_a_company_is_found_without_its_legal_form(freight: Project) -> None:
    name, revenue = freight.sql(
        'select p."PartyName", sum(s.freight_revenue_eur) from transport.fct_shipments s '
        "join transport.dim_parties p on p.party_no = s.shipper_party_no "
        "where s.ship_date between date '2025-01-01' and date '2025-12-31' "
        "and p.\"PartyName\" like '% GmbH' group by 1 order by 1 desc limit 1"
    )[0]
    assert isinstance(name, str)
    short = name.removesuffix(" GmbH")
    assert (
        freight.sql(f"select count(*) from transport.dim_parties where \"PartyName\" like '{short} %'")[0][0]
        == 1
    )
    answer = freight.ask(f"freight revenue of shipper {short} in 2025")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict) and plan["query"]["filters"][0]["values"] == [name]
    assert isinstance(answer["rows"], list) and answer["rows"][0][-1] == pytest.approx(float(revenue))  # type: ignore[index]


def test_a_question_the_lexicon_reads_whole_never_reads_the_large_values(freight: Project) -> None:
    answer = freight.ask("freight revenue in 2025")
    assert answer["kind"] == "data", answer["answer"]


# ---- tenant isolation on the multi-tenant demo warehouse --------------------------------------------


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


def _plan(knowledge: TenantKnowledge, layer: SemanticLayer, tenant: str, question: str) -> object:
    snap = knowledge.for_tenant(tenant)
    inp = PlannerInput(
        question=question,
        as_of=date(2026, 10, 31),
        catalog=layer.catalog,
        lexicon=snap.lexicon,
        lookup=knowledge.lookup(tenant, question),
    )
    return OfflinePlanner().plan(inp)


def test_another_tenants_product_is_never_found(layer: SemanticLayer) -> None:
    # a cap of 20 values puts the demo tenants' product names beyond the lexicon
    knowledge = TenantKnowledge(layer, max_values_per_dimension=20)
    mine = {dv.dimension: set(dv.values) for dv in layer.dimension_values("nordwind-fashion", cap=10**5)}
    theirs = {dv.dimension: set(dv.values) for dv in layer.dimension_values("alpin-sport", cap=10**5)}
    dimension = next(d for d in mine if d.endswith("product_name"))
    only_mine = sorted(
        v for v in mine[dimension] - theirs[dimension] if len(v.split()) >= 2 and v.lower() not in str(theirs)
    )
    assert only_mine, "the demo tenants share every product name"
    name = only_mine[0]
    assert dimension in knowledge.for_tenant("nordwind-fashion").beyond_cap
    question = f"net sales of {name} last month"

    found = _plan(knowledge, layer, "nordwind-fashion", question)
    assert isinstance(found, MetricPlan), found
    assert any(f.dimension == dimension and f.values == (name,) for f in found.query.filters)

    elsewhere = _plan(knowledge, layer, "alpin-sport", question)
    filtered = elsewhere.query.filters if isinstance(elsewhere, MetricPlan) else ()
    assert not any(name in f.values for f in filtered)
    assert isinstance(elsewhere, ClarificationPlan), elsewhere
    index = knowledge.values_beyond_cap("alpin-sport")
    assert not any(v == name for found_values in index.names.values() for _, v in found_values)


# ---- the matching rules, on a small lexicon -----------------------------------------------------


def _lexicon() -> Lexicon:
    lex = Lexicon()
    lex.add("revenue", Entry("metric", "revenue"))
    return lex


def test_two_values_written_alike_are_asked_about_and_a_plain_word_is_no_name() -> None:
    lex = _lexicon()
    index = build_value_index(
        {"customer__name": ("Müller Bau GmbH", "Mueller Bau AG", "Wert", "Nordlicht Handel GmbH")}
    )
    asked = with_values_beyond_cap(lex, index, link("revenue of Mueller Bau", lex))
    assert isinstance(asked, ClarificationPlan)
    assert set(asked.options) == {"Müller Bau GmbH", "Mueller Bau AG"}
    found = with_values_beyond_cap(lex, index, link("revenue of nordlicht  HANDEL", lex))
    assert isinstance(found, Lexicon)
    assert [e.value for e in found.lookup(("nordlicht", "handel"))] == ["Nordlicht Handel GmbH"]
    assert not lex.lookup(("nordlicht", "handel"))  # the tenant's lexicon itself is never extended
    # 'Wert' is a value, and a word: one plain word is not read as a name
    assert with_values_beyond_cap(lex, index, link("revenue of wert", lex)) is lex
    # a near miss is no match
    assert with_values_beyond_cap(lex, index, link("revenue of nordlict handel", lex)) is lex
