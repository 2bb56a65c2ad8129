"""The real pre-commit, running vaultlint's hooks from this checkout on a small vault repository.

Marked `precommit`: pre-commit builds a virtualenv from this checkout (and installs the
dependencies from the package registry), which takes a while and needs the registry; it is
skipped, saying why, where git or pre-commit is missing. CI runs it.

Every pre-commit test lives in this one module: they share the module's hook environment,
which pytest-xdist (dealing out whole modules) keeps in one test process; in two modules, two
processes would build it twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.test_cli import clean_note

pytestmark = pytest.mark.precommit


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _pre_commit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    return [sys.executable, "-m", "pre_commit"]


@dataclass(frozen=True, slots=True)
class HooksRepo:
    """This checkout as a git repository that pre-commit installs the hooks from."""

    path: Path
    revision: str
    # PRE_COMMIT_HOME: pre-commit's clones and hook environments, in this session's temporary
    # folder; in ~/.cache/pre-commit, each session (a new revision) would leave one more there.
    store: Path


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> HooksRepo:
    """A git copy of this checkout's working tree, so that uncommitted work is what runs."""
    copy = tmp_path_factory.mktemp("vaultlint-repo")
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = PROJECT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout.strip()
    return HooksRepo(copy, revision, tmp_path_factory.mktemp("pre-commit-home"))


def hooked(
    vault: Path, command: list[str], hooks_repo: HooksRepo
) -> Callable[[], subprocess.CompletedProcess[str]]:
    """The vault made a git repository whose pre-commit config uses this project's fix and check
    hooks; a function that runs them on every file."""
    (vault / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo.path}\n    rev: {hooks_repo.revision}\n"
        "    hooks:\n      - id: vaultlint-fix\n      - id: vaultlint\n",
        encoding="utf-8",
    )
    _git(vault, "init", "-q")
    _git(vault, "add", "-A")

    environment = {**os.environ, "PRE_COMMIT_HOME": str(hooks_repo.store)}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "run", "--all-files"],
            cwd=vault,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    return run


def first_run(
    run: Callable[[], subprocess.CompletedProcess[str]],
) -> subprocess.CompletedProcess[str]:
    """The first run of the hooks, or skip saying why when pre-commit cannot build them."""
    first = run()
    if "An unexpected error has occurred" in first.stdout + first.stderr:
        pytest.skip(f"pre-commit could not build the hook environment: {first.stdout[-500:]}")
    return first


def test_fix_hook_rewrites_then_fails_only_on_the_unfixable_then_passes(
    tmp_path: Path, hooks_repo: HooksRepo
) -> None:
    command = _pre_commit()
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "clean.md").write_bytes(clean_note())
    fixable = vault / "fixable.md"
    # each its own URL: the same one would make them duplicates (duplicate-note)
    fixable.write_bytes(
        clean_note(**{"temps_total: 230": "temps_total: 200", "DQDuWQZAaoP": "DQDuWQZAfix"})
    )
    unfixable = vault / "unfixable.md"
    unfixable.write_bytes(
        clean_note(**{"portions: 6": "portions: 0", "DQDuWQZAaoP": "DQDuWQZAunf"})
    )
    (vault / ".trash").mkdir()
    (vault / ".trash" / "deleted.md").write_bytes(b"not a note at all\n")
    run = hooked(vault, command, hooks_repo)
    first = first_run(run)
    assert first.returncode == 1
    assert "Fixed 1 problem in fixable.md (time-sum)" in first.stdout
    assert "files were modified by this hook" in first.stdout
    assert b"temps_total: 230" in fixable.read_bytes()
    assert ".trash" not in first.stdout  # excluded even though pre-commit passed it

    _git(vault, "add", "-A")
    second = run()
    assert second.returncode == 1
    assert (
        "unfixable.md:7:11: error schema portions 0 is less than the minimum of 1" in second.stdout
    )
    assert "fixable.md:" not in second.stdout.replace("unfixable.md:", "")

    unfixable.write_bytes(clean_note())
    _git(vault, "add", "-A")
    third = run()
    assert third.returncode == 0, third.stdout


# A config baseline (issue #16): `vaultlint-fix` no longer fails every commit that touches a note
# whose problems the baseline records.
def test_both_hooks_pass_on_a_note_whose_only_problem_the_config_baseline_records(
    tmp_path: Path, hooks_repo: HooksRepo
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
