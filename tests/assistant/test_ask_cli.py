"""`mercurios ask`: the JSON contract of DESIGN.md, follow-ups by conversation id, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.demo import DemoWarehouse

CONTRACT_KEYS = {
    "tenant", "question", "as_of", "kind", "plan", "sql", "columns", "rows", "answer", "chart", "followups",
    "cached", "timings_ms",
}  # fmt: skip


def mercurios(
    demo: DemoWarehouse, *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "MERCURIOS_DUCKDB_PATH": str(demo.path),
        "DBT_TARGET_PATH": str(demo.dbt_target_path),
        "MERCURIOS_CACHE_DIR": str(demo.cache_dir),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant.channels.cli.main", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_ask_json_follows_the_contract(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    proc = mercurios(
        demo_warehouse,
        "ask",
        "top 3 stores by net sales last month",
        "--tenant",
        "nordwind-fashion",
        "--as-of",
        "2026-10-31",
        "--json",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= CONTRACT_KEYS
    assert out["kind"] == "data" and out["tenant"] == "nordwind-fashion" and out["as_of"] == "2026-10-31"
    assert out["plan"]["query"]["metrics"] == ["net_sales"] and out["plan"]["query"]["limit"] == 3
    assert "tenant_id = 'nordwind-fashion'" in out["sql"]
    assert out["columns"] == ["store__store_name", "net_sales"] and len(out["rows"]) == 3
    values = [row[1] for row in out["rows"]]
    assert values == sorted(values, reverse=True)
    assert out["rows"][0][0] in out["answer"] and out["chart"]["mark"] == "bar"
    assert out["timings_ms"]["total"] > 0


def test_ask_refusal_and_clarification_kinds(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    refusal = mercurios(demo_warehouse, "ask", "write me a poem", "-t", "alpin-sport", "--json", cwd=tmp_path)
    assert refusal.returncode == 0 and json.loads(refusal.stdout)["kind"] == "refusal"
    unclear = mercurios(
        demo_warehouse, "ask", "how are we doing?", "-t", "alpin-sport", "--json", cwd=tmp_path
    )
    body = json.loads(unclear.stdout)
    assert body["kind"] == "clarification" and body["sql"] is None and body["followups"]


def test_ask_errors_are_one_line(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    unknown = mercurios(demo_warehouse, "ask", "net sales", "-t", "acme", cwd=tmp_path)
    assert unknown.returncode == 2 and unknown.stderr.strip() == "error: unknown tenant 'acme'"
    bad_date = mercurios(
        demo_warehouse, "ask", "net sales", "-t", "alpin-sport", "--as-of", "31.10.", cwd=tmp_path
    )
    assert bad_date.returncode == 2 and "malformed --as-of" in bad_date.stderr
    assert len(bad_date.stderr.strip().splitlines()) == 1


def test_demo_shows_the_tenants_and_answers_sample_questions(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    proc = mercurios(demo_warehouse, "demo", "--no-serve", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Using the existing warehouse" in out
    for tenant in ("nordwind-fashion", "alpin-sport", "casa-living"):
        assert tenant in out
    answers = [line for line in out.splitlines() if line.strip().startswith("→")]
    assert len(answers) == 4 and all("error" not in a.lower() for a in answers)
    assert "CHF" in out and "€" in out


# ---- conversations persist in the app database (issue #17, item 12) ------------------------------


def _ask_json(demo: DemoWarehouse, cwd: Path, tenant: str, question: str, *extra: str) -> dict[str, Any]:
    proc = mercurios(demo, "ask", question, "-t", tenant, "--as-of", "2026-10-31", "--json", *extra, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


@pytest.fixture(params=["sqlite", "postgresql"])
def app_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Extra environment for the CLI: the default SQLite app.db under the data dir, or PostgreSQL."""
    if request.param == "sqlite":
        yield {"MERCURIOS_DATA_DIR": str(tmp_path / "data")}
        return
    from tests.assistant.api.api_harness import drop_postgres_database, postgres_database

    pg = postgres_database()
    if pg is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL unreachable — CI starts it")
        pytest.skip("!!! PostgreSQL unreachable: the CLI conversation test runs on SQLite only !!!")
    url, admin_url = pg
    yield {"MERCURIOS_DATA_DIR": str(tmp_path / "data"), "MERCURIOS_DATABASE_URL": url}
    drop_postgres_database(url, admin_url)


