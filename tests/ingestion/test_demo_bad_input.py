"""Bad requests to the demo generator fail with a clear UserError and leave the database untouched."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from guardrails.errors import UserError
from ingestion.demo import TENANT_PROFILES, generate_demo


def _raw_schema_exists(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'raw'").fetchone()
    return row is not None and row[0] > 0


def test_unknown_tenant_names_the_known_ones() -> None:
    con = duckdb.connect()
    with pytest.raises(UserError) as info:
        generate_demo(con, scale=0.02, tenants=["nordwind-fashion", "acme-shoes"])
    message = str(info.value)
    assert "acme-shoes" in message
    assert all(t in message for t in TENANT_PROFILES)
    assert not _raw_schema_exists(con)


def test_empty_tenant_list_is_refused() -> None:
    with pytest.raises(UserError, match="known tenants"):
        generate_demo(duckdb.connect(), scale=0.02, tenants=[])


@pytest.mark.parametrize("scale", [0.0, -1.0, 100.5, 1e9, float("nan")])
def test_scale_must_be_positive_and_sane(scale: float) -> None:
    con = duckdb.connect()
    with pytest.raises(UserError, match="scale"):
        generate_demo(con, scale=scale)
    assert not _raw_schema_exists(con)


def test_end_date_before_2020_is_refused() -> None:
    con = duckdb.connect()
    with pytest.raises(UserError, match="end_date"):
        generate_demo(con, end_date=dt.date(2019, 12, 31), scale=0.02)
    assert not _raw_schema_exists(con)
