"""Cadence → due periods: a cron expression in the subscriber's timezone (croniter).

A subscription "Mondays 07:00 Europe/Berlin" is due at each firing time; the firing's local date is
the digest's as_of, and the firing time (UTC, ISO) is the period key of the exactly-once claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter  # type: ignore[import-untyped]

from assistant.runtime.digests.errors import InvalidScheduleError


@dataclass(frozen=True)
class Schedule:
    cron: str
    timezone: str

    def __post_init__(self) -> None:
        validate_schedule(self.cron, self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DueRun:
    fire_at: dt.datetime  # aware, UTC
    as_of: dt.date  # the local date of the firing

    @property
    def period_key(self) -> str:
        return self.fire_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def validate_schedule(cron: str, timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidScheduleError(
            f"unknown timezone {timezone!r}: use an IANA name like Europe/Berlin"
        ) from None
    if len(cron.split()) != 5 or not croniter.is_valid(cron):
        raise InvalidScheduleError(
            f"invalid cron expression {cron!r}: use five fields, e.g. '0 7 * * 1' for Mondays 07:00"
        )


def due_runs(
    schedule: Schedule, after: dt.datetime, until: dt.datetime, *, cap: int = 100
) -> tuple[DueRun, ...]:
    """Firings in (after, until], oldest first — at most `cap` (a scheduler that was down for a
    year catches up on the last ones, it does not send a hundred digests)."""
    if after.tzinfo is None or until.tzinfo is None:
        raise ValueError("due_runs needs timezone-aware datetimes")
    it = croniter(schedule.cron, after.astimezone(schedule.zone))
    runs: list[DueRun] = []
    while True:
        fire = it.get_next(dt.datetime)
        if fire > until:
            break
        runs.append(DueRun(fire_at=fire.astimezone(dt.UTC), as_of=fire.astimezone(schedule.zone).date()))
    return tuple(runs[-cap:])
