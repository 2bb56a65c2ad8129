"""`vaultlint init`: a commented `.vaultlint.toml` at the vault root, never over an existing one."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import RECIPE_SCHEMA
from vaultlint.commands.init import InitRequest, config_text, run_init
from vaultlint.config import Settings, load_settings
from vaultlint.engine import RuleSelection
from vaultlint.errors import SchemaError, UsageError
from vaultlint.rules import RULES
from vaultlint.schema.loader import DEFAULT_SCHEMA, bundled_schema

# A commented-out key, table header or continuation line of the example `schemas` list.
_EXAMPLE = re.compile(r"# ([A-Za-z][\w-]* = .*|\[[\w.-]+\]|  \{.*|\])")


def init(start: Path, schema: Path | None = None) -> str:
    out = io.StringIO()
    assert run_init(InitRequest(start, schema), out) == 0
    return out.getvalue()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "Recettes" / "Thaï").mkdir(parents=True)
    return tmp_path


def load(path: Path) -> Settings:
    return load_settings(path, path.parent)


def test_writes_at_the_vault_root_from_a_subfolder(vault: Path) -> None:
    out = init(vault / "Recettes" / "Thaï")
    written = vault / ".vaultlint.toml"
    assert out == (
        f"Vault root: {vault}\n"
        "Notes: 0 (0 with a frontmatter block)\n"
        "No note has frontmatter: no schema inferred, the bundled one applies.\n"
        f"Wrote {written}\n"
    )
    assert not (vault / "Recettes" / "Thaï" / ".vaultlint.toml").exists()
    settings = load(written)
    assert settings.root == vault.resolve()
    assert settings.schema == bundled_schema(DEFAULT_SCHEMA)  # every key at its default
    assert settings.exclude == ()
    assert settings.select is None
    assert settings.ignore == frozenset()


def test_every_key_is_explained_with_its_default() -> None:
    text = config_text()
    for key in ("schema", "schemas", "include", "exclude", "select", "ignore"):
        example = re.search(rf"^# {key} = ", text, re.MULTILINE)
        assert example is not None, key
        explanation = text[: example.start()].rsplit("\n\n", 1)[1]
        assert "Default:" in explanation, key
    assert "# [severity]" in text
    assert "# [rules.tag-missing]" in text
    for rule_id, rule in RULES.items():
        assert f'# {rule_id} = "{rule.DEFAULT_SEVERITY.value}"\n' in text


def test_every_commented_example_is_valid_when_uncommented(tmp_path: Path) -> None:
    lines = [line[2:] if _EXAMPLE.fullmatch(line) else line for line in config_text().splitlines()]
    config = tmp_path / ".vaultlint.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load(config)
    assert settings.schema == (tmp_path / "vault.schema.json").resolve()
    assert [m.glob for m in settings.schemas] == ["Recettes/**", "Journal/"]
    assert settings.include == ("Recettes/", "Inbox/")
    assert settings.severity == {rule_id: r.DEFAULT_SEVERITY.value for rule_id, r in RULES.items()}
    assert settings.rule_options == {"tag-missing": {"recommended": True}}
    # The rule IDs in the examples exist.
    RuleSelection.build(settings.select, settings.ignore, settings.severity, settings.rule_options)


def test_refuses_to_overwrite_an_existing_config(vault: Path) -> None:
    existing = vault / ".vaultlint.toml"
    existing.write_text('exclude = ["Brouillons/"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"\.vaultlint\.toml already exists; edit it"):
        init(vault)
    assert existing.read_text(encoding="utf-8") == 'exclude = ["Brouillons/"]\n'


def test_refuses_when_pyproject_already_configures_vaultlint(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.vaultlint]\nignore = []\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"already configures vaultlint \(\[tool\.vaultlint\]\)"):
        init(tmp_path)
    assert not (tmp_path / ".vaultlint.toml").exists()


def test_git_top_level_is_the_root_without_obsidian_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes").mkdir()
    init(tmp_path / "notes")
    assert (tmp_path / ".vaultlint.toml").is_file()


def test_schema_option_is_written_relative_to_the_root(vault: Path) -> None:
    schema = vault / "schemas" / "vault.schema.json"
    schema.parent.mkdir()
    schema.write_bytes(RECIPE_SCHEMA.read_bytes())
    init(vault, schema)
    text = (vault / ".vaultlint.toml").read_text(encoding="utf-8")
    assert '\nschema = "schemas/vault.schema.json"\n' in text
    assert load(vault / ".vaultlint.toml").schema == schema.resolve()


def test_a_broken_schema_is_refused_before_writing(vault: Path) -> None:
    schema = vault / "broken.schema.json"
    schema.write_text('{"type": "object", "x-vaultlint": {"colour": 1}}', encoding="utf-8")
    with pytest.raises(SchemaError, match="bad x-vaultlint extension"):
        init(vault, schema)
    assert not (vault / ".vaultlint.toml").exists()


def test_templates_folders_of_obsidian_and_templater_are_excluded(vault: Path) -> None:
    (vault / ".obsidian" / "templates.json").write_text(
        json.dumps({"folder": "Modèles"}), encoding="utf-8"
    )
    templater = vault / ".obsidian" / "plugins" / "templater-obsidian"
    templater.mkdir(parents=True)
    (templater / "data.json").write_text(
        json.dumps({"templates_folder": "Meta/Templates [old]/"}), encoding="utf-8"
    )
    init(vault)
    settings = load(vault / ".vaultlint.toml")
    assert settings.exclude == ("Meta/Templates \\[old\\]/", "Modèles/")
    assert settings.excluded("Modèles/Recette.md")
    assert settings.excluded("Meta/Templates [old]/Journal.md")
    assert not settings.excluded("Recettes/Thaï/Pad thaï.md")


def test_unreadable_obsidian_settings_are_ignored(vault: Path) -> None:
    (vault / ".obsidian" / "templates.json").write_text("{not json", encoding="utf-8")
    init(vault)
    assert load(vault / ".vaultlint.toml").exclude == ()


def test_without_obsidian_or_git_the_given_folder_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    notes = tmp_path / "notes"
    elsewhere.mkdir()
    notes.mkdir()
    monkeypatch.chdir(elsewhere)
    init(notes)
    assert (notes / ".vaultlint.toml").is_file()
    assert not (elsewhere / ".vaultlint.toml").exists()


def test_a_file_is_not_a_start_folder(vault: Path) -> None:
    note = vault / "note.md"
    note.write_text("# Note\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        init(note)


def test_without_obsidian_or_git_the_given_folder_is_the_root_from_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "vault").mkdir()
    monkeypatch.chdir(tmp_path)
    init(Path("vault"))
    assert (tmp_path / "vault" / ".vaultlint.toml").is_file()
    assert not (tmp_path / ".vaultlint.toml").exists()
