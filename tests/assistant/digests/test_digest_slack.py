"""Slack digests end to end: `run_due` posts through slack-sdk to a loopback Slack Web API stub
(real HTTP) and we read what it received — the Block Kit message, the chart uploads — and what
was recorded on the claim. Slack's errors are recorded and retried or not as they deserve, nothing
is posted twice, and a channel that is not the subscription's tenant's never gets its digest."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import update

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.digests.report_source import SemanticReportSource
from assistant.channels.digests.run_due import DigestRunner, SmtpTransport
from assistant.channels.digests.smtp_delivery import SmtpConfig
from assistant.channels.digests.unsubscribe import unsubscribe_url, verify_unsubscribe
from assistant.channels.slack.digest_delivery import SlackDigestSender
from assistant.channels.slack.installation_store import SqlInstallationStore
from assistant.channels.slack.links import WorkspaceLinks
from assistant.core.answering.formatting import format_value
from assistant.core.insights.selection import plan_digest
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.digests.slack_targets import SlackTargets
from assistant.runtime.digests.subscriptions import Subscription, SubscriptionRequest, SubscriptionStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import DigestSubscriptionRow
from assistant.runtime.persistence.secret_box import SecretBox
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from guardrails.errors import UserError
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import drop_postgres_database, postgres_database
from tests.assistant.digests.smtp_inbox import free_port
from tests.assistant.slack.slack_stub import Call, SlackStub, blocks_of
from tests.demo import DemoWarehouse

NORDWIND, ALPIN = "nordwind-fashion", "alpin-sport"
CREATED = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 23, 7, tzinfo=dt.UTC)  # Monday 08:00 Berlin: the 07:00 firing is due
PERIOD = "2026-03-23T06:00Z"
SECRET = b"test-unsubscribe-secret"
BOX = SecretBox(b"test-key-material-for-sealing-bot-tokens")
BASE = "http://127.0.0.1:8000"
NORD_CHANNEL, ALPIN_CHANNEL = "C0NORD0001", "C0ALPIN001"


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture
def stub() -> Iterator[SlackStub]:
    server = SlackStub()
    yield server
    server.close()


def _setup(url: str, layer: SemanticLayer) -> Database:
    database = Database(url)
    database.migrate()
    tenants = TenantRepository(database)
    tenants.seed_from_directory(WarehouseTenantDirectory(layer.warehouse).all())
    installs = SqlInstallationStore(database, BOX)
    for team in ("TAAA0001", "TBBB0001"):  # installed through OAuth in real life: one bot per workspace
        installs.save_bot(
            Bot(team_id=team, bot_token=f"xoxb-{team}", bot_id="B1", bot_user_id="UBOT", installed_at=0.0)
        )
    links = WorkspaceLinks(database, tenants)
    links.link("TAAA0001", NORDWIND)
    links.link("TBBB0001", ALPIN)
    return database


@pytest.fixture
def db(tmp_path: Path, layer: SemanticLayer) -> Iterator[Database]:
    database = _setup(f"sqlite:///{tmp_path / 'app.db'}", layer)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path, layer: SemanticLayer) -> Iterator[Database]:
    admin_url = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        pg = postgres_database()
        if pg is None:
            pytest.skip("!!! PostgreSQL UNREACHABLE — Slack digest exactly-once on PostgreSQL NOT tested !!!")
        url, admin_url = pg
    database = _setup(url, layer)
    yield database
    database.dispose()
    if admin_url is not None:
        drop_postgres_database(url, admin_url)


def runner(
    db: Database, layer: SemanticLayer, api_url: str, sleeps: Sleeps | None = None, **extra: Any
) -> DigestRunner:
    sender_options = {k: extra.pop(k) for k in ("retries", "bot_token") if k in extra}
    return DigestRunner(
        subscriptions=SubscriptionStore(db),
        claims=SqlClaimStore(db.engine),
        source=SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse)),
        transport=SmtpTransport(SmtpConfig(host="127.0.0.1", port=free_port(), retries=0, timeout_s=1)),
        sender="digest@mercurios.local",
        ask_link=AskLinks(BASE, SECRET),
        unsubscribe_link=lambda s: unsubscribe_url(BASE, SECRET, s.tenant_id, s.subscription_id),
        slack=SlackDigestSender(
            db,
            box=BOX,
            api_url=api_url,
            backoff_s=0.01,
            timeout_s=3,
            sleep=sleeps or Sleeps(),
            **sender_options,
        ),
        **extra,
    )


def subscribe(db: Database, tenant: str, team: str, channel: str) -> Subscription:
    request = SubscriptionRequest(
        cron="0 7 * * 1", timezone="Europe/Berlin", channel="slack", slack_channel=channel, slack_team=team
    )
    return SubscriptionStore(db).create(tenant, "anna", request, now=CREATED)


def posts(stub: SlackStub) -> list[Call]:
    return stub.of("chat.postMessage")


def status(db: Database, sub: Subscription) -> tuple[str, int, str]:
    found = SqlClaimStore(db.engine).status(sub.subscription_id, PERIOD)
    assert found is not None
    return found


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_a_slack_digest_is_block_kit_with_the_insights_numbers_links_and_its_charts(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    [outcome] = runner(db, layer, stub.api_url).run_due(NOW).outcomes
    assert outcome.status == "sent", outcome.detail
    assert f"posted to Slack channel {NORD_CHANNEL}" in outcome.detail and "chart(s)" in outcome.detail

    [auth] = stub.of("auth.test")
    assert auth.token == "xoxb-TAAA0001"  # the bot of the linked workspace
    [post] = posts(stub)
    assert post.params["channel"] == NORD_CHANNEL and post.token == "xoxb-TAAA0001"
    blocks = blocks_of(post)
    assert blocks[0]["type"] == "header" and "Nordwind" in blocks[0]["text"]["text"]
    report = SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse)).report(
        NORDWIND, NOW.date(), "week"
    )
    shown = plan_digest(report).cards
    assert blocks[2]["text"]["text"].startswith(f"{report.tenant_name}, {report.period.label}: ")  # summary
    sections = [b for b in blocks if b["type"] == "section" and "Open in the Mercurios widget" in str(b)]
    assert len(sections) == len(shown)
    for insight, block in zip(shown, sections, strict=True):
        ask = blocks[blocks.index(block) + 1]  # the button that asks it in the digest's thread
        assert ask["type"] == "actions" and ask["elements"][0]["text"]["text"] == "Ask about this"
        assert ask["elements"][0]["value"] == (insight.question or insight.headline)
        text = block["text"]["text"]
        assert insight.severity.value.upper() in text
        assert insight.headline.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in text
        assert f"<{BASE}/ask?tenant={NORDWIND}&q=" in text  # opens the assistant with the question
        shown_figures = [f for f in insight.figures[:6] if f.value is not None]
        assert len(block.get("fields", [])) == len(shown_figures)
    # The week's figures first, formatted for the tenant: net sales as the semantic layer has them.
    [glance] = [b for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*At a glance*")]
    assert report.headline is not None
    net = report.headline.figure("net_sales")
    assert net.current is not None
    amount = format_value(round(net.current, 2), "currency", locale=report.locale, currency=report.currency)
    assert glance["fields"][0]["text"].startswith(f"*Net sales*\n{amount}\n")
    assert blocks.index(glance) < blocks.index(sections[0])
    footer = blocks[-1]["elements"][0]["text"]
    assert "Unsubscribe" in footer
    link = footer.split("<", 1)[1].split("|", 1)[0]
    query = dict(p.split("=", 1) for p in link.split("?", 1)[1].split("&"))
    assert query["tenant"] == NORDWIND and query["s"] == sub.subscription_id
    assert verify_unsubscribe(SECRET, NORDWIND, sub.subscription_id, query["t"])
    # Only this tenant's data: none of Alpin's store names anywhere in the message.
    alpin = SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse)).values(ALPIN)
    assert not [s for s in alpin.stores if s in _texts(blocks)]

    # Charts: files upload v2 (URL, bytes, complete) into the message's thread, as PNGs.
    urls = stub.of("files.getUploadURLExternal")
    uploads = stub.of("upload")
    [complete] = stub.of("files.completeUploadExternal")
    charts = [i for i in shown if i.chart is not None][:4]
    assert len(urls) == len(uploads) == len(charts) >= 2
    assert all(b"\x89PNG" in u.raw for u in uploads)
    assert complete.params["channel_id"] == NORD_CHANNEL
    assert complete.params["thread_ts"] == "1700000000.000001"
    assert {f["title"] for f in json.loads(complete.params["files"])} == {c.chart["title"] for c in charts}  # type: ignore[index]

    # Exactly once: later runs post nothing more.
    assert runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(hours=3)).outcomes == ()
    assert len(posts(stub)) == 1 and status(db, sub)[0] == "sent"


def test_two_racing_schedulers_post_a_slack_digest_once(
    any_db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    a = subscribe(any_db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    b = subscribe(any_db, ALPIN, "TBBB0001", ALPIN_CHANNEL)
    runners = [runner(any_db, layer, stub.api_url) for _ in range(2)]
    threads = [threading.Thread(target=r.run_due, args=(NOW,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted((c.params["channel"], c.token) for c in posts(stub)) == [
        (ALPIN_CHANNEL, "xoxb-TBBB0001"),
        (NORD_CHANNEL, "xoxb-TAAA0001"),
    ]
    assert status(any_db, a)[0] == status(any_db, b)[0] == "sent"


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        ("channel_not_found", "does not exist"),
        ("not_in_channel", "/invite @Mercurios"),
        ("is_archived", "archived"),
    ],
)
def test_a_channel_slack_refuses_is_recorded_as_bounced_and_not_retried(
    db: Database, layer: SemanticLayer, stub: SlackStub, error: str, hint: str
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    stub.fail_next("chat.postMessage", NORD_CHANNEL, error)
    [outcome] = runner(db, layer, stub.api_url).run_due(NOW).outcomes
    assert outcome.status == "bounced"
    assert error in outcome.detail and hint in outcome.detail
    assert runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(days=1)).outcomes == ()
    assert len(posts(stub)) == 1  # the refused attempt only
    assert status(db, sub)[:2] == ("bounced", 1)


def test_a_revoked_bot_token_fails_with_a_clear_record_and_is_retried_after_backoff(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    stub.fail_next("auth.test", "", "invalid_auth")
    [failed] = runner(db, layer, stub.api_url, retry_backoff_s=60).run_due(NOW).outcomes
    assert failed.status == "failed"
    assert "invalid_auth" in failed.detail and "reinstall" in failed.detail and "retry after" in failed.detail
    assert posts(stub) == []  # nothing posted with a token Slack refused
    assert runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=30)).outcomes == ()
    [sent] = runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=61)).outcomes
    assert sent.status == "sent" and len(posts(stub)) == 1
    assert status(db, sub)[:2] == ("sent", 2)


def test_ratelimited_is_waited_out_per_retry_after_then_posted_once(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    stub.fail_next("chat.postMessage", NORD_CHANNEL, "ratelimited")
    sleeps = Sleeps()
    [outcome] = runner(db, layer, stub.api_url, sleeps, retries=1).run_due(NOW).outcomes
    assert outcome.status == "sent"
    assert sleeps.delays == [1.0]  # the stub's Retry-After
    assert len(posts(stub)) == 2 and status(db, sub)[:2] == ("sent", 1)  # 429, then the one message


def test_ratelimited_after_the_retries_is_recorded_and_retried_no_sooner_than_retry_after(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    stub.fail_next("chat.postMessage", NORD_CHANNEL, "ratelimited")
    [failed] = runner(db, layer, stub.api_url, retries=0, retry_backoff_s=0.1).run_due(NOW).outcomes
    assert failed.status == "failed" and "ratelimited" in failed.detail and "Retry-After 1 s" in failed.detail
    assert runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=0.5)).outcomes == ()
    [sent] = runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=1.5)).outcomes
    assert sent.status == "sent" and status(db, sub)[:2] == ("sent", 2)
    assert [c.params["channel"] for c in posts(stub)] == [NORD_CHANNEL, NORD_CHANNEL]  # 429 + one message


def test_slack_unreachable_is_recorded_then_delivered_by_a_later_run(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    dead = f"http://127.0.0.1:{free_port()}/api/"
    [failed] = runner(db, layer, dead, retry_backoff_s=60, retries=1).run_due(NOW).outcomes
    assert failed.status == "failed" and "Slack unreachable" in failed.detail
    [sent] = runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=61)).outcomes
    assert sent.status == "sent" and len(posts(stub)) == 1 and status(db, sub)[0] == "sent"


def test_a_failed_chart_upload_keeps_the_posted_message_and_never_posts_it_again(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    stub.fail_next("files.completeUploadExternal", "", "internal_error")
    [outcome] = runner(db, layer, stub.api_url, retries=0).run_due(NOW).outcomes
    assert outcome.status == "sent" and "charts not uploaded" in outcome.detail
    runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(days=1))
    assert len(posts(stub)) == 1 and status(db, sub)[0] == "sent"


def _misdirect(db: Database, sub: Subscription, team: str, channel: str) -> None:
    with db.session() as s:  # edited behind the API's back
        s.execute(
            update(DigestSubscriptionRow)
            .where(DigestSubscriptionRow.subscription_id == sub.subscription_id)
            .values(slack_team_id=team, slack_channel=channel)
        )


def test_a_channel_of_another_tenants_workspace_never_gets_the_digest_either_way(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    nord = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    alpin = subscribe(db, ALPIN, "TBBB0001", ALPIN_CHANNEL)
    _misdirect(db, nord, "TBBB0001", ALPIN_CHANNEL)  # Nordwind's digest aimed at Alpin's workspace
    _misdirect(db, alpin, "TAAA0001", NORD_CHANNEL)  # and the other way round
    outcomes = runner(db, layer, stub.api_url).run_due(NOW).outcomes
    assert sorted(o.status for o in outcomes) == ["refused", "refused"]
    for o in outcomes:
        assert "linked to another tenant" in o.detail
        assert NORDWIND not in o.detail.replace(o.tenant_id, "") and ALPIN not in o.detail.replace(
            o.tenant_id, ""
        )
    assert stub.calls == []  # not even a token was used
    assert runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(days=1)).outcomes == ()
    assert status(db, nord)[0] == "refused" and status(db, alpin)[0] == "refused"


def test_a_channel_linked_to_another_tenant_inside_the_tenants_own_workspace_is_refused(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    links = WorkspaceLinks(db, TenantRepository(db))
    links.link("TAAA0001", ALPIN, "C0SHARED01")  # one channel of Nordwind's workspace serves Alpin
    links.link("TCCC0001", ALPIN, ALPIN_CHANNEL)  # a channel shared into a third workspace
    links.link("TAAA0001", NORDWIND, ALPIN_CHANNEL)  # ... that Nordwind's workspace also links
    nord_shared = subscribe(db, NORDWIND, "TAAA0001", "C0SHARED01")
    nord_cross = subscribe(db, NORDWIND, "TAAA0001", ALPIN_CHANNEL)
    alpin_ok = subscribe(db, ALPIN, "TAAA0001", "C0SHARED01")
    by_sub = {o.subscription_id: o for o in runner(db, layer, stub.api_url).run_due(NOW).outcomes}
    assert by_sub[nord_shared.subscription_id].status == "refused"
    assert by_sub[nord_cross.subscription_id].status == "refused"
    assert "shared with a workspace linked to another tenant" in by_sub[nord_cross.subscription_id].detail
    assert by_sub[alpin_ok.subscription_id].status == "sent"
    [post] = posts(stub)
    assert post.params["channel"] == "C0SHARED01" and "Alpin" in _texts(blocks_of(post))
    assert "Nordwind" not in _texts(blocks_of(post))


def test_a_single_workspace_token_of_another_workspace_is_refused(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    WorkspaceLinks(db, TenantRepository(db)).link("TDDD0001", NORDWIND)  # linked, but no bot installed
    sub = subscribe(db, NORDWIND, "TDDD0001", NORD_CHANNEL)
    [outcome] = runner(db, layer, stub.api_url, bot_token="xoxb-TBBB0001").run_due(NOW).outcomes
    assert outcome.status == "refused" and "belongs to workspace TBBB0001, not to TDDD0001" in outcome.detail
    assert posts(stub) == [] and status(db, sub)[0] == "refused"


def test_no_bot_for_the_workspace_is_a_recorded_failure_that_says_what_to_do(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    WorkspaceLinks(db, TenantRepository(db)).link("TDDD0001", NORDWIND)
    subscribe(db, NORDWIND, "TDDD0001", NORD_CHANNEL)
    [outcome] = runner(db, layer, stub.api_url).run_due(NOW).outcomes
    assert outcome.status == "failed" and "no Slack bot is installed for workspace TDDD0001" in outcome.detail
    assert stub.calls == []


def test_a_digest_runner_without_slack_records_why_and_keeps_the_digest(
    db: Database, layer: SemanticLayer, stub: SlackStub
) -> None:
    sub = subscribe(db, NORDWIND, "TAAA0001", NORD_CHANNEL)
    bare = runner(db, layer, stub.api_url, retry_backoff_s=60)
    bare.slack = None
    [outcome] = bare.run_due(NOW).outcomes
    assert outcome.status == "failed" and "Slack delivery is not configured" in outcome.detail
    [sent] = runner(db, layer, stub.api_url).run_due(NOW + dt.timedelta(seconds=61)).outcomes
    assert sent.status == "sent" and status(db, sub)[:2] == ("sent", 2)


def test_subscribing_checks_the_channels_workspace_belongs_to_the_tenant(db: Database) -> None:
    targets = SlackTargets(db)
    assert targets.team_for(NORDWIND, NORD_CHANNEL, None) == "TAAA0001"  # its only workspace
    assert targets.team_for(ALPIN, ALPIN_CHANNEL, "TBBB0001") == "TBBB0001"
    with pytest.raises(UserError, match="linked to another tenant") as refused:
        targets.team_for(NORDWIND, ALPIN_CHANNEL, "TBBB0001")
    assert refused.value.code == "slack_channel_not_linked"
    with pytest.raises(UserError, match="not linked to any tenant"):
        targets.team_for(NORDWIND, NORD_CHANNEL, "TZZZ0001")
    WorkspaceLinks(db, TenantRepository(db)).link("TDDD0001", NORDWIND)
    with pytest.raises(UserError, match="several Slack workspaces") as several:
        targets.team_for(NORDWIND, NORD_CHANNEL, None)
    assert "TAAA0001" in several.value.message and "TDDD0001" in several.value.message
