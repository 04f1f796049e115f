"""What the SQL guard allows: the policy types.

A policy is a positive allow-list: the relations a query may read (and which column scopes each
to a tenant), the functions it may call, and the size limits. Anything not named here is refused.
The policy is validated when it is built, so a misconfigured project fails at start-up instead of
silently running unfiltered queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from guardrails.errors import ConfigError
from guardrails.function_allowlist import DEFAULT_ALLOWED_FUNCTIONS

Dialect = Literal["duckdb", "snowflake"]
SUPPORTED_DIALECTS: tuple[Dialect, ...] = ("duckdb", "snowflake")

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class RelationPolicy:
    """How one allow-listed relation is scoped: by `tenant_column`, or not at all when None.

    None marks a tenant-neutral relation (the time spine, shared reference tables); every other
    relation is wrapped in a filter on its tenant column wherever a query reads it.
    """

    tenant_column: str | None


@dataclass(frozen=True, slots=True)
class RelationName:
    """A relation in canonical form: lower-case schema and table, no catalog."""

    schema: str
    table: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    """Everything the guard needs to decide, as one immutable value (see module docstring)."""

    dialect: Dialect
    relations: Mapping[RelationName, RelationPolicy]
    default_schema: str = "marts"
    accepted_catalogs: frozenset[str] = frozenset()
    max_rows: int = 10_000
    max_joins: int = 12
    max_unconditioned_joins: int = 1
    allowed_functions: frozenset[str] = DEFAULT_ALLOWED_FUNCTIONS
    single_tenant: bool = False
    _by_table: Mapping[str, tuple[RelationName, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.dialect not in SUPPORTED_DIALECTS:
            raise ConfigError(f"unsupported SQL dialect {self.dialect!r}; use one of {SUPPORTED_DIALECTS}")
        if not self.relations:
            raise ConfigError("a guard policy needs at least one allow-listed relation")
        if self.max_rows < 1 or self.max_joins < 0 or self.max_unconditioned_joins < 0:
            raise ConfigError("max_rows must be positive and the join limits non-negative")
        for name, relation in self.relations.items():
            for part in (name.schema, name.table, relation.tenant_column):
                if part is not None and not _PLAIN_NAME.match(part):
                    raise ConfigError(f"relation {name}: {part!r} is not a plain SQL identifier")
            if name.schema != name.schema.lower() or name.table != name.table.lower():
                raise ConfigError(
                    f"relation {name}: use lower-case names (they are matched case-insensitively)"
                )
        scoped = [name for name, rel in self.relations.items() if rel.tenant_column is not None]
        if self.single_tenant and scoped:
            raise ConfigError(
                "a single-tenant policy cannot have tenant columns; "
                f"{', '.join(map(str, scoped))} name one (drop them or turn single_tenant off)"
            )
        if not self.single_tenant and not scoped:
            raise ConfigError(
                "no relation has a tenant column: configure the project explicitly as single-tenant "
                "instead of running its queries unfiltered"
            )
        by_table: dict[str, list[RelationName]] = {}
        for name in self.relations:
            by_table.setdefault(name.table, []).append(name)
        object.__setattr__(self, "relations", MappingProxyType(dict(self.relations)))
        object.__setattr__(self, "accepted_catalogs", frozenset(c.lower() for c in self.accepted_catalogs))
        object.__setattr__(self, "allowed_functions", frozenset(f.lower() for f in self.allowed_functions))
        object.__setattr__(
            self,
            "default_schema",
            self.default_schema.lower() if self.default_schema else self.default_schema,
        )
        object.__setattr__(self, "_by_table", MappingProxyType({k: tuple(v) for k, v in by_table.items()}))

    def lookup(self, schema: str | None, table: str) -> RelationName | None:
        """The allow-listed relation a (possibly unqualified) lower-cased name refers to, if any."""
        name = RelationName(schema if schema is not None else self.default_schema, table)
        return name if name in self.relations else None

    @property
    def table_names(self) -> frozenset[str]:
        """Bare table names of every allow-listed relation (used to spot CTE shadowing)."""
        return frozenset(self._by_table)
