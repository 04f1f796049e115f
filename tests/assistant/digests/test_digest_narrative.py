"""The digest's summary written by an LLM (an OpenAI-compatible server on loopback): used only when
every number in it is grounded in the insights' numbers; an invented number, or an LLM that is down
or slow, gives the template summary — and the delivery record says which, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.digests.narrative import DigestSummaries
from assistant.channels.digests.report_source import SemanticReportSource
from assistant.channels.digests.run_due import DigestRunner, SmtpTransport
from assistant.channels.digests.smtp_delivery import SmtpConfig
from assistant.core.insights.model import (
    Driver,
    Figure,
    Insight,
    InsightKind,
    InsightReport,
    Period,
    Severity,
)
from assistant.core.insights.narrative import check_insight_grounding, template_summary
from assistant.core.insights.selection import plan_digest
from assistant.core.llm.narrator import InsightNarrator
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import SemanticQuery
from tests.assistant.digests.smtp_inbox import Inbox, running_inbox
from tests.assistant.llm.llm_setup import client_for
from tests.assistant.llm.servers import Failure, OpenAiStub, Reply, Text
from tests.demo import DemoWarehouse

NORDWIND = "nordwind-fashion"
CREATED = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 23, 7, tzinfo=dt.UTC)
PERIOD = "2026-03-23T06:00Z"


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture
def db(tmp_path: Path, layer: SemanticLayer) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    database.migrate()
    TenantRepository(database).seed_from_directory(WarehouseTenantDirectory(layer.warehouse).all())
    yield database
    database.dispose()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as served:
        yield served


@pytest.fixture
def llm() -> Iterator[OpenAiStub]:
    with OpenAiStub() as stub:
        yield stub


def source(layer: SemanticLayer) -> SemanticReportSource:
    return SemanticReportSource(layer, WarehouseTenantDirectory(layer.warehouse))


def run(db: Database, layer: SemanticLayer, port: int, llm: OpenAiStub) -> str:
    """One due digest to anna@, the summary by the LLM stub; returns the recorded detail."""
    SubscriptionStore(db).create(
        NORDWIND,
        "anna",
        SubscriptionRequest(cron="0 7 * * 1", recipients=("anna@nordwind.example",)),
        now=CREATED,
    )
    writer = InsightNarrator(client_for(llm.base_url, timeout_s=0.5))
    runner = DigestRunner(
        subscriptions=SubscriptionStore(db),
        claims=SqlClaimStore(db.engine),
        source=source(layer),
        transport=SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, retries=0, timeout_s=3)),
        sender="digest@mercurios.local",
        ask_link=AskLinks("http://127.0.0.1:8000", b"narrative-test-secret"),
        unsubscribe_link=lambda s: "http://127.0.0.1:8000/u",
        summaries=DigestSummaries(writer),
    )
    [outcome] = runner.run_due(NOW).outcomes
    assert outcome.status == "sent", outcome.detail
    return outcome.detail


def email_text(inbox: Inbox) -> str:
    [(_rcpt, msg)] = inbox.parsed()
    return str(msg.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def test_a_grounded_llm_summary_opens_the_digest(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int], llm: OpenAiStub
) -> None:
    inbox, port = smtp
    report = source(layer).report(NORDWIND, NOW.date(), "week")
    net = next(i for i in report.insights if i.kind == "change" and i.subject == "net_sales")
    amount = net.headline.split(" to ", 1)[1].split(" (", 1)[0]  # as the tenant reads it, e.g. €1,234.50
    cards = len(plan_digest(report).cards)
    sentence = f"Net sales came to {amount} in the week of 16 March 2026; {cards} findings follow."
    llm.enqueue(Reply(Text(sentence)))

    detail = run(db, layer, port, llm)

    assert " ".join(sentence.split()) in email_text(inbox)  # as written (whitespace normalised)
    assert "summary written by the LLM" in detail
    [request] = llm.requests
    assert plan_digest(report).cards[0].headline in request.text and "Reference summary" in request.text
    assert amount in request.text  # the model is given the numbers already formatted


def test_an_invented_number_falls_back_to_the_template_and_says_so(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int], llm: OpenAiStub
) -> None:
    inbox, port = smtp
    llm.enqueue(Reply(Text("Net sales jumped 37.5 % to €9,876,543.21, driven by a great week.")))

    detail = run(db, layer, port, llm)

    text = email_text(inbox)
    assert "9,876,543" not in text and "37.5" not in text
    assert template_summary(source(layer).report(NORDWIND, NOW.date(), "week")) in text
    assert "summary from the template" in detail and "ungrounded numbers: 37.5 %, 9,876,543.21" in detail


@pytest.mark.parametrize(
    "reply",
    [Reply(Failure(500, "provider down")), Reply(Text("too late"), delay_s=2.0)],
    ids=["down", "timeout"],
)
def test_an_llm_that_is_down_or_slow_falls_back_to_the_template(
    db: Database, layer: SemanticLayer, smtp: tuple[Inbox, int], llm: OpenAiStub, reply: Reply
) -> None:
    inbox, port = smtp
    llm.enqueue(reply)

    detail = run(db, layer, port, llm)

    assert template_summary(source(layer).report(NORDWIND, NOW.date(), "week")) in email_text(inbox)
    assert "summary from the template: LLM draft not used (" in detail
    assert SqlClaimStore(db.engine).status(
        SubscriptionStore(db).list(NORDWIND)[0].subscription_id, PERIOD
    ) == ("sent", 1, detail)


def _report() -> InsightReport:
    query = SemanticQuery(metrics=("net_sales",))
    return InsightReport(
        tenant_id="t",
        tenant_name="Shop",
        as_of=dt.date(2026, 3, 23),
        period=Period(
            start=dt.date(2026, 3, 16),
            end=dt.date(2026, 3, 22),
            previous_start=dt.date(2026, 3, 9),
            previous_end=dt.date(2026, 3, 15),
            label="week of 2026-03-16",
        ),
        currency="EUR",
        locale="de-DE",
        insights=(
            Insight(
                kind=InsightKind.CHANGE,
                severity=Severity.MEDIUM,
                headline="Net sales fell to 88.000,00 € (−12,0 % vs the period before)",
                subject="net_sales",
                kpi="sales",
                figures=(
                    Figure(name="current", value=88000.0, format="currency"),
                    Figure(name="previous", value=100000.0, format="currency"),
                    Figure(name="change_pct", value=-0.12, format="percent"),
                ),
                drivers=(
                    Driver(
                        dimension="store__store_name",
                        group="Köln",
                        current=20000.0,
                        previous=29000.0,
                        change=-9000.0,
                        share_of_change=0.75,
                    ),
                ),
                query=query,
            ),
        ),
    )


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Net sales fell 12 % to 88.000 € in the week of 16 March 2026.", True),
        ("Köln lost 9.000 €, 75 % of the drop, down from 29.000 €.", True),
        ("Net sales fell from 100k to 88k.", True),
        ("Net sales fell 15 % to 88.000 €.", False),
        ("Köln lost 9.500 €.", False),
        ("1 finding is worth a look.", True),
    ],
)
def test_the_grounding_check_knows_the_insights_numbers(text: str, ok: bool) -> None:
    assert check_insight_grounding(text, _report()).ok is ok, check_insight_grounding(text, _report())


def test_the_template_summary_is_grounded_in_its_own_insights() -> None:
    summary = template_summary(_report())
    assert summary.startswith("Shop, week of 2026-03-16: 1 is worth a look. Most important: Net sales fell")
    assert check_insight_grounding(summary, _report()).ok
