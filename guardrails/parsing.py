"""Parse SQL with the policy's dialect into exactly one statement, wrapping sqlglot's errors in ours."""

from __future__ import annotations

import logging

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from guardrails.errors import GuardRejection

PARSE_RULE = "parse"
SINGLE_STATEMENT_RULE = "single_statement"
MAX_SQL_CHARS = 100_000


class _CommandFallbackFilter(logging.Filter):
    """sqlglot logs a warning when it keeps a statement as an unparsed `Command`; the guard refuses
    those statements anyway, so the warning is noise in our logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_CommandFallbackFilter())


def parse_one_statement(sql: str, dialect: str) -> exp.Expr:
    """The single statement in `sql`; rejects unparsable SQL, empty input and stacked statements."""
    if len(sql) > MAX_SQL_CHARS:
        raise GuardRejection(PARSE_RULE, f"the query is longer than {MAX_SQL_CHARS} characters")
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except SqlglotError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GuardRejection(PARSE_RULE, f"the query does not parse as {dialect} SQL: {first}") from exc
    except RecursionError as exc:
        raise GuardRejection(PARSE_RULE, "the query is nested too deeply") from exc
    present = [s for s in statements if s is not None]
    if not present:
        raise GuardRejection(SINGLE_STATEMENT_RULE, "the query is empty")
    if len(present) > 1:
        raise GuardRejection(SINGLE_STATEMENT_RULE, f"exactly one statement is allowed, got {len(present)}")
    return present[0]
