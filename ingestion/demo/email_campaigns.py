"""Klaviyo campaigns: about one newsletter a week, a few drafts, one cancelled send.

Sends go out on Tuesday or Thursday morning local time and are stored in UTC, as Klaviyo does.
The list grows with the customer base; open rates sit between 20 and 45 %, click rates between
1 and 5 %, Black Friday and sale mailings do better, and attributed revenue uses the online
shop's real average order value so email revenue stays plausible next to web revenue.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from ingestion.demo.demand_calendar import DemandCalendar, black_friday
from ingestion.demo.profiles import TenantProfile

IntArray = npt.NDArray[np.int64]

_DRAFTS = 3
_MIN_RECIPIENTS = 200
_LIST_SHARE_OF_CUSTOMERS = 0.6
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    status: str  # 'sent' | 'draft' | 'cancelled'
    send_time_utc: dt.datetime | None


@dataclass(frozen=True)
class CampaignPerformance:
    campaign_id: str
    recipients: int
    delivered: int
    opens_unique: int
    clicks_unique: int
    unsubscribes: int
    conversions: int
    conversion_value_cents: int


@dataclass(frozen=True)
class EmailData:
    campaigns: tuple[Campaign, ...]
    performance: tuple[CampaignPerformance, ...]


def _name_for(profile: TenantProfile, day: dt.date, sent_this_month: int) -> str:
    """The month's themes in turn; the Black Friday mailings go out in the two weeks before it."""
    pool = [name for month, name in profile.campaign_themes if month == day.month]
    black = [n for n in pool if "Black" in n]
    regular = [n for n in pool if "Black" not in n and "Cyber" not in n] or pool
    days_to_black_friday = (black_friday(day.year) - day).days
    if black and day.month == 11 and -4 <= days_to_black_friday <= 10:
        early = [n for n in black if "Early" in n]
        late = [n for n in black if "Early" not in n]
        return (early or black)[0] if days_to_black_friday > 3 else (late or black)[0]
    return regular[sent_this_month % len(regular)]


def simulate_email(
    profile: TenantProfile,
    calendar: DemandCalendar,
    registered_ordinal: IntArray,
    online_aov_cents: float,
    rng: np.random.Generator,
) -> EmailData:
    tz = ZoneInfo(profile.timezone)
    registered_sorted = np.sort(registered_ordinal)
    campaigns: list[Campaign] = []
    performance: list[CampaignPerformance] = []
    mondays = [i for i in range(calendar.days) if int(calendar.weekday[i]) == 0]
    cancelled_at = len(mondays) // 2
    per_month: dict[tuple[int, int], int] = {}
    for n, monday in enumerate(mondays):
        send_day = calendar.date(monday) + dt.timedelta(days=1 if rng.random() < 0.6 else 3)
        if send_day > calendar.date(calendar.days - 1):
            continue
        campaign_id = f"{profile.code}-cmp{len(campaigns) + 1:05d}"
        month_key = (send_day.year, send_day.month)
        name = _name_for(profile, send_day, per_month.get(month_key, 0))
        per_month[month_key] = per_month.get(month_key, 0) + 1
        if n == cancelled_at:
            campaigns.append(Campaign(campaign_id, name, "cancelled", None))
            continue
        local = dt.datetime.combine(send_day, dt.time(8 + int(rng.integers(0, 3)), 0), tzinfo=tz)
        campaigns.append(Campaign(campaign_id, name, "sent", local.astimezone(_UTC).replace(tzinfo=None)))
        send_ordinal = int(calendar.ordinals[0]) + (send_day - calendar.start).days
        known = int(np.searchsorted(registered_sorted, send_ordinal, side="right"))
        recipients = max(_MIN_RECIPIENTS, round(known * _LIST_SHARE_OF_CUSTOMERS * rng.uniform(0.9, 1.0)))
        strong = any(w in name for w in ("Black", "Sale", "Cyber", "Member"))
        delivered = round(recipients * rng.uniform(0.975, 0.995))
        # Rounding up keeps small lists inside the documented 20-45 % open and 1-5 % click bands.
        opens = math.ceil(delivered * (rng.uniform(0.30, 0.44) if strong else rng.uniform(0.20, 0.36)))
        clicks = math.ceil(delivered * (rng.uniform(0.025, 0.045) if strong else rng.uniform(0.011, 0.03)))
        conversions = round(clicks * rng.uniform(0.04, 0.12))
        value = round(conversions * online_aov_cents * rng.lognormal(0.0, 0.2))
        performance.append(
            CampaignPerformance(
                campaign_id=campaign_id,
                recipients=recipients,
                delivered=delivered,
                opens_unique=opens,
                clicks_unique=clicks,
                unsubscribes=round(delivered * rng.uniform(0.001, 0.004)),
                conversions=conversions,
                conversion_value_cents=value,
            )
        )
    # Drafts are next month's mailings, still being written.
    next_month = calendar.date(calendar.days - 1) + dt.timedelta(days=7)
    for i in range(_DRAFTS):
        day = next_month + dt.timedelta(days=7 * i)
        campaigns.append(
            Campaign(
                f"{profile.code}-cmp{len(campaigns) + 1:05d}", _name_for(profile, day, i + 1), "draft", None
            )
        )
    return EmailData(campaigns=tuple(campaigns), performance=tuple(performance))
