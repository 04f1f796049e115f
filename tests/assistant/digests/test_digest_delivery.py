"""A digest sent to a real SMTP server on loopback (aiosmtpd), parsed as a recipient's client would;
bad schedules, a dead server and a bouncing recipient; exactly-once claims on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.digests.render import build_message, render_digest
from assistant.channels.digests.smtp_delivery import SmtpConfig, send_message
from assistant.core.insights.report import build_report
from assistant.core.insights.selection import plan_digest
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.digests.errors import DeliveryError, InvalidScheduleError, RecipientRejectedError
from assistant.runtime.digests.schedule import Schedule, due_runs
from assistant.runtime.persistence.database import Database
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.assistant.api.api_harness import drop_postgres_database, postgres_database
from tests.assistant.digests.smtp_inbox import Inbox, free_port, running_inbox
from tests.demo import DemoWarehouse


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as served:
        yield served


@pytest.fixture(scope="module")
def nordwind_message(demo_warehouse: DemoWarehouse) -> tuple[EmailMessage, Any]:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    report = build_report(
        sl, WarehouseTenantDirectory(sl.warehouse).get("nordwind-fashion"), dt.date(2026, 3, 23)
    )
    digest = render_digest(
        report,
        ask_link=AskLinks("http://127.0.0.1:8000", b"delivery-test-secret"),
        unsubscribe_url="http://127.0.0.1:8000/u/tok",
    )
    return build_message(
        digest, sender="digest@mercurios.local", recipients=("anna@nordwind.example",)
    ), report


def test_the_received_digest_has_both_alternatives_inline_charts_and_headers(
    smtp: tuple[Inbox, int], nordwind_message: tuple[EmailMessage, Any]
) -> None:
    inbox, port = smtp
    msg, report = nordwind_message
    result = send_message(msg, ("anna@nordwind.example",), SmtpConfig(host="127.0.0.1", port=port, retries=0))
    assert result.accepted == ("anna@nordwind.example",)
    [(rcpts, raw)] = inbox.messages
    got = email.message_from_bytes(raw, policy=email.policy.default)
    assert rcpts == ["anna@nordwind.example"]
    assert got.get_content_type() == "multipart/alternative"
    assert got["List-Unsubscribe"] == "<http://127.0.0.1:8000/u/tok>"
    plain = got.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = got.get_body(("html",)).get_content()  # type: ignore[union-attr]
    images = [p for p in got.walk() if p.get_content_type() == "image/png"]
    assert images and all(p.get_payload(decode=True)[:8] == b"\x89PNG\r\n\x1a\n" for p in images)
    for image in images:
        assert f"cid:{image['Content-ID'].strip('<>')}" in html
    for insight in plan_digest(report).cards:
        assert insight.headline in plain
    assert "http://127.0.0.1:8000/ask?tenant=nordwind-fashion&q=" in plain and "Unsubscribe" in html
    for foreign in ("Alpin", "Casa Living"):
        assert foreign not in plain and foreign not in html


def test_a_dead_smtp_server_is_retried_with_backoff_then_a_clear_error(
    nordwind_message: tuple[EmailMessage, Any],
) -> None:
    waits: list[float] = []
    cfg = SmtpConfig(host="127.0.0.1", port=free_port(), retries=2, backoff_s=0.5, timeout_s=2)
    with pytest.raises(DeliveryError, match="after 3 attempts"):
        send_message(nordwind_message[0], ("a@b.example",), cfg, sleep=waits.append)
    assert waits == [0.5, 1.0]


def test_a_server_that_comes_back_gets_the_digest_on_a_later_attempt(
    nordwind_message: tuple[EmailMessage, Any],
) -> None:
    """The first two attempts find nothing listening; during the second wait the server starts."""
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            controller.start()

    cfg = SmtpConfig(host="127.0.0.1", port=port, retries=3, backoff_s=0.25, timeout_s=2)
    try:
        result = send_message(nordwind_message[0], ("anna@nordwind.example",), cfg, sleep=wait)
    finally:
        controller.stop()
    assert result.attempts == 3 and result.accepted == ("anna@nordwind.example",)
    assert waits == [0.25, 0.5] and [r for r, _ in inbox.messages] == [["anna@nordwind.example"]]


def test_a_bouncing_recipient_is_not_retried(
    smtp: tuple[Inbox, int], nordwind_message: tuple[EmailMessage, Any]
) -> None:
    inbox, port = smtp
    with pytest.raises(RecipientRejectedError, match="bounce@"):
        send_message(nordwind_message[0], ("bounce@x.example",), SmtpConfig(host="127.0.0.1", port=port))
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("cron", "tz"), [("61 7 * * 1", "Europe/Berlin"), ("0 7 * * 1", "Mars/Olympus"), ("daily", "UTC")]
)
def test_invalid_schedules_are_refused_clearly(cron: str, tz: str) -> None:
    with pytest.raises(InvalidScheduleError):
        Schedule(cron, tz)


def test_mondays_at_seven_in_berlin_follow_daylight_saving() -> None:
    runs = due_runs(
        Schedule("0 7 * * 1", "Europe/Berlin"),
        dt.datetime(2026, 3, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
    )
    assert [r.fire_at.hour for r in runs] == [6, 5] and [r.as_of for r in runs] == [
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 30),
    ]


def _engines() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.mark.parametrize("backend", _engines())
def test_racing_schedulers_claim_each_digest_once_and_a_crashed_claim_is_retried_after_its_lease(
    backend: str, tmp_path: Any
) -> None:
    admin_url = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'claims.db'}"
    else:
        pg = postgres_database()
        if pg is None:
            pytest.skip("!!! PostgreSQL UNREACHABLE — exactly-once claims on PostgreSQL NOT tested !!!")
        url, admin_url = pg
    db = Database(url)
    db.migrate()
    engine = db.engine
    store = SqlClaimStore(engine)
    now = dt.datetime(2026, 3, 23, 6, tzinfo=dt.UTC)
    wins: list[str] = []

    def scheduler(name: str) -> None:
        for sub in ("s1", "s2", "s3"):
            if store.claim(sub, "2026-03-23T06:00Z", "nordwind-fashion", name, lease_s=60, now=now):
                wins.append(sub)

    threads = [threading.Thread(target=scheduler, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == ["s1", "s2", "s3"]
    # s1's holder "crashed": before the lease ends nobody may take it, after it exactly one does.
    assert store.claim("s1", "2026-03-23T06:00Z", "nordwind-fashion", "late", lease_s=60, now=now) is None
    later = now + dt.timedelta(seconds=61)
    taken = store.claim("s1", "2026-03-23T06:00Z", "nordwind-fashion", "rescuer", lease_s=60, now=later)
    assert taken is not None
    assert store.claim("s1", "2026-03-23T06:00Z", "nordwind-fashion", "other", lease_s=60, now=later) is None
    store.finish(taken, status="sent", now=later)
    assert store.status("s1", "2026-03-23T06:00Z") == ("sent", 2, "")
    far = later + dt.timedelta(days=1)
    assert store.claim("s1", "2026-03-23T06:00Z", "nordwind-fashion", "again", lease_s=60, now=far) is None
    db.dispose()
    if admin_url is not None:
        drop_postgres_database(url, admin_url)
