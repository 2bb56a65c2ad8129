"""A baseline named in the config (`baseline = "..."`), honoured by `check` and `fix` (issue #16).

`fix` still applies what it can; a problem the baseline records is neither reported nor counted
as remaining, so `fix` exits 0 when it changed nothing and only recorded problems remain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke

UNFIXABLE = {"portions: 6": "portions: 0"}  # a schema error with no fix
OWN_URL = {"DQDuWQZAaoP": "DQDuWQZAnew"}  # the same URL would make two notes duplicates
FIXABLE = {"temps_total: 230": "temps_total: 200"}  # time-sum, safe fix


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".vaultlint.toml").write_text(
        'baseline = ".vaultlint-baseline.json"\n', encoding="utf-8"
    )
    (tmp_path / "old.md").write_bytes(clean_note(**UNFIXABLE))
    code, _, err = invoke(
        "check", "--write-baseline", ".vaultlint-baseline.json", ".", cwd=tmp_path
    )
    assert (code, err) == (0, "Recorded 1 problem in .vaultlint-baseline.json\n")
    return tmp_path


def test_check_leaves_out_what_the_config_baseline_records(vault: Path) -> None:
    assert invoke("check", ".", cwd=vault) == (0, "All checks passed! (1 note checked)\n", "")


def test_check_still_reports_a_new_problem_beside_a_recorded_one(vault: Path) -> None:
    (vault / "new.md").write_bytes(clean_note(**UNFIXABLE, **OWN_URL))
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert "new.md:7:11: error schema" in out
    assert "old.md" not in out


def test_an_explicit_baseline_beats_the_configs(vault: Path) -> None:
    (vault / "empty.json").write_text('{"vaultlint-baseline": 1, "problems": []}', "utf-8")
    code, out, _ = invoke("check", "--baseline", "empty.json", ".", cwd=vault)
    assert code == 1
    assert "old.md:7:11: error schema" in out


def test_fix_exits_0_when_it_changed_nothing_and_only_recorded_problems_remain(
    vault: Path,
) -> None:
    before = (vault / "old.md").read_bytes()
    code, out, err = invoke("fix", ".", cwd=vault)
    assert (code, out, err) == (0, "Fixed 0 problems in 0 notes; 0 remain.\n", "")
    assert (vault / "old.md").read_bytes() == before


def test_fix_still_fixes_a_note_with_a_recorded_problem_and_exits_1_for_the_change(
    vault: Path,
) -> None:
    (vault / "old.md").write_bytes(clean_note(**UNFIXABLE, **FIXABLE))
    code, out, _ = invoke("fix", ".", cwd=vault)
    assert code == 1  # a note changed: pre-commit must stop the commit
    assert "Fixed 1 problem in old.md (time-sum)" in out
    assert b"temps_total: 230" in (vault / "old.md").read_bytes()
    assert invoke("fix", ".", cwd=vault)[0] == 0  # the second run changes nothing


def test_fix_reports_an_unrecorded_problem_as_remaining(vault: Path) -> None:
    (vault / "new.md").write_bytes(clean_note(**UNFIXABLE, **OWN_URL))
    code, out, _ = invoke("fix", ".", cwd=vault)
    assert code == 1
    assert "new.md:7:11: error schema" in out
    assert "old.md" not in out


def test_a_missing_config_baseline_is_a_usage_error_naming_the_file(vault: Path) -> None:
    (vault / ".vaultlint-baseline.json").unlink()
    code, _, err = invoke("check", ".", cwd=vault)
    assert code == 2
    assert ".vaultlint-baseline.json: cannot read the baseline" in err


def test_the_baseline_key_must_be_a_path(tmp_path: Path) -> None:
    (tmp_path / ".vaultlint.toml").write_text("baseline = 3\n", encoding="utf-8")
    (tmp_path / "note.md").write_bytes(clean_note())
    code, _, err = invoke("check", ".", cwd=tmp_path)
    assert code == 2
    assert ".vaultlint.toml: baseline must be a path (a string)" in err


def test_each_folder_of_a_walk_takes_the_baseline_of_its_own_config(vault: Path) -> None:
    """A subfolder with its own config and baseline, walked from the vault root: its notes are
    measured against its baseline, the root's other folders against the root's."""
    other = vault / "Autre"
    other.mkdir()
    (other / ".vaultlint.toml").write_text('baseline = "b.json"\n', encoding="utf-8")
    (other / "Sub").mkdir()
    (other / "Sub" / "autre.md").write_bytes(clean_note(**UNFIXABLE, **OWN_URL))
    code, _, err = invoke("check", "--write-baseline", "b.json", ".", cwd=other)
    assert (code, err) == (0, "Recorded 1 problem in b.json\n")
    (vault / "Plain").mkdir()
    (vault / "Plain" / "new.md").write_bytes(
        clean_note(**UNFIXABLE, **{"DQDuWQZAaoP": "DQDuWQZAnw2"})
    )
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert "Plain/new.md:7:11: error schema" in out
    assert "autre.md" not in out
    assert "old.md" not in out
