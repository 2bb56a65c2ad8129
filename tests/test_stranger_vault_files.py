"""The vault's own settings files cannot hang a run or exhaust memory either (issue #15).

vaultlint reads `.gitignore`, `.obsidian/app.json` and `.obsidian/types.json` from the vault
root: in a stranger's vault each can be a FIFO (open blocks forever) or a link to /dev/zero
(endless). Each is read as a regular file within a size cap, or treated as absent.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

TIRAMISU = (PROJECT / "seeds" / "Tiramisu.md").read_bytes()


def check(vault: Path) -> subprocess.CompletedProcess[str]:
    def limit_memory() -> None:  # 1 GiB of address space: an unbounded read fails fast
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "vaultlint", "check", "--no-cache", "."],
        cwd=vault,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limit_memory,
        check=False,
    )


@pytest.mark.parametrize("name", [".gitignore", ".obsidian/app.json", ".obsidian/types.json"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_settings_file_that_never_ends_is_treated_as_absent(
    tmp_path: Path, name: str, kind: str
) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Tiramisu.md").write_bytes(TIRAMISU)
    expected = check(vault)
    if kind == "fifo":
        os.mkfifo(vault / name)
    else:
        (vault / name).symlink_to("/dev/zero")
    result = check(vault)
    assert "internal error" not in result.stderr
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)
