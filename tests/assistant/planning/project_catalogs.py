"""The catalogs of the real dbt projects — retail and the three non-retail fixtures — parsed with dbt
(no warehouse), and a question asked of the offline planner over one with a few of the tenant's values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import Plan
from semantic_layer.catalog import Catalog, build_catalog
from semantic_layer.project import SemanticProject

REPO = Path(__file__).resolve().parents[3]
PROJECT_DIRS = {
    "retail": REPO / "dbt",
    "logistics": REPO / "tests" / "fixtures" / "dbt_logistics",
    "hospitality": REPO / "tests" / "fixtures" / "dbt_hospitality",
    "subscription": REPO / "tests" / "fixtures" / "dbt_subscription",
}
AS_OF = date(2026, 10, 31)


_PARSED: dict[str, Catalog] = {}


def parse_catalogs(root: Path) -> dict[str, Catalog]:
    """The four catalogs, parsed into `root` by the first caller of the run and shared with every
    later one (a new dict each time; a Catalog is frozen). `dbt parse` of the four projects takes a
    minute on CI's machine, and each planning module asked for it again: most of the suite's time."""
    if not _PARSED:
        _PARSED.update(
            (name, build_catalog(SemanticProject.load(path, target_path=root / name)))
            for name, path in PROJECT_DIRS.items()
        )
    return dict(_PARSED)


def plan(catalog: Catalog, question: str, values: Mapping[str, Sequence[str]] | None = None) -> Plan:
    lexicon = build_lexicon(catalog, values or {}, {})
    return OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=catalog, lexicon=lexicon)
    )
