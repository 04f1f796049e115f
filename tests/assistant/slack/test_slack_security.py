"""Acceptance 2: signatures, the 5-minute window, replays, retries, unlinked workspaces, isolation."""

from __future__ import annotations

import json
import time

import httpx

from tests.assistant.slack.conftest import ADMIN_TOKEN, ALPIN, NORDWIND, SlackService
from tests.assistant.slack.slack_harness import (
    FORM,
    JSON,
    action_body,
    command_body,
    event_body,
    post_signed,
    sign,
)
from tests.assistant.slack.slack_stub import Call, blocks_of


def _texts(service: SlackService, channel: str) -> list[str]:
    calls = service.stub.of("chat.postMessage") + service.stub.of("chat.update")
    return [str(c.params.get("text")) for c in calls if c.params.get("channel") == channel]


def _final(service: SlackService, channel: str) -> Call:
    def done(c: Call) -> bool:
        return c.params.get("channel") == channel and "mercurios_answer_actions" in json.dumps(blocks_of(c))

    service.stub.wait_for(lambda s: any(done(c) for c in s.of("chat.update")))
    return [c for c in service.stub.of("chat.update") if done(c)][-1]


def test_bad_signature_stale_timestamp_and_replay_are_rejected(slack_service: SlackService) -> None:
    body = command_body("TAAA", "net sales", channel="CSEC1")
    with slack_service.server.client() as client:
        now = int(time.time())
        forged = {
            "content-type": FORM,
            "x-slack-request-timestamp": str(now),
            "x-slack-signature": sign(body, now, "wrong"),
        }
        assert client.post("/slack/events", content=body, headers=forged).status_code == 401
        unsigned = client.post("/slack/events", content=body, headers={"content-type": FORM})
        assert unsigned.status_code == 401
        stale = post_signed(client, body, FORM, timestamp=now - 6 * 60)
        assert stale.status_code == 401
        tampered = {
            "content-type": FORM,
            "x-slack-request-timestamp": str(now),
            "x-slack-signature": sign(body, now),
        }
        assert client.post("/slack/events", content=body + b"&x=1", headers=tampered).status_code == 401
        ok = post_signed(client, body, FORM, timestamp=now)
        assert ok.status_code == 200
        replay = post_signed(client, body, FORM, timestamp=now)
        assert replay.status_code == 401 and "replayed" in replay.text
    slack_service.stub.wait_for(lambda s: any("Thinking" in t for t in _texts(slack_service, "CSEC1")))
    time.sleep(0.5)
    asked = [t for t in _texts(slack_service, "CSEC1") if "asked" in t]
    assert len(asked) == 1, "the forged, stale and replayed requests produced nothing"


