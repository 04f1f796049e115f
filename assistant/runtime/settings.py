"""All configuration, read once from the environment (prefix `MERCURIOS_`) or a `.env` file.

`Settings` holds the paths every part needs and one group per concern (`settings.llm`,
`settings.slack`, `settings.retrieval`, …). Each group is a `BaseSettings` of its own with the
prefix its variables always had (`MERCURIOS_LLM_` for `llm.model` = MERCURIOS_LLM_MODEL; groups
whose variables share no prefix, like `tenancy` and `api`, keep `MERCURIOS_` and their full names),
so every documented variable name still works. In code, a group is given as a mapping and merged
over the environment: `Settings(llm={"model": "gpt-4o-mini"})`; `settings.updated(duckdb={"threads": 1})`
is `model_copy` for one field of a group. A bad value is a `ConfigError` that names the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from guardrails.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DBT_PROJECT_DIR = REPO_ROOT / "dbt"


def _config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore")


def _problems(exc: ValidationError, prefix: str, groups: Mapping[str, str]) -> str:
    """`MERCURIOS_LLM_TIMEOUT_S: Input should be a valid number` for each error: the variable's
    name, whatever group (and so whatever prefix) the field is in."""
    lines = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        where = prefix
        if len(loc) > 1 and loc[0] in groups:
            where, loc = groups[loc[0]], loc[1:]
        field = loc[0] if loc else ""
        name = field if field.upper().startswith("MERCURIOS_") else where + field  # an alias is the name
        lines.append(f"{name.upper()}: {error['msg']}")
    return "invalid settings: " + "; ".join(lines)


class _Group(BaseSettings):
    """One concern's settings; constructing it reads its variables (and `.env`)."""

    model_config = _config("MERCURIOS_")

    if not TYPE_CHECKING:  # mypy keeps checking the fields' keyword arguments

        def __init__(self, **values: Any) -> None:
            try:
                super().__init__(**values)
            except ValidationError as exc:
                raise ConfigError(_problems(exc, str(self.model_config.get("env_prefix")), {})) from None


class DuckDbGroup(_Group):
    """DuckDB's knobs (semantic_layer.warehouses.duckdb.DuckDbSettings), MERCURIOS_DUCKDB_*."""

    model_config = _config("MERCURIOS_DUCKDB_")

    threads: int | None = Field(
        default=None,
        ge=1,
        description="DuckDB threads per query in each process. Default: one per core (the service: one).",
    )
    memory_limit: str | None = Field(
        default=None,
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory limit per process, e.g. '2GB'. Default: DuckDB's (80 % of RAM).",
    )


