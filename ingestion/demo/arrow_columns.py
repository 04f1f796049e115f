"""Turn numpy arrays into Arrow columns of the exact raw types, without per-row Python.

A million receipt lines must load in a second or two, so ids are built with Arrow compute
kernels, repeated strings are dictionary-decoded, and DECIMAL columns are written straight from
integer cents (exact, no float rounding on the way in).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_MICROS_PER_DAY = 86_400_000_000


def decimal_from_cents(cents: IntArray, precision: int = 14) -> pa.Array:
    """DECIMAL(precision, 2) whose unscaled value is the cent amount (128-bit little endian)."""
    values = np.ascontiguousarray(cents, dtype=np.int64)
    wide = np.empty((len(values), 2), dtype=np.int64)
    wide[:, 0] = values
    wide[:, 1] = values >> 63  # sign extension into the high word
    return pa.Array.from_buffers(
        pa.decimal128(precision, 2), len(values), [None, pa.py_buffer(wide.tobytes())]
    )


def dates(ordinals: IntArray) -> pa.Array:
    return pa.array(np.asarray(ordinals, dtype=np.int32), type=pa.date32())


def timestamps(day_ordinals: IntArray, seconds: IntArray) -> pa.Array:
    micros = (
        np.asarray(day_ordinals, dtype=np.int64) * _MICROS_PER_DAY + np.asarray(seconds, np.int64) * 1_000_000
    )
    return pa.array(micros, type=pa.timestamp("us"))


def prefixed_ids(prefix: str, numbers: IntArray, width: int) -> pa.Array:
    """'nwf-r' + zero-padded number, e.g. nwf-r00001234, built by Arrow kernels."""
    digits = pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width=width, padding="0"
    )
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def lookup(values: Sequence[str | None], indices: IntArray) -> pa.Array:
    """values[indices] as a plain string column (dictionary decode in C++)."""
    dictionary = pa.array(list(values), type=pa.string())
    encoded = pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, dtype=np.int32)), dictionary)
    return encoded.cast(pa.string())


def with_nulls(column: pa.Array, valid: BoolArray) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(valid, dtype=np.bool_)), column, pa.scalar(None, column.type))


def constant(value: object, length: int, type_: pa.DataType) -> pa.Array:
    return pa.repeat(pa.scalar(value, type_), length)


def ints(values: IntArray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64))