def test_a_retried_event_is_answered_once(slack_service: SlackService) -> None:
    event = {
        "type": "app_mention",
        "channel": "CSEC2",
        "user": "U1",
        "text": "<@UBOT> units sold",
        "ts": "1700000200.000001",
    }
    body = event_body("TAAA", event, event_id="EvRETRY0001")
    with slack_service.server.client() as client:
        assert post_signed(client, body, JSON).status_code == 200
        time.sleep(1.1)  # a new timestamp, so a new signature: this is Slack's retry, not a replay
        retry = post_signed(
            client, body, JSON, extra={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
        )
        assert retry.status_code == 200
    _final(slack_service, "CSEC2")
    time.sleep(1.0)
    posted = [c for c in slack_service.stub.of("chat.postMessage") if c.params.get("channel") == "CSEC2"]
    assert len(posted) == 2, "one thinking message and one table: the retry was dropped"
    assert sum("Thinking" in str(c.params.get("text")) for c in posted) == 1


def test_an_unlinked_workspace_gets_a_friendly_reply_and_no_data(slack_service: SlackService) -> None:
    with slack_service.server.client() as client:
        r = post_signed(client, command_body("TCCC", "net sales by store", channel="CSEC3"), FORM)
        assert r.status_code == 200
        ev = {
            "type": "app_mention",
            "channel": "CSEC3",
            "user": "U1",
            "text": "<@UBOT> net sales",
            "ts": "1700000300.000001",
        }
        assert post_signed(client, event_body("TCCC", ev), JSON).status_code == 200
    slack_service.stub.wait_for(
        lambda s: sum("isn't connected" in t for t in _texts(slack_service, "CSEC3")) == 2
    )
    time.sleep(0.5)
    calls = [
        c for c in slack_service.stub.calls if c.params.get("channel") == "CSEC3" or c.method == "upload"
    ]
    sent = json.dumps([c.params for c in calls if c.params.get("channel") == "CSEC3"])
    assert "table" not in sent and "SELECT" not in sent and "Thinking" not in sent
    assert all(c.token == "xoxb-TCCC" for c in calls if c.params.get("channel") == "CSEC3")


def test_workspace_a_never_sees_tenant_b(slack_service: SlackService) -> None:
    stub, services = slack_service.stub, slack_service.services
    with slack_service.server.client() as client:
        # A names B's tenant in the question: the tenant still comes from A's link only.
        r = post_signed(
            client, command_body("TAAA", "net sales for tenant alpin-sport by store", channel="CISO"), FORM
        )
        assert r.status_code == 200
        stub.wait_for(
            lambda s: any(
                c.params.get("channel") == "CISO" and "Thinking" not in str(c.params.get("text"))
                for c in s.of("chat.update")
            )
        )
        # B answers something; A then clicks B's buttons (the value names B's conversation and turn).
        ev = {
            "type": "app_mention",
            "channel": "CISOB",
            "user": "U9",
            "text": "<@UBOT> net sales",
            "ts": "1700000400.000001",
        }
        assert post_signed(client, event_body("TBBB", ev), JSON).status_code == 200
        b_final = _final(slack_service, "CISOB")
        assert b_final.token == "xoxb-TBBB"
        b_value = next(
            e["value"]
            for b in blocks_of(b_final)
            for e in b.get("elements", [])
            if e.get("action_id") == "mercurios_show_sql"
        )
        assert services.conversations.info(ALPIN, json.loads(b_value)["c"]) is not None
        before = services.feedback.count(NORDWIND), services.feedback.count(ALPIN)
        for action in ("mercurios_show_sql", "mercurios_feedback_up"):
            r = post_signed(
                client,
                action_body(
                    "TAAA",
                    action,
                    b_value,
                    channel="CISO",
                    thread_ts="1",
                    response_url=f"{stub.url}/response/iso",
                ),
                FORM,
            )
            assert r.status_code == 200
        stub.wait_for(
            lambda s: len([c for c in s.of("response") if "can't find" in str(c.params.get("text"))]) >= 2
        )
    to_a = [
        c.params for c in stub.calls if c.token == "xoxb-TAAA" and "asked:" not in str(c.params.get("text"))
    ]
    assert "alpin" not in json.dumps(to_a).lower()  # (the echo of A's own question aside)
    assert any("your own company" in str(p.get("text")) for p in to_a if p.get("channel") == "CISO")
    assert not any("table" in json.dumps(p.get("blocks") or "") for p in to_a if p.get("channel") == "CISO")
    assert (services.feedback.count(NORDWIND), services.feedback.count(ALPIN)) == before
    # The admin links A's channel to B explicitly: only then does that channel see B.
    with httpx.Client(base_url=slack_service.server.url) as admin:
        r = admin.put(
            "/v1/admin/slack/links",
            json={"team_id": "TAAA", "tenant_id": ALPIN, "channel_id": "CBRAND"},
            headers={"X-Admin-Token": "nope"},
        )
        assert r.status_code == 403
        r = admin.put(
            "/v1/admin/slack/links",
            json={"team_id": "TAAA", "tenant_id": ALPIN, "channel_id": "CBRAND"},
            headers={"X-Admin-Token": ADMIN_TOKEN},
        )
        assert r.status_code == 200
    from assistant.channels.slack.links import WorkspaceLinks

    links = WorkspaceLinks(services.db, services.tenants)
    assert links.resolve("TAAA", "CBRAND") == ALPIN and links.resolve("TAAA", "CISO") == NORDWIND
    assert links.resolve("TCCC", "CBRAND") is None
    links.unlink("TAAA", "CBRAND")


def test_per_workspace_rate_limit_answers_in_plain_words(slack_service: SlackService) -> None:
    """The channel's own limiter (2 a minute here): the third question is refused politely."""
    import asyncio

    from assistant.channels.slack.answering import SlackChannel, SlackQuestion, answer_question
    from assistant.channels.slack.bolt_app import web_client
    from assistant.channels.slack.links import WorkspaceLinks
    from assistant.channels.slack.threads import ThreadConversations
    from assistant.runtime.engine_runner import EngineRunner
    from assistant.runtime.rate_limits import RateLimiter

    services = slack_service.services
    runner = EngineRunner(services, max_workers=2)
    channel = SlackChannel(
        services,
        runner,
        WorkspaceLinks(services.db, services.tenants),
        ThreadConversations(services.db),
        RateLimiter(2, namespace="t"),
    )

    async def ask_three() -> None:
        client = web_client(services.settings, "xoxb-TAAA")
        for i in range(3):
            await answer_question(
                channel,
                client,
                SlackQuestion("TAAA", "CRATE", "U1", "units sold", f"17000009{i}.000001", "mention"),
            )

    try:
        asyncio.run(ask_three())
    finally:
        runner.shutdown()
    texts = _texts(slack_service, "CRATE")
    assert sum("Thinking" in t for t in texts if t == ":hourglass_flowing_sand: Thinking…") == 2
    assert any("a lot of questions from this workspace" in t for t in texts)


def test_a_non_numeric_timestamp_header_is_a_401_not_a_crash(slack_service: SlackService) -> None:
    """Issue 19, finding 4: `str.isdigit` accepts '²' and other digits `int()` refuses."""
    body = command_body("TAAA", "net sales", channel="CSEC9")
    with slack_service.server.client() as client:
        # header bytes are read as Latin-1: b"\xb2" arrives as '²', which isdigit() accepts
        for timestamp in (b"\xb2", b"\xb9\xb2\xb3", "١٧٠٠".encode(), b"1e9", b"-5", b"", b"9" * 40):
            headers = {
                "content-type": FORM.encode(),
                "x-slack-request-timestamp": timestamp,
                "x-slack-signature": b"v0=" + b"0" * 64,
            }
            r = client.post("/slack/events", content=body, headers=headers)
            assert r.status_code == 401, (timestamp, r.status_code, r.text)
            assert "signature" in r.json()["error"]
