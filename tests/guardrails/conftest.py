"""Fixtures of the guard tests: the three-tenant warehouse and its per-tenant oracles (built once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.guardrails.guard_warehouse import Warehouses, build_warehouses


@pytest.fixture(scope="session")
def warehouses() -> Iterator[Warehouses]:
    built = build_warehouses()
    yield built
    for conn in (built.full, *built.oracles.values()):
        conn.close()
