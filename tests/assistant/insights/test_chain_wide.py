"""A week every store sells far above its usual is one chain-wide finding, not one per store and
category; one store's closure (or a handful of rises) stays its own finding."""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.anomalies import SeriesAnomaly, chain_wide
from assistant.core.insights.series import AnomalyRun

DAY = dt.date(2025, 11, 24)


def anomaly(group: str, actual: float, expected: float) -> SeriesAnomaly:
    run = AnomalyRun(DAY, DAY + dt.timedelta(days=5), actual, expected, 7.0 if actual > expected else -7.0)
    return SeriesAnomaly(group, run, ())


def test_most_categories_rising_together_is_chain_wide() -> None:
    rises = [anomaly(c, 60, 30) for c in ("Shoes", "Kids", "Menswear", "Womenswear")]
    assert chain_wide({"store": (13, [anomaly("Hamburg", 40, 20)]), "category": (6, rises)}) == 1


def test_one_closed_store_or_a_few_of_many_is_not() -> None:
    closed = anomaly("Köln", 0, 25)
    assert chain_wide({"store": (13, [closed]), "category": (6, [])}) == 0
    few = [anomaly(s, 50, 20) for s in ("Berlin", "Hamburg", "München")]
    assert chain_wide({"store": (13, few), "category": (6, [anomaly("Kids", 10, 30)])}) == 0
    outage = [
        anomaly(s, 0, 30) for s in ("Berlin", "Hamburg", "München", "Köln", "Bremen", "Stuttgart", "Dresden")
    ]
    assert chain_wide({"store": (13, outage), "category": (6, [])}) == -1  # most stores down: say it once
