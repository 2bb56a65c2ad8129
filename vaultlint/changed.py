"""`--changed-since REF`: the notes git says changed since a revision (for pull-request jobs)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from vaultlint.errors import UsageError


def changed_since(ref: str, cwd: Path) -> frozenset[Path]:
    """Absolute paths of the files changed since `ref`, committed or not, plus untracked ones."""
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    root = Path(top)
    changed = _git(["diff", "--name-only", "-z", "--diff-filter=ACMRT", ref, "--"], cwd)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    names = [name for name in (changed + untracked).split("\0") if name]
    return frozenset((root / name).resolve() for name in names)


def _git(arguments: list[str], cwd: Path) -> str:
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else ""
        raise UsageError(f"--changed-since: git {arguments[0]} failed: {message}")
    return completed.stdout
