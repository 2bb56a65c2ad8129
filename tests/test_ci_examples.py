"""The ready-made CI files in docs/ci run as written: their vaultlint scripts are run with a real
shell on a small vault repository (as a push and as a pull request whose base branch moved on),
and the files pass check-jsonschema's workflow schemas, so that the examples cannot rot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT
from tests.test_cli import clean_note

DOCS = PROJECT / "docs" / "ci"
BAD = {"portions: 6": "portions: 0", "DQDuWQZAaoP": "DQDuWQZAbad"}  # its own URL: not a duplicate
VERSION_PIN = '"obsidian-vaultlint==0.1.0"'


def _git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A vault repository on a pull-request branch. `main` (also `origin/main`) has moved on
    since the branch: it changed `bad.md`, which the pull request did not touch. The pull
    request changed `new.md` only, and cleanly."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "clean.md").write_bytes(clean_note())
    (tmp_path / "bad.md").write_bytes(clean_note(**BAD))
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "vault")
    _git(tmp_path, "checkout", "-q", "-b", "pull-request")
    # each note its own URL: the same one would make them duplicates (duplicate-note)
    (tmp_path / "new.md").write_bytes(clean_note(**{"DQDuWQZAaoP": "DQDuWQZAnew"}))
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "a new note")
    _git(tmp_path, "checkout", "-q", "main")
    (tmp_path / "bad.md").write_bytes(clean_note(**BAD, **{"portions: 0": "portions: -1"}))
    _git(tmp_path, "commit", "-qam", "main moves on")
    _git(tmp_path, "update-ref", "refs/remotes/origin/main", "main")
    _git(tmp_path, "checkout", "-q", "pull-request")
    return tmp_path


def _environment(**extra: str) -> dict[str, str]:
    """The runner's environment: vaultlint (this checkout's) first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return dict(os.environ, PATH=path, **extra)


def _shell(script: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )


def _runs_vaultlint(script: str) -> bool:
    return any(line.strip().startswith("vaultlint ") for line in script.splitlines())


# ------------------------------------------------------------------------------ GitHub Actions


def _workflow() -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((DOCS / "github-actions.yml").read_text("utf-8"))
    return document


def _github_steps(event: str, upload_sarif: bool) -> list[dict[str, Any]]:
    """The steps that run vaultlint and would run for `event`, their `if:` evaluated."""
    steps = []
    for step in _workflow()["jobs"]["vaultlint"]["steps"]:
        if "run" not in step or not _runs_vaultlint(step["run"]):
            continue
        condition = step.get("if", "")
        if "env.UPLOAD_SARIF == 'true'" in condition and not upload_sarif:
            continue
        if "github.event_name == 'pull_request'" in condition and event != "pull_request":
            continue
        if "github.event_name != 'pull_request'" in condition and event == "pull_request":
            continue
        steps.append(step)
    return steps


def _run_github(event: str, repo: Path, *, upload_sarif: bool) -> list[tuple[str, int, str]]:
    results = []
    for step in _github_steps(event, upload_sarif):
        environ = _environment(GITHUB_ACTIONS="true", BASE_REF="main")
        completed = _shell(step["run"], repo, environ)
        assert "Traceback" not in completed.stderr
        results.append((step.get("name", step["run"]), completed.returncode, completed.stdout))
    return results


def test_a_push_checks_the_whole_vault_and_fails_on_its_error(repo: Path) -> None:
    _git(repo, "checkout", "-q", "main")
    [(name, code, out)] = _run_github("push", repo, upload_sarif=False)
    assert (name, code) == ("vaultlint", 1)
    assert out.startswith("::error file=bad.md,line=7,")


def test_a_pull_request_checks_only_its_notes_from_the_merge_base(repo: Path) -> None:
    # `bad.md` differs from origin/main's tip, but the pull request did not change it: diffing
    # against the tip would report it; against the merge-base, only new.md is checked.
    [(name, code, out)] = _run_github("pull_request", repo, upload_sarif=False)
    assert (name, code) == ("vaultlint (changed notes)", 0)
    assert "bad.md" not in out


def test_the_sarif_steps_run_when_opted_in_and_write_the_log(repo: Path) -> None:
    results = _run_github("push", repo, upload_sarif=True)
    assert [(name, code) for name, code, _ in results] == [
        ("vaultlint", 1),
        ("vaultlint (SARIF)", 0),
    ]
    sarif = json.loads((repo / "vaultlint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == 1


def test_the_workflow_is_set_up_as_code_scanning_needs() -> None:
    workflow = _workflow()
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow[True]
    assert set(triggers) == {"push", "pull_request"}
    assert triggers["push"] == {"branches": ["main"]}
    job = workflow["jobs"]["vaultlint"]
    assert job["permissions"] == {
        "contents": "read",
        "actions": "read",
        "security-events": "write",
    }
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["if"] == "always() && env.UPLOAD_SARIF == 'true'"
    opt_in = job["env"]["UPLOAD_SARIF"]
    assert "vars.VAULTLINT_SARIF == 'true'" in opt_in  # opt in
    assert "head.repo.full_name == github.repository" in opt_in  # a fork cannot upload
    installs = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]
    assert [VERSION_PIN in line for line in installs] == [True]


# ------------------------------------------------------------------------------------ GitLab


def _gitlab() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text("utf-8"))
    return document


def _run_gitlab(repo: Path, **variables: str) -> list[tuple[str, int, str]]:
    results = []
    for script in _gitlab()["vaultlint"]["script"]:
        if not _runs_vaultlint(script):
            continue
        completed = _shell(script, repo, _environment(GITLAB_CI="true", **variables))
        assert "Traceback" not in completed.stderr
        results.append((script, completed.returncode, completed.stdout))
    return results


def test_gitlab_on_the_default_branch_checks_the_whole_vault(repo: Path) -> None:
    _git(repo, "checkout", "-q", "main")
    codes = [code for _, code, _ in _run_gitlab(repo)]
    assert codes == [0, 0, 1]
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [item["check_name"] for item in report] == ["schema"]
    assert (repo / "vaultlint-junit.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_gitlab_in_a_merge_request_checks_only_its_notes_from_the_merge_base(
    repo: Path,
) -> None:
    base = _git(repo, "merge-base", "main", "HEAD")  # what GitLab sets in a merge request
    results = _run_gitlab(repo, CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert [code for _, code, _ in results] == [0, 0, 0]
    assert "bad.md" not in results[-1][2]


def test_gitlab_runs_once_per_merge_request_and_pins_the_install() -> None:
    document = _gitlab()
    rules = [rule["if"] for rule in document["workflow"]["rules"]]
    assert rules == [
        '$CI_PIPELINE_SOURCE == "merge_request_event"',
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ]
    installs = [line for line in document["vaultlint"]["before_script"] if "pip install" in line]
    assert [VERSION_PIN in line for line in installs] == [True]


# ------------------------------------------------------------------------------------ schemas


@pytest.mark.parametrize(
    ("name", "schema"),
    [("github-actions.yml", "vendor.github-workflows"), ("gitlab-ci.yml", "vendor.gitlab-ci")],
)
def test_the_ci_files_pass_check_jsonschemas_schemas(name: str, schema: str) -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    if not tool.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    completed = subprocess.run(
        [str(tool), "--builtin-schema", schema, str(DOCS / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
