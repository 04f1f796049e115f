"""The README's examples are run: each ```console block, one shell per block, every `$ ` line a
command and the lines under it what it prints. They run on the suite's small warehouse (scale 0.02,
ending 2026-10-31, today pinned to that day) from a folder that looks like a checkout (`.venv/bin`,
`var/`); commands that talk to `http://127.0.0.1:8000` reach a `mercurios serve` started on a free
port instead. The shown output must match what the command prints, whitespace runs aside, `…`
standing for elided text. Also: the README's links stay inside the repository, it names what the
test suite needs, and the widget's size it states is the widget's size."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.channels.widget import STATIC_DIR
from tests.assistant.api.api_harness import DEFAULT_PG, DEFAULT_REDIS, free_port, wait_until_ready
from tests.demo import REPO_ROOT, DemoWarehouse

README = REPO_ROOT / "README.md"
CHROMIUM = "/usr/bin/chromium"  # tests/conftest.py's chromium_browser
DEMO_ADDRESS = "127.0.0.1:8000"
_MARK = "@@readme-example-exit-status"


@dataclass(frozen=True)
class Example:
    command: str
    shown: str  # the lines under the command, as the README shows them


@dataclass(frozen=True)
class ConsoleBlock:
    line: int  # where it starts in README.md
    examples: tuple[Example, ...]

    @property
    def needs_server(self) -> bool:
        return any(DEMO_ADDRESS in e.command for e in self.examples)


def console_blocks(text: str) -> list[ConsoleBlock]:
    blocks = []
    for match in re.finditer(r"^```console\n(.*?)^```", text, re.M | re.S):
        examples: list[Example] = []
        command, shown = None, []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append(Example(command, "\n".join(shown)))
                command, shown = line[2:], []
            else:
                assert command is not None, f"README: output before any command: {line!r}"
                shown.append(line)
        assert command is not None, "README: a console block without a `$ ` command"
        examples.append(Example(command, "\n".join(shown)))
        blocks.append(ConsoleBlock(text[: match.start()].count("\n") + 1, tuple(examples)))
    return blocks


BLOCKS = console_blocks(README.read_text())


def _squash(text: str) -> str:
    return " ".join(text.split())


def matches(shown: str, printed: str) -> bool:
    """Equal up to whitespace runs; each `…` in what is shown stands for any text."""
    pattern = ".*?".join(re.escape(part) for part in _squash(shown).split("…"))
    return re.fullmatch(pattern, _squash(printed), re.S) is not None


def test_the_matching_rule() -> None:
    assert matches("a  b\nc", "a b c") and not matches("a b", "a b c")
    assert matches('{"x": 1, …}', '{"x": 1, "y": [2,\n 3]}') and matches("…", "")
    assert not matches('{"x": 2, …}', '{"x": 1, "y": 2}')


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shaped like a checkout after `make install`: `.venv/bin/mercurios`, `var/`."""
    root = tmp_path_factory.mktemp("readme")
    # the whole environment, not only its bin/: `.venv/bin/python` finds its packages through the
    # pyvenv.cfg beside bin/ (the Python example imports the installed `assistant`)
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "var").mkdir()
    return root


@pytest.fixture(scope="module")
def readme_env(demo_warehouse: DemoWarehouse) -> dict[str, str]:
    env = {
        **os.environ,
        "MERCURIOS_DUCKDB_PATH": str(demo_warehouse.path),
        "MERCURIOS_DBT_TARGET_PATH": str(demo_warehouse.dbt_target_path),
    }
    for name in ("MERCURIOS_DATA_DIR", "MERCURIOS_DATABASE_URL", "MERCURIOS_REDIS_URL"):
        env.pop(name, None)  # the checkout's var/ holds the app database, as in a real one
    return env


@pytest.fixture(scope="module")
def server(checkout: Path, readme_env: dict[str, str]) -> Iterator[str]:
    """`mercurios serve` in the checkout, on a free port: its address stands in for the demo's."""
    port = free_port()
    log = checkout / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(checkout / ".venv" / "bin" / "mercurios"), "serve", "--port", str(port)],
            cwd=checkout,
            env=readme_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    address = f"127.0.0.1:{port}"
    try:
        wait_until_ready(
            f"http://{address}", proc, lambda: log.read_text(errors="replace")[-3000:], seconds=180
        )
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def run_block(block: ConsoleBlock, cwd: Path, env: dict[str, str], address: str) -> list[tuple[int, str]]:
    """One bash for the whole block (its variables carry over); each command's exit status and
    output (stdout and stderr) in order."""
    script = "".join(
        f"{e.command.replace(DEMO_ADDRESS, address)}\nprintf '\\n{_MARK} %s\\n' $?\n" for e in block.examples
    )
    proc = subprocess.run(
        ["bash", "-c", script + "exit 0"],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    parts = re.split(rf"\n{_MARK} (\d+)\n", proc.stdout)
    results = [(int(status), printed) for printed, status in zip(parts[0::2], parts[1::2], strict=False)]
    assert len(results) == len(block.examples), proc.stdout[-3000:]
    return results


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: f"README.md:{b.line}")
def test_a_readme_console_block_prints_what_it_shows(
    block: ConsoleBlock, checkout: Path, readme_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    address = request.getfixturevalue("server") if block.needs_server else DEMO_ADDRESS
    results = run_block(block, checkout, readme_env, address)
    for example, (status, printed) in zip(block.examples, results, strict=True):
        shown = example.shown.replace(DEMO_ADDRESS, address)
        assert status == 0, f"$ {example.command}\nexited {status}:\n{printed}"
        assert matches(shown, printed), f"$ {example.command}\nREADME shows:\n{shown}\nit printed:\n{printed}"


def test_the_readme_has_runnable_examples() -> None:
    assert len(BLOCKS) >= 2 and sum(len(b.examples) for b in BLOCKS) >= 8
    assert any("mercurios ask" in e.command for b in BLOCKS for e in b.examples)


def test_the_readme_links_stay_inside_the_repository() -> None:
    text = README.read_text()
    assert "../" not in text
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (REPO_ROOT / target).exists(), target
    assert "(docs/DESIGN.md)" in text and (REPO_ROOT / "docs" / "DESIGN.md").is_file()


def test_the_readme_names_what_the_test_suite_needs() -> None:
    requirements = README.read_text().split("The test suite needs more", 1)[1].split("\n\n", 1)[0]
    for needed in (CHROMIUM, DEFAULT_PG, DEFAULT_REDIS, "faketime", "MERCURIOS_WEAVIATE_URL"):
        assert needed in requirements, needed


def test_the_widget_size_the_readme_states_is_its_size() -> None:
    stated = re.search(r"dependency-free JavaScript, (\d+(?:\.\d+)?) KB gzipped", README.read_text())
    assert stated is not None
    actual_kb = len(gzip.compress((STATIC_DIR / "widget.js").read_bytes(), 9)) / 1000
    assert abs(actual_kb - float(stated.group(1))) < 1, f"widget.js is {actual_kb:.1f} KB gzipped"
