from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from semantic_layer.errors import SemanticProjectError
from semantic_layer.project import SemanticProject
from tests.semantic_layer.subscription_fixture import FIXTURE_PROJECT, BuiltFixture


def test_load_reads_the_manifest_and_strips_the_database(project: SemanticProject) -> None:
    assert {m.name for m in project.manifest.metrics} >= {"mrr", "churn_rate", "invoice_revenue"}
    assert ("billing", "fct_invoices") in project.relations()
    for model in project.manifest.semantic_models:
        assert model.node_relation.database is None
        assert model.node_relation.relation_name == f"billing.{model.node_relation.alias}"


def test_a_stale_manifest_is_reparsed(tmp_path: Path, built: BuiltFixture) -> None:
    copy = tmp_path / "proj"
    shutil.copytree(FIXTURE_PROJECT, copy, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    target = tmp_path / "target"
    shutil.copytree(built.target_path, target, ignore=shutil.ignore_patterns("logs"))
    manifest = target / "semantic_manifest.json"
    # An edit after the manifest was written: the new metric must appear without a manual `dbt parse`.
    yml = copy / "models" / "semantic_models.yml"
    yml.write_text(
        yml.read_text()
        + "\n  - name: invoice_revenue_copy\n    label: Copy\n    type: simple\n"
        + "    type_params:\n      measure: invoice_revenue_measure\n"
    )
    # an hour before the edit by the filesystem's clock (which stamped the edit), not the process's:
    # under faketime the two differ by months
    old = yml.stat().st_mtime - 3600
    os.utime(manifest, (old, old))
    loaded = SemanticProject.load(copy, target_path=target)
    assert "invoice_revenue_copy" in {m.name for m in loaded.manifest.metrics}
    assert manifest.stat().st_mtime > old


def test_a_missing_project_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(SemanticProjectError, match="not a dbt project"):
        SemanticProject.load(tmp_path / "nowhere")


def test_a_broken_project_is_a_config_error(tmp_path: Path) -> None:
    copy = tmp_path / "broken"
    shutil.copytree(FIXTURE_PROJECT, copy, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    (copy / "models" / "semantic_models.yml").write_text("semantic_models:\n  - name: [unclosed\n")
    with pytest.raises(SemanticProjectError, match="cannot parse the dbt project") as info:
        SemanticProject.load(copy, target_path=tmp_path / "target")
    assert info.value.code == "semantic_project"
