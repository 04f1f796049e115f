"""`mercurios guard check`: show what the SQL guard makes of a query, without running it.

Prints the guarded SQL (exit 0) or the rejection with its rule (exit 2). With `--json` it prints
exactly `{"allowed", "sql", "rule", "reason"}` in both cases, so scripts and the eval harness can
read the verdict without parsing messages.
"""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from guardrails.errors import GuardRejection
from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _guard() -> None:
    """SQL guardrails: check what a query would be allowed to do."""


class DialectOption(StrEnum):
    duckdb = "duckdb"
    snowflake = "snowflake"


@app.command("check")
def check(
    sql: str = typer.Argument(..., help="The SQL query to check."),
    tenant: str = typer.Option(..., "--tenant", help="Tenant id the query is scoped to."),
    dialect: DialectOption = typer.Option(DialectOption.duckdb, "--dialect", help="SQL dialect."),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as one JSON object."),
) -> None:
    """Guard SQL for a tenant under the default retail policy: print the SQL that would run, or why not."""
    policy = default_retail_policy("snowflake" if dialect is DialectOption.snowflake else "duckdb")
    try:
        guarded = guard_sql(sql, tenant_id=tenant, policy=policy)
    except GuardRejection as rejection:
        if as_json:
            typer.echo(_verdict(allowed=False, sql=None, rule=rejection.rule, reason=rejection.reason))
        else:
            typer.echo(f"rejected by rule '{rejection.rule}': {rejection.reason}", err=True)
        raise typer.Exit(code=2) from None
    if as_json:
        typer.echo(_verdict(allowed=True, sql=guarded.sql, rule=None, reason=None))
    else:
        typer.echo(guarded.sql)


def _verdict(*, allowed: bool, sql: str | None, rule: str | None, reason: str | None) -> str:
    return json.dumps({"allowed": allowed, "sql": sql, "rule": rule, "reason": reason})
