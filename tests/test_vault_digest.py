"""What tells a warm run that the last phase 2 still holds: every note's identity, and a digest
that is the same in every process for the same vault (it is stored and compared across runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vaultlint.graph.gather import identities_of, identity_of
from vaultlint.runner import Runner, RunOptions

NOTE = "---\ntype: plat\n---\n# Soupe\n\n[[Tarte]]\n"


def _vault(root: Path) -> Path:
    (root / ".obsidian").mkdir()
    for name in ("Tarte.md", "Menus/Semaine.md", "Menus/Été à Noël.md", "a/b/c.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(NOTE, encoding="utf-8")
    return root


@pytest.mark.parametrize("strategy", ["mtime", "content"])
def test_identities_in_one_loop_are_each_note_s_identity(tmp_path: Path, strategy: str) -> None:
    root = _vault(tmp_path)
    runner = Runner(RunOptions(cache_strategy=strategy), cwd=root)
    targets = {target.relative: target for target in runner.targets([root])}
    (root / "Tarte.md").unlink()  # gone since the walk: no identity
    found = identities_of(runner, targets)
    assert found == {relative: identity_of(runner, t) for relative, t in targets.items()}
    assert found["Tarte.md"] is None


DIGEST = """
from pathlib import Path
from vaultlint.graph.gather import identities_of, vault_digest
from vaultlint.runner import Runner, RunOptions
root = Path.cwd()
runner = Runner(RunOptions(), cwd=root)
targets = {target.relative: target for target in runner.targets([root])}
print(vault_digest(runner, root, targets, identities_of(runner, targets)))
"""


def test_the_vault_digest_is_the_same_in_every_process(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    digests = {
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
