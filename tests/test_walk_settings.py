"""A walk finds each folder's settings from its parent's when the folder holds no config and no
vault marker (`Runner._parent_settings`): the settings must be those a search from the folder
itself finds, whatever sits in the folders below."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultlint.runner import Runner, RunOptions

NOTE = "---\ntype: plat\n---\n# x\n"


@pytest.mark.parametrize(
    "marker",
    [
        ".vaultlint.toml",
        "pyproject.toml",
        ".obsidian/",
        ".git/",
        ".git",  # a worktree's .git is a file
    ],
)
def test_each_walked_note_has_the_settings_its_own_folder_finds(
    tmp_path: Path, marker: str
) -> None:
    vault = tmp_path / "vault"
    for folder in ("", "a", "a/b", "a/b/c", "d", "e/f/g", "a/b/h/i"):  # e, e/f, h: no note
        (vault / folder).mkdir(parents=True, exist_ok=True)
        (vault / folder / "note.md").write_text(NOTE, encoding="utf-8")
    inner = vault / "a/b" / marker.rstrip("/")
    if marker.endswith("/"):
        inner.mkdir()
    elif marker == "pyproject.toml":
        inner.write_text('[tool.vaultlint]\nselect = ["time-sum"]\n', encoding="utf-8")
    elif marker == ".vaultlint.toml":
        inner.write_text('select = ["time-sum"]\n', encoding="utf-8")
    else:
        inner.write_text("gitdir: elsewhere\n", encoding="utf-8")
    walked = Runner(RunOptions(), cwd=tmp_path).targets([vault])
    assert len(walked) == 7
    for target in walked:
        alone = Runner(RunOptions(), cwd=tmp_path).settings_for(target.path.parent, vault)
        assert (target.settings, target.relative) == (
            alone,
            target.path.relative_to(alone.root).as_posix(),
        )
    roots = {target.display: target.settings.root for target in walked}
    inside = vault / "a/b"  # the marker makes it a vault root of its own
    assert roots == {
        "vault/note.md": vault,
        "vault/a/note.md": vault,
        "vault/a/b/note.md": inside,
        "vault/a/b/c/note.md": inside,
        "vault/d/note.md": vault,
        "vault/e/f/g/note.md": vault,
        "vault/a/b/h/i/note.md": inside,
    }
