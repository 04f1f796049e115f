"""`mercurios guard check`: the guarded SQL or the rejection, and the exact --json verdict shape."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.channels.cli.guard_cmd import app

runner = CliRunner()


def test_allowed_query_prints_the_guarded_sql_and_exits_0() -> None:
    result = runner.invoke(
        app, ["check", "--tenant", "nordwind-fashion", "SELECT SUM(net_amount) FROM fct_sales"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "FROM (SELECT * FROM marts.fct_sales WHERE tenant_id = 'nordwind-fashion') AS fct_sales"
        in result.output
    )
    assert "LIMIT 10000" in result.output


def test_rejected_query_names_the_rule_and_exits_2() -> None:
    result = runner.invoke(
        app, ["check", "--tenant", "nordwind-fashion", "SELECT * FROM read_csv('/etc/passwd')"]
    )
    assert result.exit_code == 2
    assert "rule 'relations'" in result.output


def test_json_verdict_when_allowed() -> None:
    args = [
        "check",
        "--json",
        "--tenant",
        "alpen-sport",
        "--dialect",
        "snowflake",
        "SELECT TOP 3 * FROM dim_stores",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert set(verdict) == {"allowed", "sql", "rule", "reason"}
    assert verdict["allowed"] is True and verdict["rule"] is None and verdict["reason"] is None
    assert verdict["sql"].endswith("LIMIT 3") and "tenant_id = 'alpen-sport'" in verdict["sql"]


def test_json_verdict_when_rejected() -> None:
    result = runner.invoke(
        app, ["check", "--json", "--tenant", "alpen-sport", "SELECT 1; DROP TABLE marts.fct_sales"]
    )
    assert result.exit_code == 2
    verdict = json.loads(result.output)
    assert verdict == {
        "allowed": False,
        "sql": None,
        "rule": "single_statement",
        "reason": "exactly one statement is allowed, got 2",
    }


def test_invalid_tenant_is_a_rejection_too() -> None:
    result = runner.invoke(app, ["check", "--json", "--tenant", "Robert'); DROP", "SELECT 1"])
    assert result.exit_code == 2
    assert json.loads(result.output)["rule"] == "tenant_id"
