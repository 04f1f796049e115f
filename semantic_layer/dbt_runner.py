"""Run dbt (parse, build) on a project directory as a subprocess.

A subprocess, not dbt's in-process `dbtRunner`: dbt keeps global state (flags, adapters,
event handlers) that leaks between invocations in one process, and a crash in dbt must not take
the service down. The cost (~2 s start-up) is paid only when building or re-parsing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guardrails.errors import ConfigError, InternalError

DBT_ENV = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_NO_PRINT_VERSION_CHECK": "1",
    "DBT_VERSION_CHECK": "false",
}


@dataclass(frozen=True)
class DbtRunResult:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    elapsed_s: float


def dbt_executable() -> str:
    """The `dbt` next to this interpreter (the project's venv), else the one on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if not found:
        raise ConfigError("dbt is not installed: run `make install`")
    return found


_HEADLINE_MARKERS = ("Compilation Error", "Runtime Error", "Parsing Error", "Database Error")


def first_error_line(output: str) -> str:
    """The most telling line of a failed dbt run's output (with the line after a headline)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        if any(m in ln for m in _HEADLINE_MARKERS):
            detail = lines[i + 1] if i + 1 < len(lines) else ""
            return f"{ln} {detail}".strip()
    for ln in lines:
        if "error" in ln.lower():
            return ln
    return lines[-1] if lines else "dbt failed without output"


def run_dbt(
    project_dir: Path,
    args: Sequence[str],
    *,
    duckdb_path: Path | None = None,
    target: str = "duckdb",
    target_path: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout_s: float = 1800,
    ok_exit_codes: tuple[int, ...] = (0,),
) -> DbtRunResult:
    """Run `dbt <args>` on `project_dir`; raise with dbt's own first error line if it fails.

    `duckdb_path` is handed to `profiles.yml` as `MERCURIOS_DUCKDB_PATH`; `target_path` keeps
    concurrent runs (tests, a build beside a running service) from sharing `target/`.
    """
    import time

    project_dir = Path(project_dir).resolve()
    if not (project_dir / "dbt_project.yml").is_file():
        raise ConfigError(f"not a dbt project (no dbt_project.yml): {project_dir}")
    env = {**os.environ, **DBT_ENV, "MERCURIOS_DBT_TARGET": target}
    if duckdb_path is not None:
        env["MERCURIOS_DUCKDB_PATH"] = str(Path(duckdb_path).resolve())
    if target_path is not None:
        env["DBT_TARGET_PATH"] = str(Path(target_path).resolve())
        env["DBT_LOG_PATH"] = str(Path(target_path).resolve() / "logs")
    if extra_env:
        env.update(extra_env)
    profiles_dir = project_dir if (project_dir / "profiles.yml").is_file() else None
    cmd = [dbt_executable(), *args, "--project-dir", str(project_dir)]
    if profiles_dir is not None:
        cmd += ["--profiles-dir", str(profiles_dir)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=project_dir, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise InternalError(
            f"dbt {' '.join(args)} timed out after {timeout_s:.0f} s", code="dbt_timeout"
        ) from exc
    elapsed = time.perf_counter() - started
    output = (proc.stdout or "") + (proc.stderr or "")
    if proc.returncode not in ok_exit_codes:
        raise InternalError(
            f"dbt {args[0] if args else ''} failed: {first_error_line(output)}", code="dbt_failed"
        )
    return DbtRunResult(tuple(args), proc.returncode, output, elapsed)
