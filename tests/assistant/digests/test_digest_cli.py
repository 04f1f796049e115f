"""`mercurios digest subscribe|list|unsubscribe|run-due` through the real console entry point:
exit codes, one-line messages, and nothing stored or lost on bad input or a dead SMTP server."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.channels.digests.claims import SqlClaimStore
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from tests.assistant.digests.smtp_inbox import free_port, running_inbox
from tests.demo import DemoWarehouse

ROOT = Path(__file__).resolve().parents[3]
NORDWIND = "nordwind-fashion"


def mercurios(
    demo: DemoWarehouse, data_dir: Path, *args: str, smtp_port: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MERCURIOS_")}
    env.update(
        {
            "MERCURIOS_DATA_DIR": str(data_dir),
            "MERCURIOS_DUCKDB_PATH": str(demo.path),
            "DBT_TARGET_PATH": str(demo.dbt_target_path),
            "MERCURIOS_CACHE_DIR": str(demo.cache_dir),
            "MERCURIOS_SMTP_PORT": str(smtp_port or free_port()),
            "MERCURIOS_SMTP_RETRIES": "0",
            "MERCURIOS_SMTP_TIMEOUT_S": "3",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "assistant.channels.cli.main", "digest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def app_db(data_dir: Path) -> Database:
    db = Database(f"sqlite:///{data_dir / 'app.db'}")
    db.migrate()
    return db


def test_subscribe_list_and_unsubscribe(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    made = mercurios(
        demo_warehouse, tmp_path, "subscribe", "--tenant", NORDWIND, "--cron", "0 7 * * 1",
        "--to", "anna@nordwind.example", "--to", "ben@nordwind.example",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    sub_id = made.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", sub_id)
    listed = mercurios(demo_warehouse, tmp_path, "list", "--tenant", NORDWIND)
    assert listed.returncode == 0 and sub_id in listed.stdout
    assert "'0 7 * * 1' Europe/Berlin" in listed.stdout and "anna@nordwind.example, ben@" in listed.stdout
    other = mercurios(demo_warehouse, tmp_path, "unsubscribe", "--tenant", "alpin-sport", sub_id)
    assert other.returncode == 2 and "no such digest subscription" in other.stderr  # not another tenant's
    gone = mercurios(demo_warehouse, tmp_path, "unsubscribe", "--tenant", NORDWIND, sub_id)
    assert gone.returncode == 0 and f"unsubscribed {sub_id}" in gone.stdout
    empty = mercurios(demo_warehouse, tmp_path, "list", "--tenant", NORDWIND)
    assert empty.returncode == 0 and "no active digest subscriptions for nordwind-fashion" in empty.stdout
    again = mercurios(demo_warehouse, tmp_path, "unsubscribe", "--tenant", NORDWIND, sub_id)
    assert again.returncode == 2 and again.stderr.strip() == "error: no such digest subscription"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--cron", "61 7 * * 1"), "invalid cron expression '61 7 * * 1'"),
        (("--timezone", "Mars/Olympus"), "unknown timezone 'Mars/Olympus'"),
        (("--tenant", "no-such-tenant"), "unknown tenant 'no-such-tenant'"),
        (("--to", "not-an-address"), "not an email address: 'not-an-address'"),
        (("--slack-channel", "C0NORD0001"), "no Slack workspace is linked to this tenant"),
        (("--cadence", "fortnight"), "--cadence must be day, week or month"),
    ],
    ids=["cron", "timezone", "tenant", "recipient", "slack-unlinked", "cadence"],
)
def test_bad_subscriptions_exit_2_with_one_clear_line_and_store_nothing(
    demo_warehouse: DemoWarehouse, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    options = {"--tenant": NORDWIND, "--cron": "0 7 * * 1", "--timezone": "Europe/Berlin"}
    extra: list[str] = []
    for key, value in zip(args[::2], args[1::2], strict=True):
        if key in options:
            options[key] = value
        else:
            extra += [key, value]
    if "--to" not in extra and "--slack-channel" not in extra:
        extra += ["--to", "anna@nordwind.example"]
    flat = [x for kv in options.items() for x in kv]
    proc = mercurios(demo_warehouse, tmp_path, "subscribe", *flat, *extra)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("error: ") and message in line, line
    assert "Traceback" not in proc.stderr
    assert SubscriptionStore(app_db(tmp_path)).all_active() == ()


def test_listing_an_unknown_tenant_is_an_error_not_an_empty_list(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    proc = mercurios(demo_warehouse, tmp_path, "list", "--tenant", "nordwind-fashon")
    assert proc.returncode == 2 and proc.stderr.strip() == "error: unknown tenant 'nordwind-fashon'"


def test_run_due_with_smtp_down_exits_1_records_the_failure_and_a_later_run_delivers(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    db = app_db(tmp_path)
    TenantRepository(db).create(NORDWIND, "Nordwind Fashion")
    sub = SubscriptionStore(db).create(
        NORDWIND,
        "anna",
        SubscriptionRequest(cron="0 7 * * 1", recipients=("anna@nordwind.example",)),
        now=dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC),
    )
    dead = free_port()
    down = mercurios(demo_warehouse, tmp_path, "run-due", "--now", "2026-03-23T07:00Z", smtp_port=dead)
    assert down.returncode == 1, (down.stdout, down.stderr)
    assert (
        f"{sub.subscription_id}  2026-03-23T06:00Z  failed  could not deliver via 127.0.0.1:{dead}"
        in down.stdout
    )
    assert "1 digest(s) handled, 0 sent" in down.stdout
    assert "error: 1 digest(s) could not be delivered" in down.stderr and "retries" in down.stderr
    status = SqlClaimStore(db.engine).status(sub.subscription_id, "2026-03-23T06:00Z")
    assert status is not None and status[:2] == ("failed", 1)  # recorded, not lost

    with running_inbox() as (inbox, port):
        early = mercurios(demo_warehouse, tmp_path, "run-due", "--now", "2026-03-23T07:01Z", smtp_port=port)
        assert early.returncode == 0 and "0 digest(s) handled" in early.stdout  # still backing off
        later = mercurios(demo_warehouse, tmp_path, "run-due", "--now", "2026-03-23T07:10Z", smtp_port=port)
        assert later.returncode == 0, later.stderr
        assert "1 digest(s) handled, 1 sent" in later.stdout
        again = mercurios(demo_warehouse, tmp_path, "run-due", "--now", "2026-03-23T09:00Z", smtp_port=port)
        assert "0 digest(s) handled" in again.stdout
    assert [r for r, _ in inbox.messages] == [["anna@nordwind.example"]]
    bad = mercurios(demo_warehouse, tmp_path, "run-due", "--now", "next monday")
    assert bad.returncode == 2 and "--now must be an ISO date-time" in bad.stderr
