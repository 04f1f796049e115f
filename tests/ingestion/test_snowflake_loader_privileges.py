"""The Snowflake sink runs with the loader role of `dbt/snowflake/multi_tenant_setup.sql`.

fakesnow has no access control, so the check is done on the statements: the setup script runs
(what fakesnow emulates of it), the sink loads a tenant through the simulator against that
database, every statement it sends is recorded, and each one's required privilege (CREATE SCHEMA,
CREATE TABLE, CREATE STAGE, SELECT/INSERT/UPDATE/DELETE on a table) must be one the script grants
to MERCURIOS_LOADER. A sink that created a schema, wrote to the marts or deleted a data version
would fail here before it failed in a customer's account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import TEST_END_DATE

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")
snowflake_connector = pytest.importorskip("snowflake.connector", reason="snowflake-connector-python missing")

from ingestion.landing.snowflake_sink import STAGE, SnowflakeSink  # noqa: E402
from ingestion.prohandel.connector import sync_tenant  # noqa: E402
from tests.dbt.test_snowflake_setup import NOT_EMULATED_PREFIXES, grants_to, statements  # noqa: E402

TENANT, OTHER = "alpin-sport", "casa-living"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
LOADER = "MERCURIOS_LOADER"
_PARAM = re.compile(r"%\(\w+\)s|%s")


class RecordingCursor:
    """A connector cursor that remembers the SQL it is given (and otherwise is the cursor)."""

    def __init__(self, cursor: Any, log: list[str]) -> None:
        self._cursor = cursor
        self._log = log

    def execute(self, sql: str, params: Any = None, **kwargs: Any) -> Any:
        self._log.append(sql)
        self._cursor.execute(sql, params, **kwargs)
        return self

    def executemany(self, sql: str, seq: Any, **kwargs: Any) -> Any:
        self._log.append(sql)
        self._cursor.executemany(sql, seq, **kwargs)
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class RecordingConnection:
    def __init__(self, con: Any) -> None:
        self._con = con
        self.log: list[str] = []

    def cursor(self) -> RecordingCursor:
        return RecordingCursor(self._con.cursor(), self.log)

    def close(self) -> None:
        self._con.close()


def loader_grants() -> dict[str, set[str]]:
    granted: dict[str, set[str]] = {}
    for privileges, target in grants_to(LOADER):
        granted.setdefault(target, set()).update(p.strip() for p in privileges.split(","))
    return granted


def required_privileges(sql: str) -> set[tuple[str, str]]:
    """(privilege, object) pairs a statement needs, objects named as the setup script's grants do."""
    tree = sqlglot.parse_one(_PARAM.sub("NULL", sql), read="snowflake")
    if isinstance(tree, exp.Put):
        assert f"@{STAGE}/" in sql, f"PUT to a stage other than the session's own: {sql}"
        return set()  # the session's temporary stage: created (and owned) by the loader itself
    if isinstance(tree, (exp.Transaction, exp.Commit, exp.Rollback)):
        return set()
    tables = [t for t in tree.find_all(exp.Table) if not t.name.startswith("@")]
    tables = [t for t in tables if t.db.upper() != "INFORMATION_SCHEMA"]

    def obj(t: exp.Table) -> str:
        return f"MERCURIOS.{t.db.upper()}.{t.name.upper()}"

    needed: set[tuple[str, str]] = set()
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind")).upper()
        target = tree.find(exp.Table)
        assert target is not None
        if kind == "SCHEMA":
            return {("CREATE SCHEMA", "DATABASE MERCURIOS")}
        return {(f"CREATE {kind}", f"SCHEMA MERCURIOS.{target.db.upper()}")}
    writes: tuple[tuple[type[exp.Expr], str], ...] = (
        (exp.Insert, "INSERT"),
        (exp.Copy, "INSERT"),
        (exp.Delete, "DELETE"),
        (exp.Update, "UPDATE"),
    )
    written = next((privilege for kind, privilege in writes if isinstance(tree, kind)), None)
    target = tables[0] if written else None
    if target is not None and written is not None:
        needed.add((written, obj(target)))
    for t in tables:
        if t is not target:
            needed.add(("SELECT", obj(t)))
    if (
        isinstance(tree, (exp.Delete, exp.Update))
        and tree.args.get("where") is not None
        and target is not None
    ):
        needed.add(("SELECT", obj(target)))  # a WHERE on the target reads it
    assert needed or isinstance(tree, exp.Select), f"no privilege derived for {sql}"
    return needed


