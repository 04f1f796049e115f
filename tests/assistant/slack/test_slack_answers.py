"""Acceptance 1: questions from Slack get threaded answers; thread replies are follow-ups; buttons work."""

from __future__ import annotations

import json
import time

from pydantic import SecretStr

from tests.assistant.slack.conftest import NORDWIND, SlackService
from tests.assistant.slack.slack_harness import FORM, JSON, action_body, command_body, event_body, post_signed
from tests.assistant.slack.slack_stub import Call, blocks_of


def _answer_update(service: SlackService, channel: str) -> Call:
    """The "thinking…" message's last update, once it carries the answer's buttons."""

    def final(c: Call) -> bool:
        return c.params.get("channel") == channel and "mercurios_answer_actions" in str(
            c.params.get("blocks")
        )

    service.stub.wait_for(lambda s: any(final(c) for c in s.of("chat.update")))
    return [c for c in service.stub.of("chat.update") if final(c)][-1]


def _button_value(update: Call, action_id: str) -> str:
    blocks = blocks_of(update)
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {blocks}")


def test_slash_command_acks_fast_then_answers_in_a_thread_with_table_and_chart(
    slack_service: SlackService,
) -> None:
    stub = slack_service.stub
    with slack_service.server.client() as client:
        started = time.monotonic()
        body = command_body(
            "TAAA", "net sales by product", channel="C1", response_url=f"{stub.url}/response/1"
        )
        r = post_signed(client, body, FORM)
        ack_s = time.monotonic() - started
    assert r.status_code == 200
    assert ack_s < 3.0
    update = _answer_update(slack_service, "C1")
    root = next(
        c
        for c in stub.of("chat.postMessage")
        if c.params.get("channel") == "C1" and "asked" in c.params["text"]
    )
    thinking = next(c for c in stub.of("chat.postMessage") if "Thinking" in c.params.get("text", ""))
    assert thinking.params["thread_ts"] and update.params["ts"]
    assert update.token == "xoxb-TAAA"  # the workspace's own bot token from the OAuth install
    assert "Verified metric" in json.dumps(blocks_of(update))
    stub.wait_for(lambda s: any("table" in str(c.params.get("blocks")) for c in s.of("chat.postMessage")))
    table_msg = next(c for c in stub.of("chat.postMessage") if '"type": "table"' in json.dumps(blocks_of(c)))
    table = blocks_of(table_msg)[0]
    assert len(table["rows"]) == 11  # header + the top 10 rows
    thread = thinking.params["thread_ts"]
    assert table_msg.params["thread_ts"] == thread
    stub.wait_for(lambda s: len(s.of("files.completeUploadExternal")) >= 2)
    uploads = stub.of("upload")
    assert any(u.raw.find(b"\x89PNG") >= 0 for u in uploads), "the chart is uploaded as a PNG"
    assert any(b"Net sales" in u.raw or b"net_sales" in u.raw.lower() for u in uploads), "a CSV of all rows"
    completes = stub.of("files.completeUploadExternal")
    assert all(c.params.get("thread_ts") == thread for c in completes[-2:])
    assert root.params["text"].startswith("<@U1> asked")


