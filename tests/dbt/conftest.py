"""Fixtures of the dbt project tests: one dbt build on the hand-written dataset per session."""

from __future__ import annotations

import pytest

from tests.dbt.hand_written_raw import BuiltWarehouse, build_hand_written_warehouse


@pytest.fixture(scope="session")
def hand_built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """Built once for the session: each dbt invocation costs seconds."""
    return build_hand_written_warehouse(tmp_path_factory.mktemp("dbt-hand-built"))
