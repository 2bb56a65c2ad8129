"""The ready-made CI files in docs/ci run as written: every vaultlint command in them is run on a
small vault, so that the examples cannot rot."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT
from tests.test_cli import clean_note

DOCS = PROJECT / "docs" / "ci"


def _commands(document: Any, key: str = "") -> list[str]:
    """Every shell line starting with `vaultlint` under a `run` (GitHub) or `script` (GitLab)."""
    found: list[str] = []
    if isinstance(document, dict):
        for name, value in document.items():
            found += _commands(value, str(name))
    elif isinstance(document, list):
        for value in document:
            found += _commands(value, key)
    elif isinstance(document, str) and key in ("run", "script"):
        lines = (line.strip() for line in document.splitlines())
        found += [line for line in lines if line.startswith("vaultlint ")]
    return found


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "clean.md").write_bytes(clean_note())
    # another URL: the same one would make bad.md a duplicate of clean.md (duplicate-note)
    bad = {"portions: 6": "portions: 0", "DQDuWQZAaoP": "DQDuWQZAbad"}
    (tmp_path / "bad.md").write_bytes(clean_note(**bad))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "vault"],
        cwd=tmp_path,
        check=True,
    )
    return tmp_path


def _run(command: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    arguments = shlex.split(command.replace("${{ github.base_ref }}", "main"))
    arguments = [a.replace("origin/main", "HEAD") for a in arguments]
    return subprocess.run(
        [sys.executable, "-m", "vaultlint", *arguments[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=environ,
    )


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_every_vaultlint_command_in_the_ci_examples_runs(name: str, vault: Path) -> None:
    import os

    commands = _commands(yaml.safe_load((DOCS / name).read_text(encoding="utf-8")))
    assert commands, f"{name} runs no vaultlint command"
    environ = dict(os.environ, GITHUB_ACTIONS="true" if "github" in name else "false")
    for command in commands:
        completed = _run(command, vault, environ)
        assert completed.returncode in (0, 1), f"{command}: {completed.stderr}"
        assert "Traceback" not in completed.stderr
        expected_failure = "--exit-zero" not in command and "--changed-since" not in command
        assert completed.returncode == (1 if expected_failure else 0), command
    if name == "github-actions.yml":
        sarif = json.loads((vault / "vaultlint.sarif").read_text(encoding="utf-8"))
        assert sarif["version"] == "2.1.0"
        assert len(sarif["runs"][0]["results"]) == 1
    else:
        report = json.loads((vault / "gl-code-quality-report.json").read_text(encoding="utf-8"))
        assert [item["check_name"] for item in report] == ["schema"]
        assert (vault / "vaultlint-junit.xml").read_text(encoding="utf-8").startswith("<?xml")
