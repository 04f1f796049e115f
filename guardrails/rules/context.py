"""What every guard rule receives besides the AST, and the shape of a rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from guardrails.guard_policy import GuardPolicy


@dataclass(frozen=True, slots=True)
class RuleContext:
    """The policy and the (already validated) tenant a query is guarded for."""

    policy: GuardPolicy
    tenant_id: str | None


RuleFunction = Callable[[exp.Expr, RuleContext], exp.Expr]


@dataclass(frozen=True, slots=True)
class GuardRule:
    """One named rule: checks the tree (raising `GuardRejection`) and returns it, possibly rewritten."""

    name: str
    apply: RuleFunction
