"""What a dbt project says about itself to Mercurios: `vars: {mercurios: {...}}` in dbt_project.yml.

Settings that belong to the whole project rather than to one metric or dimension — the company's
display name, its currency, timezone and locale — live in a dbt var, because that is where dbt keeps
project-wide configuration and a project carries them wherever it is cloned:

    vars:
      mercurios:
        name: Kestrel Parcel & Freight
        currency: EUR
        timezone: Europe/London
        locale: en-GB

Every key is optional. A single-tenant deployment may still override each one in its settings
(`MERCURIOS_TENANT_NAME`, …). Per-node roles and the default metric are `meta` on the nodes
themselves (`meta: {mercurios: {role: …, default: true}}`), read by the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from semantic_layer.errors import SemanticProjectError

KNOWN_KEYS = ("name", "currency", "timezone", "locale")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class ProjectSettings:
    dbt_name: str  # `name:` of dbt_project.yml
    name: str | None = None
    currency: str | None = None
    timezone: str | None = None
    locale: str | None = None

    @property
    def display_name(self) -> str:
        """The declared name, else the dbt project's name made readable (`kestrel_logistics` →
        `Kestrel logistics`)."""
        return self.name or self.dbt_name.replace("_", " ").replace("-", " ").strip().capitalize()


def read_project_settings(project_dir: Path) -> ProjectSettings:
    """Read `name` and `vars.mercurios` of `project_dir/dbt_project.yml`; a malformed block is an
    error that names the key, never a silently ignored typo."""
    config_file = Path(project_dir) / "dbt_project.yml"
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SemanticProjectError(f"cannot read {config_file}: {exc}") from exc
    if not isinstance(config, dict):
        raise SemanticProjectError(f"{config_file} is not a YAML mapping")
    dbt_name = str(config.get("name") or Path(project_dir).resolve().name)
    variables = config.get("vars") or {}
    block = variables.get("mercurios") if isinstance(variables, dict) else None
    if block is None:
        return ProjectSettings(dbt_name=dbt_name)
    where = f"vars.mercurios in {config_file}"
    if not isinstance(block, dict):
        raise SemanticProjectError(f"{where} must be a mapping of {', '.join(KNOWN_KEYS)}")
    unknown = sorted(str(k) for k in block if k not in KNOWN_KEYS)
    if unknown:
        raise SemanticProjectError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(KNOWN_KEYS)})"
        )
    values = {k: _text(block.get(k), k, where) for k in KNOWN_KEYS}
    return ProjectSettings(dbt_name=dbt_name, **check_profile_values(values, where))


def _text(value: object, key: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise SemanticProjectError(f"{where}: {key} must be a string")
    text = str(value).strip()
    if "{{" in text:
        raise SemanticProjectError(f"{where}: {key} is a Jinja expression; Mercurios reads plain values only")
    return text or None


def check_profile_values(values: dict[str, str | None], where: str) -> dict[str, str | None]:
    """Currency as an ISO code, a known IANA timezone, a BCP 47-shaped locale (`de-CH`, `en-GB`)."""
    currency, timezone, locale = values.get("currency"), values.get("timezone"), values.get("locale")
    if currency is not None and not _CURRENCY.fullmatch(currency.upper()):
        raise SemanticProjectError(f"{where}: currency {currency!r} is not a three-letter ISO code like EUR")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SemanticProjectError(f"{where}: unknown timezone {timezone!r}, e.g. Europe/Berlin") from exc
    if locale is not None and not _LOCALE.fullmatch(locale.replace("_", "-")):
        raise SemanticProjectError(f"{where}: locale {locale!r} is not like de-DE or en-GB")
    return {
        **values,
        "currency": currency.upper() if currency else None,
        "locale": locale.replace("_", "-") if locale else None,
    }
