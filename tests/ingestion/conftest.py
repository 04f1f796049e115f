"""Demo generations shared by the ingestion tests: each costs well under a second, made once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.demo import TEST_SCALE
from tests.ingestion.generated_demo import ANOMALY_SCALE, GeneratedDemo, generate


@pytest.fixture(scope="session")
def small_demo() -> Iterator[GeneratedDemo]:
    """All tenants at the suite's test scale (the scale the shared warehouse uses)."""
    demo = generate(TEST_SCALE)
    yield demo
    demo.con.close()


@pytest.fixture(scope="session")
def anomaly_demo() -> Iterator[GeneratedDemo]:
    demo = generate(ANOMALY_SCALE)
    yield demo
    demo.con.close()
