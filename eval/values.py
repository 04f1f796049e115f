"""The comparable forms of a result's values, shared by the value comparison (eval/compare.py) and
the layout equivalence (eval/layouts.py): a cell after normalisation, a row, a day in ISO form,
and one order over all of them."""

from __future__ import annotations

import re

Value = str | float | bool | None
Row = tuple[Value, ...]

ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:[+-]00:?00|Z)?)?$")


def sort_key(v: Value) -> tuple[int, float, str]:
    """One order over values of any kind: NULLs, then booleans, numbers, text."""
    if v is None:
        return (0, 0.0, "")
    if isinstance(v, bool):
        return (1, float(v), "")
    if isinstance(v, float):
        return (2, v, "")
    return (3, 0.0, v)
