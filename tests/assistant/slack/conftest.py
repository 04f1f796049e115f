"""A running service with the Slack app mounted, its Web API pointed at a local stub.

Three workspaces are installed through the real OAuth flow: TAAA is linked to nordwind-fashion,
TBBB to alpin-sport, TCCC to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from assistant.channels.server import create_app
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.app_services import ApiServices, build_api_services
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.slack.slack_harness import SIGNING_SECRET
from tests.assistant.slack.slack_stub import SlackStub
from tests.demo import DemoWarehouse

ADMIN_TOKEN = "platform-admin-token"
NORDWIND, ALPIN = "nordwind-fashion", "alpin-sport"


@dataclass
class SlackService:
    services: ApiServices
    server: LiveServer
    stub: SlackStub


@pytest.fixture(scope="module")
def slack_service(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackService]:
    stub = SlackStub()
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("slack-data"),
        duckdb_path=demo_warehouse.path,
        dbt_target_path=demo_warehouse.dbt_target_path,
        slack={
            "rate_limit_per_minute": 1000,
            "signing_secret": SIGNING_SECRET,
            "client_id": "111.222",
            "client_secret": "client-secret",
            "api_url": stub.api_url,
        },
        api={"rate_limit_per_minute": 100_000, "admin_token": ADMIN_TOKEN},
    )
    sl = build_semantic_layer(settings, dbt_target_path=demo_warehouse.dbt_target_path)
    services = build_api_services(settings, semantic_layer=sl)
    services.tenants.seed_from_directory(WarehouseTenantDirectory(sl.warehouse).all())
    with LiveServer(create_app(services=services)) as server:
        with server.client() as client:
            for team in ("TAAA", "TBBB", "TCCC"):
                install(client, team)
            for team, tenant in (("TAAA", NORDWIND), ("TBBB", ALPIN)):
                r = client.put(
                    "/v1/admin/slack/links",
                    json={"team_id": team, "tenant_id": tenant},
                    headers={"X-Admin-Token": ADMIN_TOKEN},
                )
                assert r.status_code == 200, r.text
        yield SlackService(services, server, stub)
    stub.close()


def install(client: object, team: str) -> None:
    """The OAuth flow as a browser runs it: install page (state + cookie), then Slack's redirect."""
    import httpx

    assert isinstance(client, httpx.Client)
    page = client.get("/slack/install")
    assert page.status_code == 200, page.text
    state = re.search(r"state=([A-Za-z0-9_\-]+)", page.text)
    assert state is not None, page.text
    cookie = page.headers["set-cookie"].split(";", 1)[0]  # a Secure cookie: httpx keeps it off plain http
    done = client.get(
        "/slack/oauth_redirect",
        params={"code": f"{team}-code", "state": state.group(1)},
        headers={"cookie": cookie},
    )
    assert done.status_code == 200, done.text
