"""The CLI starts light: importing it loads none of the heavy libraries a subcommand may need, and
reads no settings; `--help` lists every subcommand with the help its own module gives it.

Checked in a fresh interpreter (the test process has long imported everything), through
`sys.modules` — not timed: start-up time is a benchmark figure (README), not a unit test."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from assistant.channels.cli.lazy import load_target
from assistant.channels.cli.main import COMMANDS, app

REPO = Path(__file__).resolve().parents[2]

# What a subcommand may import, but importing the CLI must not: the compiler, the app database and
# its migrations, the LLM client, the vector store client, Slack, the embedder, the HTTP server.
HEAVY = (
    "metricflow",
    "metricflow_semantics",
    "sqlalchemy",
    "alembic",
    "litellm",
    "weaviate",
    "slack_bolt",
    "slack_sdk",
    "wordllama",
    "fastapi",
    "uvicorn",
    "numpy",
    "duckdb",
)
NOT_AT_IMPORT = ("assistant.runtime.settings", "assistant.runtime.services", "eval")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library_and_reads_no_settings() -> None:
    loaded = _modules_after("import assistant.channels.cli.main")
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == [], f"importing the CLI pulled {heavy[:10]}"
    assert not [m for m in loaded if m in NOT_AT_IMPORT or m.startswith("eval.")]


def test_help_lists_every_subcommand_without_importing_them() -> None:
    loaded = _modules_after(
        "import sys\nsys.argv = ['mercurios', '--help']\n"
        "from assistant.channels.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == []
    assert not [m for m in loaded if m.endswith("_cmd") or m.startswith("eval.bench")]

    out = CliRunner().invoke(app, ["--help"]).stdout
    for name in ("build", "ask", "sl", "guard", "bench", "eval", "ingest", "index", "serve", "slack"):
        assert f" {name} " in out, out


def test_each_subcommand_is_registered_with_its_own_help() -> None:
    COMMANDS.load_plugins()
    for entry in COMMANDS.entries:
        target = load_target(entry.target)
        if callable(target) and not hasattr(target, "registered_commands"):
            docstring = inspect.getdoc(target) or ""
            assert docstring.split("\n\n")[0].replace("\n", " ") == entry.help, entry.target


def test_subcommands_run_and_plugins_extend_built_in_groups() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["index", "--help"])
    assert result.exit_code == 0 and " eval " in result.stdout and " bench " in result.stdout
    result = runner.invoke(app, ["guard", "check", "--help"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["nonsense"])
    assert result.exit_code == 2 and "No such command" in result.output
