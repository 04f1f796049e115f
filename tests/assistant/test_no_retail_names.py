"""No retail table, column or metric name in `assistant/` (issue #18, acceptance 3).

Domain words live in the dbt project and its `meta` (DESIGN.md): core code names roles (location,
product, channel, customer, money, count …), read through the catalog, so any dbt project works.
The names are read from the retail demo's own dbt project — its marts' tables and columns, its
semantic models' entities, dimensions and measures, its metrics — so a name added there is checked
here too. Every name with an underscore is looked for as is; a name that is also a plain English
word is looked for in its semantic-layer spelling (`store__city`), and a plain-word metric also as a
whole quoted string (`"orders"`) — the words alone (`a store in a city`, the role `product`) are
not names.

The demo-building code may keep retail names (it builds the retail demo). The allow-list is empty:
a file added to it needs a one-line reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ASSISTANT = ROOT / "assistant"
RETAIL_DBT = ROOT / "dbt" / "models"

# Product-level names that happen to sit in the retail marts: the tenant column's default, the
# registry's columns and the time spine belong to Mercurios, not to retail.
PRODUCT_NAMES = frozenset({"tenant_id", "tenant_name", "metricflow_time_spine", "date_day", "metric_time"})

# Builds the retail demo (warehouse, generator, `mercurios build`/`demo` and its host page).
DEMO_BUILDING = frozenset(
    {
        "assistant/runtime/warehouse_build.py",
        "assistant/channels/cli/build_cmd.py",
        "assistant/channels/widget/templates/demo.html.j2",
    }
)

# Files allowed to keep a retail name, each with its reason. Empty: insights, digests and the
# planner's defaults read metrics and dimensions by role (meta.mercurios in the dbt YAML).
ALLOWED: frozenset[str] = frozenset()

SUFFIXES = (".py", ".js", ".html", ".j2", ".yaml", ".yml", ".md", ".txt")


def _names(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str):
            yield name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _names(item)


def retail_names() -> tuple[set[str], set[str], set[str]]:
    """(identifiers with an underscore, plain-word metrics, entity names) of the retail dbt project."""
    names: set[str] = set()
    entities: set[str] = set()
    metrics: set[str] = set()
    for path in sorted(RETAIL_DBT.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(_names(doc))
        metrics.update(m["name"] for m in doc.get("metrics") or [])
        for model in doc.get("semantic_models") or []:
            entities.update(e["name"] for e in model.get("entities") or [])
            metrics.update(m["name"] for m in model.get("measures") or [])
    names.update(p.stem for p in (RETAIL_DBT / "marts").glob("*.sql"))
    names -= PRODUCT_NAMES
    entities -= {"tenant"}
    return {n for n in names if "_" in n}, {m for m in metrics if "_" not in m}, entities


def _pattern() -> re.Pattern[str]:
    identifiers, plain_metrics, entities = retail_names()
    qualified = rf"\b(?:{'|'.join(sorted(entities))})__[a-z0-9_]+"
    plain = rf"(?<![A-Za-z0-9_])(?:{'|'.join(sorted(identifiers, key=len, reverse=True))})(?![A-Za-z0-9_])"
    quoted = rf"([\"'`])(?:{'|'.join(sorted(plain_metrics))})\1"
    return re.compile(f"{qualified}|{plain}|{quoted}")


def _scanned() -> Iterator[tuple[str, Path]]:
    for path in sorted(ASSISTANT.rglob("*")):
        if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
            yield path.relative_to(ROOT).as_posix(), path


def test_the_retail_names_are_read_from_the_retail_dbt_project() -> None:
    identifiers, plain_metrics, entities = retail_names()
    assert {"net_sales", "fct_sales", "store_name", "on_hand_units", "units_per_transaction"} <= identifiers
    assert {"orders", "sessions"} <= plain_metrics and {"store", "product", "sale_line"} <= entities
    found = _pattern()
    assert found.search("group_by=('store__store_name',)") and found.search('"net_sales"')
    assert found.search('totals(ctx, ("orders",))') and found.search("`sessions`")
    assert not found.search("net_sales_total") and not found.search("a store in a city")
    assert not found.search('ROLES = ("location", "product", "channel")') and not found.search("orders")


def test_no_retail_table_column_or_metric_name_in_assistant() -> None:
    pattern = _pattern()
    hits = []
    for rel, path in _scanned():
        if rel in DEMO_BUILDING or rel in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in pattern.finditer(line):
                hits.append(f"{rel}:{number}: {match.group(0)}")
    assert not hits, "retail names in core code (name a role from the catalog instead):\n" + "\n".join(hits)


def test_the_allow_list_only_holds_files_that_still_need_it() -> None:
    """An entry whose file is clean (or gone) is removed, so the allow-list only ever shrinks."""
    pattern = _pattern()
    stale = [
        rel
        for rel in ALLOWED
        if not (ROOT / rel).is_file() or not pattern.search((ROOT / rel).read_text(encoding="utf-8"))
    ]
    assert not stale, f"remove from ALLOWED (no retail names left): {stale}"
