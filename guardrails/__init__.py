"""guardrails: pure checks between a question or a query and the warehouse.

`guardrails.sql.guard_sql` turns SQL text into a `GuardedSql` (read-only, allow-listed,
tenant-scoped, row-capped) or raises `GuardRejection`; `guardrails.policies` builds the policy it
enforces; `guardrails.text` checks question text. Imports nothing else of Mercurios.
"""
