"""The scheduler inside the API process (opt-in) runs the same `run_due`: a subscription due
every minute gets its claim recorded while `mercurios serve`'s app is up."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.server import create_app
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, free_port
from tests.assistant.api.conftest import NORDWIND, Backend, base_settings, start_services
from tests.demo import DemoWarehouse


def test_the_scheduler_in_the_api_process_handles_due_digests(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    from assistant.runtime.services import build_semantic_layer
    from assistant.runtime.settings import Settings

    layer: SemanticLayer = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    settings = base_settings(
        demo_warehouse,
        tmp_path,
        digest={"scheduler": True, "scheduler_interval_s": 0.2},
        smtp={"port": free_port(), "retries": 0},
    )
    services = start_services(Backend("sqlite", settings), layer)
    sub = SubscriptionStore(services.db).create(
        NORDWIND,
        "anna",
        SubscriptionRequest(cron="* * * * *", timezone="UTC", cadence="day", recipients=("a@n.example",)),
        now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2),
    )
    with LiveServer(create_app(services=services)):
        deadline = time.monotonic() + 30
        history = ()
        while time.monotonic() < deadline and (not history or any(h.status == "claimed" for h in history)):
            history = SqlClaimStore(services.db.engine).history(NORDWIND, sub.subscription_id)
            time.sleep(0.2)
    # Today is past the demo data: the digest is recorded as no_data (no email), not lost.
    assert history and {h.status for h in history} == {"no_data"}
