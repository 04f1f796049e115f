"""The offline planner on dbt projects that are not ours (issue #18, items 1–5), end to end.

Each question goes through `mercurios ask --json` in single-tenant mode on the real dbt builds of
the logistics and hospitality fixtures, and every number is checked against hand-written SQL over
the project's own tables: the fan-out (one column reachable over several entity paths, never grouped
by all of them), stacked yes/no filters, explicit ratios no metric defines, and linking through
labels, acronyms, descriptions and lemmas rather than exact names.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.runtime.settings import get_settings
from tests.nonretail import BuiltProject

AS_OF = "2026-10-31"


@dataclass(frozen=True)
class Project:
    built: BuiltProject
    env: dict[str, str]

    def ask(self, question: str) -> dict[str, object]:
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["ask", "--json", "--as-of", AS_OF, question], env=self.env)
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        data: dict[str, object] = json.loads(result.stdout)
        return data

    def sql(self, sql: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in self.built.raw.execute(sql).fetchall()]


def _project(built: BuiltProject, root: Path, schema: str) -> Project:
    warehouse = root / f"{schema}.duckdb"
    shutil.copy(built.warehouse_path, warehouse)
    env = {
        "MERCURIOS_DBT_PROJECT_DIR": str(built.project_dir),
        "MERCURIOS_DUCKDB_PATH": str(warehouse),
        "MERCURIOS_SINGLE_TENANT": "true",
        "MERCURIOS_DATA_DIR": str(root / "var"),
        "DBT_TARGET_PATH": str(built.target_path),
        "MERCURIOS_TODAY": AS_OF,
    }
    return Project(built, env)


@pytest.fixture(scope="module")
def hotels(hospitality: BuiltProject, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    yield _project(hospitality, tmp_path_factory.mktemp("byo-hotels"), "halden")


@pytest.fixture(scope="module")
def freight(logistics: BuiltProject, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    yield _project(logistics, tmp_path_factory.mktemp("byo-freight"), "kestrel")


def _rows(answer: dict[str, object]) -> list[list[object]]:
    rows = answer["rows"]
    assert isinstance(rows, list)
    return rows


def _column(answer: dict[str, object], name: str) -> list[object]:
    columns = answer["columns"]
    assert isinstance(columns, list) and name in columns, columns
    i = columns.index(name)
    return [r[i] for r in _rows(answer)]


# ---- fan-out: one column, several entity paths ---------------------------------------------------


def test_by_hotel_groups_by_one_path_and_the_totals_are_not_multiplied(hotels: Project) -> None:
    """Room nights reach the hotel directly, through the room and through the reservation: grouped
    by all three, every hotel would repeat. One column, and each hotel's revenue is its own."""
    answer = hotels.ask("room revenue by hotel last year")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["group_by"] == ["property__property_name"]
    got = dict(zip(_column(answer, "property__property_name"), _column(answer, "room_revenue"), strict=True))
    want = dict(
        hotels.sql(
            "select h.hotel_name, sum(n.room_revenue) from analytics.room_nights n "
            "join analytics.hotels h on h.hotel_code = n.hotel_code "
            "where n.stay_date between date '2025-01-01' and date '2025-12-31' group by 1"
        )
    )
    assert set(got) == set(want)
    for hotel, revenue in want.items():
        assert got[hotel] == pytest.approx(float(revenue), abs=0.01), hotel  # type: ignore[arg-type]


def test_a_region_two_depots_reach_is_asked_not_grouped_by_both(freight: Project) -> None:
    """A shipment reaches a depot's region as its lane's origin and as its destination."""
    answer = freight.ask("shipments by region last month")
    assert answer["kind"] == "clarification", answer["answer"]
    text = str(answer["answer"]).lower()
    assert "origin depot" in text and "destination depot" in text


def test_the_role_the_question_names_picks_the_path(freight: Project) -> None:
    """'delivering region': the destination depot's description says it delivers to the consignee."""
    answer = freight.ask("shipments by delivering region last month")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert plan["query"]["group_by"] == ["lane__destination_depot__region"]
    got = dict(
        zip(_column(answer, "lane__destination_depot__region"), _column(answer, "shipments"), strict=True)
    )
    want = dict(
        freight.sql(
            "select d.RegionName, count(*) from transport.fct_shipments s "
            "join transport.dim_lanes l on l.lane_code = s.lane_code "
            "join transport.dim_depots d on d.depot_code = l.destination_depot_code "
            "where s.shipment_status <> 'Cancelled' "
            "and s.ship_date between date '2026-09-01' and date '2026-09-30' group by 1"
        )
    )
    assert got == {k: pytest.approx(v) for k, v in want.items()}


def test_a_country_of_several_parties_is_asked(hotels: Project) -> None:
    """'country' alone: the hotel's, the guest's or the booker's — three columns, none named."""
    answer = hotels.ask("bookings by country last year")
    assert answer["kind"] == "clarification", answer["answer"]
    text = str(answer["answer"]).lower()
    assert "guest country" in text and "hotel country" in text and "booker country" in text


