"""Every link of a digest leads somewhere real, and does what it says.

A digest is sent by the production wiring (`build_runner`) to an SMTP server on loopback and read
as a mail client would; the Slack digest of the same report is rendered with the same links; the
preview command's digest too. Every URL in them — `href`s of the HTML, URLs of the text part,
links of the Slack blocks, the List-Unsubscribe header — is followed against the running service:
none fails, an unsubscribe link shows its confirmation page (and unsubscribes nobody), and an
"Ask about this" link ends on a page that carries its question — the `/ask` page, the demo page
(where the widget asks it), or the tenant's own back office when it has an ask URL.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from assistant.channels.digests.service import build_runner
from assistant.channels.server import create_app
from assistant.channels.slack.digest_blocks import slack_digest
from assistant.core.insights.model import InsightReport
from assistant.core.insights.selection import plan_digest
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.app_services import ApiServices, widget_secret
from assistant.runtime.ask_links import AskLinks, InvalidAskUrl, clip
from assistant.runtime.digests.subscriptions import Subscription, SubscriptionRequest, SubscriptionStore
from assistant.runtime.persistence.database import Database
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import NORDWIND, Backend, base_settings, start_services
from tests.assistant.api.conftest import api_semantic_layer as api_semantic_layer
from tests.assistant.digests.smtp_inbox import running_inbox
from tests.demo import DemoWarehouse

ROOT = Path(__file__).resolve().parents[3]
CREATED = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 23, 7, tzinfo=dt.UTC)  # Monday 08:00 in Berlin: the 07:00 digest is due
SECRET = "digest-links-test-secret-of-32-bytes-or-more"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name == "href":
                self.hrefs.append(value)
            elif value is not None and name == "src":
                self.srcs.append(value)


def html_links(page: str, *, inline_images: bool = True) -> list[str]:
    parser = _Links()
    parser.feed(page)
    if inline_images:  # an email's images travel inside it (a preview writes them beside the page)
        assert all(src.startswith("cid:") for src in parser.srcs), parser.srcs
    return parser.hrefs


def text_links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def slack_links(blocks: Any) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "url" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            found.extend(re.findall(r"<(https?://[^|>]+)(?:\|[^>]*)?>", node))

    walk(blocks)
    return found


@dataclass
class Sent:
    db: Database
    report: InsightReport
    subscription: Subscription
    message: EmailMessage
    slack_blocks: list[Any]

    def links(self) -> dict[str, list[str]]:
        html_part = self.message.get_body(("html",))
        text_part = self.message.get_body(("plain",))
        assert html_part is not None and text_part is not None
        header = re.fullmatch(r"<(.+)>", str(self.message["List-Unsubscribe"]))
        assert header is not None
        return {
            "html": html_links(html_part.get_content()),
            "text": text_links(text_part.get_content()),
            "slack": slack_links(self.slack_blocks),
            "List-Unsubscribe": [header.group(1)],
        }

    def questions(self) -> set[str]:
        plan = plan_digest(self.report)
        grouped = [i for g in plan.groups for i in g.insights]
        return {clip(i.question or i.headline) for i in (*plan.cards, *grouped)}


@contextmanager
def service(
    demo: DemoWarehouse, data_dir: Path, layer: SemanticLayer, **extra: Any
) -> Iterator[tuple[ApiServices, LiveServer]]:
    settings = base_settings(demo, data_dir, api={"widget_token_secret": SECRET, **extra})
    services = start_services(Backend("sqlite", settings), layer)
    with LiveServer(create_app(services=services)) as server:
        yield services, server


def send_digest(services: ApiServices, server: LiveServer, layer: SemanticLayer) -> Sent:
    """The production wiring, with links to this server and mail to a loopback inbox."""
    with running_inbox() as (inbox, port):
        settings = services.settings.updated(public_base_url=server.url, smtp={"port": port, "retries": 0})
        runner = build_runner(
            settings, services.db, layer, WarehouseTenantDirectory(layer.warehouse), widget_secret(settings)
        )
        request = SubscriptionRequest(cron="0 7 * * 1", recipients=("anna@nordwind.example",))
        sub = SubscriptionStore(services.db).create(NORDWIND, "anna", request, now=CREATED)
        outcomes = [o for o in runner.run_due(NOW).outcomes if o.subscription_id == sub.subscription_id]
        assert [o.status for o in outcomes] == ["sent"], outcomes
        [(_, message)] = inbox.parsed()
    report = runner.source.report(NORDWIND, NOW.date(), "week")
    slack = slack_digest(report, ask_link=runner.ask_link, unsubscribe_url=runner.unsubscribe_link(sub))
    return Sent(services.db, report, sub, message, json.loads(json.dumps(slack.blocks)))


def follow(url: str) -> httpx.Response:
    """As a browser would: redirects followed (loopback only: the network kill-switch holds)."""
    with httpx.Client(follow_redirects=True, timeout=30) as client:
        return client.get(url)


def check_every_link(sent: Sent, on_ask: Any) -> None:
    asked: set[str] = set()
    for where, urls in sent.links().items():
        assert urls, f"no links in the {where}"
        for url in urls:
            response = follow(url)
            assert response.status_code == 200, (where, url, response.status_code, response.text[:300])
            path = urllib.parse.urlsplit(url).path
            if "/unsubscribe" in path:
                assert "Stop these digests?" in response.text, (where, url)
            else:
                asked.add(on_ask(url, response))
    assert asked == sent.questions()
    still = SubscriptionStore(sent.db).find(NORDWIND, sent.subscription.subscription_id)
    assert still is not None and still.active  # following the links unsubscribed nobody


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_every_digest_link_works_and_ask_opens_the_question_page(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    api_semantic_layer: SemanticLayer,
) -> None:
    with service(demo_warehouse, tmp_path, api_semantic_layer) as (services, server):
        sent = send_digest(services, server, api_semantic_layer)

        def on_ask(url: str, response: httpx.Response) -> str:
            assert url.startswith(f"{server.url}/ask?"), url
            question = _query(url)["q"]
            assert html.escape(question) in response.text and "Nordwind" in response.text
            assert "Copy the question" in response.text
            return question

        check_every_link(sent, on_ask)
        # a link whose question (or tenant) was edited is not ours: 404, nothing shown
        link = next(u for u in sent.links()["text"] if "/ask?" in u)
        forged = link.replace("q=", "q=Call+us+now+", 1)
        assert follow(forged).status_code == 404
        other = link.replace(f"tenant={NORDWIND}", "tenant=alpin-sport", 1)
        assert follow(other).status_code == 404


def test_with_the_demo_page_on_ask_opens_the_demo_with_the_question(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    api_semantic_layer: SemanticLayer,
) -> None:
    with service(demo_warehouse, tmp_path, api_semantic_layer, demo_page=True) as (services, server):
        sent = send_digest(services, server, api_semantic_layer)

        def on_ask(url: str, response: httpx.Response) -> str:
            assert response.url.path == "/demo" and response.url.params["tenant"] == NORDWIND
            question = response.url.params["q"]
            assert question == _query(url)["q"]
            assert html.escape(question) in response.text and 'data-ask-param="q"' in response.text
            return question

        check_every_link(sent, on_ask)


class _BackOffice(BaseHTTPRequestHandler):
    """The retailer's back office, on loopback: the page that embeds the widget."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _BackOffice.seen.append(self.path)
        body = b"<!doctype html><title>Back office</title><p>the widget is embedded here</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        return


