"""Digest subscriptions in the app database: who gets which tenant's digest, when, about what.

Every read and write is keyed by tenant: a subscription id from another tenant is simply not
found. What a subscription may say is checked here once (cron, timezone, recipients, channel);
whether its focus values exist in the tenant's catalog is checked by `focus.py` at subscribe time
and again at run time, because a row can be edited behind our back.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from assistant.runtime.digests.errors import InvalidRecipientError
from assistant.runtime.digests.schedule import Schedule, validate_schedule
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import DigestSubscriptionRow
from assistant.runtime.text_input import PlainTextModel
from guardrails.errors import NotFoundError, UserError

Channel = Literal["email", "slack"]
CadenceName = Literal["day", "week", "month"]
MAX_RECIPIENTS = 50
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_SLACK_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{6,20}$")
_SLACK_TEAM = re.compile(r"^[TE][A-Z0-9]{6,20}$")


class SubscriptionRequest(PlainTextModel):
    """What a user asks for; the tenant and user come from the credential, never from here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cron: str = Field(description="Five-field cron in `timezone`, e.g. '0 7 * * 1' = Mondays 07:00.")
    timezone: str = "Europe/Berlin"
    cadence: CadenceName = "week"
    metrics: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    channel: Channel = "email"
    slack_channel: str | None = None
    slack_team: str | None = Field(
        default=None,
        description="The Slack workspace (team id, T…) of slack_channel; may be left out when the "
        "tenant is linked to exactly one workspace.",
    )


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True)

    subscription_id: str
    tenant_id: str
    user_id: str
    cron: str
    timezone: str
    cadence: CadenceName
    metrics: tuple[str, ...]
    stores: tuple[str, ...]
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    channel: Channel
    slack_channel: str | None
    slack_team: str | None = None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.cron, self.timezone)


def clean_recipients(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """Plain addresses only (no display names, no CR/LF that could smuggle headers), deduplicated."""
    seen: list[str] = []
    for raw in recipients:
        address = raw.strip()
        if len(address) > 254 or not _EMAIL.match(address):
            raise InvalidRecipientError(f"not an email address: {raw[:80]!r}")
        if address.lower() not in (s.lower() for s in seen):
            seen.append(address)
    if len(seen) > MAX_RECIPIENTS:
        raise InvalidRecipientError(f"at most {MAX_RECIPIENTS} recipients per subscription")
    return tuple(seen)


def validate_request(request: SubscriptionRequest) -> SubscriptionRequest:
    validate_schedule(request.cron, request.timezone)
    recipients = clean_recipients(request.recipients)
    if request.channel == "email" and not recipients:
        raise InvalidRecipientError("an email digest needs at least one recipient")
    if request.channel == "slack":
        if request.slack_channel is None or not _SLACK_CHANNEL.match(request.slack_channel):
            raise UserError(
                "a Slack digest needs slack_channel, a channel id like C0123456789", code="invalid_channel"
            )
        if request.slack_team is not None and not _SLACK_TEAM.match(request.slack_team):
            raise UserError("slack_team must be a Slack team id like T0123ABCD", code="invalid_channel")
    elif request.slack_channel is not None or request.slack_team is not None:
        raise UserError("slack_channel and slack_team are only for channel 'slack'", code="invalid_channel")
    return request.model_copy(update={"recipients": recipients})


def _to_model(row: DigestSubscriptionRow) -> Subscription:
    return Subscription(
        subscription_id=row.subscription_id,
        tenant_id=row.tenant_id,
        user_id=row.user_id,
        cron=row.cron,
        timezone=row.timezone,
        cadence=row.cadence,  # type: ignore[arg-type]
        metrics=tuple(row.focus_metrics or ()),
        stores=tuple(row.focus_stores or ()),
        categories=tuple(row.focus_categories or ()),
        recipients=tuple(row.recipients or ()),
        channel=row.channel,  # type: ignore[arg-type]
        slack_channel=row.slack_channel,
        slack_team=row.slack_team_id,
        active=row.active,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class SubscriptionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self, tenant_id: str, user_id: str, request: SubscriptionRequest, *, now: dt.datetime | None = None
    ) -> Subscription:
        """Validates (cron, timezone, recipients, channel) and stores; focus — and, for Slack, that
        the channel's workspace is linked to this tenant (`slack/digest_targets.py`) — is checked by
        the caller."""
        clean = validate_request(request)
        stamp = now or dt.datetime.now(dt.UTC)
        row = DigestSubscriptionRow(
            subscription_id=uuid.uuid4().hex,
            tenant_id=tenant_id,
            user_id=user_id[:200],
            cron=clean.cron.strip(),
            timezone=clean.timezone,
            cadence=clean.cadence,
            focus_metrics=list(clean.metrics),
            focus_stores=list(clean.stores),
            focus_categories=list(clean.categories),
            recipients=list(clean.recipients),
            channel=clean.channel,
            slack_channel=clean.slack_channel,
            slack_team_id=clean.slack_team,
            active=True,
            created_at=stamp,
            updated_at=stamp,
        )
        with self.db.session() as s:
            s.add(row)
            s.flush()
            return _to_model(row)

    def list(self, tenant_id: str, *, include_inactive: bool = False) -> tuple[Subscription, ...]:
        query = select(DigestSubscriptionRow).where(DigestSubscriptionRow.tenant_id == tenant_id)
        if not include_inactive:
            query = query.where(DigestSubscriptionRow.active.is_(True))
        with self.db.session() as s:
            rows = s.scalars(query.order_by(DigestSubscriptionRow.created_at)).all()
            return tuple(_to_model(r) for r in rows)

    def get(self, tenant_id: str, subscription_id: str) -> Subscription:
        found = self.find(tenant_id, subscription_id)
        if found is None or not found.active:
            raise NotFoundError("no such digest subscription", code="subscription_not_found")
        return found

    def find(self, tenant_id: str, subscription_id: str) -> Subscription | None:
        """The tenant's subscription, active or not; None if it has none with that id."""
        with self.db.session() as s:
            row = s.get(DigestSubscriptionRow, subscription_id)
            return None if row is None or row.tenant_id != tenant_id else _to_model(row)

    def deactivate(self, tenant_id: str, subscription_id: str) -> None:
        """Unsubscribe keeps the row (its delivery record stays readable) but stops the digests."""
        with self.db.session() as s:
            row = s.get(DigestSubscriptionRow, subscription_id)
            if row is None or row.tenant_id != tenant_id or not row.active:
                raise NotFoundError("no such digest subscription", code="subscription_not_found")
            row.active = False
            row.updated_at = dt.datetime.now(dt.UTC)

    def all_active(self) -> tuple[Subscription, ...]:
        """For the scheduler only: every tenant's active subscriptions."""
        with self.db.session() as s:
            rows = s.scalars(
                select(DigestSubscriptionRow)
                .where(DigestSubscriptionRow.active.is_(True))
                .order_by(DigestSubscriptionRow.created_at)
            ).all()
            return tuple(_to_model(r) for r in rows)
