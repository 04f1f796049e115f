"""slack-sdk's installation and OAuth-state stores on the app database (bot tokens only).

The OAuth flow saves one bot per workspace; bolt's authorization looks the bot up for every
request. Sync SQLAlchemy runs on a worker thread so the event loop never blocks on the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.secret_box import SecretBox, SecretUnreadable
from assistant.runtime.persistence.slack_models import SlackInstallationRow, SlackOAuthStateRow

log = logging.getLogger("mercurios.slack")


def _context(enterprise_id: str, team_id: str) -> str:
    return f"slack-bot:{enterprise_id}:{team_id}"


class SqlInstallationStore(AsyncInstallationStore):
    """Bot tokens are sealed at rest (AES-GCM, bound to their workspace: persistence/secret_box.py)."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self.db = db
        self.box = box

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.save_bot, bot)

    def save_bot(self, bot: Bot) -> None:
        key = (bot.enterprise_id or "", bot.team_id or "")
        with self.db.session() as s:
            row = s.get(SlackInstallationRow, key) or SlackInstallationRow(
                enterprise_id=key[0], team_id=key[1]
            )
            row.bot_token = self.box.seal(bot.bot_token or "", context=_context(*key))
            row.bot_id = bot.bot_id or ""
            row.bot_user_id = bot.bot_user_id or ""
            row.bot_scopes = ",".join(bot.bot_scopes or [])
            row.installed_at = dt.datetime.now(dt.UTC)
            s.merge(row)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        return await asyncio.to_thread(self.find_bot, enterprise_id, team_id)

    def find_bot(self, enterprise_id: str | None, team_id: str | None) -> Bot | None:
        with self.db.session() as s:
            row = s.get(SlackInstallationRow, (enterprise_id or "", team_id or ""))
            if row is None:
                return None
            try:
                token = self.box.open(row.bot_token, context=_context(row.enterprise_id, row.team_id))
            except SecretUnreadable as exc:  # the key changed: as if not installed, and say why
                log.error("Slack workspace %s: %s", row.team_id, exc.message)
                return None
            return Bot(
                enterprise_id=row.enterprise_id or None,
                team_id=row.team_id,
                bot_token=token,
                bot_id=row.bot_id,
                bot_user_id=row.bot_user_id,
                bot_scopes=row.bot_scopes,
                installed_at=row.installed_at.timestamp(),
            )

    async def async_find_installation(self, **_kwargs: Any) -> Installation | None:
        raise NotImplementedError  # bot tokens only: bolt falls back to find_bot

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        def run() -> None:
            with self.db.session() as s:
                s.execute(
                    delete(SlackInstallationRow).where(
                        SlackInstallationRow.enterprise_id == (enterprise_id or ""),
                        SlackInstallationRow.team_id == (team_id or ""),
                    )
                )

        await asyncio.to_thread(run)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """One-time states (10 minutes) shared by all workers, against CSRF in the OAuth redirect."""

    def __init__(self, db: Database, expiration_s: int = 600) -> None:
        self.db = db
        self.expiration_s = expiration_s

    async def async_issue(self, *_args: Any, **_kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.expiration_s)

        def run() -> None:
            with self.db.session() as s:
                s.add(SlackOAuthStateRow(state=state, expires_at=expires))

        await asyncio.to_thread(run)
        return state

    async def async_consume(self, state: str) -> bool:
        def run() -> bool:
            with self.db.session() as s:
                row = s.get(SlackOAuthStateRow, state[:64])
                if row is None:
                    return False
                s.delete(row)
                expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
                return expires > dt.datetime.now(dt.UTC)

        return await asyncio.to_thread(run)
