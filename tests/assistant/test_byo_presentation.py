"""How a project's own figures and columns are shown when its YAML declares no formats (issue #18),
on the logistics and hospitality fixtures through `mercurios ask --json`:

- a ratio of two counts of the same thing (on-time deliveries ÷ delivered shipments, occupied ÷
  available room-nights) is a share: said in percent ('85,0 %'), never '0,85'; a ratio of unlike
  things (ADR: revenue ÷ paid room-nights) stays a number;
- a column read through several roles of one table is headed by whose it is ('Carrier', not 'Name');
- 'by consignee city' is the consignee's city: the phrase names its role (it was asked between the
  carrier's, the consignee's and the shipper's city).
"""

from __future__ import annotations

from tests.byo_projects import Project, query, rows


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}\u00a0%".replace(".", ",")


def _chart_titles(answer: dict[str, object]) -> dict[str, str]:
    chart = answer["chart"]
    assert isinstance(chart, dict), answer["answer"]
    return {axis: spec["title"] for axis, spec in chart["encoding"].items() if "title" in spec}


def test_a_ratio_of_two_counts_of_one_thing_is_said_in_percent(freight: Project, hotels: Project) -> None:
    ((otd,),) = freight.sql(
        "select avg(case when is_on_time then 1.0 else 0 end) from transport.fct_shipments "
        "where StatusCode = 'DLV' and delivered_date between date '2026-09-01' and date '2026-09-30'"
    )
    answer = freight.ask("What was our on-time delivery rate last month?")
    assert answer["kind"] == "data", answer["answer"]
    assert _percent(otd) in str(answer["answer"]), (otd, answer["answer"])
    occupancy = hotels.ask("Belegung im September 2026")
    assert occupancy["kind"] == "data", occupancy["answer"]
    assert query(occupancy)["metrics"] == ["occupancy_rate"]
    ((share,),) = rows(occupancy)
    assert 0 < float(share) < 1
    assert _percent(float(share)) in str(occupancy["answer"]), occupancy["answer"]


def test_a_ratio_of_unlike_things_stays_a_number(hotels: Project) -> None:
    answer = hotels.ask("ADR last month")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["adr"]
    assert "%" not in str(answer["answer"]), answer["answer"]


def test_a_column_read_through_several_roles_is_headed_by_whose_it_is(freight: Project) -> None:
    answer = freight.ask("on-time delivery rate by carrier last month")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["carrier__party_name"]
    assert _chart_titles(answer)["y"] == "Carrier"


def test_a_phrase_naming_its_role_is_read_as_that_role(freight: Project) -> None:
    ((city, count),) = freight.sql(
        "select p.city, count(*) from transport.fct_shipments s "
        "join transport.dim_parties p on p.party_no = s.consignee_party_no "
        "where s.StatusCode <> 'CXL' and s.ship_date between date '2026-09-01' and date '2026-09-30' "
        "group by 1 order by 2 desc, 1 limit 1"
    )
    for question in (
        "shipments by consignee city last month",
        "How many shipments went out last month, by consignee city?",
    ):
        answer = freight.ask(question)
        assert answer["kind"] == "data", answer["answer"]
        assert query(answer)["group_by"] == ["consignee__city"], query(answer)
        assert [city, count] in rows(answer), rows(answer)[:3]
        assert _chart_titles(answer)["y"] == "Consignee city"
    shipper = freight.ask("shipments by shipper city last month")
    assert query(shipper)["group_by"] == ["shipper__city"], shipper["answer"]
