"""Read a tenant's ProHandel credentials from a JSON file (never from the data, never from the CLI line).

Format: {"<tenant_id>": {"api_key": "...", "api_secret": "...", "auth_url": "https://..."}, ...}.
The file is the one place that binds an API key to a tenant: that binding is what tags every row.
"""

from __future__ import annotations

import json
from pathlib import Path

from guardrails.errors import ConfigError, NotFoundError
from ingestion.prohandel.client import Credentials


def load_credentials(path: Path, tenant_id: str) -> Credentials:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"ProHandel credentials file {path} does not exist") from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"ProHandel credentials file {path} is not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"ProHandel credentials file {path} must hold an object keyed by tenant id")
    entry = data.get(tenant_id)
    if entry is None:
        known = ", ".join(sorted(data)) or "none"
        raise NotFoundError(f"no ProHandel credentials for tenant {tenant_id!r} in {path} (tenants: {known})")
    try:
        return Credentials(tenant_id, str(entry["api_key"]), str(entry["api_secret"]), str(entry["auth_url"]))
    except (KeyError, TypeError) as exc:
        raise ConfigError(
            f"ProHandel credentials for {tenant_id!r} need api_key, api_secret and auth_url"
        ) from exc