@contextmanager
def back_office() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BackOffice)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_tenant_ask_url_sends_the_question_to_the_tenants_own_page(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    api_semantic_layer: SemanticLayer,
) -> None:
    with (
        service(demo_warehouse, tmp_path, api_semantic_layer) as (services, server),
        back_office() as office,
    ):
        # a link sent before the tenant set its ask URL still lands there
        earlier = AskLinks(server.url, SECRET.encode()).service_link(NORDWIND, "net sales by store last week")
        services.tenants.set_ask_url(NORDWIND, f"{office}/backoffice/insights?mercurios_q={{q}}")
        sent = send_digest(services, server, api_semantic_layer)

        def on_ask(url: str, response: httpx.Response) -> str:
            assert url.startswith(f"{office}/backoffice/insights?mercurios_q="), url  # no hop via us
            assert response.url.path == "/backoffice/insights"
            return response.url.params["mercurios_q"]

        _BackOffice.seen.clear()
        check_every_link(sent, on_ask)
        assert _BackOffice.seen
        landed = follow(earlier)
        assert (
            landed.status_code == 200 and landed.url.params["mercurios_q"] == "net sales by store last week"
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.example/insights",  # no {q}
        "http://shop.example/insights?q={q}",  # http off this machine
        "javascript:alert(1)//{q}",
        'https://shop.example/insights?q={q}" onmouseover="x',
        "https://user:pw@shop.example/?q={q}",
        "/relative?q={q}",
    ],
)
def test_a_bad_ask_url_is_refused_and_nothing_changes(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    api_semantic_layer: SemanticLayer,
    url: str,
) -> None:
    settings = base_settings(demo_warehouse, tmp_path, api={"widget_token_secret": SECRET})
    services = start_services(Backend("sqlite", settings), api_semantic_layer)
    with pytest.raises(InvalidAskUrl, match="ask URL"):
        services.tenants.set_ask_url(NORDWIND, url)
    assert services.tenants.get(NORDWIND).ask_url is None
    services.close()


