"""Insights read a project's metrics and dimensions by role, not by name (issue #18, item 7).

On the logistics fixture (a dbt project unlike the retail demo): declaring nothing gets a clear
`insights_unavailable`, never a crash or a guessed metric; declaring its sales (`kpi: sales` on
freight revenue), its purchases (`kpi: purchases` on shipments) and a channel (`role: channel` on
the booking channel) in its own YAML gets the report those roles allow — the headline and the
change with its drivers, every number equal to hand-written SQL — and says what it could not check
and which roles that needs, instead of "nothing unusual".
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.insights.errors import InsightsUnavailableError
from assistant.core.insights.headline_view import headline_view
from assistant.core.insights.model import InsightKind, InsightReport
from assistant.core.insights.report import build_report
from assistant.core.insights.selection import plan_digest
from assistant.core.tenants import TenantProfile
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.project import SemanticProject
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.nonretail import BuiltProject

KESTREL = TenantProfile(tenant_id="default", name="Kestrel", currency="EUR", locale="en-GB")
AS_OF = dt.date(2026, 10, 31)
CHANNEL = "shipment__booking_channel"

# The roles, declared the way a project declares them: in its own dbt YAML.
DECLARATIONS = (
    (
        "      measure: freight_revenue_eur\n",
        "      measure: freight_revenue_eur\n    config:\n      meta:\n        mercurios: {kpi: sales}\n",
    ),
    (
        "      measure: shipment_count\n",
        "      measure: shipment_count\n    config:\n      meta:\n        mercurios: {kpi: purchases}\n",
    ),
    (
        "      - name: booking_channel\n        type: categorical\n",
        "      - name: booking_channel\n        type: categorical\n"
        "        config:\n          meta:\n            mercurios: {role: channel}\n",
    ),
)


@pytest.fixture(scope="module")
def declared(logistics: BuiltProject, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SemanticLayer]:
    """The logistics project with the three declarations above, over its built warehouse."""
    root = tmp_path_factory.mktemp("roles")
    project_dir = root / "dbt_logistics"
    shutil.copytree(logistics.project_dir, project_dir, ignore=shutil.ignore_patterns("target", "logs"))
    yml = project_dir / "models" / "semantic" / "sem_shipments.yml"
    text = yml.read_text(encoding="utf-8")
    for old, new in DECLARATIONS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    yml.write_text(text, encoding="utf-8")
    project = SemanticProject.load(project_dir, target_path=root / "target")
    warehouse = DuckDbWarehouse(Path(shutil.copy(logistics.warehouse_path, root / "w.duckdb")))
    guard = policy_guard(policy_for_project(project, dialect="duckdb", single_tenant=True))
    yield SemanticLayer(project, warehouse, guard)
    warehouse.close()


@pytest.fixture(scope="module")
def report(declared: SemanticLayer) -> InsightReport:
    return build_report(declared, KESTREL, AS_OF)


def _spans(report: InsightReport) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The week and the one before (the depots close on Sundays: a bare source reads the week's
    last Sunday as the data's end, so the week is compared as Monday to Saturday on both sides)."""
    p = report.period
    assert p.start == dt.date(2026, 10, 19)  # the last week before 2026-10-31
    return (p.start, p.end), (p.previous_start, p.previous_end)


def _sql(logistics: BuiltProject, sql: str, span: tuple[dt.date, dt.date]) -> list[tuple[object, ...]]:
    return [tuple(r) for r in logistics.raw.execute(sql, [span[0], span[1]]).fetchall()]


REVENUE = "select sum(freight_revenue_eur) from transport.fct_shipments where ship_date between ? and ?"
SHIPMENTS = (
    "select count(*) from transport.fct_shipments where StatusCode <> 'CXL' and ship_date between ? and ?"
)
BY_CHANNEL = (
    "select BookingChannel, sum(freight_revenue_eur) from transport.fct_shipments "
    "where ship_date between ? and ? group by 1"
)


def test_a_project_declaring_no_roles_gets_insights_unavailable_not_a_guess(logistics: BuiltProject) -> None:
    with pytest.raises(InsightsUnavailableError, match="kpi: sales") as raised:
        build_report(logistics.layer, KESTREL, AS_OF)
    assert raised.value.code == "insights_unavailable"


def test_the_roles_are_read_from_the_projects_yaml(declared: SemanticLayer) -> None:
    catalog = declared.catalog
    assert catalog.metric_for("sales") == catalog.metric("freight_revenue")
    assert catalog.metric_for("purchases") == catalog.metric("shipments")
    assert catalog.metric_for("units") is None
    assert [d.name for d in catalog.dimensions_with_role("channel")] == [CHANNEL]


def test_the_headline_is_the_declared_metrics_equal_to_sql(
    report: InsightReport, logistics: BuiltProject
) -> None:
    assert report.headline is not None
    week, previous = _spans(report)
    revenue, shipments = report.headline.figures
    assert (revenue.metric, revenue.label, revenue.format) == (
        "freight_revenue",
        "Freight revenue",
        "currency",
    )
    assert (shipments.metric, shipments.format) == ("shipments", "integer")
    assert revenue.current == pytest.approx(float(_sql(logistics, REVENUE, week)[0][0]))  # type: ignore[arg-type]
    assert revenue.previous == pytest.approx(float(_sql(logistics, REVENUE, previous)[0][0]))  # type: ignore[arg-type]
    assert shipments.current == _sql(logistics, SHIPMENTS, week)[0][0]
    assert report.headline.stores == ()  # no location declared: no rows, not a guessed dimension
    text = "\n".join(headline_view(report, report.headline).text_lines())
    assert "Freight revenue" in text and "Net sales" not in text and "store" not in text.lower()


def test_the_change_is_explained_by_the_declared_channel(
    report: InsightReport, logistics: BuiltProject
) -> None:
    change = next(i for i in report.of_kind(InsightKind.CHANGE) if i.kpi == "sales")
    assert change.subject == "freight_revenue" and change.headline.startswith("Freight revenue ")
    week, previous = _spans(report)
    now = dict(_sql(logistics, BY_CHANNEL, week))
    before = dict(_sql(logistics, BY_CHANNEL, previous))
    assert change.drivers and {d.dimension for d in change.drivers} == {CHANNEL}
    for d in change.drivers:
        assert d.current == pytest.approx(float(now[d.group]))  # type: ignore[arg-type]
        assert d.change == pytest.approx(float(now[d.group]) - float(before[d.group]))  # type: ignore[arg-type]
    assert "(booking channel)" in change.headline


def test_what_the_roles_do_not_allow_is_said_not_checked(report: InsightReport) -> None:
    missing = {u.kind: u.needs for u in report.unavailable}
    assert set(missing) == {
        InsightKind.ANOMALY,
        InsightKind.STOCK_RISK,
        InsightKind.TOP_MOVER,
        InsightKind.PRICE,
        InsightKind.FORECAST,
    }
    assert "role: location" in missing[InsightKind.ANOMALY] and "kpi: units" in missing[InsightKind.FORECAST]
    assert {i.kind for i in report.insights} == {InsightKind.CHANGE}
    quiet = plan_digest(report).quiet
    assert not [q for q in quiet if q.startswith(("Nothing unusual", "No stock risks"))]
    assert sum(q.startswith("Not checked:") for q in quiet) == 5
