"""Exactly-once claims: one row per (subscription, period), enforced by the app database.

A scheduler that wants to send a digest first INSERTs the claim; the primary key makes a second
scheduler's INSERT fail, so only one proceeds. The claim carries a lease: if its holder crashes
between claim and send, another scheduler may take the claim over once the lease expired (an
UPDATE guarded by the old holder and lease, so two takers cannot both win). A failed delivery
keeps its row with `retry_at` as the new lease, so the next run after that retries it.
`sent`, `bounced`, `no_data`, `refused`, `invalid` and `gave_up` are final.

The table comes from the Alembic migration 0004_digests; the store runs on the app database's
engine (SQLite or PostgreSQL alike, SQLAlchemy Core).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, Table, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.runtime.persistence.models import DigestClaimRow

digest_claims: Table = DigestClaimRow.__table__  # type: ignore[assignment]
RETRYABLE = ("claimed", "failed")
FinalStatus = Literal["sent", "failed", "bounced", "no_data", "refused", "invalid", "gave_up"]


@dataclass(frozen=True)
class Claim:
    subscription_id: str
    period_key: str
    holder: str
    attempt: int = 1


@dataclass(frozen=True)
class ClaimRecord:
    subscription_id: str
    period_key: str
    tenant_id: str
    status: str
    attempts: int
    detail: str
    updated_at: dt.datetime


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class SqlClaimStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(
        self,
        subscription_id: str,
        period_key: str,
        tenant_id: str,
        holder: str,
        *,
        lease_s: int,
        now: dt.datetime,
    ) -> Claim | None:
        lease = now + dt.timedelta(seconds=lease_s)
        try:
            with self.engine.begin() as con:
                con.execute(
                    insert(digest_claims).values(
                        subscription_id=subscription_id,
                        period_key=period_key,
                        tenant_id=tenant_id,
                        holder=holder,
                        lease_until=lease,
                        status="claimed",
                        attempts=1,
                        detail="",
                        updated_at=now,
                    )
                )
            return Claim(subscription_id, period_key, holder, 1)
        except IntegrityError:
            pass
        key = and_(
            digest_claims.c.subscription_id == subscription_id, digest_claims.c.period_key == period_key
        )
        with self.engine.begin() as con:
            row = con.execute(select(digest_claims).where(key)).mappings().one()
            if row["status"] not in RETRYABLE or _utc(row["lease_until"]) > now:
                return None
            taken = con.execute(
                update(digest_claims)
                .where(
                    and_(
                        key,
                        digest_claims.c.holder == row["holder"],
                        digest_claims.c.lease_until == row["lease_until"],
                        digest_claims.c.status.in_(RETRYABLE),
                    )
                )
                .values(
                    holder=holder,
                    lease_until=lease,
                    status="claimed",
                    attempts=row["attempts"] + 1,
                    updated_at=now,
                )
            )
            attempt = int(row["attempts"]) + 1
            return Claim(subscription_id, period_key, holder, attempt) if taken.rowcount == 1 else None

    def finish(
        self,
        claim: Claim,
        *,
        status: FinalStatus,
        detail: str = "",
        now: dt.datetime,
        retry_at: dt.datetime | None = None,
    ) -> bool:
        """Record the outcome; only the current holder may (a holder whose lease was taken over
        finds 0 rows and learns it lost). `retry_at` (for `failed`) is when a retry may claim it."""
        values: dict[str, object] = {"status": status, "detail": detail[:2000], "updated_at": now}
        if retry_at is not None:
            values["lease_until"] = retry_at
        with self.engine.begin() as con:
            done = con.execute(
                update(digest_claims)
                .where(
                    and_(
                        digest_claims.c.subscription_id == claim.subscription_id,
                        digest_claims.c.period_key == claim.period_key,
                        digest_claims.c.holder == claim.holder,
                    )
                )
                .values(**values)
            )
        return done.rowcount == 1

    def status(self, subscription_id: str, period_key: str) -> tuple[str, int, str] | None:
        with self.engine.connect() as con:
            row = con.execute(
                select(digest_claims.c.status, digest_claims.c.attempts, digest_claims.c.detail).where(
                    and_(
                        digest_claims.c.subscription_id == subscription_id,
                        digest_claims.c.period_key == period_key,
                    )
                )
            ).first()
        return None if row is None else (str(row[0]), int(row[1]), str(row[2]))

    def history(self, tenant_id: str, subscription_id: str | None = None) -> tuple[ClaimRecord, ...]:
        """What was sent (or not) for one tenant — the record a user or operator can read."""
        where = digest_claims.c.tenant_id == tenant_id
        if subscription_id is not None:
            where = and_(where, digest_claims.c.subscription_id == subscription_id)
        with self.engine.connect() as con:
            rows = con.execute(
                select(digest_claims).where(where).order_by(digest_claims.c.period_key)
            ).mappings()
            return tuple(
                ClaimRecord(
                    subscription_id=r["subscription_id"],
                    period_key=r["period_key"],
                    tenant_id=r["tenant_id"],
                    status=r["status"],
                    attempts=int(r["attempts"]),
                    detail=r["detail"],
                    updated_at=_utc(r["updated_at"]),
                )
                for r in rows
            )
