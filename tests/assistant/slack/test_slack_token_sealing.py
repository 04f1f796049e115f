"""Slack bot tokens are sealed at rest: the app database (a dump, a backup, a read-only account)
never shows one, a sealed token copied to another workspace's row does not open, a changed key
reads as "not installed" instead of crashing, and tokens stored before sealing keep working."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import select, update

from assistant.channels.slack.installation_store import SqlInstallationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.secret_box import SecretBox, secret_box
from assistant.runtime.persistence.slack_models import SlackInstallationRow
from guardrails.errors import ConfigError

TOKEN_A, TOKEN_B = "xoxb-1111-aaaa-secret", "xoxb-2222-bbbb-secret"


def _db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    return db


def _install(store: SqlInstallationStore, team: str, token: str) -> None:
    store.save_bot(Bot(team_id=team, bot_token=token, bot_id="B1", bot_user_id="U1", installed_at=0.0))


def _token(store: SqlInstallationStore, team: str) -> str | None:
    bot = store.find_bot(None, team)
    return None if bot is None else bot.bot_token


def _stored(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {r.team_id: r.bot_token for r in s.scalars(select(SlackInstallationRow))}


def test_tokens_are_sealed_in_the_database_and_open_for_their_workspace(tmp_path: Path) -> None:
    db = _db(tmp_path)
    store = SqlInstallationStore(db, secret_box(None, tmp_path))
    _install(store, "TAAA", TOKEN_A)
    _install(store, "TBBB", TOKEN_B)
    raw = _stored(db)
    assert all(v.startswith("enc:v1:") for v in raw.values())
    assert TOKEN_A not in str(raw) and "xoxb" not in str(raw)
    dump = "\n".join(db.engine.raw_connection().driver_connection.iterdump())  # type: ignore[union-attr]
    assert "xoxb" not in dump
    assert _token(store, "TAAA") == TOKEN_A
    # another process with the same data dir (a second worker) reads the same key file
    other = SqlInstallationStore(db, secret_box(None, tmp_path))
    assert _token(other, "TBBB") == TOKEN_B
    assert stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600
    db.dispose()


def test_a_sealed_token_moved_to_another_workspace_does_not_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = _db(tmp_path)
    store = SqlInstallationStore(db, SecretBox(b"k" * 32))
    _install(store, "TAAA", TOKEN_A)
    _install(store, "TBBB", TOKEN_B)
    with db.session() as s:  # someone with write access swaps A's ciphertext into B's row
        s.execute(update(SlackInstallationRow).where(SlackInstallationRow.team_id == "TBBB").values(
            bot_token=_stored(db)["TAAA"]
        ))  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="mercurios.slack"):
        assert store.find_bot(None, "TBBB") is None
    assert "TBBB" in caplog.text and "MERCURIOS_SECRET_KEY" in caplog.text
    assert _token(store, "TAAA") == TOKEN_A
    db.dispose()


def test_a_changed_key_reads_as_not_installed(tmp_path: Path) -> None:
    db = _db(tmp_path)
    _install(SqlInstallationStore(db, SecretBox(b"old-key-material-0123456789")), "TAAA", TOKEN_A)
    assert SqlInstallationStore(db, SecretBox(b"new-key-material-0123456789")).find_bot(None, "TAAA") is None
    db.dispose()


def test_a_token_stored_unsealed_is_never_used(tmp_path: Path) -> None:
    """A bot token written to the table in plain text (by hand, or by a tool that bypassed the box)
    reads as not installed, as a token sealed under another key does: no secret is read unsealed."""
    db = _db(tmp_path)
    with db.session() as s:
        s.add(
            SlackInstallationRow(
                enterprise_id="", team_id="TOLD", bot_token=TOKEN_A, bot_id="B", bot_user_id="U"
            )
        )
    store = SqlInstallationStore(db, SecretBox(b"k" * 32))
    assert store.find_bot(None, "TOLD") is None
    _install(store, "TOLD", TOKEN_A)  # reinstalling stores it sealed, and it works again
    assert _stored(db)["TOLD"].startswith("enc:v1:")
    assert _token(store, "TOLD") == TOKEN_A
    db.dispose()


def test_a_key_too_short_to_be_a_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="too short"):
        secret_box("hunter2", tmp_path)
