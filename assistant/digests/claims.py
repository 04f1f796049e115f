"""Exactly-once claims: one row per (subscription, period), enforced by the database.

A scheduler that wants to send a digest first INSERTs the claim; the primary key makes a second
scheduler's INSERT fail, so only one proceeds. The claim carries a lease: if its holder crashes
between claim and send, another scheduler may take the claim over once the lease expired (an
UPDATE guarded by the old lease, so two takers cannot both win). `sent` is final.

SQLAlchemy Core on its own table, so it runs on SQLite and PostgreSQL alike. To move it into the
service's app database, add `digest_claims` as an Alembic migration in
assistant/persistence/migrations and pass that engine here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()
digest_claims = Table(
    "digest_claims",
    metadata,
    Column("subscription_id", String(64), primary_key=True),
    Column("period_key", String(32), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("holder", String(128), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # claimed | sent | failed
    Column("attempts", Integer, nullable=False, default=1),
    Column("detail", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Claim:
    subscription_id: str
    period_key: str
    holder: str


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class SqlClaimStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

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
            return Claim(subscription_id, period_key, holder)
        except IntegrityError:
            pass
        key = and_(
            digest_claims.c.subscription_id == subscription_id, digest_claims.c.period_key == period_key
        )
        with self.engine.begin() as con:
            row = con.execute(select(digest_claims).where(key)).mappings().one()
            if row["status"] == "sent" or _utc(row["lease_until"]) > now:
                return None
            taken = con.execute(
                update(digest_claims)
                .where(
                    and_(
                        key,
                        digest_claims.c.holder == row["holder"],
                        digest_claims.c.lease_until == row["lease_until"],
                        or_(digest_claims.c.status == "claimed", digest_claims.c.status == "failed"),
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
            return Claim(subscription_id, period_key, holder) if taken.rowcount == 1 else None

    def finish(self, claim: Claim, *, status: str, detail: str = "", now: dt.datetime) -> None:
        with self.engine.begin() as con:
            con.execute(
                update(digest_claims)
                .where(
                    and_(
                        digest_claims.c.subscription_id == claim.subscription_id,
                        digest_claims.c.period_key == claim.period_key,
                        digest_claims.c.holder == claim.holder,
                    )
                )
                .values(status=status, detail=detail[:2000], updated_at=now)
            )

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
