"""Migrations: a new app database is brought to the newest revision by Alembic; a database already
there is recognised without importing Alembic (a CLI command would pay half a second for it), and
the newest revision read from the scripts is Alembic's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text

from assistant.runtime.persistence.database import MIGRATIONS_DIR, Database, migration_head

REPO = Path(__file__).resolve().parents[2]


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert [migration_head()] == ScriptDirectory.from_config(config).get_heads()


def test_a_new_database_is_migrated_and_a_migrated_one_is_left_alone_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    db = Database(url)
    db.migrate()
    with db.engine.connect() as conn:
        assert inspect(conn).has_table("turns")
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migration_head()
    db.dispose()

    probe = (
        "import json, sys\n"
        "from assistant.runtime.persistence.database import Database\n"
        f"Database({url!r}).migrate()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_an_older_database_is_upgraded(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    with db.engine.begin() as conn:  # back to how revision 0006 left it, with a tenant and a thread
        conn.execute(text("UPDATE alembic_version SET version_num = '0006_digest_slack_team'"))
        conn.execute(text("ALTER TABLE tenants DROP COLUMN ask_url"))  # 0007 added it
        conn.execute(text("DROP TABLE slack_thread_conversations"))  # 0008 replaced slack_threads
        conn.execute(text("DROP TABLE conversation_leases"))  # 0009 added it
        conn.execute(
            text(
                "CREATE TABLE slack_threads (team_id VARCHAR(32) NOT NULL, "
                "channel_id VARCHAR(32) NOT NULL, thread_ts VARCHAR(32) NOT NULL, "
                "tenant_id VARCHAR(64) NOT NULL REFERENCES tenants (tenant_id), "
                "conversation_id VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL, "
                "PRIMARY KEY (team_id, channel_id, thread_ts))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tenants (tenant_id, name, currency, timezone, locale, cors_origins, "
                "retention_days, created_at) VALUES ('t-old', 'Old Shop', 'EUR', 'Europe/Berlin', "
                "'de-DE', '[]', 90, '2026-11-01 09:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO slack_threads VALUES ('T1', 'C1', '1700000000.000100', 't-old', 'conv-1', "
                "'2026-11-01 10:00:00')"
            )
        )
    db.migrate()
    with db.engine.connect() as conn:
        assert "ask_url" in {c["name"] for c in inspect(conn).get_columns("tenants")}
        assert "slack_threads" not in inspect(conn).get_table_names()
        assert "conversation_leases" in inspect(conn).get_table_names()
        kept = conn.execute(
            text("SELECT tenant_id, team_id, thread_ts, conversation_id FROM slack_thread_conversations")
        ).all()
        assert [tuple(r) for r in kept] == [("t-old", "T1", "1700000000.000100", "conv-1")]  # the thread kept
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migration_head()