class SnowflakeGroup(_Group):
    """The Snowflake warehouse, MERCURIOS_SNOWFLAKE_*."""

    model_config = SettingsConfigDict(
        env_prefix="MERCURIOS_SNOWFLAKE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    account: str | None = None
    user: str | None = None
    password: str | None = None
    role: str = "MERCURIOS_ASSISTANT"
    tenant_role_template: str | None = Field(
        default="TENANT_{tenant}",
        description="Each tenant's queries run as this role ({tenant}: the id upper-cased, _ for -); "
        "empty: every query runs as MERCURIOS_SNOWFLAKE_ROLE.",
    )
    warehouse: str = "MERCURIOS_WH"
    database: str = "MERCURIOS"
    # `schema` is taken by pydantic's BaseModel; the variable keeps its name.
    schema_name: str = Field(default="MARTS", validation_alias="MERCURIOS_SNOWFLAKE_SCHEMA")


class TenancyGroup(_Group):
    """Tenancy of the dbt project is configuration, not code (see DESIGN.md)."""

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


class ApiGroup(_Group):
    """The service (assistant/channels/api): widget tokens, operator access, request limits, fair
    queues, GraphQL limits and tracing. MERCURIOS_ + the field's name."""

    widget_token_secret: SecretStr | None = Field(
        default=None, description="HMAC key of widget tokens. Default: a random key kept in <data_dir>."
    )
    widget_token_max_ttl_s: int = 3600
    demo_page: bool = Field(
        default=False, description="Serve /demo and its token endpoint (mercurios demo); never in production."
    )
    admin_token: SecretStr | None = Field(default=None, description="Platform operator token (tenants API).")
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


class LlmGroup(_Group):
    """The LLM (assistant/core/llm): an upgrade, not a requirement — unset means the offline planner."""

    model_config = _config("MERCURIOS_LLM_")

    model: str | None = Field(
        default=None, description="litellm model, e.g. gpt-4o-mini, anthropic/claude-…, openai/<local>."
    )
    fallback_models: tuple[str, ...] = ()
    api_key: SecretStr | None = None
    base_url: str | None = Field(default=None, description="OpenAI-compatible server, e.g. a local one.")
    timeout_s: float = 30.0
    max_retries: int = 2
    narratives: bool = True  # let the LLM phrase answers (numbers are checked against the result)
    cache_ttl_s: float = Field(
        default=0.0,
        ge=0.0,
        description="Cache identical LLM calls (per tenant) this long, in the answer cache's store "
        "(in process, or Redis when MERCURIOS_REDIS_URL is set). 0 = off.",
    )


class SmtpGroup(_Group):
    """Digest emails' SMTP delivery (assistant/channels/digests), MERCURIOS_SMTP_*."""

    model_config = _config("MERCURIOS_SMTP_")

    host: str = "127.0.0.1"
    port: int = 25
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    timeout_s: float = 10.0
    retries: int = 3
    backoff_s: float = 1.0


class DigestGroup(_Group):
    """Digests (assistant/channels/digests): sender and scheduling, MERCURIOS_DIGEST_*."""

    model_config = _config("MERCURIOS_DIGEST_")

    sender: str = "Mercurios <digest@mercurios.local>"
    lease_s: int = 600
    scheduler: bool = Field(
        default=False, description="Run the digest scheduler inside `mercurios serve` (one pass a minute)."
    )
    scheduler_interval_s: float = 60.0


class SlackGroup(_Group):
    """Slack (assistant/channels/slack): mounted at /slack/* when a signing secret is configured."""

    model_config = _config("MERCURIOS_SLACK_")

    signing_secret: SecretStr | None = None
    client_id: str | None = Field(default=None, description="OAuth install per workspace.")
    client_secret: SecretStr | None = None
    bot_token: SecretStr | None = Field(default=None, description="Single-workspace mode (no OAuth).")
    api_url: str = Field(default="https://slack.com/api/", description="Slack Web API base URL.")
    rate_limit_per_minute: int = 30
    table_rows: int = 10


class LakeGroup(_Group):
    """The raw-data lake (ingestion/lake): Parquet + Iceberg; local directory unless an s3:// root."""

    model_config = _config("MERCURIOS_LAKE_")

    root: str | None = Field(
        default=None, description="Default: <data_dir>/lake. s3://… needs a catalog URI."
    )
    catalog_uri: str | None = Field(default=None, description="SQL catalog. Default: SQLite in the lake.")
    retention_days: int = Field(default=730, description="How long landed pages stay in the lake.")
    tenant_retention_days: dict[str, int] = Field(default_factory=dict, description="Per-tenant override.")
    snapshot_window_days: int = Field(default=7, description="Time travel kept after `lake expire`.")


class RetrievalGroup(_Group):
    """Retrieval (retrieval/): embeddings and the vector store — the fields of
    `retrieval.config.RetrievalConfig` under their MERCURIOS_ names."""

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


class Settings(BaseSettings):
    model_config = _config("MERCURIOS_")

    # Paths and what every part reads.
    data_dir: Path = Field(default=Path("var"), description="Where the embedded warehouse and app data live.")
    warehouse: Literal["duckdb", "snowflake"] = "duckdb"
    duckdb_path: Path | None = Field(default=None, description="Defaults to <data_dir>/warehouse.duckdb.")
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
    today: date | None = Field(
        default=None,
        description="Pin the date treated as today when a request gives no as_of (frozen data, tests). "
        "Default: today in the tenant's timezone.",
    )
    query_timeout_s: float = 30.0
    row_cap: int = 10_000
    # The app database, cache and sealed secrets (the service, Slack, digests and the CLI share them).
    database_url: str | None = Field(
        default=None, description="App database (SQLAlchemy URL). Default: SQLite file <data_dir>/app.db."
    )
    redis_url: str | None = Field(default=None, description="Redis for the answer cache and rate limits.")
    cache_namespace: str = "mercurios"
    secret_key: SecretStr | None = Field(
        default=None,
        description="Seals secrets in the app database (Slack bot tokens). Default: a key file in data_dir.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Links in digests and Slack point here."
    )
    prohandel_credentials_file: Path | None = None

    # One group per concern, each read under its own prefix.
    tenancy: TenancyGroup = Field(default_factory=TenancyGroup)
    duckdb: DuckDbGroup = Field(default_factory=DuckDbGroup)
    snowflake: SnowflakeGroup = Field(default_factory=SnowflakeGroup)
    api: ApiGroup = Field(default_factory=ApiGroup)
    llm: LlmGroup = Field(default_factory=LlmGroup)
    smtp: SmtpGroup = Field(default_factory=SmtpGroup)
    digest: DigestGroup = Field(default_factory=DigestGroup)
    slack: SlackGroup = Field(default_factory=SlackGroup)
    lake: LakeGroup = Field(default_factory=LakeGroup)
    retrieval: RetrievalGroup = Field(default_factory=RetrievalGroup)

    GROUPS: ClassVar[tuple[str, ...]] = (
        "tenancy", "duckdb", "snowflake", "api", "llm", "smtp", "digest", "slack", "lake", "retrieval",
    )  # fmt: skip

    if not TYPE_CHECKING:  # mypy keeps checking the fields' keyword arguments

        def __init__(self, **values: Any) -> None:
            try:
                super().__init__(**values)
            except ValidationError as exc:
                prefixes = {
                    name: str(type(self).model_fields[name].annotation.model_config.get("env_prefix"))
                    for name in self.GROUPS
                }
                raise ConfigError(_problems(exc, "MERCURIOS_", prefixes)) from None

    def updated(self, **changes: Any) -> Settings:
        """A copy with `changes`; a mapping for a group changes only those fields of the group:
        `settings.updated(duckdb={"threads": 1}, row_cap=10)`."""
        update = dict(changes)
        for name in self.GROUPS:
            if isinstance(update.get(name), Mapping):
                update[name] = getattr(self, name).model_copy(update=dict(update[name]))
        return self.model_copy(update=update)

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