# ---- stacked yes/no filters ----------------------------------------------------------------------


def test_two_yes_no_dimensions_joined_by_and_are_asked_not_stacked(hotels: Project) -> None:
    answer = hotels.ask("occupied room nights for weekend nights and complimentary stays last year")
    assert answer["kind"] == "clarification", answer["answer"]
    assert "weekend night" in str(answer["answer"]).lower()


# ---- explicit ratios -------------------------------------------------------------------------------


def test_a_figure_per_an_entity_is_divided_and_said_to_be_derived(freight: Project) -> None:
    answer = freight.ask("claimed amount per claim last year")
    assert answer["kind"] == "data", answer["answer"]
    ((want,),) = freight.sql(
        "select sum(ClaimedAmount) / count(*) from transport.fct_claims "
        "where claimed_on between date '2025-01-01' and date '2025-12-31'"
    )
    (got,) = _column(answer, "claimed_amount_per_claims_filed")
    assert got == pytest.approx(float(want))  # type: ignore[arg-type]
    assert "derived" in str(answer["answer"]).lower()


def test_a_figure_per_another_figure_by_hotel_is_ranked_on_the_ratio(hotels: Project) -> None:
    answer = hotels.ask("top 3 hotels by room revenue per arrival this year")
    assert answer["kind"] == "data", answer["answer"]
    want = hotels.sql(
        "with r as (select h.hotel_name, sum(n.room_revenue) as rev from analytics.room_nights n "
        "  join analytics.hotels h on h.hotel_code = n.hotel_code "
        "  where n.stay_date between date '2026-01-01' and date '2026-10-31' group by 1), "
        "a as (select h.hotel_name, count(*) as arr from analytics.reservations x "
        "  join analytics.hotels h on h.hotel_code = x.hotel_code "
        "  where x.is_stay and x.arrival_date between date '2026-01-01' and date '2026-10-31' group by 1) "
        "select r.hotel_name, rev / arr from r join a using (hotel_name) order by 2 desc limit 3"
    )
    got = list(
        zip(
            _column(answer, "property__property_name"),
            _column(answer, "room_revenue_per_arrivals"),
            strict=True,
        )
    )
    assert [g[0] for g in got] == [w[0] for w in want]
    for (_, g), (_, w) in zip(got, want, strict=True):
        assert g == pytest.approx(float(w))  # type: ignore[arg-type]


# ---- linking beyond exact names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("OTD last month", "on_time_delivery_rate"),  # the acronym in the label's brackets
        ("on-time rate last month", "on_time_delivery_rate"),  # one word of the name left out
        ("average transit time last month", "average_transit_days"),  # the label without its unit
        ("amount claimed last year", "claimed_amount"),  # the words swapped
    ],
)
def test_metrics_are_found_by_label_acronym_and_partial_names(
    freight: Project, question: str, metric: str
) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict) and plan["query"]["metrics"] == [metric]


def test_part_of_a_value_names_it(hotels: Project) -> None:
    """'Bergen' for 'Halden Lodge Bergen Bryggen': the only value holding the word."""
    answer = hotels.ask("room revenue in Bergen last year")
    assert answer["kind"] == "data", answer["answer"]
    ((want,),) = hotels.sql(
        "select sum(n.room_revenue) from analytics.room_nights n join analytics.hotels h "
        "on h.hotel_code = n.hotel_code where h.hotel_name like '%Bergen%' "
        "and n.stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    (got,) = _column(answer, "room_revenue")
    assert got == pytest.approx(float(want), abs=0.01)  # type: ignore[arg-type]


def test_a_value_on_a_two_hop_path_filters_by_the_role_named(freight: Project) -> None:
    """'collected by Hamburg Billbrook': the origin depot's description says it collects. The filter
    sits two entities away (shipment → lane → origin depot) and must reach MetricFlow as such."""
    answer = freight.ask("how many shipments did Hamburg Billbrook collect last month?")
    assert answer["kind"] == "data", answer["answer"]
    plan = answer["plan"]
    assert isinstance(plan, dict)
    assert [f["dimension"] for f in plan["query"]["filters"]] == ["lane__origin_depot__depot_name"]
    ((want,),) = freight.sql(
        "select count(*) from transport.fct_shipments s "
        "join transport.dim_lanes l on l.lane_code = s.lane_code "
        "join transport.dim_depots d on d.depot_code = l.origin_depot_code "
        "where d.DepotName = 'Hamburg Billbrook' and s.shipment_status <> 'Cancelled' "
        "and s.ship_date between date '2026-09-01' and date '2026-09-30'"
    )
    (got,) = _column(answer, "shipments")
    assert got == pytest.approx(float(want))  # type: ignore[arg-type]
