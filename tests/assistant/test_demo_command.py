"""`mercurios demo`: its data ends yesterday unless pinned, an older build is rebuilt, and what it
serves — the /demo page, the widget's token and chat, the printed curl example — answers with data.

The serve path runs the real command in its own process on a free loopback port, over a copy of the
suite's small warehouse (ending 2026-10-31, the suite's pinned today)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest

from assistant.channels.cli.build_cmd import resolve_end_date
from assistant.core.answering.formatting import format_value
from assistant.core.clock import PinnedClock, SystemClock
from assistant.runtime.settings import Settings
from assistant.runtime.warehouse_build import default_demo_end_date, stale_demo_reason, warehouse_data_end
from tests.assistant.api.api_harness import free_port, read_sse, wait_until_ready
from tests.demo import TEST_END_DATE, DemoWarehouse, open_read_only

MERCURIOS = Path(sys.executable).parent / "mercurios"
LAST_MONTH = "2026-09-01 to 2026-09-30"  # "last month" as of the suite's today, 2026-10-31


def test_the_default_end_date_is_yesterday_in_the_demo_tenants_timezone() -> None:
    late_evening_utc = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)  # 7 December in Berlin
    assert default_demo_end_date(SystemClock(now=lambda: late_evening_utc)) == dt.date(2026, 12, 6)
    assert default_demo_end_date(SystemClock(now=lambda: late_evening_utc), ["casa-living"]) == dt.date(
        2026, 12, 6
    )
    assert default_demo_end_date(PinnedClock(dt.date(2027, 1, 1))) == dt.date(2026, 12, 31)


def test_an_older_demo_build_is_stale_a_current_or_pinned_one_is_not(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    # a copy: this process may hold the suite's warehouse open under another configuration
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, path)
    assert warehouse_data_end(path) == TEST_END_DATE
    day_before = TEST_END_DATE - dt.timedelta(days=1)
    assert stale_demo_reason(path, day_before, pinned=False) is None
    assert stale_demo_reason(path, TEST_END_DATE, pinned=False) is None
    later = stale_demo_reason(path, dt.date(2026, 11, 4), pinned=False)
    assert later == "The demo warehouse's data ends 2026-10-31, before yesterday (2026-11-04): rebuilding it."
    assert stale_demo_reason(path, TEST_END_DATE, pinned=True) is None
    assert stale_demo_reason(path, day_before, pinned=True) is not None
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert stale_demo_reason(empty, day_before, pinned=False) is not None


@dataclass(frozen=True)
class RunningDemo:
    base: str
    stdout: Path
    warehouse: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace")


def demo_env(demo: DemoWarehouse, warehouse: Path, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "MERCURIOS_DATA_DIR": str(data_dir),
        "MERCURIOS_DUCKDB_PATH": str(warehouse),
        "MERCURIOS_DBT_TARGET_PATH": str(demo.dbt_target_path),
        "MERCURIOS_TODAY": TEST_END_DATE.isoformat(),
    }
    for name in ("MERCURIOS_DATABASE_URL", "MERCURIOS_REDIS_URL", "MERCURIOS_DEMO_PAGE"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def running_demo(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningDemo]:
    """`mercurios demo --port P` as a person runs it (no --end-date), until the module is done."""
    root = tmp_path_factory.mktemp("demo-command")
    warehouse = root / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, warehouse)
    port = free_port()
    stdout = root / "demo.log"
    with stdout.open("wb") as out:
        proc = subprocess.Popen(
            [str(MERCURIOS), "demo", "--port", str(port)],
            cwd=root,
            env=demo_env(demo_warehouse, warehouse, root / "data"),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = RunningDemo(f"http://127.0.0.1:{port}", stdout, warehouse)
    try:
        wait_until_ready(running.base, proc, lambda: running.output()[-4000:], seconds=240)
        yield running
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_the_demo_reuses_a_current_warehouse_and_formats_totals_like_answers(
    running_demo: RunningDemo,
) -> None:
    out = running_demo.output()
    assert "Using the existing warehouse" in out and "rebuilding" not in out
    with open_read_only(running_demo.warehouse) as con:
        totals = con.execute(
            "SELECT t.tenant_id, t.locale, t.currency, sum(f.net_amount) FROM mercurios_meta.tenants t "
            "JOIN marts.fct_sales f USING (tenant_id) GROUP BY ALL"
        ).fetchall()
    for tenant, locale, currency, net in totals:
        amount = format_value(net, "currency", locale=locale, currency=currency)
        assert re.search(rf"^  {re.escape(tenant)} .* net sales {re.escape(amount)}$", out, re.M), out
    assert f"(as of {TEST_END_DATE})" in out  # the sample answers ask on the server's today


def test_the_demo_page_is_served_and_its_widget_answers(running_demo: RunningDemo) -> None:
    base = running_demo.base
    page = httpx.get(f"{base}/demo", timeout=30)
    assert page.status_code == 200, page.text
    assert "text/html" in page.headers["content-type"]
    widget = re.search(
        r'<script src="(/widget/[0-9a-f]+/widget\.js)" data-token-endpoint="([^"]+)"', page.text
    )
    assert widget is not None, page.text
    assert httpx.get(base + widget.group(1), timeout=30).status_code == 200
    host_question = re.search(r'Mercurios\.ask\("([^"]+)"\)', page.text)
    assert host_question is not None
    # what the widget does on that page: a token from the page's endpoint, then SSE chat
    origin = {"Origin": base}
    minted = httpx.post(base + widget.group(2).replace("&amp;", "&"), headers=origin, timeout=30)
    assert minted.status_code == 200, minted.text
    auth = {**origin, "Authorization": f"Bearer {minted.json()['token']}"}
    with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
        config = client.post("/v1/widget/config", json={})
        assert config.status_code == 200, config.text
        assert host_question.group(1) in config.json()["suggestions"]
        with client.stream("POST", "/v1/chat", json={"question": host_question.group(1)}) as stream:
            assert stream.status_code == 200
            events = {e.event: e.data for e in read_sse(stream)}
    table, answer = events["table"], events["answer"]
    assert isinstance(table["rows"], list) and len(table["rows"]) >= 5, events  # alpin-sport: 6 stores
    assert LAST_MONTH in str(answer["text"]) and "nothing" not in str(answer["text"]), answer


def test_the_printed_curl_example_answers_with_data(running_demo: RunningDemo) -> None:
    printed = next(line for line in running_demo.output().splitlines() if line.strip().startswith("curl "))
    args = shlex.split(printed)
    assert args[-1] == f"{running_demo.base}/v1/ask"
    headers = dict(args[i + 1].split(": ", 1) for i, a in enumerate(args) if a == "-H")
    body = json.loads(args[args.index("-d") + 1])
    answer = httpx.post(args[-1], headers=headers, json=body, timeout=120)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["kind"] == "data" and result["as_of"] == TEST_END_DATE.isoformat()
    assert len(result["rows"]) >= 10 and LAST_MONTH in result["answer"]


def test_the_demo_rebuilds_a_warehouse_whose_data_ends_before_yesterday(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, warehouse)
    env = demo_env(demo_warehouse, warehouse, tmp_path / "data")
    env["MERCURIOS_TODAY"] = "2026-11-05"  # five days after the copy's data end
    env["MERCURIOS_DBT_TARGET_PATH"] = str(tmp_path / "dbt-target")  # the suite's target stays as it is
    proc = subprocess.run(
        [str(MERCURIOS), "demo", "--no-serve", "--scale", "0.02"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "The demo warehouse's data ends 2026-10-31, before yesterday (2026-11-04): rebuilding it.\n" in out
    assert "history ends 2026-11-04" in out and "(as of 2026-11-05)" in out
    assert warehouse_data_end(warehouse) == dt.date(2026, 11, 4)
    answers = [line for line in out.splitlines() if line.strip().startswith("→")]
    assert len(answers) == 4 and not any("nothing" in a or "error" in a.lower() for a in answers), answers


def test_build_and_demo_end_yesterday_by_the_settings_clock_unless_given_a_date() -> None:
    pinned_today = Settings(today=dt.date(2026, 11, 5))
    assert resolve_end_date(pinned_today, None) == dt.date(2026, 11, 4)
    assert resolve_end_date(pinned_today, None, ["alpin-sport"]) == dt.date(2026, 11, 4)
    assert resolve_end_date(pinned_today, "2026-10-31") == TEST_END_DATE
