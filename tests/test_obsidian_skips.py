"""Template folders named in Obsidian's and Templater's settings, and git-ignored notes, skip."""

from __future__ import annotations

import json
from pathlib import Path

from vaultlint.obsidian import template_folders, vault_skips


def test_template_folders_come_from_both_plugins_and_a_renamed_config_folder(
    tmp_path: Path,
) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "templates.json").write_text(
        json.dumps({"folder": "Modèles/"}), "utf-8"
    )
    plugin = tmp_path / ".config-vault" / "plugins" / "templater-obsidian"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"templates_folder": "Templater"}), "utf-8")
    assert template_folders(tmp_path) == ("Modèles", "Templater")


def test_broken_or_empty_settings_skip_nothing(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "templates.json").write_text("{not json", "utf-8")
    assert template_folders(tmp_path) == ()


def test_gitignore_at_the_vault_root(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("Brouillons/\n*.tmp.md\n", "utf-8")
    skips = vault_skips(tmp_path)
    assert skips.skipped("Brouillons/idée.md")
    assert skips.skipped("a/b.tmp.md")
    assert not skips.skipped("Recettes/Tarte.md")
    assert not vault_skips(tmp_path, respect_gitignore=False).skipped("Brouillons/idée.md")
