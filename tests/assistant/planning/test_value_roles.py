"""One party table reached through several roles (issue #18): the logistics fixture joins the same
parties as shipper, consignee and carrier. A name found under every role is read as the role whose
shipments hold it, or the one the verb before it names ('shipped by'); a name no shipment holds is
still asked about. Names and figures come from the fixture's own data, never written here."""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, filters_of

ONLY_AS = (
    "select p.\"PartyName\", count(*) filter (where s.shipment_status <> 'Cancelled') "
    "from transport.fct_shipments s join transport.dim_parties p on p.party_no = s.{role}_party_no "
    "where s.ship_date between date '2025-01-01' and date '2025-12-31' and p.\"PartyKind\" = 'COMPANY' "
    "and p.party_no not in (select {other}_party_no from transport.fct_shipments "
    "where {other}_party_no is not null) "
    "and p.party_no not in (select {third}_party_no from transport.fct_shipments "
    "where {third}_party_no is not null) "
    "group by 1 order by 2 desc, 1 limit 1"
)


@pytest.mark.parametrize(
    ("role", "other", "third"), [("consignee", "shipper", "carrier"), ("carrier", "shipper", "consignee")]
)
def test_a_name_only_one_role_holds_is_read_as_that_role(
    freight: Project, role: str, other: str, third: str
) -> None:
    name, shipments = freight.sql(ONLY_AS.format(role=role, other=other, third=third))[0]
    assert isinstance(name, str)
    answer = freight.ask(f"how many shipments had {name} in 2025?")
    assert answer["kind"] == "data", answer["answer"]
    assert filters_of(answer) == [{"dimension": f"{role}__party_name", "operator": "=", "values": [name]}]
    rows = answer["rows"]
    assert isinstance(rows, list) and rows[0][-1] == shipments
    understood = answer["plan"]["understood"]  # type: ignore[index]
    assert f"{role} name {name}" in understood  # the answer says whose name it read


def test_the_verb_before_a_name_names_its_role_and_is_no_figure(freight: Project) -> None:
    name, _ = freight.sql(ONLY_AS.format(role="shipper", other="consignee", third="carrier"))[0]
    assert isinstance(name, str)
    (claims,) = freight.sql(
        "select count(*) from transport.fct_claims c "
        "join transport.fct_shipments s on s.consignment_number = c.consignment_number "
        "join transport.dim_parties p on p.party_no = s.shipper_party_no "
        f"where p.\"PartyName\" = '{name}'"
    )[0]
    answer = freight.ask(f"claims filed on anything shipped by {name}")
    assert answer["kind"] == "data", answer["answer"]
    filters = filters_of(answer)
    assert len(filters) == 1 and "shipper__party_name" in filters[0]["dimension"]  # type: ignore[index]
    rows = answer["rows"]
    assert isinstance(rows, list) and rows[0][-1] == claims


def test_a_name_no_shipment_holds_is_still_asked_about(freight: Project) -> None:
    name = freight.sql(
        'select "PartyName" from transport.dim_parties where "PartyKind" = \'COMPANY\' and party_no not in '
        "(select shipper_party_no from transport.fct_shipments union select consignee_party_no from "
        "transport.fct_shipments union select carrier_party_no from transport.fct_shipments "
        "where carrier_party_no is not null) order by 1 limit 1"
    )[0][0]
    answer = freight.ask(f"how many shipments had {name} in 2025?")
    assert answer["kind"] == "clarification", answer["answer"]
    text = str(answer["answer"]).lower()
    assert all(role in text for role in ("shipper", "consignee", "carrier"))
