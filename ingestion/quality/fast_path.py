"""Column-wise validation of a clean page: the same result as the record-wise validator, faster.

Almost every page a healthy API sends is clean: every record an object with exactly the expected
fields, values of the right JSON types, no duplicates. Such a page is checked a column at a time
(list comprehensions and set operations instead of a function call per value), which is what makes
the ≥ 50k records/s landing path possible. The moment anything is off — a missing or unknown
field, a wrong type, a value out of range, an unknown reference, a duplicate key — this returns
None and the record-wise validator (`validation.validate_page`) handles the page, so rejections,
their reasons and drift reports come from one place only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ingestion.prohandel.resources import CHANGED_AT, ApiField, Resource

if TYPE_CHECKING:
    from ingestion.quality.validation import Columns, KnownKeys, ValidatedPage

_date = dt.date.fromisoformat
_datetime = dt.datetime.fromisoformat


_CHANGED = ApiField(CHANGED_AT, "_changed_at", "timestamp")


class _NotClean(Exception):
    """The page needs the record-wise validator (never escapes this module)."""


def _column(f: ApiField, values: list[Any], known: KnownKeys) -> list[Any]:
    """Check and convert one column; raise `_NotClean` on anything the slow path would look at."""
    has_null = None in values if not f.required else False
    if f.required and None in values:
        raise _NotClean
    present = [v for v in values if v is not None] if has_null else values
    kind = f.kind
    if kind == "str":
        if any(type(v) is not str for v in present):
            raise _NotClean
        if f.choices and not set(present) <= set(f.choices):
            raise _NotClean
        out = values
    elif kind in ("date", "timestamp"):
        if any(type(v) is not str for v in present):
            raise _NotClean
        parse = _date if kind == "date" else _datetime
        try:
            out = (
                [None if v is None else parse(v) for v in values] if has_null else [parse(v) for v in values]
            )
        except ValueError:
            raise _NotClean from None
    else:
        if kind == "int":
            if any(type(v) is not int for v in present):
                raise _NotClean
            out = values
        else:
            if any(type(v) is not float and type(v) is not int for v in present):
                raise _NotClean
            out = (
                [None if v is None else float(v) for v in values] if has_null else [float(v) for v in values]
            )
        if f.min_value is not None and present and min(present) < f.min_value:
            raise _NotClean
    if f.references is not None:
        allowed = known.branches if f.references == "branch" else known.articles
        if not set(present) <= allowed:
            raise _NotClean
    return out


def _columns(fields: Sequence[ApiField], records: Sequence[dict[str, Any]], known: KnownKeys) -> Columns:
    return {f.column: _column(f, [r[f.api_name] for r in records], known) for f in fields}


def validate_clean_page(
    resource: Resource, records: Sequence[object], known: KnownKeys
) -> ValidatedPage | None:
    """The page validated column-wise, or None if it is not clean (then use the record-wise path)."""
    from ingestion.quality.validation import SchemaDrift, ValidatedPage

    if not records or any(type(r) is not dict for r in records):
        return None
    expected = {CHANGED_AT, *(f.api_name for f in resource.fields)}
    if resource.child is not None:
        expected.add(resource.child.api_name)
    if any(r.keys() != expected for r in records):  # type: ignore[attr-defined]
        return None
    page: Sequence[dict[str, Any]] = records  # type: ignore[assignment]
    try:
        changed = _column(
            ApiField(CHANGED_AT, "_changed_at", "timestamp"), [r[CHANGED_AT] for r in page], known
        )
        columns = _columns(resource.fields, page, known)
        # a resource without key columns holds one record per tenant: () is every record's key
        keys = (
            list(zip(*(columns[c] for c in resource.key), strict=True)) if resource.key else [()] * len(page)
        )
        if len(set(keys)) != len(keys):
            raise _NotClean
        child_columns = None
        if resource.child is not None:
            child = resource.child
            parent_col = next(f.column for f in resource.fields if f.column in resource.key)
            line_expected = {f.api_name for f in child.fields}
            lines: list[dict[str, Any]] = []
            parents: list[Any] = []
            for parent_key, record in zip(columns[parent_col], page, strict=True):
                items = record[child.api_name]
                if type(items) is not list or not items:
                    raise _NotClean
                lines.extend(items)
                parents.extend([parent_key] * len(items))
            if any(type(item) is not dict or item.keys() != line_expected for item in lines):
                raise _NotClean
            child_columns = {child.parent_key_column: parents, **_columns(child.fields, lines, known)}
            line_key = child.fields[0].column
            pairs = list(zip(parents, child_columns[line_key], strict=True))
            if len(set(pairs)) != len(pairs):
                raise _NotClean
    except _NotClean:
        return None
    return ValidatedPage(
        columns=columns,
        child_columns=child_columns,
        rejected=[],
        extras=[],
        duplicates=0,
        drift=SchemaDrift(),
        max_changed_at=max(changed),
        received=len(records),
    )
