"""Roles named in words and counts named in the project's own words (issue #18, session 27), on the
logistics fixture asked through the CLI. Names and figures come from the fixture's own tables."""

from __future__ import annotations

from tests.byo_projects import Project, column, filter_values, query, rows


def test_the_word_before_each_depot_names_its_role_in_a_lane(freight: Project) -> None:
    # 'origin depot to destination depot': one breakdown per role, never both roles for one word
    # and never a question back about which depot is meant
    answer = freight.ask("Top 5 lanes (origin depot to destination depot) by number of shipments this year")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == [
        "lane__origin_depot__depot_name",
        "lane__destination_depot__depot_name",
    ]
    expected = freight.sql(
        'select o."DepotName", d."DepotName", count(*) from transport.fct_shipments s '
        "join transport.dim_lanes l on l.lane_code = s.lane_code "
        "join transport.dim_depots o on o.depot_code = l.origin_depot_code "
        "join transport.dim_depots d on d.depot_code = l.destination_depot_code "
        "where s.shipment_status <> 'Cancelled' "
        "and s.ship_date between date '2026-01-01' and date '2026-10-31' "
        "group by 1, 2 order by 3 desc limit 5"
    )
    assert column(answer, "shipments") == [r[2] for r in expected]


def test_a_city_before_an_entity_word_is_that_entitys_name_and_the_verb_its_role(freight: Project) -> None:
    # 'delivered by the Vienna depot': the depot named after Vienna (not parties in the city of
    # Vienna), as the depot that delivers — the destination depot, by its description
    ((depot,),) = freight.sql('select "DepotName" from transport.dim_depots where "City" = \'Vienna\'')
    answer = freight.ask("What's the on-time rate this month for consignments delivered by the Vienna depot?")
    assert answer["kind"] == "data", answer["answer"]
    filters = filter_values(answer)
    assert filters["lane__destination_depot__depot_name"] == [depot]
    assert not any("city" in name for name in filters)
    ((rate,),) = freight.sql(
        "select avg(case when s.is_on_time then 1.0 else 0.0 end) from transport.fct_shipments s "
        "join transport.dim_lanes l on l.lane_code = s.lane_code "
        "join transport.dim_depots d on d.depot_code = l.destination_depot_code "
        "where s.delivered_date between date '2026-10-01' and date '2026-10-31' "
        f"and d.\"DepotName\" = '{depot}'"
    )
    assert abs(float(str(rows(answer)[0][0])) - float(str(rate))) < 1e-9


def test_how_many_of_the_word_an_entity_is_described_as_counts_that_entity(freight: Project) -> None:
    # the shipment entity is described as 'A consignment, …': 'consignments' are shipments, and
    # the verb the count's own description says ('shipped') names no other figure ('Pieces shipped')
    ((count,),) = freight.sql(
        "select count(*) from transport.fct_shipments where shipment_status <> 'Cancelled' "
        "and ship_date between date '2026-01-01' and date '2026-10-31' and is_dangerous_goods"
    )
    answer = freight.ask("How many dangerous goods (ADR) consignments have we shipped this year?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["shipments"]
    assert rows(answer) == [[count]]


def test_a_count_named_by_its_verb_reads_the_verb_and_a_plain_count_has_no_status(freight: Project) -> None:
    ((shipped,),) = freight.sql(
        "select count(*) from transport.fct_shipments where shipment_status <> 'Cancelled' "
        "and ship_date between date '2026-09-01' and date '2026-09-30'"
    )
    answer = freight.ask("How many consignments did we ship last month?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["shipments"] and rows(answer) == [[shipped]]
    german = freight.ask("Wie viele Sendungen haben wir letzten Monat verschickt?")
    assert german["kind"] == "data", german["answer"]
    assert rows(german) == [[shipped]]


def test_a_count_is_not_chosen_by_a_function_word_of_another_name(freight: Project) -> None:
    # 'shipped to consignees': the 'to' of 'Returns to sender' names no figure
    ((count,),) = freight.sql(
        "select count(*) from transport.fct_shipments s "
        "join transport.dim_parties p on p.party_no = s.consignee_party_no "
        "where s.shipment_status <> 'Cancelled' and p.\"CountryCode\" = 'AT' "
        "and s.ship_date between date '2026-01-01' and date '2026-10-31'"
    )
    answer = freight.ask("How many consignments have we shipped to consignees in Austria so far this year?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["shipments"] and rows(answer) == [[count]]


def test_an_acknowledgement_before_a_follow_up_keeps_the_previous_filters(freight: Project) -> None:
    ((name, revenue),) = freight.sql(
        'select p."PartyName", sum(s.freight_revenue_eur) from transport.fct_shipments s '
        "join transport.dim_parties p on p.party_no = s.shipper_party_no "
        "where s.ship_date between date '2025-01-01' and date '2025-12-31' "
        "group by 1 order by 2 desc limit 1"
    )
    first = freight.ask(f"How many shipments did {name} send with us in 2025?")
    assert first["kind"] == "data", first["answer"]
    for follow_up in ("ok and how much freight revenue did that bring in?", "gut, und der Frachtumsatz?"):
        answer = freight.ask_after(first, follow_up)
        assert answer["kind"] == "data", answer["answer"]
        assert abs(float(str(rows(answer)[0][0])) - float(str(revenue))) < 0.01


def test_a_rate_named_by_no_word_of_its_own_is_asked_naming_the_rates(freight: Project) -> None:
    # 'the rate' alone names no figure: the one rate the description search likes best would be a
    # guess — the question back names the project's rates
    for question in ("Wie war die Quote letzten Monat?", "What was the rate last month?"):
        answer = freight.ask(question)
        assert answer["kind"] == "clarification", answer["answer"]
        plan = answer["plan"]
        assert isinstance(plan, dict)
        assert "On-time delivery (OTD)" in plan["options"] and len(plan["options"]) > 1
    named = freight.ask("What was the on-time rate last month?")
    assert named["kind"] == "data" and query(named)["metrics"] == ["on_time_delivery_rate"]


def test_which_value_did_the_verb_ranks_the_members_of_the_role_the_verb_names(freight: Project) -> None:
    # 'Which subcontractor carried the most shipments': 'carried' names the carrier role of the
    # segment value, and 'which <value>' asks for the carriers ranked, the one at the top
    ((name, count),) = freight.sql(
        'select c."PartyName", count(*) from transport.fct_shipments s '
        "join transport.dim_parties c on c.party_no = s.carrier_party_no "
        "where s.shipment_status <> 'Cancelled' "
        "and s.ship_date between date '2026-01-01' and date '2026-10-31' "
        "group by 1 order by 2 desc limit 1"
    )
    answer = freight.ask("Which subcontractor carried the most shipments for us this year?")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["carrier__party_name"]
    assert rows(answer) == [[name, count]]
