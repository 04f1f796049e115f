"""Signed Slack requests over real HTTP: the shapes Slack sends, signed as Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

SIGNING_SECRET = "test-signing-secret"
_ids = itertools.count(1)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes, ctype: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": ctype,
        "x-slack-request-timestamp": str(ts),
        "x-slack-signature": sign(body, ts, secret),
    }


def post_signed(
    client: httpx.Client,
    body: bytes,
    ctype: str,
    *,
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    headers = signed_headers(body, ctype, timestamp=timestamp)
    headers.update(extra or {})
    return client.post("/slack/events", content=body, headers=headers)


def command_body(
    team: str, text: str, *, channel: str = "C100", user: str = "U1", response_url: str = ""
) -> bytes:
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "channel_id": channel,
            "user_id": user,
            "command": "/mercurios",
            "text": text,
            "response_url": response_url,
            "trigger_id": f"trig-{next(_ids)}",
            "api_app_id": "A1",
        }
    ).encode()


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def event_body(team: str, event: dict[str, Any], *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}],
        }
    ).encode()


def action_body(
    team: str,
    action_id: str,
    value: str,
    *,
    channel: str,
    thread_ts: str,
    response_url: str,
    user: str = "U1",
) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "t"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "channel": {"id": channel},
        "container": {
            "type": "message",
            "channel_id": channel,
            "message_ts": thread_ts,
            "thread_ts": thread_ts,
        },
        "message": {"ts": f"{time.time():.6f}", "thread_ts": thread_ts, "text": "answer"},
        "response_url": response_url,
        "trigger_id": f"trig-{next(_ids)}",
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1"}
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def shortcut_body(
    team: str, text: str, *, channel: str, ts: str, response_url: str, user: str = "U1"
) -> bytes:
    payload = {
        "type": "message_action",
        "callback_id": "ask_mercurios",
        "team": {"id": team, "domain": "t"},
        "user": {"id": user},
        "channel": {"id": channel},
        "message": {"type": "message", "text": text, "ts": ts, "user": "U2"},
        "response_url": response_url,
        "trigger_id": f"trig-{next(_ids)}",
        "message_ts": ts,
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
