"""A temporary file that a killed run left beside a note is removed or reported (issue #15, 6).

`write_note` writes `.NAME.md.vaultlint-XXXXXXXX.tmp` beside the note and renames it over the
note; a SIGKILL between the two leaves it behind, and later runs never said so. Now a file of
that naming, a regular file (lstat: a link of that name is not ours) older than an hour (a
younger one may belong to a run in progress), is removed and named by the next `fix` or
`format` that walks its folder, and reported by `check` as a `file` finding.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.test_cli import invoke

TIRAMISU = (PROJECT / "seeds" / "Tiramisu.md").read_bytes()
LEFTOVER = ".Tiramisu.md.vaultlint-k3x_9qz1.tmp"
TWO_HOURS = 2 * 3600


def backdate(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp), follow_symlinks=False)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    (folder / ".obsidian").mkdir(parents=True)
    (folder / "Desserts").mkdir()
    (folder / "Desserts" / "Tiramisu.md").write_bytes(TIRAMISU)
    return folder


def leave_temporary(vault: Path, age: float = TWO_HOURS) -> Path:
    leftover = vault / "Desserts" / LEFTOVER
    leftover.write_bytes(TIRAMISU[: len(TIRAMISU) // 2])  # half a note: the kill came mid-write
    backdate(leftover, age)
    return leftover


def test_check_reports_an_old_leftover_as_a_file_finding(vault: Path) -> None:
    leave_temporary(vault)
    code, out, err = invoke("check", "--no-cache", ".", cwd=vault)
    assert code == 1, out + err
    assert f"Desserts/{LEFTOVER}:1:1: error file " in out
    assert "interrupted" in out


@pytest.mark.parametrize("command", ["fix", "format"])
def test_fix_and_format_remove_an_old_leftover_and_name_it(vault: Path, command: str) -> None:
    leftover = leave_temporary(vault)
    _, out, err = invoke(command, ".", cwd=vault)
    assert not leftover.exists()
    assert f"Removed Desserts/{LEFTOVER}" in out + err


@pytest.mark.parametrize("command", [("fix", "--diff"), ("format", "--check")])
def test_a_dry_run_removes_nothing(vault: Path, command: tuple[str, ...]) -> None:
    leftover = leave_temporary(vault)
    invoke(*command, ".", cwd=vault)
    assert leftover.exists()


def test_a_recent_temporary_file_may_belong_to_a_running_fix_and_is_left_alone(
    vault: Path,
) -> None:
    leftover = leave_temporary(vault, age=60)
    before = invoke("check", "--no-cache", ".", cwd=vault)
    leftover.unlink()
    assert invoke("check", "--no-cache", ".", cwd=vault) == before
    leave_temporary(vault, age=60)
    invoke("fix", ".", cwd=vault)
    assert leftover.exists()


def test_a_link_or_a_folder_of_that_name_is_not_ours(vault: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep me\n")
    link = vault / "Desserts" / LEFTOVER
    link.symlink_to(precious)
    backdate(link, TWO_HOURS)
    folder = vault / "Desserts" / ".Autre.md.vaultlint-abcdefgh.tmp"
    folder.mkdir()
    backdate(folder, TWO_HOURS)
    invoke("fix", ".", cwd=vault)
    invoke("format", ".", cwd=vault)
    assert link.is_symlink()
    assert precious.read_bytes() == b"keep me\n"
    assert folder.is_dir()
