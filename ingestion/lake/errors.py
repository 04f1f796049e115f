"""Errors of the raw-data lake, split as everywhere: the operator's configuration vs our bug."""

from __future__ import annotations

from guardrails.errors import ConfigError, UserError


class LakeConfigError(ConfigError):
    """The lake root or catalog is configured in a way we cannot use (e.g. S3 without a catalog URI)."""

    code = "lake_config"


class LakeSnapshotNotFound(UserError):
    """A replay asked for a point in time before the lake's first snapshot."""

    code = "lake_snapshot_not_found"
