"""Anomalies deliberately planted in the demo data, described as typed values.

Insight features ("what was unusual last month?") and their tests need ground truth: these
records say what was planted, where and when, and what a correct detector should see. The
generator reads the same records to plant them, so description and data cannot drift apart.
An anomaly is planted only where its dates fall inside the generated history: `mercurios demo`
ends the history yesterday, so a demo built up to LAST_END_DATE_WITH_EVERY_ANOMALY holds them all
(with a week of normal days before each); later builds lose the earliest (Köln, March 2026) first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class AnomalyKind(StrEnum):
    STORE_CLOSURE = "store_closure"  # a branch sells nothing (no receipts at all)
    CATEGORY_SPIKE = "category_spike"  # a category sells `factor` times its normal units
    ONLINE_OUTAGE = "online_outage"  # the online shop takes no orders; web sessions collapse
    STOCK_OUT = "stock_out"  # on_hand 0 for a category's articles in a branch; its sales stop
    # Not planted in the demo (its figures stay as documented); planted by the detector benchmark:
    PRICE_CHANGE = "price_change"  # a category's shelf prices times `factor` (all or one branch)
    DISCOUNT = "discount"  # a category sold at `factor` extra discount (0.25 = 25 % off the price)


@dataclass(frozen=True)
class PlantedAnomaly:
    """One planted anomaly. `city None` means all branches; `category None` means all categories."""

    tenant_id: str
    kind: AnomalyKind
    start: dt.date  # inclusive
    end: dt.date  # inclusive
    city: str | None  # the branch's city; the online shop is addressed by kind ONLINE_OUTAGE
    category: str | None
    factor: float  # demand multiplier while active (0.0 = nothing sold)
    expected_effect: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


PLANTED_ANOMALIES: tuple[PlantedAnomaly, ...] = (
    PlantedAnomaly(
        tenant_id="nordwind-fashion",
        kind=AnomalyKind.STORE_CLOSURE,
        start=dt.date(2026, 3, 16),
        end=dt.date(2026, 3, 22),
        city="Köln",
        category=None,
        factor=0.0,
        expected_effect="Nordwind Köln has no receipts for the week of 2026-03-16 (closed for renovation); "
        "net sales of that week drop by about a twelfth of the store chain's total.",
    ),
    PlantedAnomaly(
        tenant_id="alpin-sport",
        kind=AnomalyKind.CATEGORY_SPIKE,
        start=dt.date(2026, 9, 14),
        end=dt.date(2026, 9, 20),
        city=None,
        category="Running",
        factor=3.0,
        expected_effect="Running units sold are about 3x a normal week in every Alpin Sport branch in the "
        "week of 2026-09-14 (running event week); other categories are unaffected.",
    ),
    PlantedAnomaly(
        tenant_id="casa-living",
        kind=AnomalyKind.ONLINE_OUTAGE,
        start=dt.date(2026, 6, 10),
        end=dt.date(2026, 6, 11),
        city=None,
        category=None,
        factor=0.0,
        expected_effect="Casa Living Online-Shop has no receipts on 2026-06-10 and 2026-06-11; GA4 shows "
        "sessions at a fraction of normal with zero transactions and zero revenue.",
    ),
    PlantedAnomaly(
        tenant_id="nordwind-fashion",
        kind=AnomalyKind.STOCK_OUT,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        city="Hamburg",
        category="Shoes",
        factor=0.0,
        expected_effect="Every Shoes article of Nordwind Hamburg has on_hand 0 (with stock on order) on all "
        "October 2026 snapshots, and Hamburg sells no Shoes in October although it sold Shoes "
        "every week before and the other stores keep selling Shoes.",
    ),
)


# Two years (730 days) of history ending here start on 2026-03-09, a week before the Köln closure.
LAST_END_DATE_WITH_EVERY_ANOMALY = dt.date(2028, 3, 7)


def anomalies_for(tenant_id: str) -> tuple[PlantedAnomaly, ...]:
    return tuple(a for a in PLANTED_ANOMALIES if a.tenant_id == tenant_id)
