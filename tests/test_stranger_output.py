"""`-o/--output-file` never replaces a note, nor any file of the vault it checks, unless `--force`.

`check -o note.md` overwrote a note without a word (issue #15, item 7), while `schema infer -o`
already refused to replace a file. A report lands beside a vault, not in it; `--force` says
that replacing is meant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import invoke

NOTE = b"---\ntitre: x\n---\n# X\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    (folder / ".obsidian").mkdir(parents=True)
    (folder / "note.md").write_bytes(NOTE)
    (folder / "notes.json").write_bytes(b'{"mine": true}\n')
    return folder


@pytest.mark.parametrize(
    "arguments",
    [("check", "--no-cache"), ("fix",), ("fix", "--diff"), ("report",)],
    ids=["check", "fix", "fix-diff", "report"],
)
def test_a_note_is_never_replaced_by_a_report(vault: Path, arguments: tuple[str, ...]) -> None:
    code, out, err = invoke(*arguments, ".", "-o", "note.md", cwd=vault)
    assert code == 2, out + err
    assert "note.md" in err
    assert "--force" in err
    assert (vault / "note.md").read_bytes() == NOTE


def test_a_note_outside_the_vault_is_not_replaced_either(vault: Path) -> None:
    other = vault.parent / "journal.md"
    other.write_bytes(b"# my journal\n")
    code, _, err = invoke("check", "--no-cache", "vault", "-o", "journal.md", cwd=vault.parent)
    assert code == 2
    assert other.read_bytes() == b"# my journal\n"
    assert "journal.md" in err


def test_a_file_inside_the_vault_is_not_replaced_without_force(vault: Path) -> None:
    code, _, err = invoke(
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "vault",
        "-o",
        "vault/notes.json",
        cwd=vault.parent,
    )
    assert code == 2
    assert "inside the vault" in err
    assert (vault / "notes.json").read_bytes() == b'{"mine": true}\n'


def test_force_replaces_it(vault: Path) -> None:
    code, _, err = invoke(
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "--force",
        ".",
        "-o",
        "notes.json",
        cwd=vault,
    )
    assert code == 1, err
    assert (vault / "notes.json").read_bytes().startswith(b"{")


def test_a_new_file_or_one_outside_the_vault_is_written_as_before(vault: Path) -> None:
    outside = vault.parent / "report.json"
    outside.write_bytes(b"old\n")
    code, _, err = invoke(
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "vault",
        "-o",
        "report.json",
        cwd=vault.parent,
    )
    assert code == 1, err
    assert outside.read_bytes().startswith(b"{")
    code, _, err = invoke(
        "check", "--no-cache", "--output-format", "json", ".", "-o", "fresh.json", cwd=vault
    )
    assert code == 1, err
    assert (vault / "fresh.json").read_bytes().startswith(b"{")
