"""Fixtures shared by the assistant's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.core.engine import Engine
from tests.assistant.engines import demo_engine
from tests.byo_projects import Project, project_copy
from tests.demo import DemoWarehouse
from tests.nonretail import BuiltProject


@pytest.fixture(scope="module")
def freight(
    logistics: BuiltProject, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Project]:
    """The logistics fixture (Kestrel Parcel & Freight), asked through the CLI; one copy per module."""
    yield project_copy(logistics, tmp_path_factory.mktemp(f"{request.module.__name__}-freight"), "kestrel")


@pytest.fixture(scope="module")
def hotels(
    hospitality: BuiltProject, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Project]:
    """The hospitality fixture (Halden House Hotels), asked through the CLI; one copy per module."""
    yield project_copy(hospitality, tmp_path_factory.mktemp(f"{request.module.__name__}-hotels"), "halden")


@pytest.fixture(scope="module")
def engine(demo_warehouse: DemoWarehouse) -> Iterator[Engine]:
    """The demo warehouse's engine (tests/assistant/engines.py); one per module."""
    yield demo_engine(demo_warehouse)
