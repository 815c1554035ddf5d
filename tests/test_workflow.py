"""The publishing workflow: valid for GitHub Actions, tested before publishing, rebuilt hourly, published on change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "publish.yml"


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """Check a workflow against the GitHub Actions schema shipped inside check-jsonschema (offline)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    """The workflow as data (YAML 1.1 reads the key ``on`` as true)."""
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_the_workflow_is_valid_for_github_actions(tmp_path: Path) -> None:
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"  # the same validator refuses a mistake
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    assert validate(broken).returncode != 0


def steps_of(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    """The steps of one job."""
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def test_every_push_to_main_is_tested_built_and_published(workflow: dict[str, Any]) -> None:
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert [s["run"] for s in steps_of(workflow, "test") if s.get("run", "").startswith("make")] == ["make test"]
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert any(s.get("run") == "make site" for s in steps_of(workflow, "build"))
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes" in makefile and "-r requirements.txt" in makefile  # make site installs from the lock
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    upload = next(s for s in steps_of(workflow, "build") if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"


def test_an_hourly_run_rebuilds_and_publishes_only_a_changed_site(workflow: dict[str, Any]) -> None:
    (schedule,) = workflow["on"]["schedule"]
    minute, *rest = schedule["cron"].split()
    assert minute.isdigit() and rest == ["*", "*", "*", "*"]  # once an hour
    assert "schedule" in workflow["jobs"]["test"]["if"]
    assert "skipped" in workflow["jobs"]["build"]["if"]
    assert "changed == 'true'" in workflow["jobs"]["deploy"]["if"]


def _digest_step(workflow: dict[str, Any]) -> str:
    """The shell script of the step that writes ``site-digest.txt``."""
    return next(s["run"] for s in steps_of(workflow, "build") if s.get("name") == "Digest of the output")


def _digest(script: str, folder: Path) -> str:
    """Run the workflow's digest step in ``folder`` (which holds ``_site``) and read what it wrote."""
    subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=folder, check=True, capture_output=True)
    return (folder / "_site" / "site-digest.txt").read_text(encoding="utf-8").strip()


def test_the_digest_changes_with_the_pages_but_not_with_the_build_moment(workflow: dict[str, Any],
                                                                         tmp_path: Path) -> None:
    site = tmp_path / "_site"
    (site / "en").mkdir(parents=True)
    (site / "en" / "index.html").write_text("<p>Open — 12 days left</p>", encoding="utf-8")
    (site / "status.json").write_text('{"built_for": "2025-08-01T10:05:00+05:00"}', encoding="utf-8")
    script = _digest_step(workflow)
    first = _digest(script, tmp_path)
    assert len(first) == 64
    (site / "status.json").write_text('{"built_for": "2025-08-01T11:05:00+05:00"}', encoding="utf-8")
    assert _digest(script, tmp_path) == first  # only the build moment moved: nothing to publish
    (site / "en" / "index.html").write_text("<p>Open — 11 days left</p>", encoding="utf-8")
    assert _digest(script, tmp_path) != first
