"""The fixer's promises that only a broken fix can test: nothing is written, and the run says so."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke
from vaultlint.diagnostic import Diagnostic, Edit
from vaultlint.note import Note
from vaultlint.rules import RULES, time_sum
from vaultlint.rules.base import RuleContext


def test_a_fix_that_breaks_other_data_is_withheld_and_named_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_check = time_sum.check

    def reckless(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
        for diagnostic in original_check(note, ctx):
            assert diagnostic.fix is not None
            if b"portions: 6" not in note.raw:
                yield diagnostic
                continue
            # Also rewrite `portions: 6`, which the fix does not declare.
            at = note.raw.index(b"portions: 6") + len(b"portions: ")
            extra = Edit(at, at + 1, b"7")
            edits = (*diagnostic.fix.edits, extra)
            yield dataclasses.replace(
                diagnostic, fix=dataclasses.replace(diagnostic.fix, edits=edits)
            )

    monkeypatch.setattr(RULES["time-sum"], "check", reckless)
    broken = tmp_path / "a.md"
    before = clean_note(**{"temps_total: 230": "temps_total: 200"})
    broken.write_bytes(before)
    other = tmp_path / "b.md"
    other.write_bytes(before.replace(b"portions: 6", b"portions: 4"))
    code, out, err = invoke("fix", "a.md", "b.md", cwd=tmp_path)
    assert code == 1  # a refused fix is a notice, not an internal error
    assert err == (
        "vaultlint: a.md: not fixed: time-sum (set temps_total to 230) failed verification: "
        "the fix changed 'portions', which it did not declare\n"
    )
    assert broken.read_bytes() == before
    assert b"temps_total: 230" in other.read_bytes()  # every other note is fixed
    assert "Fixed 1 problem in b.md (time-sum)" in out


def test_a_read_only_note_is_reported_not_forced(tmp_path: Path) -> None:
    note = tmp_path / "a.md"
    before = clean_note(**{"temps_total: 230": "temps_total: 200"})
    note.write_bytes(before)
    note.chmod(0o444)
    code, _, err = invoke("fix", "a.md", cwd=tmp_path)
    assert code == 1
    assert err == "vaultlint: a.md: not written: the note is read-only (-r--r--r--)\n"
    assert note.read_bytes() == before


def test_a_symlink_to_a_note_outside_the_given_paths_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    before = clean_note(**{"temps_total: 230": "temps_total: 200"})
    outside.write_bytes(before)
    (tmp_path / ".obsidian").mkdir()  # the vault root: the link stays in it, outside the paths
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "link.md").symlink_to(outside)
    code, _, err = invoke("fix", "vault", cwd=tmp_path)
    assert code == 1
    assert err.startswith("vaultlint: vault/link.md: not written:")
    assert outside.read_bytes() == before
    assert invoke("fix", "--follow-symlinks", "vault", cwd=tmp_path)[0] == 1
    assert b"temps_total: 230" in outside.read_bytes()


def test_a_crashing_rule_gives_a_short_message_naming_the_note_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(RULES["title"], "check", broken)
    monkeypatch.delenv("VAULTLINT_DEBUG", raising=False)
    (tmp_path / "a.md").write_bytes(clean_note())
    code, out, err = invoke("check", "a.md", cwd=tmp_path)
    assert code == 2
    assert "Traceback" not in out + err
    assert err.startswith(
        "vaultlint: internal error: InternalError: rule title failed on a.md: "
        "ZeroDivisionError: division by zero\n"
    )


def test_two_fix_runs_at_once_leave_every_note_valid_and_fixed(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / ".obsidian").mkdir()
    broken = clean_note(
        **{"temps_total: 230": "temps_total: 200", "## Ingredients": "## Ingrédients"}
    )
    for index in range(60):
        (tmp_path / f"note-{index:02}.md").write_bytes(broken)
    command = [sys.executable, "-m", "vaultlint", "fix", "--jobs", "1", "."]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode in (0, 1), err
        assert b"Traceback" not in err
        assert b"internal error" not in err
    expected = clean_note()
    assert all((tmp_path / f"note-{i:02}.md").read_bytes() == expected for i in range(60))
    assert not list(tmp_path.glob(".*.tmp"))
