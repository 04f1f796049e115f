"""May tenant X send its digest to Slack channel C of workspace T? Only the admin's links decide.

The same rule as for questions (`links.py`): a channel link wins over its workspace's link. On top
of that, a channel that another workspace linked to a different tenant (a channel shared between
organisations) is refused too — whoever reads it there must never see another tenant's digest.
Checked at subscribe time (a clear error) and again before every delivery (links change).
Messages never name the other tenant.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from assistant.runtime.digests.errors import DestinationRefusedError
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.slack_models import SlackLinkRow
from guardrails.errors import UserError


class SlackTargets:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, team_id: str, channel_id: str) -> list[tuple[str, str, str]]:
        with self.db.session() as s:
            rows = s.scalars(
                select(SlackLinkRow).where(
                    or_(SlackLinkRow.team_id == team_id, SlackLinkRow.channel_id == channel_id)
                )
            ).all()
            return [(r.team_id, r.channel_id, r.tenant_id) for r in rows]

    def check(self, tenant_id: str, team_id: str | None, channel_id: str | None) -> None:
        """Raises `DestinationRefusedError` (with the reason) unless the channel is the tenant's."""
        if not team_id or not channel_id:
            raise DestinationRefusedError(
                "the subscription names no Slack workspace and channel; re-create it with slack_team"
            )
        rows = self._rows(team_id, channel_id)
        own = {ch: tenant for team, ch, tenant in rows if team == team_id}
        linked = own.get(channel_id, own.get(""))
        if linked is None:
            raise DestinationRefusedError(
                f"Slack workspace {team_id} is not linked to any tenant; "
                "an admin links it with `mercurios slack link`"
            )
        if linked != tenant_id:
            raise DestinationRefusedError(
                f"Slack channel {channel_id} of workspace {team_id} is linked to another tenant"
            )
        if any(ch == channel_id and team != team_id and tenant != tenant_id for team, ch, tenant in rows):
            raise DestinationRefusedError(
                f"Slack channel {channel_id} is shared with a workspace linked to another tenant"
            )

    def team_for(self, tenant_id: str, channel_id: str, team_id: str | None) -> str:
        """Subscribe time: the workspace of the channel (given, or the tenant's only workspace),
        checked. A refusal is the subscriber's to fix: a `UserError` with what to do."""
        if team_id is None:
            with self.db.session() as s:
                rows = s.scalars(select(SlackLinkRow).where(SlackLinkRow.tenant_id == tenant_id)).all()
                pinned = sorted({r.team_id for r in rows if r.channel_id == channel_id})
                teams = pinned or sorted({r.team_id for r in rows if r.channel_id == ""})
            if not teams:
                raise UserError(
                    "no Slack workspace is linked to this tenant; ask your Mercurios admin to link it",
                    code="slack_channel_not_linked",
                )
            if len(teams) > 1:
                raise UserError(
                    f"this tenant is linked to several Slack workspaces ({', '.join(teams)}): "
                    "say which one with slack_team",
                    code="invalid_channel",
                )
            team_id = teams[0]
        try:
            self.check(tenant_id, team_id, channel_id)
        except DestinationRefusedError as exc:
            raise UserError(exc.message, code="slack_channel_not_linked") from exc
        return team_id
