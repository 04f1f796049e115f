"""Issue #17, acceptance 3: a follow-up works the same through every channel.

Each channel asks a question, then a follow-up in the same conversation, through its real path —
the CLI in a subprocess twice (`ask`, then `ask --conversation ID`), `mercurios chat` with piped
stdin, `POST /v1/ask` and `POST /v1/chat` (SSE) over HTTP, the widget in Chromium, Slack through
signed events and the local Slack Web API stub — and the follow-up's answer must equal the answer
the same channel gives to the one-shot question it stands for. One service (API, widget, Slack)
over the demo warehouse with its own app database serves the HTTP channels.

New follow-up shifts of the offline planner ("and the previous month?", "same thing a year
earlier?") are added to FOLLOW_UPS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.channels.server import create_app
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.app_services import ApiServices, build_api_services
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.assistant.api.api_harness import LiveServer, read_sse
from tests.assistant.slack.conftest import install
from tests.assistant.slack.slack_harness import JSON, SIGNING_SECRET, event_body, post_signed
from tests.assistant.slack.slack_stub import SlackStub, blocks_of
from tests.demo import TEST_END_DATE, DemoWarehouse

TENANT = "nordwind-fashion"
TEAM = "TFUP"
AS_OF = TEST_END_DATE.isoformat()  # the servers' "today" too (MERCURIOS_TODAY, tests/conftest.py)
PERIOD = "last month (2026-09-01 to 2026-09-30)"


@dataclass(frozen=True)
class FollowUp:
    first: str
    follow_up: str
    one_shot: str  # the question the follow-up stands for, asked alone
    period: str = PERIOD  # the period the follow-up's answer must state


FOLLOW_UPS = (
    FollowUp("net sales last month", "and by store?", "net sales by store last month"),
    FollowUp(
        "net sales last month",
        "compared to the previous month?",
        "net sales last month compared to the previous month",
    ),
    FollowUp("net sales by store last month", "and by week?", "weekly net sales by store last month"),
    # follow-ups that move the previous answer's period (issue #17, class 2)
    FollowUp("net sales last month", "and the month before?", "net sales in August 2026", "August 2026"),
    FollowUp(
        "net sales by store last month",
        "same period last year?",
        "net sales by store in September 2025",
        "September 2025",
    ),
    FollowUp(
        "Umsatz letzte Woche",
        "und die Woche davor?",
        "Umsatz vom 12.10.2026 bis 18.10.2026",
        "2026-10-12 to 2026-10-18",
    ),
)


@dataclass(frozen=True)
class Shown:
    """What a channel shows of one answer: its text, and its table where the channel has one."""

    text: str
    rows: tuple[tuple[object, ...], ...] | None = None


@dataclass
class Service:
    services: ApiServices
    server: LiveServer
    stub: SlackStub
    key: str
    demo: DemoWarehouse
    cli_data: Path


@pytest.fixture(scope="module")
def service(demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    stub = SlackStub()
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("followups-data"),
        duckdb_path=demo_warehouse.path,
        dbt_target_path=demo_warehouse.dbt_target_path,
        slack={
            "rate_limit_per_minute": 1000,
            "signing_secret": SIGNING_SECRET,
            "client_id": "111.222",
            "client_secret": "client-secret",
            "api_url": stub.api_url,
        },
        api={"rate_limit_per_minute": 100_000, "admin_token": "followups-admin-token", "demo_page": True},
    )
    sl = build_semantic_layer(settings, dbt_target_path=demo_warehouse.dbt_target_path)
    services = build_api_services(settings, semantic_layer=sl)
    services.tenants.seed_from_directory(WarehouseTenantDirectory(sl.warehouse).all())
    key = services.keys.create(TENANT, "analyst", "follow-up channels").token
    with LiveServer(create_app(services=services)) as server:
        with server.client() as client:
            install(client, TEAM)
            linked = client.put(
                "/v1/admin/slack/links",
                json={"team_id": TEAM, "tenant_id": TENANT},
                headers={"X-Admin-Token": "followups-admin-token"},
            )
            assert linked.status_code == 200, linked.text
        yield Service(services, server, stub, key, demo_warehouse, tmp_path_factory.mktemp("cli-data"))
    stub.close()


# ---- the channels: each returns what it shows for (follow-up, one-shot) ---------------------------


def _mercurios(service: Service, *args: str, stdin: str | None = None) -> str:
    env = {
        **os.environ,
        "MERCURIOS_DUCKDB_PATH": str(service.demo.path),
        "DBT_TARGET_PATH": str(service.demo.dbt_target_path),
        "MERCURIOS_DATA_DIR": str(service.cli_data),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.channels.cli.main", *args],
        cwd=service.cli_data,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _shown(out: dict[str, Any]) -> Shown:
    return Shown(out["answer"], tuple(tuple(r) for r in out["rows"]))


def cli_ask(service: Service, case: FollowUp, _request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    """Three processes: the follow-up is a second invocation that only has the conversation id."""

    def ask(question: str, *extra: str) -> dict[str, Any]:
        out = _mercurios(service, "ask", question, "-t", TENANT, "--as-of", AS_OF, "--json", *extra)
        return dict(json.loads(out))

    first = ask(case.first)
    follow = ask(case.follow_up, "--conversation", first["conversation_id"])
    return _shown(follow), _shown(ask(case.one_shot))


def cli_chat(service: Service, case: FollowUp, _request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    def answers(*questions: str) -> list[str]:
        out = _mercurios(
            service, "chat", "-t", TENANT, "--as-of", AS_OF, stdin="\n".join(questions) + "\nexit\n"
        )
        return [part.strip() for part in out.split("› ")[1:]]  # one part per question, after its prompt

    follow = answers(case.first, case.follow_up)[1]
    one_shot = answers(case.one_shot)[0]
    return Shown(follow), Shown(one_shot)


def api_ask(service: Service, case: FollowUp, _request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    with service.server.client(service.key) as client:

        def ask(question: str, conversation: str | None = None) -> dict[str, Any]:
            body = {"question": question, "as_of": AS_OF}
            if conversation:
                body["conversation_id"] = conversation
            r = client.post("/v1/ask", json=body)
            assert r.status_code == 200, r.text
            return dict(r.json())

        first = ask(case.first)
        follow = ask(case.follow_up, first["conversation_id"])
        return _shown(follow), _shown(ask(case.one_shot))


def api_chat(service: Service, case: FollowUp, _request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    with service.server.client(service.key) as client:

        def ask(question: str, conversation: str | None = None) -> tuple[Shown, str]:
            body = {"question": question, "as_of": AS_OF}
            if conversation:
                body["conversation_id"] = conversation
            text, rows, done = "", None, ""
            with client.stream("POST", "/v1/chat", json=body) as r:
                assert r.status_code == 200, r.read()
                for event in read_sse(r):
                    if event.event == "answer":
                        text = str(event.data["text"])
                    elif event.event == "table":
                        rows = tuple(tuple(row) for row in event.data["rows"])  # type: ignore[attr-defined]
                    elif event.event == "done":
                        done = str(event.data["conversation_id"])
            return Shown(text, rows), done

        _, conversation = ask(case.first)
        follow, _ = ask(case.follow_up, conversation)
        return follow, ask(case.one_shot)[0]


def widget(service: Service, case: FollowUp, request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    from tests.assistant.widget.widget_harness import ask, open_demo

    browser = request.getfixturevalue("chromium_browser")

    def conversation(*questions: str) -> Shown:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(60_000)
        try:
            page = context.new_page()
            open_demo(page, f"{service.server.url}/demo?tenant={TENANT}")
            turn = None
            for question in questions:
                turn = ask(page, question)
            assert turn is not None
            cells = turn.locator("tbody tr").all_inner_texts()
            return Shown(turn.locator(".text").inner_text(), tuple((c,) for c in cells))
        finally:
            context.close()

    return conversation(case.first, case.follow_up), conversation(case.one_shot)


def slack(service: Service, case: FollowUp, _request: pytest.FixtureRequest) -> tuple[Shown, Shown]:
    """A mention starts a thread; a reply in the thread is the follow-up; the one-shot question is a
    mention in another channel. What Slack shows is the answer message's text sections."""
    stub = service.stub

    def answered(channel: str) -> list[Any]:
        return [
            c
            for c in stub.of("chat.update")
            if c.params.get("channel") == channel
            and "mercurios_answer_actions" in str(c.params.get("blocks"))
        ]

    def post(channel: str, text: str, ts: str, thread_ts: str | None = None) -> int:
        before = len(answered(channel))
        event: dict[str, Any] = {"channel": channel, "user": "U9", "ts": ts}
        if thread_ts is None:
            event.update(type="app_mention", text=f"<@UBOT> {text}")
        else:
            event.update(type="message", channel_type="channel", text=text, thread_ts=thread_ts)
        with service.server.client() as client:
            assert post_signed(client, event_body(TEAM, event), JSON).status_code == 200
        stub.wait_for(lambda s: len(answered(channel)) > before, timeout=120)
        return before

    def shown(channel: str, index: int) -> Shown:
        blocks = blocks_of(answered(channel)[index])
        return Shown("\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section"))

    thread, alone = f"CF{uuid.uuid4().hex[:8]}", f"CO{uuid.uuid4().hex[:8]}"
    post(thread, case.first, "1700001000.000001")
    index = post(thread, case.follow_up, "1700001000.000050", thread_ts="1700001000.000001")
    post(alone, case.one_shot, "1700002000.000001")
    return shown(thread, index), shown(alone, 0)


Channel = Callable[[Service, FollowUp, pytest.FixtureRequest], tuple[Shown, Shown]]
CHANNELS: dict[str, Channel] = {
    "cli-ask": cli_ask,
    "cli-chat": cli_chat,
    "api-ask": api_ask,
    "api-chat": api_chat,
    "widget": widget,
    "slack": slack,
}


@pytest.mark.parametrize("case", FOLLOW_UPS, ids=lambda c: c.follow_up)
@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_follow_up_answers_like_the_one_shot_question(
    service: Service, channel: str, case: FollowUp, request: pytest.FixtureRequest
) -> None:
    follow, one_shot = CHANNELS[channel](service, case, request)
    assert case.period in follow.text, (
        follow.text
    )  # the period carried over (or moved) from the first question
    assert follow.text == one_shot.text
    assert follow.rows == one_shot.rows
