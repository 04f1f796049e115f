"""A Slack thread is exactly one conversation of one tenant, even when its first questions arrive at
the same moment (two mentions in a new thread, two workers, two app processes)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.channels.slack.threads import ThreadConversations
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ConversationRow
from assistant.runtime.persistence.tenant_store import TenantRepository
from tests.assistant.api.api_harness import migrated_app_db
from tests.assistant.slack.conftest import ALPIN, NORDWIND, SlackService
from tests.assistant.slack.slack_harness import JSON, event_body, post_signed
from tests.assistant.slack.slack_stub import Call, blocks_of


def _conversation_of(update: Call) -> str:
    """The conversation id an answer belongs to, read from its "Show SQL" button as Slack shows it."""
    for block in blocks_of(update):
        for element in block.get("elements", []):
            if element.get("action_id") == "mercurios_show_sql":
                return str(json.loads(element["value"])["c"])
    raise AssertionError(f"no Show SQL button in {blocks_of(update)}")


def _answers(service: SlackService, channel: str, token: str) -> list[Call]:
    return [
        c
        for c in service.stub.of("chat.update")
        if c.params.get("channel") == channel
        and c.token == token
        and "mercurios_answer_actions" in json.dumps(blocks_of(c))
    ]


def _mention(channel: str, text: str, ts: str, thread_ts: str, user: str) -> dict[str, object]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "thread_ts": thread_ts,
    }


def test_two_questions_at_the_same_moment_in_a_new_thread_are_one_conversation(
    slack_service: SlackService,
) -> None:
    stub, services = slack_service.stub, slack_service.services
    thread = "1700009000.000001"  # someone's message: Mercurios has not seen this thread yet
    questions = [("net sales", "U1", "1700009000.000101"), ("orders by store", "U2", "1700009000.000102")]
    with slack_service.server.client() as client:
        bodies = [event_body("TAAA", _mention("CRACE", q, ts, thread, u)) for q, u, ts in questions]
        # Both events are acknowledged at once and answered by concurrent background tasks.
        threads = [threading.Thread(target=lambda b=b: post_signed(client, b, JSON)) for b in bodies]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    stub.wait_for(lambda s: len(_answers(slack_service, "CRACE", "xoxb-TAAA")) >= 2)
    conversations = {_conversation_of(u) for u in _answers(slack_service, "CRACE", "xoxb-TAAA")}
    assert len(conversations) == 1, f"one thread became {len(conversations)} conversations"
    (conversation,) = conversations
    turns = services.conversations.turns(NORDWIND, conversation)
    assert sorted(t.question for t in turns) == sorted(q for q, _, _ in questions)

    # Tenant B's workspace with the identical channel and thread ids: its own conversation.
    with slack_service.server.client() as client:
        body = event_body("TBBB", _mention("CRACE", "net sales", "1700009000.000201", thread, "U9"))
        assert post_signed(client, body, JSON).status_code == 200
    stub.wait_for(lambda s: len(_answers(slack_service, "CRACE", "xoxb-TBBB")) >= 1)
    (other,) = {_conversation_of(u) for u in _answers(slack_service, "CRACE", "xoxb-TBBB")}
    assert other != conversation
    assert [t.question for t in services.conversations.turns(ALPIN, other)] == ["net sales"]
    assert services.conversations.turns(ALPIN, conversation) == []  # nothing of tenant A's leaks


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from migrated_app_db(request.param, tmp_path)


def _conversation_rows(db: Database, tenant: str) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).where(ConversationRow.tenant_id == tenant)).scalar_one())


def test_concurrent_get_or_create_gives_every_caller_the_same_conversation(app_db: Database) -> None:
    tenants = TenantRepository(app_db)
    tenants.create(NORDWIND, "Nordwind")
    tenants.create(ALPIN, "Alpin")
    threads_map = ThreadConversations(app_db)
    callers = 8
    start = threading.Barrier(callers)
    got: list[str] = []
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            start.wait()
            user = f"slack:TAAA:U{i}"
            got.append(threads_map.conversation_for(NORDWIND, "TAAA", "C1", "1700.000001", user))
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=ask, args=(i,)) for i in range(callers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert len(got) == callers and len(set(got)) == 1
    assert _conversation_rows(app_db, NORDWIND) == 1
    store = SqlConversationStore(app_db)
    info = store.info(NORDWIND, got[0])
    assert info is not None and info.user_id.startswith("slack:TAAA:U")
    assert threads_map.find("TAAA", "C1", "1700.000001", NORDWIND) == got[0]

    # The same workspace, channel and thread of another tenant (a re-linked workspace) is another
    # conversation, and the first tenant's stays where it was.
    other = threads_map.conversation_for(ALPIN, "TAAA", "C1", "1700.000001", "slack:TAAA:U1")
    assert other != got[0]
    assert store.info(ALPIN, got[0]) is None and store.info(ALPIN, other) is not None
    assert threads_map.find("TAAA", "C1", "1700.000001", ALPIN) == other
    assert threads_map.find("TAAA", "C1", "1700.000001", NORDWIND) == got[0]
    assert threads_map.conversation_for(ALPIN, "TAAA", "C1", "1700.000001", "slack:TAAA:U2") == other
    assert threads_map.find("TAAA", "C1", "1700.999999", NORDWIND) is None
