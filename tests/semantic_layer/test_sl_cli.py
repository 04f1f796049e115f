"""`mercurios sl ...` on the subscription fixture, through Typer's test runner."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from assistant.channels.cli import sl_cmd
from assistant.runtime.settings import get_settings
from semantic_layer.errors import UnknownMetricError
from tests.semantic_layer.subscription_fixture import TENANT_COLUMN, BuiltFixture


@pytest.fixture
def cli(built: BuiltFixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MERCURIOS_DBT_PROJECT_DIR", str(built.project_dir))
    monkeypatch.setenv("MERCURIOS_DUCKDB_PATH", str(built.warehouse_without_meta))
    monkeypatch.setenv("MERCURIOS_TENANT_COLUMN", TENANT_COLUMN)
    monkeypatch.setenv("DBT_TARGET_PATH", str(built.target_path))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_list_metrics_json(cli: CliRunner) -> None:
    result = cli.invoke(sl_cmd.app, ["list-metrics", "--json"])
    assert result.exit_code == 0, result.output
    assert "churn_rate" in {m["name"] for m in json.loads(result.output)}


def test_list_dimensions_of_a_metric(cli: CliRunner) -> None:
    result = cli.invoke(sl_cmd.app, ["list-dimensions", "--metric", "new_accounts"])
    assert result.exit_code == 0, result.output
    assert "account__country" in result.output and "subscription__plan" not in result.output


def test_compile_prints_compiled_and_guarded_sql(cli: CliRunner) -> None:
    args = ["compile", "--tenant", "globex", "--metrics", "mrr", "--group-by", "account__country"]
    result = cli.invoke(
        sl_cmd.app, [*args, "--where", "subscription__plan = 'pro'", "--dialect", "snowflake"]
    )
    assert result.exit_code == 0, result.output
    compiled, guarded = result.output.split("-- guarded for tenant globex")
    assert "billing.fct_subscription_months" in compiled and "globex" not in compiled
    assert "org_id = 'globex'" in guarded


def test_query_json_is_scoped_to_the_tenant(cli: CliRunner) -> None:
    args = [
        "query",
        "--tenant",
        "initech",
        "--metrics",
        "new_subscriptions",
        "--group-by",
        "subscription__plan",
    ]
    result = cli.invoke(sl_cmd.app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["name"] for c in data["columns"]] == ["subscription__plan", "new_subscriptions"]
    assert "enterprise" in {row[0] for row in data["rows"]}
    assert "org_id = 'initech'" in data["sql"]


def test_query_table_and_errors(cli: CliRunner) -> None:
    args = [
        "query",
        "--tenant",
        "acme",
        "--metrics",
        "invoice_revenue",
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
    ]
    result = cli.invoke(sl_cmd.app, args)
    assert result.exit_code == 0, result.output
    assert "invoice_revenue" in result.output and "1 rows" in result.output
    bad = cli.invoke(sl_cmd.app, ["query", "--tenant", "acme", "--metrics", "revenu"])
    assert isinstance(bad.exception, UnknownMetricError)  # main() turns it into "error: ..." and exit 2
