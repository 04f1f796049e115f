"""`GuardedSql`: SQL that has passed the guard, and nothing else.

The warehouse executes only this type. Its constructor demands a capability object that only
the guard module holds, so no other code path can wrap arbitrary SQL in it by accident.
(Python cannot stop deliberate misuse; the point is that an honest mistake fails loudly and
that every call site of `Warehouse.execute` is provably downstream of `guard_sql`.)
"""

from __future__ import annotations

from typing import Final


class _GuardCapability:
    """Held only by `guardrails.sql`; never exported."""

    __slots__ = ()


_CAPABILITY: Final = _GuardCapability()


class GuardedSql:
    """Read-only, tenant-scoped SQL ready to run, with the tenant and the rules it passed."""

    __slots__ = ("dialect", "original_sql", "rules_applied", "sql", "tenant_id")

    def __init__(
        self,
        *,
        sql: str,
        tenant_id: str | None,
        dialect: str,
        rules_applied: tuple[str, ...],
        original_sql: str,
        _capability: object,
    ) -> None:
        if _capability is not _CAPABILITY:
            raise TypeError("GuardedSql can only be created by guardrails.sql.guard_sql()")
        self.sql = sql
        self.tenant_id = tenant_id  # None only for an explicitly single-tenant project
        self.dialect = dialect
        self.rules_applied = rules_applied
        self.original_sql = original_sql

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, name):
            raise AttributeError("GuardedSql is immutable")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"GuardedSql(tenant_id={self.tenant_id!r}, dialect={self.dialect!r}, sql={self.sql!r})"


def _mint(
    *, sql: str, tenant_id: str | None, dialect: str, rules_applied: tuple[str, ...], original_sql: str
) -> GuardedSql:
    """Only `guardrails.sql` calls this."""
    return GuardedSql(
        sql=sql,
        tenant_id=tenant_id,
        dialect=dialect,
        rules_applied=rules_applied,
        original_sql=original_sql,
        _capability=_CAPABILITY,
    )