def test_a_follow_up_in_a_second_invocation_continues_the_conversation(
    demo_warehouse: DemoWarehouse,
    tmp_path: Path,
    app_database: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in app_database.items():  # every CLI process of this test uses this app database
        monkeypatch.setenv(key, value)
    first = _ask_json(demo_warehouse, tmp_path, "nordwind-fashion", "net sales last month")
    conversation = first["conversation_id"]
    follow = _ask_json(
        demo_warehouse, tmp_path, "nordwind-fashion", "and by store?", "--conversation", conversation
    )
    one_shot = _ask_json(demo_warehouse, tmp_path, "nordwind-fashion", "net sales by store last month")
    assert follow["conversation_id"] == conversation
    assert follow["plan"]["query"]["group_by"] == ["store__store_name"]
    assert follow["plan"]["period"] == one_shot["plan"]["period"]
    assert (follow["columns"], follow["rows"]) == (one_shot["columns"], one_shot["rows"])

    # the human output names the conversation, so a user can continue it
    human = mercurios(
        demo_warehouse, "ask", "what about vs last year?", "-t", "nordwind-fashion", "--as-of", "2026-10-31",
        "--conversation", conversation, cwd=tmp_path,
    )  # fmt: skip
    assert human.returncode == 0, human.stderr
    assert f"--conversation {conversation}" in human.stdout

    # another tenant cannot continue it, and its attempt writes nothing into it
    other = mercurios(
        demo_warehouse, "ask", "and by store?", "-t", "alpin-sport", "--as-of", "2026-10-31",
        "--conversation", conversation, "--json", cwd=tmp_path,
    )  # fmt: skip
    assert other.returncode == 2 and other.stdout == ""
    assert other.stderr.strip().startswith("error: no conversation") and len(other.stderr.splitlines()) == 1
    from assistant.runtime.persistence.conversation_store import SqlConversationStore
    from assistant.runtime.persistence.database import Database

    db = Database(app_database.get("MERCURIOS_DATABASE_URL") or f"sqlite:///{tmp_path / 'data' / 'app.db'}")
    try:
        store = SqlConversationStore(db)
        turns = store.turns("nordwind-fashion", conversation)
        asked = ["net sales last month", "and by store?", "what about vs last year?"]
        assert [t.question for t in turns] == asked
        assert store.info("alpin-sport", conversation) is None
        assert store.turns("alpin-sport", conversation) == []
    finally:
        db.dispose()


def test_chat_resumes_a_conversation_started_by_ask(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    env_dir = {"MERCURIOS_DATA_DIR": str(tmp_path / "data")}
    first = mercurios(
        demo_warehouse, "ask", "net sales last month", "-t", "casa-living", "--as-of", "2026-10-31", "--json",
        cwd=tmp_path, env=env_dir,
    )  # fmt: skip
    conversation = json.loads(first.stdout)["conversation_id"]
    chat = mercurios(
        demo_warehouse, "chat", "-t", "casa-living", "--as-of", "2026-10-31", "--conversation", conversation,
        cwd=tmp_path, env=env_dir, stdin="and by store?\nexit\n",
    )  # fmt: skip
    assert chat.returncode == 0, chat.stderr
    assert conversation in chat.stdout
    assert "Casa Living Basel" in chat.stdout and "last month (2026-09-01 to 2026-09-30)" in chat.stdout
    refused = mercurios(
        demo_warehouse, "chat", "-t", "alpin-sport", "--conversation", conversation,
        cwd=tmp_path, env=env_dir, stdin="and by store?\n",
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.startswith("error: no conversation")
