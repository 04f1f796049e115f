"""Fixtures shared by the evaluation's tests: the demo warehouse's engine, and the gold oracle that
judges its answers by running the gold SQL on the same warehouse; one of each per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.core.engine import Engine
from assistant.runtime.services import build_engine
from assistant.runtime.settings import Settings
from eval.runner import GoldOracle
from tests.demo import DemoWarehouse


@pytest.fixture(scope="module")
def engine(demo_warehouse: DemoWarehouse) -> Engine:
    return build_engine(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture(scope="module")
def oracle(demo_warehouse: DemoWarehouse) -> Iterator[GoldOracle]:
    judge = GoldOracle(demo_warehouse.path)
    yield judge
    judge.close()
