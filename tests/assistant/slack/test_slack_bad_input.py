"""Acceptance 3: empty commands, huge messages, unknown events, Slack API errors; DMs and the shortcut."""

from __future__ import annotations

import json
import time

from tests.assistant.slack.conftest import SlackService
from tests.assistant.slack.slack_harness import (
    FORM,
    JSON,
    command_body,
    event_body,
    post_signed,
    shortcut_body,
)
from tests.assistant.slack.slack_stub import blocks_of


def _texts(service: SlackService, channel: str) -> list[str]:
    calls = service.stub.of("chat.postMessage") + service.stub.of("chat.update")
    return [str(c.params.get("text")) for c in calls if c.params.get("channel") == channel]


def test_empty_command_and_huge_message_get_plain_words(slack_service: SlackService) -> None:
    with slack_service.server.client() as client:
        assert post_signed(client, command_body("TAAA", "   ", channel="CBAD1"), FORM).status_code == 200
        huge = "net sales " * 3000
        ev = {
            "type": "app_mention",
            "channel": "CBAD2",
            "user": "U1",
            "text": "<@UBOT> " + huge,
            "ts": "1700000500.000001",
        }
        assert post_signed(client, event_body("TAAA", ev), JSON).status_code == 200
    stub = slack_service.stub
    stub.wait_for(lambda s: any("Ask me a question" in t for t in _texts(slack_service, "CBAD1")))
    stub.wait_for(lambda s: any("too long" in t for t in _texts(slack_service, "CBAD2")))
    time.sleep(0.3)
    assert not any("Thinking" in t for t in _texts(slack_service, "CBAD1") + _texts(slack_service, "CBAD2"))


def test_unknown_event_types_are_acknowledged_and_ignored(slack_service: SlackService) -> None:
    with slack_service.server.client() as client:
        ev = {
            "type": "reaction_added",
            "user": "U1",
            "reaction": "tada",
            "item": {"type": "message", "channel": "CBAD3"},
        }
        r = post_signed(client, event_body("TAAA", ev), JSON)
        assert r.status_code == 200  # a non-2xx would make Slack retry it forever
        weird = post_signed(client, json.dumps({"type": "something_new", "team_id": "TAAA"}).encode(), JSON)
        assert weird.status_code in (200, 404)
        assert post_signed(client, b"not json at all", JSON).status_code < 500
    time.sleep(0.3)
    assert not _texts(slack_service, "CBAD3")


def test_rate_limited_web_api_is_retried_within_bounds(slack_service: SlackService) -> None:
    stub = slack_service.stub
    stub.fail_next("chat.postMessage", "DBAD4", "ratelimited")
    with slack_service.server.client() as client:
        ev = {
            "type": "message",
            "channel": "DBAD4",
            "channel_type": "im",
            "user": "U1",
            "text": "net sales",
            "ts": "1700000600.000001",
        }
        assert post_signed(client, event_body("TAAA", ev), JSON).status_code == 200
    stub.wait_for(
        lambda s: any(
            "mercurios_answer_actions" in json.dumps(blocks_of(c))
            for c in s.of("chat.update")
            if c.params.get("channel") == "DBAD4"
        )
    )
    posts = [c for c in stub.of("chat.postMessage") if c.params.get("channel") == "DBAD4"]
    assert sum("Thinking" in str(c.params.get("text")) for c in posts) == 2  # the 429, then the retry


def test_channel_not_found_tells_the_asker_how_to_fix_it(slack_service: SlackService) -> None:
    stub = slack_service.stub
    stub.fail_next("chat.postMessage", "CBAD5", "channel_not_found")
    with slack_service.server.client() as client:
        body = command_body("TAAA", "net sales", channel="CBAD5", response_url=f"{stub.url}/response/cnf")
        assert post_signed(client, body, FORM).status_code == 200
    stub.wait_for(
        lambda s: any(
            "Invite me" in str(c.params.get("text"))
            for c in s.of("response")
            if c.params["_path"] == "/response/cnf"
        )
    )
    assert not any("Thinking" in t for t in _texts(slack_service, "CBAD5"))


def test_persistent_rate_limit_gives_up_after_bounded_retries(slack_service: SlackService) -> None:
    stub = slack_service.stub
    stub.fail_next("chat.postMessage", "CBAD6", "ratelimited", "ratelimited", "ratelimited")
    with slack_service.server.client() as client:
        body = command_body("TAAA", "net sales", channel="CBAD6", response_url=f"{stub.url}/response/rl")
        assert post_signed(client, body, FORM).status_code == 200
    stub.wait_for(
        lambda s: any(
            "rate-limiting" in str(c.params.get("text"))
            for c in s.of("response")
            if c.params["_path"] == "/response/rl"
        ),
        timeout=15,
    )
    assert (
        len([c for c in stub.of("chat.postMessage") if c.params.get("channel") == "CBAD6"]) == 3
    )  # 1 + 2 retries


def test_message_shortcut_answers_in_the_message_thread(slack_service: SlackService) -> None:
    stub = slack_service.stub
    with slack_service.server.client() as client:
        body = shortcut_body(
            "TAAA",
            "how many units sold",
            channel="CBAD7",
            ts="1700000700.000001",
            response_url=f"{stub.url}/response/sc",
        )
        assert post_signed(client, body, FORM).status_code == 200
    stub.wait_for(
        lambda s: any(
            "mercurios_answer_actions" in json.dumps(blocks_of(c))
            for c in s.of("chat.update")
            if c.params.get("channel") == "CBAD7"
        )
    )
    thinking = next(c for c in stub.of("chat.postMessage") if c.params.get("channel") == "CBAD7")
    assert thinking.params["thread_ts"] == "1700000700.000001"


def test_a_message_with_control_characters_is_refused_before_anything_runs(
    slack_service: SlackService,
) -> None:
    """Issue 19, finding 3: Slack text goes through the same input guard as every other channel."""
    stub = slack_service.stub
    with slack_service.server.client() as client:
        ev = {
            "type": "message",
            "channel": "DBAD9",
            "channel_type": "im",
            "user": "U1",
            "text": "net sales last month\u0000",
            "ts": "1700000900.000001",
        }
        assert post_signed(client, event_body("TAAA", ev), JSON).status_code == 200
    stub.wait_for(lambda s: any("characters nobody types" in t for t in _texts(slack_service, "DBAD9")))
    time.sleep(0.3)
    assert not any("Thinking" in t for t in _texts(slack_service, "DBAD9"))
    calls = [
        c for c in stub.of("chat.postMessage") + stub.of("chat.update") if c.params.get("channel") == "DBAD9"
    ]
    assert not any("mercurios_answer_actions" in json.dumps(blocks_of(c)) for c in calls)
