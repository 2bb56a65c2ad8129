"""What Obsidian skips is skipped, its property types are checked, per-file ignores apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke

BROKEN = {"portions: 6": "portions: 0"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "ok.md").write_bytes(clean_note())
    return tmp_path


def test_template_folders_from_obsidian_settings_are_skipped(vault: Path) -> None:
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Modèles"}', "utf-8")
    (vault / "Modèles").mkdir()
    (vault / "Modèles" / "Recette.md").write_bytes(b"---\ndate: {{date}}\n---\n")
    assert invoke("check", ".", cwd=vault)[1] == "All checks passed! (1 note checked)\n"


def test_gitignored_notes_are_skipped_unless_asked(vault: Path) -> None:
    (vault / ".gitignore").write_text("Brouillons/\n", "utf-8")
    (vault / "Brouillons").mkdir()
    (vault / "Brouillons" / "idée.md").write_bytes(clean_note(**BROKEN))
    assert invoke("check", ".", cwd=vault)[0] == 0
    code, out, _ = invoke("check", "--no-respect-gitignore", ".", cwd=vault)
    assert code == 1
    assert out.startswith("Brouillons/idée.md:7:11: error schema")


def test_property_types_from_types_json_are_checked(vault: Path) -> None:
    types = {"types": {"portions": "number", "source": "text"}}
    (vault / ".obsidian" / "types.json").write_text(json.dumps(types), "utf-8")
    (vault / "a.md").write_bytes(clean_note(**{"portions: 6": 'portions: "6"'}))
    code, out, _ = invoke("check", "--select", "property-type", ".", cwd=vault)
    assert code == 0  # a warning
    assert out.startswith(
        "a.md:7:11: warning property-type portions is a number property in this vault "
        '(.obsidian/types.json), but its value is text "6"'
    )


def test_per_file_ignores_turn_rules_off_for_matching_notes(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text(
        '[per-file-ignores]\n"Archive/**" = ["schema"]\n', encoding="utf-8"
    )
    (vault / "Archive").mkdir()
    # each its own URL: the same one would make them duplicates (duplicate-note)
    (vault / "Archive" / "old.md").write_bytes(clean_note(**BROKEN, DQDuWQZAaoP="DQDuWQZAold"))
    (vault / "new.md").write_bytes(clean_note(**BROKEN, DQDuWQZAaoP="DQDuWQZAnew"))
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()[:-1]] == ["new.md"]


def test_jobs_give_the_same_output_as_one_process(vault: Path) -> None:
    for index in range(250):  # above the one-process threshold
        url = {"DQDuWQZAaoP": f"DQDuWQZA{index:03}"}  # not duplicates of each other
        (vault / f"n{index:03}.md").write_bytes(
            clean_note(**BROKEN, **url) if index % 7 == 0 else clean_note(**url)
        )
    one = invoke("check", "--jobs", "1", "--no-cache", ".", cwd=vault)
    two = invoke("check", "--jobs", "2", "--no-cache", ".", cwd=vault)
    assert one == two
    assert one[1].endswith("Found 36 errors and 0 warnings in 251 notes.\n")
