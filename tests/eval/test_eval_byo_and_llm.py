"""Bring your own evaluation on the second dbt project (subscription fixture, tenant column org_id),
and the LLM runner (`--model`) against a local OpenAI-compatible server with scripted tool calls."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.runtime.settings import get_settings
from eval.cli import app
from semantic_layer.dbt_runner import run_dbt
from tests.assistant.llm.servers import OpenAiStub, Reply, ToolCall
from tests.demo import DemoWarehouse

REPO = Path(__file__).resolve().parents[2]
SUBSCRIPTION = REPO / "tests" / "fixtures" / "dbt_subscription"
QUESTIONS = REPO / "eval" / "suites" / "byo_subscription.yaml"


@pytest.fixture(scope="module")
def subscription(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("byo")
    run_dbt(SUBSCRIPTION, ["build"], duckdb_path=root / "sub.duckdb", target_path=root / "target")
    return root / "sub.duckdb", root / "target"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("MERCURIOS_DUCKDB_PATH", "DBT_TARGET_PATH", "MERCURIOS_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def byo_args(warehouse: Path, target: Path, questions: Path) -> list[str]:
    return [
        "run", "--project", str(SUBSCRIPTION), "--warehouse", str(warehouse), "--target-path", str(target),
        "--questions", str(questions), "--tenant-column", "org_id", "--json",
    ]  # fmt: skip


def test_bring_your_own_project_and_questions(
    subscription: tuple[Path, Path], clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    warehouse, target = subscription
    result = CliRunner().invoke(app, byo_args(warehouse, target, QUESTIONS))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["suite"] == "byo_subscription" and body["total"] >= 5
    assert body["accuracy"] == 1.0, body["misses"]
    # the same project with a wrong gold and an unknown org: misses and errors, not a crash
    own = tmp_path / "mine.yaml"
    own.write_text(
        "defaults: {as_of: 2025-06-30, tenant_column: org_id}\ncases:\n"
        "- {id: wrong, tenant: acme, question: invoice revenue,"
        " gold_sql: \"select -1 from billing.fct_invoices where org_id = 'acme' limit 1\"}\n"
        "- {id: ghost, tenant: hooli, question: invoice revenue,"
        " gold_sql: \"select 1 from billing.fct_invoices where org_id = 'hooli'\"}\n",
        encoding="utf-8",
    )
    mine = json.loads(CliRunner().invoke(app, byo_args(warehouse, target, own)).stdout)
    assert mine["outcomes"] == {"wrong": "miss", "ghost": "error"}
    assert "unknown tenant 'hooli'" in mine["errors"][0]["got"]


def test_the_llm_runner_reports_tokens_and_cost(
    demo_warehouse: DemoWarehouse, clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    suite = tmp_path / "llm.yaml"
    suite.write_text(
        "cases:\n- id: llm-sales\n  tenant: nordwind-fashion\n  as_of: 2026-10-31\n"
        "  question: how much did we sell in September?\n  gold_sql: select sum(net_amount) from "
        "marts.fct_sales where tenant_id = 'nordwind-fashion' "
        "and sale_date between '2026-09-01' and '2026-09-30'\n",
        encoding="utf-8",
    )
    call = ToolCall(
        "query_metrics",
        {"metrics": ["net_sales"], "time_range": {"start": "2026-09-01", "end": "2026-09-30"}},
    )
    with OpenAiStub() as stub:
        stub.enqueue(Reply(call, prompt_tokens=1200, completion_tokens=40))
        for name, value in {
            "MERCURIOS_DUCKDB_PATH": str(demo_warehouse.path),
            "DBT_TARGET_PATH": str(demo_warehouse.dbt_target_path),
            "MERCURIOS_LLM_BASE_URL": stub.base_url,
            "MERCURIOS_LLM_API_KEY": "test-key",
            "MERCURIOS_LLM_NARRATIVES": "false",
            "MERCURIOS_LLM_MAX_RETRIES": "0",
        }.items():
            clean_env.setenv(name, value)
        get_settings.cache_clear()
        out = tmp_path / "run.json"
        result = CliRunner().invoke(
            app, ["run", "--suite", str(suite), "--model", "openai/test-model", "--json-out", str(out)]
        )
    assert result.exit_code == 0, result.output
    body = json.loads(out.read_text())
    assert body["meta"]["runner"] == "llm:openai/test-model"
    assert body["suites"]["llm"]["passed"] == 1
    assert body["usage"]["prompt_tokens"] == 1200 and body["usage"]["completion_tokens"] == 40
    assert "LLM total: 1200+40 tokens" in result.stdout