def is_granted(granted: dict[str, set[str]], privilege: str, target: str) -> bool:
    if privilege in granted.get(target, set()) or privilege in granted.get(f"TABLE {target}", set()):
        return True
    if target.count(".") == 2:  # a table: covered by the schema's ALL/FUTURE TABLES grants
        schema = target.rsplit(".", 1)[0]
        return all(
            privilege in granted.get(f"{s} TABLES IN SCHEMA {schema}", set()) for s in ("ALL", "FUTURE")
        )
    return False


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=[TENANT, OTHER])
    with fakesnow.patch(), SimulatorServer(sim) as srv:
        yield srv


def set_up_database(name: str) -> Any:
    """The database as the setup script leaves it (what fakesnow emulates; the marts' secure views
    need marts dbt has not built here), under its own name so tests do not share rows."""
    con = snowflake_connector.connect(account="acct", user="setup", password="pw")
    cur = con.cursor()
    for sql in statements():
        if sql.startswith((*NOT_EMULATED_PREFIXES, "CREATE OR REPLACE SECURE VIEW ")):
            continue
        sql = sql.replace("DATABASE IF NOT EXISTS MERCURIOS", f"DATABASE IF NOT EXISTS {name}")
        cur.execute(sql.replace("MERCURIOS.", f"{name}."))
    con.close()
    return snowflake_connector.connect(
        account="acct", user="loader", password="pw", database=name, schema="RAW"
    )


def test_every_statement_of_a_load_is_covered_by_the_loader_grants(server: SimulatorServer) -> None:
    con = RecordingConnection(set_up_database("GRANTS"))
    sink = SnowflakeSink(con)
    ddl = [s for s in con.log if s.lstrip().upper().startswith("CREATE")]
    # the setup made the schemas and the data versions table: the sink creates none of them
    assert not [s for s in ddl if s.upper().startswith("CREATE SCHEMA")]
    assert not [s for s in ddl if "mercurios_meta" in s.lower()]
    assert any("ingest.landing_prohandel_receipts" in s for s in ddl)  # its own staging tables
    bad = {
        "date": "2025-01-05", "branchId": "alp-b77", "articleId": "alp-a00001", "onHand": 3, "onOrder": 0,
        "changedAt": "2025-01-01T00:00:00", "brandNewField": "kept",
    }  # fmt: skip
    server.sim.reset_faults(FaultPlan(inject_records={"inventory": [bad]}))
    with ProHandelClient(server.credentials(TENANT), policy=FAST) as client:
        report = sync_tenant(client, sink, page_size=5000, full_refresh=True)
    server.sim.reset_faults()
    assert report.rows_loaded > 1000 and report.rows_rejected >= 1
    before = sink.data_version(TENANT)
    after = sink.bump_data_version(TENANT, report.load_id)
    assert before is None and sink.data_version(TENANT) == after
    # the version went into the setup script's table (the one the read-only role may SELECT)
    cur = con.cursor()
    cur.execute("SELECT tenant_id, data_version FROM GRANTS.MERCURIOS_META.DATA_VERSIONS")
    assert cur.fetchall() == [(TENANT, after)]

    granted = loader_grants()
    kinds = set()
    for sql in con.log:
        for privilege, target in required_privileges(sql):
            kinds.add(privilege)
            assert is_granted(granted, privilege, target), (
                f"{LOADER} lacks {privilege} on {target}: {sql[:120]}"
            )
    # the load exercised every kind of access the sink has
    assert kinds == {"CREATE TABLE", "CREATE STAGE", "SELECT", "INSERT", "UPDATE", "DELETE"}
    touched = {t for sql in con.log for _, t in required_privileges(sql)}
    assert "MERCURIOS.MERCURIOS_META.DATA_VERSIONS" in touched
    assert all(t.split(".")[1] in ("RAW", "INGEST", "MERCURIOS_META") for t in touched if t.count(".") == 2)
    sink.close()
    con.close()


def test_a_sink_that_created_a_schema_would_need_a_right_the_loader_lacks() -> None:
    """The check above is not vacuous: what the loader may not do is refused by it."""
    granted = loader_grants()
    for sql in (
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE IF NOT EXISTS mercurios_meta.data_versions (tenant_id VARCHAR)",
        "DELETE FROM mercurios_meta.data_versions WHERE tenant_id = %s",
        "INSERT INTO marts.fct_sales (tenant_id) VALUES (%s)",
        "SELECT * FROM governance.tenant_role_map",
    ):
        needed = required_privileges(sql)
        assert needed and not all(is_granted(granted, p, t) for p, t in needed), sql
