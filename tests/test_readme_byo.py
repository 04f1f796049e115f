"""README "Bring your own dbt project" (issue #18, acceptance 2): exactly the README's commands, run.

The block is read from the README, its clone URL pointed at a git repository made from a copy of
the hospitality fixture, and run line by line in one bash (as a user types them) with nothing but
Mercurios' `.venv/bin` on PATH and a clean environment. The answer must be a data answer whose
number is the hand-computed total over the project's own table.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "dbt_hospitality"
SECTION = "## Bring your own dbt project"
MAX_COMMANDS = 5


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "no ```bash block in the section"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_the_readme_block_is_at_most_five_commands_from_clone_to_answer() -> None:
    commands = readme_commands()
    assert len(commands) <= MAX_COMMANDS, commands
    assert commands[0].startswith("git clone ") and commands[-1].startswith("mercurios ask ")


def test_the_readme_commands_answer_with_the_right_number(tmp_path: Path) -> None:
    commands = readme_commands()
    url = commands[0].split()[2]
    name = url.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    origin = tmp_path / "origin" / name  # what `git clone URL` would fetch, under the same name
    skip = shutil.ignore_patterns("target", "logs", "*.duckdb", "__pycache__")
    shutil.copytree(FIXTURE, origin, ignore=skip)
    _git("init", "-q", cwd=origin)
    _git("add", "-A", cwd=origin)
    _git("commit", "-q", "-m", "the project", cwd=origin)
    work = tmp_path / "work"
    work.mkdir()
    script = "set -euo pipefail\n" + "\n".join(commands).replace(url, str(origin)) + "\n"
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    answer = done.stdout.strip().splitlines()
    said = next((ln for ln in answer if ln.startswith("Room revenue across all loaded data was ")), None)
    assert said is not None, done.stdout[-3000:]
    number = re.search(r"was ([\d.]+,\d\d)", said)
    assert number is not None, said
    got = float(number.group(1).replace(".", "").replace(",", "."))
    with duckdb.connect(str(work / name / "halden.duckdb"), read_only=True) as con:
        row = con.execute("select sum(room_revenue) from analytics.room_nights").fetchone()
    assert row is not None and got == round(float(row[0]), 2), (said, row)
