"""Validate one API page before it lands: every record either lands or is quarantined with a reason.

Checks, in order: the record is an object; required fields present and non-null (a renamed
field is accepted under a known alias and reported); each value has the API's JSON type and
parses (dates, timestamps); values in range or in the allowed set; references to branches and
articles the tenant is known to have. Duplicates of a natural key within the page collapse to
the most recently changed record (counted). A bad nested line rejects its whole receipt: half a
basket would silently change sales totals.

The output is column lists ready for Arrow, so validation and conversion are one pass.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingestion.prohandel.resources import CHANGED_AT, ApiField, ChildSpec, Resource

Columns = dict[str, list[Any]]


@dataclass(frozen=True)
class Rejected:
    record_key: str
    reason: str
    payload: str  # the record as received (JSON), so nothing is silently lost


@dataclass
class SchemaDrift:
    """Differences between what the API sent and what the connector expects."""

    new_fields: dict[str, int] = field(default_factory=dict)  # unknown field -> records carrying it
    renamed: dict[str, str] = field(default_factory=dict)  # alias seen -> expected field name
    missing_optional: dict[str, int] = field(default_factory=dict)  # absent optional field -> records

    def merge(self, other: SchemaDrift) -> None:
        for name, n in other.new_fields.items():
            self.new_fields[name] = self.new_fields.get(name, 0) + n
        self.renamed.update(other.renamed)
        for name, n in other.missing_optional.items():
            self.missing_optional[name] = self.missing_optional.get(name, 0) + n

    @property
    def is_empty(self) -> bool:
        return not (self.new_fields or self.renamed or self.missing_optional)

    def as_dict(self) -> dict[str, object]:
        return {
            "new_fields": self.new_fields,
            "renamed": self.renamed,
            "missing_optional": self.missing_optional,
        }


@dataclass
class ValidatedPage:
    columns: Columns  # parent table columns (without tenant_id/_loaded_at)
    child_columns: Columns | None
    rejected: list[Rejected]
    extras: list[tuple[str, str]]  # (record key, JSON of unknown fields): new fields are kept
    duplicates: int
    drift: SchemaDrift
    max_changed_at: dt.datetime | None
    received: int

    @property
    def accepted(self) -> int:
        cols = self.columns
        return len(next(iter(cols.values()))) if cols else 0


@dataclass(frozen=True)
class KnownKeys:
    """Branch and article ids the tenant has landed: what references may point to."""

    branches: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()

    def contains(self, ref: str, value: str) -> bool:
        return value in (self.branches if ref == "branch" else self.articles)


class _Bad(Exception):
    """A record-level rejection with its reason (never escapes this module)."""


def _convert(f: ApiField, value: Any) -> Any:
    kind = f.kind
    if kind == "str":
        if not isinstance(value, str):
            raise _Bad(f"{f.api_name}: expected text, got {type(value).__name__}")
        if f.choices and value not in f.choices:
            raise _Bad(f"{f.api_name}: {value!r} is not one of {', '.join(f.choices)}")
        return value
    if kind == "date":
        if not isinstance(value, str):
            raise _Bad(f"{f.api_name}: expected a date, got {type(value).__name__}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Bad(f"{f.api_name}: unparseable date {value!r}") from None
    if kind == "timestamp":
        if not isinstance(value, str):
            raise _Bad(f"{f.api_name}: expected a timestamp, got {type(value).__name__}")
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Bad(f"{f.api_name}: unparseable timestamp {value!r}") from None
    # numbers: JSON booleans are ints in Python and never a valid quantity or amount
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"{f.api_name}: expected a number, got {type(value).__name__} {value!r}")
    if kind == "int" and not (isinstance(value, int) or value.is_integer()):
        raise _Bad(f"{f.api_name}: expected a whole number, got {value!r}")
    if f.min_value is not None and value < f.min_value:
        raise _Bad(f"{f.api_name}: {value!r} is below the minimum {f.min_value:g}")
    return int(value) if kind == "int" else float(value)


def _record_values(
    fields: Sequence[ApiField], record: Mapping[str, Any], known: KnownKeys, drift: SchemaDrift
) -> list[Any]:
    values: list[Any] = []
    for f in fields:
        if f.api_name in record:
            value = record[f.api_name]
        else:
            alias = next((a for a in f.aliases if a in record), None)
            if alias is not None:
                drift.renamed[alias] = f.api_name
                value = record[alias]
            elif f.required:
                raise _Bad(f"missing required field {f.api_name}")
            else:
                drift.missing_optional[f.api_name] = drift.missing_optional.get(f.api_name, 0) + 1
                value = None
        if value is None:
            if f.required:
                raise _Bad(f"{f.api_name} is null")
            values.append(None)
            continue
        converted = _convert(f, value)
        if f.references is not None and not known.contains(f.references, converted):
            raise _Bad(f"{f.api_name}: unknown {f.references} {converted!r}")
        values.append(converted)
    return values


def _child_rows(
    child: ChildSpec, record: Mapping[str, Any], parent_key: Any, known: KnownKeys, drift: SchemaDrift
) -> list[list[Any]]:
    items = record.get(child.api_name)
    if not isinstance(items, list) or not items:
        raise _Bad(f"{child.api_name}: a receipt needs at least one line")
    rows = []
    seen: set[Any] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Bad(f"{child.api_name}[{i}]: expected an object")
        try:
            values = _record_values(child.fields, item, known, drift)
        except _Bad as exc:
            raise _Bad(f"{child.api_name}[{i}].{exc}") from None
        line_key = values[0]
        if line_key in seen:
            raise _Bad(f"{child.api_name}[{i}]: duplicate line {line_key}")
        seen.add(line_key)
        rows.append([parent_key, *values])
    return rows


def _raw_key(resource: Resource, record: object) -> str:
    """The record's key as received, for the quarantine table (best effort on broken records)."""
    if not isinstance(record, dict):
        return ""
    parts = [str(record.get(f.api_name)) for f in resource.fields if f.column in resource.key]
    return "|".join(parts)


