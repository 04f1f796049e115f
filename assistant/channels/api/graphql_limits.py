"""What one GraphQL request may ask for, checked when the document is parsed and validated —
before any resolver runs, so a refused request costs no warehouse query.

Strawberry's own extensions limit the document's tokens (`MaxTokensLimiter`, at parse time), its
aliases (`MaxAliasesLimiter`) and its depth (`QueryDepthLimiter`); the cost estimate is ours:
every `query` field resolves to one warehouse query, wherever it stands (aliased, repeated, in a
fragment or an inline fragment), so a request may hold at most `max_queries` of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

WAREHOUSE_FIELDS = frozenset({"query"})  # root fields that each run one warehouse query


def warehouse_queries(
    selections: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    """How many warehouse fields a selection set resolves, fragments expanded (each once per path)."""
    if selections is None:
        return 0
    count = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            count += 1 if selection.name.value in WAREHOUSE_FIELDS else 0
        elif isinstance(selection, InlineFragmentNode):
            count += warehouse_queries(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                count += warehouse_queries(fragment.selection_set, fragments, seen | {name})
    return count


def warehouse_cost_rule(max_queries: int) -> type[ValidationRule]:
    class WarehouseCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._fragments = {
                d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            n = warehouse_queries(node.selection_set, self._fragments)
            if n > max_queries:
                self.report_error(
                    GraphQLError(
                        f"this request would run {n} warehouse queries; at most {max_queries} per request "
                        "(send several requests, or one query with more metrics and dimensions)",
                        node,
                        extensions={"code": "too_many_queries"},
                    )
                )

    return WarehouseCost


def limit_extensions(
    *, max_queries: int, max_aliases: int, max_depth: int, max_tokens: int
) -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema's limiting extensions (strawberry builds them per request)."""
    cost_rule = warehouse_cost_rule(max_queries)
    return [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: AddValidationRules([cost_rule]),
    ]