def test_the_previews_links_work_too_and_the_cli_sets_the_ask_url(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    api_semantic_layer: SemanticLayer,
) -> None:
    with service(demo_warehouse, tmp_path, api_semantic_layer) as (_, server), back_office() as office:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MERCURIOS_")}
        env.update(
            {
                "MERCURIOS_TODAY": NOW.date().isoformat(),
                "MERCURIOS_DATA_DIR": str(tmp_path),
                "MERCURIOS_DUCKDB_PATH": str(demo_warehouse.path),
                "DBT_TARGET_PATH": str(demo_warehouse.dbt_target_path),
                "MERCURIOS_WIDGET_TOKEN_SECRET": SECRET,
                "MERCURIOS_PUBLIC_BASE_URL": server.url,
            }
        )

        def mercurios(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "assistant.channels.cli.main", *args],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip

        out = tmp_path / "digest.html"

        def preview() -> list[str]:
            done = mercurios("digest", "preview", "--tenant", NORDWIND, "--as-of", NOW.date().isoformat(),
                             "--out", str(out))  # fmt: skip
            assert done.returncode == 0, done.stderr
            urls = html_links(out.read_text(), inline_images=False)
            return urls + text_links(out.with_suffix(".txt").read_text())

        urls = preview()
        assert any("/ask?" in u for u in urls) and any("/unsubscribe" in u for u in urls)
        for url in urls:
            response = follow(url)
            assert response.status_code == 200, (url, response.text[:300])
            if "/ask?" in url:
                assert html.escape(_query(url)["q"]) in response.text
            else:
                assert "This is a preview" in response.text

        refused = mercurios("tenants", "ask-url", "-t", NORDWIND, "--url", "http://shop.example/?q={q}")
        assert refused.returncode == 2 and refused.stderr.strip().startswith("error:"), refused.stderr
        assert "https" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        page = f"{office}/bo/insights?q={{q}}"
        assert mercurios("tenants", "ask-url", "-t", NORDWIND, "--url", page).returncode == 0
        asks = [u for u in preview() if "/unsubscribe" not in u]
        assert asks and all(u.startswith(f"{office}/bo/insights?q=") for u in asks)
        assert all(follow(u).status_code == 200 for u in asks)
