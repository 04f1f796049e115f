"""`run_due` end to end on the app database (SQLite and PostgreSQL) with a real SMTP server on
loopback (aiosmtpd) counting what arrives: racing schedulers send each digest once, a crashed
claim is retried after its lease, failures are recorded and retried, no data means no email, and a
tampered subscription never reaches another tenant's data or anyone but its own recipients."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.digests.report_source import SemanticReportSource
from assistant.channels.digests.run_due import DigestRunner, SmtpTransport
from assistant.channels.digests.smtp_delivery import SmtpConfig
from assistant.channels.digests.unsubscribe import unsubscribe_url
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.digests.subscriptions import Subscription, SubscriptionRequest, SubscriptionStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import DigestSubscriptionRow
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import drop_postgres_database, postgres_database
from tests.assistant.digests.smtp_inbox import Inbox, free_port, running_inbox
from tests.demo import DemoWarehouse

NORDWIND, ALPIN = "nordwind-fashion", "alpin-sport"
CREATED = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 23, 7, tzinfo=dt.UTC)  # Monday 08:00 in Berlin: 07:00 fired at 06:00Z
PERIOD = "2026-03-23T06:00Z"
SECRET = b"test-unsubscribe-secret"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as served:
        yield served


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, layer: SemanticLayer) -> Iterator[Database]:
    admin_url = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        pg = postgres_database()
        if pg is None:
            pytest.skip("!!! PostgreSQL UNREACHABLE — run-due exactly-once on PostgreSQL NOT tested !!!")
        url, admin_url = pg
    database = Database(url)
    database.migrate()
    TenantRepository(database).seed_from_directory(WarehouseTenantDirectory(layer.warehouse).all())
    yield database
    database.dispose()
    if admin_url is not None:
        drop_postgres_database(url, admin_url)


def runner(db: Database, layer: SemanticLayer, port: int, **extra: Any) -> DigestRunner:
    return DigestRunner(
        subscriptions=SubscriptionStore(db),
        claims=SqlClaimStore(db.engine),
        source=SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse)),
        transport=SmtpTransport(
            SmtpConfig(host="127.0.0.1", port=port, retries=1, backoff_s=0.01, timeout_s=3)
        ),
        sender="digest@mercurios.local",
        ask_link=AskLinks("http://127.0.0.1:8000", SECRET),
        unsubscribe_link=lambda s: unsubscribe_url(
            "http://127.0.0.1:8000", SECRET, s.tenant_id, s.subscription_id
        ),
        **extra,
    )


def subscribe(db: Database, tenant: str, recipients: tuple[str, ...], **extra: Any) -> Subscription:
    request = SubscriptionRequest(cron="0 7 * * 1", timezone="Europe/Berlin", recipients=recipients, **extra)
    return SubscriptionStore(db).create(tenant, "anna", request, now=CREATED)


def test_two_racing_schedulers_send_each_digest_exactly_once(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    a = subscribe(db, NORDWIND, ("anna@nordwind.example",))
    b = subscribe(db, ALPIN, ("ben@alpin.example",))
    runners = [runner(db, layer, port), runner(db, layer, port)]
    threads = [threading.Thread(target=r.run_due, args=(NOW,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0][0] for r in inbox.messages) == ["anna@nordwind.example", "ben@alpin.example"]
    claims = SqlClaimStore(db.engine)
    assert claims.status(a.subscription_id, PERIOD)[0] == "sent"  # type: ignore[index]
    assert claims.status(b.subscription_id, PERIOD)[0] == "sent"  # type: ignore[index]
    # A third run (and a later one) sends nothing more.
    assert runner(db, layer, port).run_due(NOW + dt.timedelta(hours=2)).outcomes == ()
    assert len(inbox.messages) == 2


def test_a_crash_between_claim_and_send_is_retried_after_the_lease_not_doubled(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    sub = subscribe(db, NORDWIND, ("anna@nordwind.example",))
    claims = SqlClaimStore(db.engine)
    assert claims.claim(sub.subscription_id, PERIOD, NORDWIND, "crashed-worker", lease_s=600, now=NOW)
    assert runner(db, layer, port).run_due(NOW + dt.timedelta(seconds=599)).outcomes == ()
    assert inbox.messages == []
    summary = runner(db, layer, port).run_due(NOW + dt.timedelta(seconds=601))
    assert [o.status for o in summary.outcomes] == ["sent"]
    assert claims.status(sub.subscription_id, PERIOD)[:2] == ("sent", 2)  # type: ignore[index]
    runner(db, layer, port).run_due(NOW + dt.timedelta(hours=5))
    assert len(inbox.messages) == 1


def test_unreachable_smtp_is_recorded_and_retried_on_a_later_run(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    sub = subscribe(db, NORDWIND, ("anna@nordwind.example",))
    dead = runner(db, layer, free_port(), retry_backoff_s=60)
    [failed] = dead.run_due(NOW).outcomes
    assert failed.status == "failed" and "after 2 attempts" in failed.detail
    status = SqlClaimStore(db.engine).status(sub.subscription_id, PERIOD)
    assert status is not None and status[0] == "failed" and status[1] == 1
    assert runner(db, layer, port).run_due(NOW + dt.timedelta(seconds=30)).outcomes == ()  # backoff
    [sent] = runner(db, layer, port).run_due(NOW + dt.timedelta(seconds=61)).outcomes
    assert sent.status == "sent" and len(inbox.messages) == 1


def test_a_bouncing_recipient_is_recorded_not_retried(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    subscribe(db, NORDWIND, ("bounce@nordwind.example",))
    [outcome] = runner(db, layer, port).run_due(NOW).outcomes
    assert outcome.status == "bounced" and "bounce@" in outcome.detail
    assert runner(db, layer, port).run_due(NOW + dt.timedelta(days=1)).outcomes == ()
    assert inbox.messages == []


def test_a_tenant_with_no_data_for_the_period_gets_no_email_and_a_record(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    sub = SubscriptionStore(db).create(
        NORDWIND,
        "anna",
        SubscriptionRequest(
            cron="0 7 * * 1", timezone="Europe/Berlin", recipients=("anna@nordwind.example",)
        ),
        now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    [outcome] = runner(db, layer, port).run_due(dt.datetime(2030, 1, 7, 7, tzinfo=dt.UTC)).outcomes
    assert outcome.status == "no_data" and "no sales" in outcome.detail
    assert inbox.messages == []
    assert SqlClaimStore(db.engine).history(NORDWIND, sub.subscription_id)[0].status == "no_data"


def test_a_tampered_subscription_reaches_only_its_tenants_data_and_its_own_recipients(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    a = subscribe(db, NORDWIND, ("anna@nordwind.example",))
    subscribe(db, ALPIN, ("ben@alpin.example",))
    alpin_stores = sorted(
        SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse)).values(ALPIN).stores
    )
    with db.session() as s:  # edited behind the API's back: foreign focus, a smuggled header
        s.execute(
            update(DigestSubscriptionRow)
            .where(DigestSubscriptionRow.subscription_id == a.subscription_id)
            .values(
                focus_stores=alpin_stores[:2],
                recipients=["anna@nordwind.example", "x@y.example\r\nBcc: ben@alpin.example"],
            )
        )
    summary = runner(db, layer, port).run_due(NOW)
    assert sorted(o.status for o in summary.outcomes) == ["sent", "sent"]
    by_rcpt = {tuple(r): m for r, m in inbox.parsed()}
    assert set(by_rcpt) == {("anna@nordwind.example",), ("ben@alpin.example",)}
    nordwind = by_rcpt[("anna@nordwind.example",)]
    assert nordwind["X-Mercurios-Tenant"] == NORDWIND and "Bcc" not in nordwind
    text = nordwind.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = nordwind.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for store in alpin_stores:
        assert store not in text and store not in html
    assert "Nordwind" in text
    [record] = SqlClaimStore(db.engine).history(NORDWIND, a.subscription_id)
    assert "ignored focus values" in record.detail and "dropped invalid recipient" in record.detail
    assert SqlClaimStore(db.engine).history(ALPIN, a.subscription_id) == ()