def test_thread_reply_is_a_follow_up_and_buttons_show_sql_and_store_feedback(
    slack_service: SlackService,
) -> None:
    stub, services = slack_service.stub, slack_service.services
    with slack_service.server.client() as client:
        r = post_signed(
            client,
            event_body(
                "TAAA",
                {
                    "type": "app_mention",
                    "channel": "C2",
                    "user": "U7",
                    "text": "<@UBOT> net sales",
                    "ts": "1700000100.000001",
                },
            ),
            JSON,
        )
        assert r.status_code == 200
        _answer_update(slack_service, "C2")
        r = post_signed(
            client,
            event_body(
                "TAAA",
                {
                    "type": "message",
                    "channel": "C2",
                    "channel_type": "channel",
                    "user": "U7",
                    "text": "and by store?",
                    "ts": "1700000100.000050",
                    "thread_ts": "1700000100.000001",
                },
            ),
            JSON,
        )
        assert r.status_code == 200
        stub.wait_for(
            lambda s: (
                sum(
                    "mercurios_answer_actions" in str(c.params.get("blocks"))
                    for c in s.of("chat.update")
                    if c.params.get("channel") == "C2"
                )
                >= 2
            )
        )
        update = _answer_update(slack_service, "C2")
        value = json.loads(_button_value(update, "mercurios_show_sql"))
        turns = services.conversations.turns(NORDWIND, value["c"])
        assert [t.question for t in turns] == ["net sales", "and by store?"]
        assert turns[1].plan is not None and turns[1].plan.query.metrics == ("net_sales",)  # type: ignore[union-attr]

        sql_value = _button_value(update, "mercurios_show_sql")
        r = post_signed(
            client,
            action_body(
                "TAAA",
                "mercurios_show_sql",
                sql_value,
                channel="C2",
                thread_ts="1700000100.000001",
                response_url=f"{stub.url}/response/2",
            ),
            FORM,
        )
        assert r.status_code == 200
        stub.wait_for(
            lambda s: any("SQL as executed" in str(c.params.get("text")) for c in s.of("chat.postEphemeral"))
        )
        shown = next(
            c for c in stub.of("chat.postEphemeral") if "SQL as executed" in str(c.params.get("text"))
        )
        assert "nordwind-fashion" in shown.params["text"] and "SELECT" in shown.params["text"].upper()

        before = services.feedback.count(NORDWIND)
        r = post_signed(
            client,
            action_body(
                "TAAA",
                "mercurios_feedback_down",
                sql_value,
                channel="C2",
                thread_ts="1700000100.000001",
                response_url=f"{stub.url}/response/3",
            ),
            FORM,
        )
        assert r.status_code == 200
        stub.wait_for(lambda s: services.feedback.count(NORDWIND) == before + 1)
        records = services.audit.records(NORDWIND, limit=5)
        assert any(rec.action == "feedback" and rec.detail["rating"] == "down" for rec in records)


def test_follow_up_suggestion_button_asks_in_the_same_thread(slack_service: SlackService) -> None:
    stub, services = slack_service.stub, slack_service.services
    with slack_service.server.client() as client:
        ev = {
            "type": "message",
            "channel": "DFOLLOW",
            "channel_type": "im",
            "user": "U3",
            "text": "net sales by store",
            "ts": "1700000800.000001",
        }
        assert post_signed(client, event_body("TAAA", ev), JSON).status_code == 200
        first = _answer_update(slack_service, "DFOLLOW")
        followup = next(
            e
            for b in blocks_of(first)
            for e in b.get("elements", [])
            if str(e.get("action_id")).startswith("mercurios_followup_")
        )
        body = action_body(
            "TAAA",
            followup["action_id"],
            followup["value"],
            channel="DFOLLOW",
            thread_ts="1700000800.000001",
            response_url=f"{stub.url}/response/f",
        )
        assert post_signed(client, body, FORM).status_code == 200
    stub.wait_for(
        lambda s: (
            sum(
                "mercurios_answer_actions" in json.dumps(blocks_of(c))
                for c in s.of("chat.update")
                if c.params.get("channel") == "DFOLLOW"
            )
            >= 2
        )
    )
    second = _answer_update(slack_service, "DFOLLOW")
    ref = json.loads(_button_value(second, "mercurios_feedback_up"))
    assert [t.question for t in services.conversations.turns(NORDWIND, ref["c"])] == [
        "net sales by store",
        followup["value"],
    ]
    posts = [c for c in stub.of("chat.postMessage") if c.params.get("channel") == "DFOLLOW"]
    assert {c.params.get("thread_ts") for c in posts} == {"1700000800.000001"}


def test_single_workspace_mode_with_a_bot_token(slack_service: SlackService) -> None:
    """No OAuth app: one bot token from the settings; there is no install page."""
    import dataclasses

    from assistant.channels.server import create_app
    from assistant.channels.slack.links import WorkspaceLinks
    from tests.assistant.api.api_harness import LiveServer

    services = slack_service.services
    settings = services.settings.updated(
        slack={"client_id": None, "client_secret": None, "bot_token": SecretStr("xoxb-TSOLO")}
    )
    WorkspaceLinks(services.db, services.tenants).link("TSOLO", NORDWIND)
    solo = dataclasses.replace(services, settings=settings)
    solo.close = lambda: None  # type: ignore[method-assign]  # the shared services outlive this server
    with LiveServer(create_app(services=solo)) as server, server.client() as client:
        assert client.get("/slack/install").status_code == 404
        ev = {
            "type": "app_mention",
            "channel": "CSOLO",
            "user": "U1",
            "text": "<@UBOT> net sales",
            "ts": "1700000900.000001",
        }
        assert post_signed(client, event_body("TSOLO", ev), JSON).status_code == 200
        final = _answer_update(slack_service, "CSOLO")
    assert final.token == "xoxb-TSOLO"
