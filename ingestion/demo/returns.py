"""Return receipts: some sold units come back 1-30 days later as their own receipt.

Online orders are returned far more often than store purchases (the fashion pattern), and a
return is booked where the goods were bought — the same store, or the online shop — on the
next day that branch is open. Returns that would fall after the end of the history have not
happened yet and are left out. Quantities and all amounts of a return line are negative; the
discount given on the sale is refunded pro rata, so net = gross - discount still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.sales import Lines, receipt_seconds

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_ONLINE_RETURN_MULTIPLIER = 3.0
_MAX_DELAY_DAYS = 30


@dataclass(frozen=True)
class ReturnBatch:
    branch: IntArray
    day: IntArray
    second: IntArray
    customer: IntArray
    lines: Lines  # .receipt indexes into this batch


def next_open_day(is_open: BoolArray) -> IntArray:
    """[branch, day] -> first open day index >= day, or the day count if the branch never reopens."""
    n_branches, n_days = is_open.shape
    result = np.full((n_branches, n_days + 1), n_days, dtype=np.int64)
    for d in range(n_days - 1, -1, -1):
        result[:, d] = np.where(is_open[:, d], d, result[:, d + 1])
    return result[:, :n_days]


def previous_open_day(is_open: BoolArray) -> IntArray:
    """[branch, day] -> last open day index <= day, or -1 if the branch was never open before."""
    n_branches, n_days = is_open.shape
    result = np.full((n_branches, n_days), -1, dtype=np.int64)
    last = np.full(n_branches, -1, dtype=np.int64)
    for d in range(n_days):
        last = np.where(is_open[:, d], d, last)
        result[:, d] = last
    return result


def simulate_returns(
    sale_branch: IntArray,
    sale_day: IntArray,
    sale_customer: IntArray,
    branch_is_online: BoolArray,
    is_open: BoolArray,
    sales: Lines,
    purchase_cents: IntArray,
    return_rate: float,
    rng: np.random.Generator,
) -> ReturnBatch:
    online_line = branch_is_online[sale_branch[sales.receipt]]
    multiplier = np.where(online_line, _ONLINE_RETURN_MULTIPLIER, 1.0)
    expected_units = 1.0 + (sales.quantity - 1) / 2.0
    base = return_rate * sales.quantity.sum() / float((multiplier * expected_units).sum())
    returned = rng.random(len(sales)) < np.minimum(base * multiplier, 0.9)
    rq_all = 1 + rng.binomial(np.maximum(sales.quantity - 1, 0), 0.5)

    src = np.flatnonzero(returned)
    src_receipt = sales.receipt[src]
    # One return receipt per original receipt, booked 1-30 days later when the branch is open.
    orig, inverse = np.unique(src_receipt, return_inverse=True)
    inverse = inverse.reshape(-1)
    delay = 1 + np.floor(rng.beta(1.3, 3.0, len(orig)) * _MAX_DELAY_DAYS).astype(np.int64)
    delay = np.minimum(delay, _MAX_DELAY_DAYS)
    n_days = is_open.shape[1]
    wanted = sale_day[orig] + delay
    branch = sale_branch[orig]
    clipped = np.minimum(wanted, n_days - 1)
    day = np.where(wanted < n_days, next_open_day(is_open)[branch, clipped], n_days)
    # Never later than 30 days after the sale: if the branch is closed then, the return came earlier.
    too_late = (day < n_days) & (day - sale_day[orig] > _MAX_DELAY_DAYS)
    day = np.where(too_late, previous_open_day(is_open)[branch, clipped], day)
    keep_receipt = (day < n_days) & (day > sale_day[orig])
    new_index = np.cumsum(keep_receipt) - 1
    keep_line = keep_receipt[inverse]
    src = src[keep_line]
    line_receipt = new_index[inverse[keep_line]]

    kept = np.flatnonzero(keep_receipt)
    ret_branch = branch[kept]
    rq = rq_all[src]
    q = sales.quantity[src]
    gross = -rq * sales.unit_cents[src]
    discount = -((sales.discount_cents[src] * rq) // q)
    first = (
        np.r_[0, np.flatnonzero(line_receipt[1:] != line_receipt[:-1]) + 1]
        if len(src)
        else np.zeros(0, np.int64)
    )
    starts = np.zeros(len(kept), dtype=np.int64)
    starts[line_receipt[first]] = first
    line_number = np.arange(len(src)) - starts[line_receipt] + 1
    lines = Lines(
        receipt=line_receipt.astype(np.int64),
        line_number=line_number.astype(np.int64),
        article=sales.article[src],
        quantity=-rq,
        unit_cents=sales.unit_cents[src],
        gross_cents=gross,
        discount_cents=discount,
        net_cents=gross - discount,
        cost_cents=-rq * purchase_cents[sales.article[src]],
    )
    return ReturnBatch(
        branch=ret_branch,
        day=day[kept],
        second=receipt_seconds(branch_is_online[ret_branch], rng),
        customer=sale_customer[orig[kept]],
        lines=lines,
    )
