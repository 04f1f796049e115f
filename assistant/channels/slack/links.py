"""Which tenant a Slack workspace — or one channel of it — may see. Only an admin writes links.

A channel link wins over the workspace link, so one workspace can serve two brands from two
channels; a workspace with no link resolves to None and gets no data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select

from assistant.channels.slack.errors import SlackLinkError
from assistant.core.tenants import UnknownTenantError
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.slack_models import SlackLinkRow
from assistant.runtime.persistence.tenant_store import TenantRepository

SLACK_ID = re.compile(r"^[A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class WorkspaceLink:
    team_id: str
    channel_id: str | None
    tenant_id: str


class WorkspaceLinks:
    def __init__(self, db: Database, tenants: TenantRepository) -> None:
        self.db = db
        self.tenants = tenants

    def link(self, team_id: str, tenant_id: str, channel_id: str | None = None) -> WorkspaceLink:
        for label, value in (("team", team_id), ("channel", channel_id)):
            if value is not None and not SLACK_ID.fullmatch(value):
                raise SlackLinkError(f"malformed Slack {label} id {value!r} (like T0123ABCD)")
        try:
            self.tenants.get(tenant_id)
        except UnknownTenantError as exc:
            raise SlackLinkError(f"unknown tenant {tenant_id!r}") from exc
        with self.db.session() as s:
            row = s.get(SlackLinkRow, (team_id, channel_id or ""))
            if row is None:
                s.add(SlackLinkRow(team_id=team_id, channel_id=channel_id or "", tenant_id=tenant_id))
            else:
                row.tenant_id = tenant_id
        return WorkspaceLink(team_id, channel_id, tenant_id)

    def unlink(self, team_id: str, channel_id: str | None = None) -> bool:
        with self.db.session() as s:
            result = s.execute(
                delete(SlackLinkRow).where(
                    SlackLinkRow.team_id == team_id, SlackLinkRow.channel_id == (channel_id or "")
                )
            )
            return bool(getattr(result, "rowcount", 0))

    def resolve(self, team_id: str | None, channel_id: str | None) -> str | None:
        """The tenant for this team and channel, or None (not connected)."""
        if not team_id:
            return None
        with self.db.session() as s:
            rows = {
                r.channel_id: r.tenant_id
                for r in s.scalars(select(SlackLinkRow).where(SlackLinkRow.team_id == team_id))
            }
        if channel_id and channel_id in rows:
            return rows[channel_id]
        return rows.get("")

    def all(self) -> list[WorkspaceLink]:
        with self.db.session() as s:
            rows = s.scalars(select(SlackLinkRow).order_by(SlackLinkRow.team_id, SlackLinkRow.channel_id))
            return [WorkspaceLink(r.team_id, r.channel_id or None, r.tenant_id) for r in rows]
