"""The settings are grouped by concern (`settings.llm`, `settings.slack`, …), but every documented
variable keeps its flat name: MERCURIOS_LLM_MODEL still sets the model, from the environment or a
`.env` file, and a bad value names the variable it came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.settings import Settings
from guardrails.errors import ConfigError
from semantic_layer.warehouses import warehouse_from_settings

# One variable of each group (and of the top level), as README and DESIGN.md name them.
FLAT = {
    "MERCURIOS_DATA_DIR": "/srv/mercurios",
    "MERCURIOS_DATABASE_URL": "postgresql://app@db/mercurios",
    "MERCURIOS_REDIS_URL": "redis://cache:6379/0",
    "MERCURIOS_LLM_MODEL": "gpt-4o-mini",
    "MERCURIOS_LLM_CACHE_TTL_S": "120",
    "MERCURIOS_SMTP_HOST": "mail.example.com",
    "MERCURIOS_SMTP_PORT": "2525",
    "MERCURIOS_DIGEST_SCHEDULER": "true",
    "MERCURIOS_SLACK_SIGNING_SECRET": "s3cret",
    "MERCURIOS_SLACK_RATE_LIMIT_PER_MINUTE": "7",
    "MERCURIOS_SNOWFLAKE_ACCOUNT": "acme-eu",
    "MERCURIOS_SNOWFLAKE_SCHEMA": "REPORTING",
    "MERCURIOS_DUCKDB_THREADS": "3",
    "MERCURIOS_WEAVIATE_URL": "http://weaviate:8080",
    "MERCURIOS_VECTOR_STORE": "weaviate",
    "MERCURIOS_LAKE_ROOT": "s3://lake/raw",
    "MERCURIOS_SINGLE_TENANT": "1",
    "MERCURIOS_TENANT_CURRENCY": "GBP",
    "MERCURIOS_RATE_LIMIT_PER_MINUTE": "42",
    "MERCURIOS_GRAPHQL_MAX_DEPTH": "3",
    "MERCURIOS_OTEL_ENDPOINT": "http://collector:4318",
}


def _read(s: Settings) -> dict[str, object]:
    secret = s.slack.signing_secret
    return {
        "MERCURIOS_DATA_DIR": str(s.data_dir),
        "MERCURIOS_DATABASE_URL": s.resolved_database_url,
        "MERCURIOS_REDIS_URL": s.redis_url,
        "MERCURIOS_LLM_MODEL": s.llm.model,
        "MERCURIOS_LLM_CACHE_TTL_S": str(int(s.llm.cache_ttl_s)),
        "MERCURIOS_SMTP_HOST": s.smtp.host,
        "MERCURIOS_SMTP_PORT": str(s.smtp.port),
        "MERCURIOS_DIGEST_SCHEDULER": str(s.digest.scheduler).lower(),
        "MERCURIOS_SLACK_SIGNING_SECRET": secret and secret.get_secret_value(),
        "MERCURIOS_SLACK_RATE_LIMIT_PER_MINUTE": str(s.slack.rate_limit_per_minute),
        "MERCURIOS_SNOWFLAKE_ACCOUNT": s.snowflake.account,
        "MERCURIOS_SNOWFLAKE_SCHEMA": s.snowflake.schema_name,
        "MERCURIOS_DUCKDB_THREADS": str(s.duckdb.threads),
        "MERCURIOS_WEAVIATE_URL": s.retrieval.weaviate_url,
        "MERCURIOS_VECTOR_STORE": s.retrieval.vector_store,
        "MERCURIOS_LAKE_ROOT": s.lake.root,
        "MERCURIOS_SINGLE_TENANT": str(int(s.tenancy.single_tenant)),
        "MERCURIOS_TENANT_CURRENCY": s.tenancy.tenant_currency,
        "MERCURIOS_RATE_LIMIT_PER_MINUTE": str(s.api.rate_limit_per_minute),
        "MERCURIOS_GRAPHQL_MAX_DEPTH": str(s.api.graphql_max_depth),
        "MERCURIOS_OTEL_ENDPOINT": s.api.otel_endpoint,
    }


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No MERCURIOS_ variable of the caller's shell, and a working directory without a `.env`."""
    import os

    for name in [n for n in os.environ if n.startswith("MERCURIOS_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_flat_variable_reaches_its_group(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = _read(Settings())
    assert all(defaults[name] != value for name, value in FLAT.items()), "a default equals the test value"
    for name, value in FLAT.items():
        monkeypatch.setenv(name, value)
    assert _read(Settings()) == FLAT


def test_a_dotenv_file_reaches_the_groups_and_the_environment_wins(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / ".env").write_text(
        "MERCURIOS_LLM_MODEL=anthropic/claude-3-5-haiku-latest\n"
        "MERCURIOS_SMTP_PORT=587\n"
        "MERCURIOS_WEAVIATE_URL=http://from-dotenv:8080\n"
        "MERCURIOS_ROW_CAP=500\n"
    )
    monkeypatch.setenv("MERCURIOS_SMTP_PORT", "465")
    s = Settings()
    assert (s.llm.model, s.smtp.port, s.retrieval.weaviate_url, s.row_cap) == (
        "anthropic/claude-3-5-haiku-latest",
        465,
        "http://from-dotenv:8080",
        500,
    )


def test_a_bad_value_names_the_variable(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERCURIOS_SMTP_PORT", "twenty-five")
    with pytest.raises(ConfigError, match=r"MERCURIOS_SMTP_PORT: Input should be a valid integer"):
        Settings()
    monkeypatch.delenv("MERCURIOS_SMTP_PORT")
    monkeypatch.setenv("MERCURIOS_VECTOR_STORE", "pinecone")
    with pytest.raises(ConfigError, match=r"MERCURIOS_VECTOR_STORE: Input should be 'embedded' or"):
        Settings()
    monkeypatch.delenv("MERCURIOS_VECTOR_STORE")
    with pytest.raises(ConfigError, match=r"MERCURIOS_ROW_CAP: Input should be a valid integer"):
        Settings(row_cap="many")  # type: ignore[arg-type]


def test_code_gives_a_group_as_a_mapping_merged_over_the_environment(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MERCURIOS_LLM_TIMEOUT_S", "7")
    s = Settings(llm={"model": "openai/local"})  # type: ignore[arg-type]
    assert (s.llm.model, s.llm.timeout_s) == ("openai/local", 7.0)
    copy = s.updated(llm={"narratives": False}, row_cap=9)
    assert (copy.llm.model, copy.llm.narratives, copy.row_cap) == ("openai/local", False, 9)
    assert s.llm.narratives is True and s.row_cap == 10_000  # the original is untouched


def test_the_lower_layers_read_their_group_as_is(clean_env: Path) -> None:
    s = Settings(
        data_dir=clean_env,
        duckdb={"threads": 2, "memory_limit": "1GB"},  # type: ignore[arg-type]
        retrieval={"embedding_model": "wordllama", "max_document_bytes": 1000},  # type: ignore[arg-type]
    )
    config = retrieval_config(s)
    assert (config.data_dir, config.max_document_bytes, config.vector_store) == (clean_env, 1000, "embedded")
    missing = warehouse_from_settings(s.updated(duckdb_path=clean_env / "none.duckdb"))
    assert missing.settings.threads == 2 and missing.settings.memory_limit == "1GB"  # type: ignore[attr-defined]


def _variables() -> set[str]:
    """Every variable `Settings` reads: MERCURIOS_ + a top-level field, or a group's prefix + its
    field (or the field's alias, which is the full name)."""
    names = set()
    for name, field in Settings.model_fields.items():
        if name not in Settings.GROUPS:
            names.add(f"MERCURIOS_{name}".upper())
            continue
        group = field.annotation
        assert group is not None and hasattr(group, "model_fields")
        prefix = str(group.model_config.get("env_prefix"))
        for inner, spec in group.model_fields.items():
            alias = spec.validation_alias
            names.add(alias.upper() if isinstance(alias, str) else f"{prefix}{inner}".upper())
    return names


def test_every_variable_the_documents_name_is_read() -> None:
    root = Path(__file__).resolve().parents[2]
    packages = ("assistant", "retrieval", "semantic_layer", "guardrails", "ingestion", "eval")
    documents = [root / "README.md", root / "ARCHITECTURE.md", *sorted((root / "docs").glob("*.md"))]
    documents += [readme for package in packages for readme in sorted((root / package).rglob("README.md"))]
    named = {m for doc in documents for m in re.findall(r"MERCURIOS_[A-Z0-9_]+", doc.read_text())}
    named = {m for m in named if not m.endswith("_")}  # MERCURIOS_SNOWFLAKE_*: a group, not a name
    # a Snowflake role's name, not a variable; the evaluation harness's own switch (eval/runner.py)
    not_settings = {"MERCURIOS_LOADER", "MERCURIOS_EVAL_JUDGE"}
    assert named - not_settings - _variables() == set()
    assert {"MERCURIOS_LLM_MODEL", "MERCURIOS_SNOWFLAKE_SCHEMA", "MERCURIOS_TENANT_COLUMN"} <= _variables()
