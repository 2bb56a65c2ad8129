"""What vaultlint cannot read, it reports: never "All checks passed" over a skipped folder (#15, 3).

A folder without read permission, or a path longer than the system allows (PATH_MAX), was
skipped in silence; a note named inside a locked folder was an "internal error". Each is now a
`file` finding naming the path, and the run exits 1.

Permissions mean nothing to root, so the permission tests run vaultlint as `nobody` when the
suite runs as root (and as the current user otherwise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import invoke

NOTE = b"---\ntitre: x\n---\n# X\n"


def run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run vaultlint where file permissions apply: as root, without the two capabilities that
    let root read any file (util-linux's setpriv), else as the current user."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root reads every file, and setpriv is absent to drop that power")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "vaultlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def open_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder whose locked subfolders are unlocked again, so that pytest can remove them."""
    try:
        yield tmp_path
    finally:
        for current, folders, _ in os.walk(tmp_path):
            for name in folders:
                os.chmod(os.path.join(current, name), 0o755)


def locked_vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / "locked").mkdir(parents=True)
    (vault / "ok.md").write_bytes(NOTE)
    (vault / "locked" / "bad.md").write_bytes(NOTE)
    for path in (vault, vault / "locked"):
        path.chmod(0o755)
    (vault / "locked").chmod(0o000)
    return vault


def test_a_folder_that_cannot_be_read_is_a_file_finding(open_folder: Path) -> None:
    vault = locked_vault(open_folder)
    result = run_unprivileged("check", "--no-cache", ".", cwd=vault)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "All checks passed" not in result.stdout
    assert "locked" in result.stdout
    assert "file" in result.stdout
    assert "permission denied" in result.stdout
    assert "internal error" not in result.stderr


def test_a_note_named_inside_a_locked_folder_is_a_file_finding(open_folder: Path) -> None:
    vault = locked_vault(open_folder)
    result = run_unprivileged("check", "--no-cache", "locked/bad.md", cwd=vault)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("locked/bad.md:1:1: error file ")
    assert "internal error" not in result.stderr


def test_fix_and_format_report_a_locked_folder_too(open_folder: Path) -> None:
    vault = locked_vault(open_folder)
    fixed = run_unprivileged("fix", ".", cwd=vault)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "locked" in fixed.stdout
    formatted = run_unprivileged("format", ".", cwd=vault)
    assert "internal error" not in formatted.stderr
    assert "locked" in formatted.stdout + formatted.stderr


def deep_vault(root: Path) -> tuple[Path, str]:
    """A vault whose last folder lies past PATH_MAX (4096 bytes on Linux), with a note in it.

    Built with descriptors relative to each folder: the whole path is too long for mkdir."""
    vault = root / "vault"
    vault.mkdir()
    (vault / "ok.md").write_bytes(NOTE)
    name = "d" * 200
    depth = 4300 // (len(name) + 1)  # even the path relative to the vault is too long
    descriptor = os.open(vault, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=descriptor)
            child = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = child
        note = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(note, NOTE)
        os.close(note)
    finally:
        os.close(descriptor)
    return vault, "/".join([name] * depth) + "/deep.md"


def test_a_folder_past_path_max_is_a_file_finding(tmp_path: Path) -> None:
    vault, _ = deep_vault(tmp_path)
    code, out, err = invoke("check", "--no-cache", ".", cwd=vault)
    assert code == 1, out + err
    assert "All checks passed" not in out
    assert " error file " in out
    assert "too long" in out
    assert "internal error" not in err


def test_a_note_named_past_path_max_is_a_file_finding(tmp_path: Path) -> None:
    vault, deep = deep_vault(tmp_path)
    code, out, err = invoke("check", "--no-cache", deep, cwd=vault)
    assert code == 1, out + err
    assert " error file " in out
    assert "internal error" not in err


def test_a_note_that_cannot_be_read_is_a_file_finding(open_folder: Path) -> None:
    vault = open_folder / "vault"
    vault.mkdir()
    (vault / "ok.md").write_bytes(NOTE)
    (vault / "secret.md").write_bytes(NOTE)
    (vault / "secret.md").chmod(0o000)
    result = run_unprivileged("check", "--no-cache", ".", cwd=vault)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "secret.md:1:1: error file cannot read the note: permission denied" in result.stdout
