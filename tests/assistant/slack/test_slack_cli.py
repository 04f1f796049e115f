"""`mercurios slack link|links|unlink|manifest` against a real app database, and the manifest's shape."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from assistant.channels.cli.main import app
from assistant.channels.slack.bolt_app import BOT_SCOPES, SHORTCUT_CALLBACK
from assistant.channels.slack.errors import SlackLinkError
from assistant.channels.slack.links import WorkspaceLinks
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.settings import get_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for key in list(os.environ):
        if key.startswith("MERCURIOS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("MERCURIOS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, ["slack", *args])


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point (exit codes and one-line errors come from `main()`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MERCURIOS_")}
    env["MERCURIOS_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "assistant.channels.cli.main", "slack", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_link_list_unlink_through_the_cli(data_dir: Path) -> None:
    tmp_path = data_dir
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    tenants = TenantRepository(db)
    tenants.create("nordwind-fashion", "Nordwind")
    tenants.create("alpin-sport", "Alpin")
    ok = _run(tmp_path, "link", "--team", "TAAA", "--tenant", "nordwind-fashion")
    assert ok.returncode == 0, ok.stderr
    assert (
        _run(tmp_path, "link", "--team", "TAAA", "--tenant", "alpin-sport", "--channel", "CBRAND").returncode
        == 0
    )
    links = WorkspaceLinks(db, tenants)
    assert links.resolve("TAAA", "COTHER") == "nordwind-fashion"
    assert links.resolve("TAAA", "CBRAND") == "alpin-sport"
    assert links.resolve("TBBB", "CBRAND") is None
    listed = _cli("links").output.splitlines()
    assert listed == ["TAAA\t*\tnordwind-fashion", "TAAA\tCBRAND\talpin-sport"]
    bad = _run(tmp_path, "link", "--team", "TAAA", "--tenant", "no-such-tenant")
    assert bad.returncode == 2 and "unknown tenant" in bad.stderr
    malformed = _cli("link", "--team", "t'; drop", "--tenant", "alpin-sport")
    assert isinstance(malformed.exception, SlackLinkError) and "malformed" in str(malformed.exception)
    assert _cli("unlink", "--team", "TAAA").exit_code == 0
    assert links.resolve("TAAA", "COTHER") is None


def test_manifest_matches_what_the_app_listens_to(data_dir: Path) -> None:
    manifest = yaml.safe_load(_cli("manifest").output)
    assert manifest["features"]["slash_commands"][0]["command"] == "/mercurios"
    assert manifest["features"]["shortcuts"][0]["callback_id"] == SHORTCUT_CALLBACK
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
