"""Backup errors: the operator's (bad path, missing tool) vs ours."""

from __future__ import annotations

from guardrails.errors import ConfigError, UserError


class BackupToolMissing(ConfigError):
    """A PostgreSQL app database needs `pg_dump`/`pg_restore` on PATH; we do not reimplement them."""

    code = "backup_tool_missing"


class NotABackup(UserError):
    """`restore` was pointed at a directory that `backup` did not write."""

    code = "not_a_backup"