def validate_page(resource: Resource, records: Sequence[object], known: KnownKeys) -> ValidatedPage:
    """Split a page into landable columns and quarantined records; never raises on bad data.

    Clean pages take the column-wise fast path; any page it cannot vouch for comes here whole."""
    from ingestion.quality.fast_path import validate_clean_page

    clean = validate_clean_page(resource, records, known)
    return clean if clean is not None else validate_records(resource, records, known)


def validate_records(resource: Resource, records: Sequence[object], known: KnownKeys) -> ValidatedPage:
    """The reference validator, one record at a time: every rejection reason and drift report."""
    drift = SchemaDrift()
    rejected: list[Rejected] = []
    expected = resource.known_api_names
    changed_field = ApiField(CHANGED_AT, "_changed_at", "timestamp")
    # key -> (changed_at, values, child rows, extras); later/newer duplicates replace earlier ones
    chosen: dict[tuple[Any, ...], tuple[dt.datetime, list[Any], list[list[Any]], str | None]] = {}
    duplicates = 0
    key_positions = [i for i, f in enumerate(resource.fields) if f.column in resource.key]
    max_changed: dt.datetime | None = None
    for record in records:
        if not isinstance(record, dict):
            rejected.append(Rejected("", "record is not a JSON object", json.dumps(record, default=str)))
            continue
        try:
            changed = _convert(changed_field, record.get(CHANGED_AT)) if CHANGED_AT in record else None
            if changed is None:
                raise _Bad(f"missing required field {CHANGED_AT}")
            if max_changed is None or changed > max_changed:
                max_changed = changed
            values = _record_values(resource.fields, record, known, drift)
            key = tuple(values[i] for i in key_positions)
            child_rows = (
                _child_rows(resource.child, record, key[0], known, drift)
                if resource.child is not None
                else []
            )
        except _Bad as exc:
            rejected.append(Rejected(_raw_key(resource, record), str(exc), json.dumps(record, default=str)))
            continue
        unknown = [k for k in record if k not in expected]
        extras = None
        if unknown:
            for name in unknown:
                drift.new_fields[name] = drift.new_fields.get(name, 0) + 1
            extras = json.dumps({k: record[k] for k in unknown}, default=str)
        previous = chosen.get(key)
        if previous is not None:
            duplicates += 1
            if previous[0] > changed:
                continue
        chosen[key] = (changed, values, child_rows, extras)
    columns: Columns = {f.column: [] for f in resource.fields}
    names = list(columns)
    child_columns: Columns | None = None
    if resource.child is not None:
        child_columns = {
            resource.child.parent_key_column: [],
            **{f.column: [] for f in resource.child.fields},
        }
    child_names = list(child_columns) if child_columns is not None else []
    extras_out: list[tuple[str, str]] = []
    for key, (_, values, child_rows, extras) in chosen.items():
        for name, value in zip(names, values, strict=True):
            columns[name].append(value)
        if child_columns is not None:
            for row in child_rows:
                for name, value in zip(child_names, row, strict=True):
                    child_columns[name].append(value)
        if extras is not None:
            extras_out.append(("|".join(str(k) for k in key), extras))
    return ValidatedPage(
        columns=columns,
        child_columns=child_columns,
        rejected=rejected,
        extras=extras_out,
        duplicates=duplicates,
        drift=drift,
        max_changed_at=max_changed,
        received=len(records),
    )
