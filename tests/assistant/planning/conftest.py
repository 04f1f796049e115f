"""The four projects' catalogs (retail, logistics, hospitality, subscription; parsed with dbt, no
warehouse), one fixture for every planning module that plans on them."""

from __future__ import annotations

import pytest

from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import parse_catalogs


@pytest.fixture(scope="session")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalog]:
    return parse_catalogs(tmp_path_factory.mktemp("catalogs"))
