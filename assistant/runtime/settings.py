"""All configuration, read once from the environment (prefix `MERCURIOS_`) or a `.env` file."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DBT_PROJECT_DIR = REPO_ROOT / "dbt"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MERCURIOS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded warehouse and app data live.")
    warehouse: Literal["duckdb", "snowflake"] = "duckdb"
    duckdb_path: Path | None = Field(default=None, description="Defaults to <data_dir>/warehouse.duckdb.")
    duckdb_threads: int | None = Field(
        default=None,
        ge=1,
        description="DuckDB threads per query in each process. Default: one per core (the service: one).",
    )
    duckdb_memory_limit: str | None = Field(
        default=None,
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory limit per process, e.g. '2GB'. Default: DuckDB's (80 % of RAM).",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="What the semantic manifest and the tenants' data yield, kept for the next process "
        "(parsed manifest, catalog, compiled SQL, dimension values). Default: <data_dir>/cache.",
    )
    dbt_project_dir: Path = DEFAULT_DBT_PROJECT_DIR
    dbt_target: str = "duckdb"
    dbt_target_path: Path | None = Field(
        default=None, description="dbt's target folder (semantic manifest). Default: <dbt project>/target."
    )
    # Tenancy of the dbt project is configuration, not code (see DESIGN.md).
    tenant_column: str = "tenant_id"
    tenant_neutral_relations: tuple[str, ...] = ("metricflow_time_spine", "time_spine", "dim_dates")
    single_tenant: bool = False
    # The one tenant of a single-tenant project (no registry needed). Its profile comes from these
    # settings, else the dbt project's `vars: {mercurios: {name, currency, timezone, locale}}`, else
    # the dbt project's name and the product defaults (EUR, Europe/Berlin, de-DE).
    single_tenant_id: str = Field(
        default="default",
        pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$",  # a tenant id like any other (context.TENANT_ID_PATTERN)
        description="The tenant id of a single-tenant project.",
    )
    tenant_name: str | None = Field(default=None, description="Single-tenant display name.")
    tenant_currency: str | None = Field(default=None, description="Single-tenant currency (ISO code).")
    tenant_timezone: str | None = Field(default=None, description="Single-tenant timezone (IANA).")
    tenant_locale: str | None = Field(default=None, description="Single-tenant locale, e.g. en-GB.")
    today: date | None = Field(
        default=None,
        description="Pin the date treated as today when a request gives no as_of (frozen data, tests). "
        "Default: today in the tenant's timezone.",
    )

    query_timeout_s: float = 30.0
    row_cap: int = 10_000

    # The service (assistant/channels/api): app database, cache, credentials, limits.
    database_url: str | None = Field(
        default=None, description="App database (SQLAlchemy URL). Default: SQLite file <data_dir>/app.db."
    )
    redis_url: str | None = Field(default=None, description="Redis for the answer cache and rate limits.")
    cache_namespace: str = "mercurios"
    widget_token_secret: SecretStr | None = Field(
        default=None, description="HMAC key of widget tokens. Default: a random key kept in <data_dir>."
    )
    widget_token_max_ttl_s: int = 3600
    demo_page: bool = Field(
        default=False, description="Serve /demo and its token endpoint (mercurios demo); never in production."
    )
    admin_token: SecretStr | None = Field(default=None, description="Platform operator token (tenants API).")
    secret_key: SecretStr | None = Field(
        default=None,
        description="Seals secrets in the app database (Slack bot tokens). Default: a key file in data_dir.",
    )
    max_body_bytes: int = 64 * 1024
    sse_ping_s: float = 15.0
    rate_limit_per_minute: int = 600
    # Fair queues per process (runtime/fair_queue.py): at most this many at once, at most
    # `..._per_tenant` of them one tenant's, the rest waiting (up to `queue_per_tenant`, then 429).
    # Direct warehouse work (/v1/query, each GraphQL query field, insights) is all warehouse time;
    # a question is mostly planning, answering and storing the turn, with a short query in between.
    warehouse_slots: int = Field(default=4, ge=1)
    warehouse_slots_per_tenant: int = Field(default=1, ge=1)
    question_slots: int = Field(default=16, ge=1)
    question_slots_per_tenant: int = Field(default=8, ge=1)
    queue_per_tenant: int = Field(default=64, ge=1)
    # GraphQL requests are refused before execution beyond these (a query field = a warehouse query)
    graphql_max_queries: int = Field(default=5, ge=1)
    graphql_max_aliases: int = Field(default=10, ge=0)
    graphql_max_depth: int = Field(default=5, ge=1)
    graphql_max_tokens: int = Field(default=2000, ge=10)
    otel_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector (e.g. http://collector:4318); spans go to <url>/v1/traces.",
    )
    otel_service_name: str = "mercurios"

    # The LLM (assistant/core/llm): an upgrade, not a requirement — unset means the offline planner.
    llm_model: str | None = Field(
        default=None, description="litellm model, e.g. gpt-4o-mini, anthropic/claude-…, openai/<local>."
    )
    llm_fallback_models: tuple[str, ...] = ()
    llm_api_key: SecretStr | None = None
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible server, e.g. a local one.")
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 2
    llm_narratives: bool = True  # let the LLM phrase answers (numbers are checked against the result)
    llm_cache_ttl_s: float = Field(
        default=0.0,
        ge=0.0,
        description="Cache identical LLM calls (per tenant) this long, in the answer cache's store "
        "(in process, or Redis when MERCURIOS_REDIS_URL is set). 0 = off.",
    )

    # Digests (assistant/channels/digests): SMTP delivery and the links in each email.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = 10.0
    smtp_retries: int = 3
    smtp_backoff_s: float = 1.0
    digest_sender: str = "Mercurios <digest@mercurios.local>"
    public_base_url: str = Field(default="http://127.0.0.1:8000", description="Links in digests point here.")
    digest_lease_s: int = 600
    digest_scheduler: bool = Field(
        default=False, description="Run the digest scheduler inside `mercurios serve` (one pass a minute)."
    )
    digest_scheduler_interval_s: float = 60.0

    # Slack (assistant/channels/slack): mounted at /slack/* when a signing secret is configured.
    slack_signing_secret: SecretStr | None = None
    slack_client_id: str | None = Field(default=None, description="OAuth install per workspace.")
    slack_client_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = Field(default=None, description="Single-workspace mode (no OAuth).")
    slack_api_url: str = Field(default="https://slack.com/api/", description="Slack Web API base URL.")
    slack_rate_limit_per_minute: int = 30
    slack_table_rows: int = 10

    prohandel_credentials_file: Path | None = None
    # The raw-data lake (ingestion/lake): Parquet + Iceberg; local directory unless an s3:// root.
    lake_root: str | None = Field(
        default=None, description="Default: <data_dir>/lake. s3://… needs a catalog URI."
    )
    lake_catalog_uri: str | None = Field(
        default=None, description="SQL catalog. Default: SQLite in the lake."
    )
    lake_retention_days: int = Field(default=730, description="How long landed pages stay in the lake.")
    lake_tenant_retention_days: dict[str, int] = Field(
        default_factory=dict, description="Per-tenant override."
    )
    lake_snapshot_window_days: int = Field(default=7, description="Time travel kept after `lake expire`.")

    snowflake_account: str | None = None
    snowflake_user: str | None = None
    snowflake_password: str | None = None
    snowflake_role: str = "MERCURIOS_ASSISTANT"
    snowflake_tenant_role_template: str | None = Field(
        default="TENANT_{tenant}",
        description="Each tenant's queries run as this role ({tenant}: the id upper-cased, _ for -); "
        "empty: every query runs as MERCURIOS_SNOWFLAKE_ROLE.",
    )
    snowflake_warehouse: str = "MERCURIOS_WH"
    snowflake_database: str = "MERCURIOS"
    snowflake_schema: str = "MARTS"

    # Retrieval (retrieval/): embeddings and the vector store.
    embedding_model: str = Field(
        default="wordllama",
        description="wordllama (offline, bundled) | sentence-transformers/<name> | a litellm model.",
    )
    embedding_api_base: str | None = None
    embedding_api_key: str | None = None
    vector_store: Literal["embedded", "weaviate"] = "embedded"
    weaviate_url: str | None = None
    weaviate_api_key: str | None = None
    max_document_bytes: int = 5 * 1_048_576

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.data_dir / "cache"

    @property
    def resolved_duckdb_path(self) -> Path:
        return self.duckdb_path if self.duckdb_path is not None else self.data_dir / "warehouse.duckdb"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'app.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
