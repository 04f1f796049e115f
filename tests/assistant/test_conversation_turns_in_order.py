"""The turns of one conversation are answered one at a time: a follow-up sent while the question
before it is still being answered waits for that answer and builds on it (two Slack mentions in a
thread, a follow-up typed before the answer came, two API workers), in process and across
processes sharing the app database — and never across tenants."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, Event
from assistant.core.memory import InMemoryConversationStore
from assistant.core.planning.plans import MetricPlan
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ConversationLeaseRow
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import migrated_app_db
from tests.demo import DemoWarehouse

TENANT, OTHER = "alpin-sport", "nordwind-fashion"
AS_OF = dt.date(2026, 10, 31)
Store = InMemoryConversationStore | SqlConversationStore


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from migrated_app_db(request.param, tmp_path)


@pytest.fixture(params=["memory", "database"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[InMemoryConversationStore | SqlConversationStore]:
    if request.param == "memory":
        yield InMemoryConversationStore()
        return
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    tenants = TenantRepository(db)
    tenants.create(TENANT, "Alpin Sport")
    tenants.create(OTHER, "Nordwind")
    yield SqlConversationStore(db)
    db.dispose()


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


def _answer(events: list[Event]) -> AnswerEvent:
    answers = [e for e in events if isinstance(e, AnswerEvent)]
    assert answers, f"no answer: {events}"
    return answers[0]


def test_a_follow_up_sent_before_the_answer_came_builds_on_that_answer(
    layer: SemanticLayer, store: Store
) -> None:
    engine = Engine(layer, WarehouseTenantDirectory(layer.warehouse), store=store)
    ctx = RequestContext(tenant_id=TENANT, conversation_id="c-race-1", as_of=AS_OF)
    first_answered = threading.Event()
    second_started = threading.Event()
    results: dict[str, list[Event]] = {}

    def slow_delivery(_conversation: str, _turn: str) -> None:
        # The first answer is still on its way (a slow channel) when the follow-up arrives; the
        # follow-up would have planned long before this returns, were it not waiting.
        first_answered.set()
        assert second_started.wait(10)
        time.sleep(0.6)

    def first() -> None:
        results["first"] = list(engine.ask("net sales last month", ctx, before_persist=slow_delivery))

    def second() -> None:
        assert first_answered.wait(10)
        second_started.set()
        results["second"] = list(engine.ask("and by store?", ctx))

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert _answer(results["first"]) and _answer(results["second"])
    turns = store.turns(TENANT, "c-race-1")
    assert [t.question for t in turns] == ["net sales last month", "and by store?"]
    first_plan, follow_up = turns[0].plan, turns[1].plan
    assert isinstance(first_plan, MetricPlan) and isinstance(follow_up, MetricPlan)
    assert list(follow_up.query.metrics) == list(first_plan.query.metrics)
    assert follow_up.period == first_plan.period, "the follow-up lost last month"
    assert any("store" in g for g in follow_up.query.group_by), follow_up.query.group_by


def test_a_held_conversation_of_one_tenant_does_not_hold_up_another_tenant_or_conversation(
    store: Store,
) -> None:
    with store.hold(TENANT, "c-1") as held:
        assert held
        with store.hold(TENANT, "c-1", wait_s=0.2) as again:
            assert not again  # waited, then went on rather than never answering
        with store.hold(OTHER, "c-1", wait_s=0.2) as other_tenant:
            assert other_tenant  # the same id under another tenant is another conversation
        with store.hold(TENANT, "c-2", wait_s=0.2) as other_conversation:
            assert other_conversation
    with store.hold(TENANT, "c-1", wait_s=0.2) as released:
        assert released


def test_a_lease_left_by_a_worker_that_died_is_taken_over(app_db: Database) -> None:
    store = SqlConversationStore(app_db)
    with app_db.transaction() as conn:
        conn.execute(
            insert(ConversationLeaseRow),
            {
                "tenant_id": TENANT,
                "conversation_id": "c-dead",
                "holder": "a-worker-killed-mid-turn",
                "expires_at": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            },
        )
    with store.hold(TENANT, "c-dead", wait_s=2) as held:
        assert held


_WORKER = """
import sys, time
from pathlib import Path
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database

url, counter, rounds = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
store = SqlConversationStore(Database(url))
for _ in range(rounds):
    with store.hold("alpin-sport", "c-shared", wait_s=60) as held:
        assert held
        value = int(counter.read_text())  # read, think, write: a lost update without the hold
        time.sleep(0.005)
        counter.write_text(str(value + 1))
"""


def test_workers_in_separate_processes_take_turns(app_db: Database, tmp_path: Path) -> None:
    counter = tmp_path / "turns"
    counter.write_text("0")
    processes, rounds = 3, 15
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, app_db.url, str(counter), str(rounds)],
            cwd=Path(__file__).resolve().parents[2],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for w in workers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    assert int(counter.read_text()) == processes * rounds
