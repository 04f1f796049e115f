"""The tables Fivetran lands for GA4 and Klaviyo, and how each maps onto our raw contract.

Fivetran writes one destination schema per connector (so per tenant), with its own bookkeeping
columns: `_fivetran_synced` (when the row was written) and, for tables that track deletes,
`_fivetran_deleted`. The tenant is not in the data: it is the connector's, configured with us.
"""

from __future__ import annotations

from dataclasses import dataclass

SYNCED = "_fivetran_synced"
DELETED = "_fivetran_deleted"


@dataclass(frozen=True)
class FivetranTable:
    source: str  # "ga4" | "klaviyo"
    name: str  # table name in the Fivetran destination schema
    raw_table: str  # our raw table
    columns: tuple[tuple[str, str], ...]  # (Fivetran column, raw column); equal names for these sources
    key: tuple[str, ...]  # raw columns, unique per tenant
    tracks_deletes: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return self.key


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((n, n) for n in names)


GA4_SESSIONS = FivetranTable(
    "ga4",
    "sessions_report",
    "ga4_sessions_report",
    _same(
        "property",
        "date",
        "session_source",
        "session_medium",
        "device_category",
        "sessions",
        "engaged_sessions",
        "add_to_carts",
        "transactions",
        "purchase_revenue",
    ),
    ("property", "date", "session_source", "session_medium", "device_category"),
)
KLAVIYO_CAMPAIGN = FivetranTable(
    "klaviyo",
    "campaign",
    "klaviyo_campaign",
    _same("id", "name", "status", "send_time", "channel"),
    ("id",),
    tracks_deletes=True,
)
KLAVIYO_PERFORMANCE = FivetranTable(
    "klaviyo",
    "campaign_performance",
    "klaviyo_campaign_performance",
    _same(
        "campaign_id",
        "recipients",
        "delivered",
        "opens_unique",
        "clicks_unique",
        "unsubscribes",
        "conversions",
        "conversion_value",
    ),
    ("campaign_id",),
)

FIVETRAN_TABLES: tuple[FivetranTable, ...] = (GA4_SESSIONS, KLAVIYO_CAMPAIGN, KLAVIYO_PERFORMANCE)
