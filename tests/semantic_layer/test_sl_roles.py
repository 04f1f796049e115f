"""Semantic roles and project settings: what a dbt project says about itself in `meta`/`vars`.

The contract (README "Bring your own dbt project"): `meta: {mercurios: {role: …}}` on dimensions,
entities (their dimensions inherit it) and metrics, `default: true` on the headline metric, and
`vars: {mercurios: {name, currency, timezone, locale}}` in dbt_project.yml — read through the
catalog and `read_project_settings`, on a copy of the subscription fixture (real `dbt parse`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from semantic_layer.catalog import build_catalog
from semantic_layer.errors import SemanticProjectError
from semantic_layer.project import SemanticProject
from semantic_layer.project_settings import read_project_settings
from tests.semantic_layer.subscription_fixture import FIXTURE_PROJECT

RETAIL_DBT = Path(__file__).resolve().parents[2] / "dbt"


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    return project


def _edit_models(project: Path, edit: Any) -> None:
    path = project / "models" / "semantic_models.yml"
    doc = yaml.safe_load(path.read_text())
    edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _node(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(i for i in items if i["name"] == name)


def _mercurios(node: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = node.setdefault("config", {}).setdefault("meta", {})
    block: dict[str, Any] = meta.setdefault("mercurios", {})
    return block


def _declare_roles(doc: dict[str, Any]) -> None:
    models = doc["semantic_models"]
    _mercurios(_node(_node(models, "accounts")["entities"], "account"))["role"] = "customer"
    _mercurios(_node(_node(models, "subscriptions")["dimensions"], "plan"))["role"] = "product"
    _mercurios(_node(doc["metrics"], "invoice_revenue")).update(role="money", default=True)
    _mercurios(_node(doc["metrics"], "invoices")).update(role="count", counts="invoice")


def test_roles_and_the_default_metric_are_read_through_the_catalog(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    _edit_models(project, _declare_roles)
    catalog = build_catalog(SemanticProject.load(project, target_path=tmp_path / "target"))
    default = catalog.default_metric()
    assert default is not None and default.name == "invoice_revenue" and default.role == "money"
    invoices = catalog.metric("invoices")
    assert invoices is not None and (invoices.role, invoices.counts) == ("count", "invoice")
    plan = catalog.dimension("subscription__plan")
    assert plan is not None and plan.role == "product"  # its own role
    country = catalog.dimension("account__country")
    assert country is not None and country.role == "customer"  # the account entity's role
    assert catalog.entity("account") is not None and catalog.entity("account").role == "customer"  # type: ignore[union-attr]
    assert catalog.dimension("subscription__billing_period").role is None  # type: ignore[union-attr]
    revenue = catalog.metric("invoice_revenue")
    assert [d.name for d in catalog.dimensions_with_role("product", reachable=revenue.dimensions)] == [  # type: ignore[union-attr]
        "subscription__plan"
    ]
    new_accounts = catalog.metric("new_accounts")
    assert catalog.dimensions_with_role("product", reachable=new_accounts.dimensions) == []  # type: ignore[union-attr]


def test_two_default_metrics_are_an_error_that_names_them(tmp_path: Path) -> None:
    project = _copy(tmp_path)

    def two(doc: dict[str, Any]) -> None:
        _mercurios(_node(doc["metrics"], "mrr"))["default"] = True
        _mercurios(_node(doc["metrics"], "invoices"))["default"] = True

    _edit_models(project, two)
    with pytest.raises(SemanticProjectError, match=r"invoices, mrr|mrr, invoices"):
        build_catalog(SemanticProject.load(project, target_path=tmp_path / "target"))


def test_without_roles_the_default_metric_falls_back_to_money_then_currency(tmp_path: Path) -> None:
    catalog = build_catalog(SemanticProject.load(_copy(tmp_path), target_path=tmp_path / "target"))
    assert not catalog.declares_roles
    default = catalog.default_metric()
    assert default is not None and default.format == "currency"  # mrr or invoice_revenue, not a count


def test_the_retail_demo_declares_its_roles(tmp_path: Path) -> None:
    """Acceptance 3: the retail project states in its own YAML what core code used to hard-code."""
    catalog = build_catalog(SemanticProject.load(RETAIL_DBT, target_path=tmp_path / "target"))
    default = catalog.default_metric()
    assert default is not None and default.name == "net_sales" and default.default
    roles = {d.name: d.role for d in catalog.dimensions}
    assert roles["store__store_name"] == roles["store__region"] == "location"
    assert roles["product__category"] == roles["product__brand"] == "product"
    assert roles["sale_line__channel"] == "channel" and roles["customer__loyalty_tier"] == "customer"
    orders = catalog.metric("orders")
    assert orders is not None and (orders.role, orders.counts) == ("count", "receipt")


def _project_yml(tmp_path: Path, text: str) -> Path:
    (tmp_path / "dbt_project.yml").write_text(text)
    return tmp_path


def test_project_settings_come_from_the_mercurios_var(tmp_path: Path) -> None:
    project = _project_yml(
        tmp_path,
        "name: kestrel_logistics\nvars:\n  pms_extract_date: '2026-10-31'\n  mercurios:\n"
        "    name: Kestrel Parcel & Freight\n    currency: gbp\n    timezone: Europe/London\n"
        "    locale: en_GB\n",
    )
    got = read_project_settings(project)
    assert (got.display_name, got.currency, got.timezone, got.locale) == (
        "Kestrel Parcel & Freight",
        "GBP",
        "Europe/London",
        "en-GB",
    )


def test_project_settings_default_to_the_dbt_name(tmp_path: Path) -> None:
    got = read_project_settings(_project_yml(tmp_path, "name: halden_hotels\nversion: '1.0'\n"))
    assert got.display_name == "Halden hotels" and got.currency is None and got.locale is None


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("    curency: EUR\n", "unknown key.*curency"),
        ("    timezone: Mars/Olympus\n", "unknown timezone"),
        ("    currency: Euro\n", "three-letter"),
        ("    locale: german\n", "locale"),
        ("    name: \"{{ env_var('X') }}\"\n", "Jinja"),
    ],
)
def test_a_malformed_mercurios_var_names_the_key(tmp_path: Path, block: str, message: str) -> None:
    project = _project_yml(tmp_path, f"name: p\nvars:\n  mercurios:\n{block}")
    with pytest.raises(SemanticProjectError, match=message):
        read_project_settings(project)


def test_only_a_declared_default_is_declared(tmp_path: Path) -> None:
    catalog = build_catalog(SemanticProject.load(_copy(tmp_path), target_path=tmp_path / "target"))
    assert catalog.declared_default is None and catalog.default_metric() is not None
