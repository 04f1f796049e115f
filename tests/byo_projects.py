"""The two non-retail fixture projects asked end to end through `mercurios ask --json` in
single-tenant mode, each test module on its own copy of the built warehouse (fixtures `freight` and
`hotels` in tests/assistant/conftest.py), numbers checked against the project's own tables."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.runtime.settings import get_settings
from tests.nonretail import BuiltProject

AS_OF = "2026-10-31"


@dataclass(frozen=True)
class Project:
    built: BuiltProject
    env: dict[str, str]

    def ask(self, question: str, as_of: str = AS_OF) -> dict[str, object]:
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["ask", "--json", "--as-of", as_of, question], env=self.env)
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        data: dict[str, object] = json.loads(result.stdout)
        return data

    def ask_after(self, previous: dict[str, object], question: str, as_of: str = AS_OF) -> dict[str, object]:
        """`question` asked as the next turn of `previous`'s conversation (`--conversation`)."""
        get_settings.cache_clear()
        args = [
            "ask",
            "--json",
            "--as-of",
            as_of,
            question,
            "--conversation",
            str(previous["conversation_id"]),
        ]
        try:
            result = CliRunner().invoke(app, args, env=self.env)
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        data: dict[str, object] = json.loads(result.stdout)
        return data

    def sql(self, sql: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in self.built.raw.execute(sql).fetchall()]


def project_copy(built: BuiltProject, root: Path, schema: str) -> Project:
    """`built` on a copy of its warehouse under `root` (named like the project's schema).

    Every copy of one build shares one cache directory (MERCURIOS_CACHE_DIR: the parsed manifest,
    catalog, compiled SQL, dimension values), as one deployment's processes share theirs, and keeps
    the build's mtime: the entries are keyed by the data version and the warehouse's fingerprint
    (mtime and size), so a module's copy reads what an earlier module's copy derived from the same
    data, and a copy a module changes gets its own. Without it each module derived them all again
    (seconds per module on CI's machine)."""
    warehouse = root / f"{schema}.duckdb"
    shutil.copy2(built.warehouse_path, warehouse)
    env = {
        "MERCURIOS_DBT_PROJECT_DIR": str(built.project_dir),
        "MERCURIOS_DUCKDB_PATH": str(warehouse),
        "MERCURIOS_SINGLE_TENANT": "true",
        "MERCURIOS_DATA_DIR": str(root / "var"),
        "MERCURIOS_CACHE_DIR": str(built.target_path.parent / "mercurios-cache"),
        "DBT_TARGET_PATH": str(built.target_path),
        "MERCURIOS_TODAY": AS_OF,
    }
    return Project(built, env)


def rows(answer: dict[str, object]) -> list[list[object]]:
    found = answer["rows"]
    assert isinstance(found, list)
    return found


def column(answer: dict[str, object], name: str) -> list[object]:
    columns = answer["columns"]
    assert isinstance(columns, list) and name in columns, columns
    i = columns.index(name)
    return [r[i] for r in rows(answer)]


def query(answer: dict[str, object]) -> dict[str, object]:
    """The semantic query of an answer's plan (an answer that was no plan fails here, shown)."""
    plan = answer["plan"]
    assert isinstance(plan, dict), answer
    found = plan["query"]
    assert isinstance(found, dict)
    return found


def asked(answer: dict[str, object], *named: str) -> str:
    """The text of an answer that is a question back, with no rows; it names each of `named` in
    quotes."""
    assert answer["kind"] == "clarification", answer["answer"]
    assert answer["rows"] == []
    text = str(answer["answer"])
    for words in named:
        assert f"'{words}'" in text, text
    return text


def metrics_of(answer: dict[str, object]) -> list[str]:
    """The figures of an answer's plan, in its order."""
    found = query(answer)["metrics"]
    assert isinstance(found, list)
    return [str(m) for m in found]


def filters_of(answer: dict[str, object]) -> list[dict[str, object]]:
    """The filters of an answer's plan, each {dimension, operator, values}."""
    found = query(answer)["filters"]
    assert isinstance(found, list)
    return found


def filter_values(answer: dict[str, object]) -> dict[str, object]:
    """The values each filtered dimension of an answer's plan is held to."""
    return {str(f["dimension"]): f["values"] for f in filters_of(answer)}


def answers_the_complimentary_share_of_2025(hotels: Project, question: str) -> dict[str, object]:
    """Asks `question` on the hotels fixture and checks it answers the share of 2025's occupied room
    nights that were complimentary, grouped by the yes/no; the answer, for further checks."""
    ((share,),) = hotels.sql(
        "select sum(case when is_occupied and is_complimentary then 1 else 0 end)::double "
        "/ sum(case when is_occupied then 1 else 0 end) from analytics.room_nights "
        "where stay_date between date '2025-01-01' and date '2025-12-31'"
    )
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["group_by"] == ["reservation__is_complimentary"]
    ((_yes, _count, got, _whole),) = rows(answer)  # the yes row, its share and the whole
    assert abs(float(str(got)) - float(str(share))) < 1e-9
    return answer
