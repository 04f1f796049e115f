"""GA4 sessions per day x source/medium x device, consistent with the online shop's receipts.

The web report is derived from the sales it must agree with: each day's transactions are the
online sale receipts of that day and purchase revenue is exactly their net sales; sessions
follow from a 1-3 % conversion rate. An online outage leaves a trickle of sessions (people
landing on an error page) and no transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.anomalies import AnomalyKind, PlantedAnomaly
from ingestion.demo.demand_calendar import DemandCalendar

IntArray = npt.NDArray[np.int64]

# (source, medium, share of sessions, relative conversion)
TRAFFIC_SOURCES: tuple[tuple[str, str, float, float], ...] = (
    ("google", "organic", 0.33, 1.0),
    ("google", "cpc", 0.18, 1.25),
    ("(direct)", "(none)", 0.19, 1.3),
    ("newsletter", "email", 0.07, 1.8),
    ("instagram", "social", 0.09, 0.45),
    ("facebook", "social", 0.04, 0.5),
    ("bing", "organic", 0.03, 1.0),
    ("idealo", "referral", 0.04, 1.5),
    ("chatgpt.com", "referral", 0.01, 1.1),
)
DEVICES: tuple[tuple[str, float, float], ...] = (
    ("mobile", 0.62, 0.7),
    ("desktop", 0.31, 1.7),
    ("tablet", 0.07, 1.0),
)
_OUTAGE_SESSION_SHARE = 0.15


@dataclass(frozen=True)
class WebRows:
    day: IntArray
    source: IntArray  # index into TRAFFIC_SOURCES
    device: IntArray  # index into DEVICES
    sessions: IntArray
    engaged_sessions: IntArray
    add_to_carts: IntArray
    transactions: IntArray
    revenue_cents: IntArray

    def __len__(self) -> int:
        return len(self.day)


def _split_cents(total: IntArray, weights: npt.NDArray[np.float64]) -> IntArray:
    """Split each day's revenue over combinations so that the parts add up to the cent."""
    row_sum = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, row_sum, out=np.zeros_like(weights), where=row_sum > 0)
    parts = np.floor(total[:, None] * share).astype(np.int64)
    remainder = total - parts.sum(axis=1)
    parts[np.arange(len(total)), np.argmax(weights, axis=1)] += remainder
    return parts


def simulate_web(
    calendar: DemandCalendar,
    online_transactions: IntArray,
    online_revenue_cents: IntArray,
    anomalies: tuple[PlantedAnomaly, ...],
    rng: np.random.Generator,
) -> WebRows:
    days = calendar.days
    conversion = np.clip(0.02 * rng.lognormal(0.0, 0.15, days), 0.01, 0.03)
    sessions_total = np.rint((online_transactions + 0.5) / conversion).astype(np.int64)
    for a in anomalies:
        if a.kind is not AnomalyKind.ONLINE_OUTAGE:
            continue
        for d in range(max(calendar.index(a.start), 0), min(calendar.index(a.end), days - 1) + 1):
            before = sessions_total[max(d - 14, 0) : max(d, 1)]
            sessions_total[d] = int(np.median(before) * _OUTAGE_SESSION_SHARE * rng.uniform(0.7, 1.3))
    session_share = np.array([s * d for _, _, s, _ in TRAFFIC_SOURCES for _, d, _ in DEVICES])
    conv_weight = np.array([c * k for _, _, _, c in TRAFFIC_SOURCES for _, _, k in DEVICES])
    n_combo = len(session_share)
    noisy = session_share[None, :] * rng.lognormal(0.0, 0.2, (days, n_combo))
    noisy /= noisy.sum(axis=1, keepdims=True)
    sessions = rng.multinomial(sessions_total, noisy)
    tx_p = noisy * conv_weight[None, :]
    tx_p /= tx_p.sum(axis=1, keepdims=True)
    transactions = rng.multinomial(online_transactions, tx_p)
    sessions = np.maximum(sessions, transactions)
    engaged = np.maximum(rng.binomial(sessions, 0.62), transactions)
    carts = np.minimum(np.maximum(rng.binomial(sessions, 0.08), transactions), sessions)
    aov_weight = transactions * rng.lognormal(0.0, 0.15, (days, n_combo))
    revenue = _split_cents(online_revenue_cents, aov_weight)

    day_idx, combo = np.nonzero(sessions > 0)
    return WebRows(
        day=day_idx.astype(np.int64),
        source=(combo // len(DEVICES)).astype(np.int64),
        device=(combo % len(DEVICES)).astype(np.int64),
        sessions=sessions[day_idx, combo].astype(np.int64),
        engaged_sessions=engaged[day_idx, combo].astype(np.int64),
        add_to_carts=carts[day_idx, combo].astype(np.int64),
        transactions=transactions[day_idx, combo].astype(np.int64),
        revenue_cents=revenue[day_idx, combo],
    )
