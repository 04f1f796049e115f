"""Single-tenant mode on a third-party dbt project (issue #18, items 4 and 6), on the logistics fixture.

Only the documented settings: MERCURIOS_DBT_PROJECT_DIR, MERCURIOS_DUCKDB_PATH and
MERCURIOS_SINGLE_TENANT=true (plus a data dir and dbt's own DBT_TARGET_PATH, because the session
build put target/ in a temp folder). No `mercurios_meta.tenants` registry, no `--tenant`. The
warehouse file is named like the project's mart schema (`transport.duckdb` holding `transport`),
the DuckDB catalog trap, so every command here also proves it is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from assistant.channels.cli.main import app
from assistant.runtime.from_settings import single_tenant_profile
from assistant.runtime.settings import Settings, get_settings
from guardrails.errors import ConfigError, UserError
from tests.assistant.api.api_harness import free_port, wait_until_ready
from tests.nonretail import BuiltProject

QUESTION = "total freight revenue"
RETAIL_WORDS = ("net sales", "by store", "store last month")


@dataclass(frozen=True)
class Env:
    values: dict[str, str]
    expected_revenue: float

    def invoke(self, *args: str, stdin: str | None = None) -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), input=stdin, env=self.values)
        finally:
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def env(logistics: BuiltProject, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    root = tmp_path_factory.mktemp("single-tenant")
    warehouse = root / "transport.duckdb"  # the mart schema is `transport`: the catalog trap
    shutil.copy(logistics.warehouse_path, warehouse)
    values = {
        "MERCURIOS_DBT_PROJECT_DIR": str(logistics.project_dir),
        "MERCURIOS_DUCKDB_PATH": str(warehouse),
        "MERCURIOS_SINGLE_TENANT": "true",
        "MERCURIOS_DATA_DIR": str(root / "var"),
        "DBT_TARGET_PATH": str(logistics.target_path),
    }
    row = logistics.raw.execute("select sum(freight_revenue_eur) from transport.fct_shipments").fetchone()
    assert row is not None
    yield Env(values, float(row[0]))


def _json(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, (result.output, result.exception)
    body: dict[str, object] = json.loads(result.output)
    return body


def test_ask_answers_with_the_three_settings_alone(env: Env) -> None:
    body = _json(env.invoke("ask", QUESTION, "--json"))
    assert body["kind"] == "data" and body["tenant"] == "default", body
    rows = body["rows"]
    assert isinstance(rows, list) and rows[0][-1] == pytest.approx(env.expected_revenue)
    assert "tenant_id" not in str(body["sql"])


@pytest.mark.parametrize(
    "args",
    [
        ("sl", "query", "--metrics", "freight_revenue", "--json"),
        ("sl", "compile", "--metrics", "freight_revenue"),
        ("ask", QUESTION),
    ],
)
def test_tenant_is_optional_and_another_one_is_refused(env: Env, args: tuple[str, ...]) -> None:
    result = env.invoke(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    refused = env.invoke(*args, "--tenant", "acme")
    assert isinstance(refused.exception, UserError) and "single-tenant" in str(refused.exception)


def test_sl_list_metrics_and_query_equal_the_data(env: Env) -> None:
    listed = env.invoke("sl", "list-metrics", "--json")
    assert "freight_revenue" in {m["name"] for m in json.loads(listed.output)}
    data = _json(env.invoke("sl", "query", "--metrics", "freight_revenue", "--json"))
    assert data["rows"] == [[pytest.approx(env.expected_revenue)]]  # type: ignore[comparison-overlap]


def test_chat_greets_with_the_project_name_and_answers(env: Env) -> None:
    result = env.invoke("chat", stdin=f"{QUESTION}\nand by month?\nexit\n")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Kestrel logistics" in result.output  # the dbt project's name: no registry, no setting
    assert "Freight revenue across all loaded data was" in result.output


def test_insights_and_digest_preview_say_why_they_cannot_run(env: Env, tmp_path: Path) -> None:
    """Insights read metrics by role (`kpi: sales` …) and this project declares none: they stop with
    one clear line, never a registry crash or a traceback (tests/assistant/insights/
    test_insights_by_role.py declares some and gets a report)."""
    for args in (("insights",), ("digest", "preview", "--out", str(tmp_path / "d.html"))):
        result = env.invoke(*args)
        assert isinstance(result.exception, UserError), (args, result.exception)
        assert result.exception.code == "insights_unavailable" and "tenant" not in str(result.exception)


def test_help_and_refusal_texts_use_the_projects_metrics(env: Env) -> None:
    for question in ("", "what is the weather in Paris tomorrow?", "delete all shipments"):
        body = _json(env.invoke("ask", question, "--json"))
        text = str(body["answer"]).lower()
        assert body["kind"] == "refusal", body
        assert not any(w in text for w in RETAIL_WORDS), text
        if question:
            assert "active shippers" in text or "freight revenue" in text, text


def test_index_needs_no_tenant(env: Env) -> None:
    result = env.invoke("index", "--json")
    assert result.exit_code == 0, (result.output, result.exception)
    assert {"default"} <= {row["partition"] for row in json.loads(result.output)}


def test_a_multi_tenant_project_still_needs_the_tenant(env: Env) -> None:
    multi = Env({**env.values, "MERCURIOS_SINGLE_TENANT": "false"}, env.expected_revenue)
    result = multi.invoke("ask", QUESTION)
    assert isinstance(result.exception, UserError) and result.exception.code == "tenant_required"


def test_the_profile_takes_settings_then_the_project_var_then_defaults(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "dbt_project.yml").write_text(
        "name: kestrel_logistics\nvars:\n"
        "  mercurios: {name: Kestrel Parcel & Freight, timezone: Europe/London}\n"
    )
    base = Settings(dbt_project_dir=project, tenancy={"single_tenant": True})
    got = single_tenant_profile(base)
    assert (got.tenant_id, got.name, got.timezone, got.currency, got.locale) == (
        "default",
        "Kestrel Parcel & Freight",
        "Europe/London",
        "EUR",
        "de-DE",
    )
    over = single_tenant_profile(base.updated(tenancy={"tenant_currency": "gbp", "tenant_locale": "en-GB"}))
    assert (over.name, over.currency, over.locale) == ("Kestrel Parcel & Freight", "GBP", "en-GB")
    with pytest.raises(ConfigError, match="MERCURIOS_TENANT"):
        single_tenant_profile(base.updated(tenancy={"tenant_timezone": "Nowhere/Else"}))
    with pytest.raises(ConfigError, match="MERCURIOS_SINGLE_TENANT_ID"):
        Settings(tenancy={"single_tenant_id": "Kestrel Logistics"})  # a tenant id like any other


def test_eval_runs_a_single_tenant_question_file(env: Env, tmp_path: Path, logistics: BuiltProject) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        "defaults: {as_of: 2026-10-31, tenant: default, tenant_column: null}\ncases:\n"
        f"- id: total\n  question: {QUESTION}\n"
        "  gold_sql: select sum(freight_revenue_eur) from transport.fct_shipments\n"
        "- id: off-topic\n  question: what is the weather tomorrow?\n  expect: no_answer\n"
    )
    args = ["eval", "run", "--project", str(logistics.project_dir), "--warehouse"]
    args += [env.values["MERCURIOS_DUCKDB_PATH"], "--questions", str(questions), "--json", "--no-progress"]
    args += ["--target-path", str(logistics.target_path)]
    plain = {k: v for k, v in env.values.items() if k != "MERCURIOS_SINGLE_TENANT"}  # the file says so
    report = _json(Env(plain, env.expected_revenue).invoke(*args))
    assert report["outcomes"] == {"total": "pass", "off-topic": "pass"}, json.dumps(report)[:3000]
    assert not report["errors"]


def test_serve_answers_v1_ask_for_the_one_tenant(env: Env, tmp_path: Path) -> None:
    local = Env({**env.values, "MERCURIOS_DATA_DIR": str(tmp_path)}, env.expected_revenue)
    key = local.invoke("keys", "create")  # no --tenant, no `tenants create`
    assert key.exit_code == 0, (key.output, key.exception)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mercurios"), "serve", "--port", str(port)],
            env={**os.environ, **local.values},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server, lambda: log.read_text(errors="replace")[-3000:], seconds=120)
        headers = {"Authorization": f"Bearer {key.output.strip()}"}
        r = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, headers=headers, timeout=60)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["kind"] == "data" and body["tenant"] == "default"
        assert body["rows"][0][-1] == pytest.approx(env.expected_revenue)
        config = httpx.post(f"{base}/v1/widget/config", headers=headers, timeout=60).json()
        chips = " ".join(config["suggestions"]).lower()
        assert config["tenant_name"] == "Kestrel logistics" and "shippers" in chips, config
        assert not any(w in (chips + config["greeting"]).lower() for w in (*RETAIL_WORDS, "stock")), config
        assert "Traceback" not in log.read_text(errors="replace")
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_why_drills_down_on_a_project_without_retail_names(env: Env) -> None:
    """No roles declared, no store or category: 'why?' still compares by the project's own
    categorical dimensions and keeps the one whose parts moved most."""
    from datetime import date

    from assistant.core.context import RequestContext
    from assistant.core.events import TableEvent
    from assistant.runtime.services import build_engine

    settings = Settings(
        dbt_project_dir=Path(env.values["MERCURIOS_DBT_PROJECT_DIR"]),
        dbt_target_path=Path(env.values["DBT_TARGET_PATH"]),
        duckdb_path=Path(env.values["MERCURIOS_DUCKDB_PATH"]),
        data_dir=Path(env.values["MERCURIOS_DATA_DIR"]),
        tenancy={"single_tenant": True},
    )
    engine = build_engine(settings)
    ctx = RequestContext(tenant_id="default", conversation_id="why", as_of=date(2026, 10, 31))
    list(engine.ask("freight revenue last month", ctx))
    tables = [e for e in engine.ask("why?", ctx) if isinstance(e, TableEvent)]
    assert tables, "no answer table"
    breakdown = engine.sl.catalog.dimension(tables[0].columns[0])
    assert breakdown is not None and breakdown.type == "categorical"
    assert any(c.endswith("__change") for c in tables[0].columns)


def test_no_declared_default_metric_means_no_guessed_one(env: Env) -> None:
    """The project declares no `default: true`: a question naming no figure is asked back, never
    answered with whichever metric sorts first (the help texts' fallback is for examples only)."""
    body = _json(env.invoke("ask", "how did we do last month?", "--json"))
    assert body["kind"] == "clarification", body
