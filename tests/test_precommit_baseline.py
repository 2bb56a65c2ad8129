"""The real pre-commit with the README's hooks and a config baseline (issue #16): `vaultlint-fix`
no longer fails every commit that touches a note whose problems the baseline records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import clean_note
from tests.test_precommit import _git, _pre_commit, first_run, hooked, hooks_repo

__all__ = ["hooks_repo"]  # the fixture, shared with test_precommit.py
pytestmark = pytest.mark.precommit


def test_both_hooks_pass_on_a_note_whose_only_problem_the_config_baseline_records(
    tmp_path: Path, hooks_repo: tuple[Path, str]
) -> None:
    command = _pre_commit()
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".vaultlint.toml").write_text(
        'baseline = ".vaultlint-baseline.json"\n', encoding="utf-8"
    )
    old = vault / "old.md"
    old.write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultlint",
            "check",
            "--write-baseline",
            ".vaultlint-baseline.json",
            ".",
        ],
        cwd=vault,
        check=True,
        capture_output=True,
    )
    run = hooked(vault, command, hooks_repo)
    first = first_run(run)
    assert first.returncode == 0, first.stdout

    # A new problem in the same note still fails the commit: the baseline hides only its own.
    old.write_bytes(clean_note(**{"portions: 6": "portions: 0", "## Source": "## Sources"}))
    _git(vault, "add", "-A")
    second = run()
    assert second.returncode == 1
    assert "old.md:" in second.stdout
    assert "portions 0" not in second.stdout
