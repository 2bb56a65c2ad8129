"""`vaultlint init` reads the vault: templates to `exclude`, pages to `pages`, with why (#13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke
from vaultlint.config import load_settings
from vaultlint.survey import SurveyedFile, survey

README = b"# Recettes\n\n- [Tarte](Tarte.md)\n- [Curry](Curry.md)\n"
INDEX = b"# Par cuisine\n\n## Thai\n\n- [Curry](../Recettes/Curry.md) - 30 min\n"
DOCS = b"# Conventions\n\nChaque recette porte de 6 a 10 tags.\n\n## Tags\n\nVoir plus bas.\n"
TEMPLATE = b"---\ndate_ajout: {{date}}\ntags: []\n---\n\n# {{title}}\n"
BLANKS = b"---\ncuisine: [origine]\ntype: [categorie]\ndate_ajout: YYYY-MM-DD\n---\n# [Titre]\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """No `.obsidian/` (a clone), a git top level, notes, pages and templates."""
    (tmp_path / ".git").mkdir()
    files = {
        "README.md": README,
        "Recettes/README.md": README,
        "Recettes/Curry.md": clean_note(),
        # each its own URL: the same one would make them duplicates (duplicate-note)
        "Recettes/Tarte.md": clean_note(**{"DQDuWQZAaoP": "DQDuWQZTarte"}),
        "Recettes/Soupe.md": clean_note(**{"DQDuWQZAaoP": "DQDuWQZSoupe"}),
        "index/par-cuisine.md": INDEX,
        "index/par-temps.md": INDEX,
        "docs/conventions.md": DOCS,
        "Templates/Recette.md": BLANKS,
        "Template - Recette.md": TEMPLATE,
        "Recettes/Vide.md": b"",  # an empty note stays a note: its finding is real
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_templates_are_excluded_and_pages_listed_with_why(vault: Path) -> None:
    code, out, _ = invoke("init", "--no-infer", ".", cwd=vault)
    assert code == 0
    assert out == (
        "Vault root: .\n"
        "Template, excluded: Templates/ (1 file in a folder named 'Templates')\n"
        "Template, excluded: /Template - Recette.md "
        "(placeholders ({{…}}, <% … %> or [blanks] to fill))\n"
        "Page, not checked against the schema: docs/ "
        "(1 file without frontmatter: a folder of pages)\n"
        "Page, not checked against the schema: index/ "
        "(2 files without frontmatter: a folder of pages)\n"
        "Page, not checked against the schema: README.md (2 README.md without frontmatter)\n"
        "Notes: 4 (3 with a frontmatter block)\n"
        "Wrote .vaultlint.toml\n"
    )
    text = (vault / ".vaultlint.toml").read_text("utf-8")
    assert '  "index/",  # 2 files without frontmatter: a folder of pages\n' in text
    settings = load_settings(None, vault)
    assert settings.pages == ("docs/", "index/", "README.md")
    assert settings.is_page("Recettes/README.md")
    assert not settings.is_page("Recettes/Curry.md")
    assert settings.excluded("Templates/Recette.md")
    assert settings.excluded("Template - Recette.md")


def test_then_check_reports_nothing_on_pages_and_templates(vault: Path) -> None:
    before = invoke("check", ".", cwd=vault)[1]
    assert "README.md:1:1: error frontmatter-missing" in before  # what init is for
    invoke("init", "--no-infer", ".", cwd=vault)
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    # Pages get the link rules (issue #14): their broken links are true; nothing else is.
    lines = [line for line in out.splitlines()[:-2] if " error link-" not in line]
    assert lines == [
        "Recettes/Vide.md:1:1: error frontmatter-missing the note is empty: it has no frontmatter"
    ]


def test_a_page_gets_the_rules_for_any_markdown_file(vault: Path) -> None:
    invoke("init", "--no-infer", ".", cwd=vault)
    (vault / "index" / "par-temps.md").write_bytes(INDEX + b"caf\xe9\n")  # Latin-1: broken
    code, out, _ = invoke("check", "index/", cwd=vault)
    assert code == 1
    assert out.startswith("index/par-temps.md:6:4: error encoding")


def test_a_note_that_lost_its_frontmatter_stays_a_note(vault: Path) -> None:
    body = clean_note().split(b"\n---\n", 1)[1]
    (vault / "Recettes" / "Sans frontmatter.md").write_bytes(body)
    invoke("init", "--no-infer", ".", cwd=vault)
    settings = load_settings(None, vault)
    assert not settings.is_page("Recettes/Sans frontmatter.md")


def test_without_notes_with_frontmatter_no_file_is_a_page() -> None:
    found = survey([SurveyedFile("a.md", b"# A\n\n[b](b.md)\n"), SurveyedFile("README.md", README)])
    assert found.pages == ()
    assert found.notes == ("README.md", "a.md")


def test_the_inferred_schema_is_written_beside_the_config_and_never_replaced(
    vault: Path,
) -> None:
    code, out, _ = invoke("init", ".", cwd=vault)
    assert code == 0
    assert "Inferred a schema in" in out
    assert out.endswith("Wrote vault.schema.json\nWrote .vaultlint.toml\n")
    settings = load_settings(None, vault)
    assert settings.schema == (vault / "vault.schema.json").resolve()
    schema = json.loads((vault / "vault.schema.json").read_text("utf-8"))
    assert schema["x-vaultlint"]["sections"]["order"][0]["name"] == "Informations rapides"
    assert invoke("check", "Recettes/Curry.md", cwd=vault)[0] == 0
    (vault / ".vaultlint.toml").unlink()
    code, _, err = invoke("init", ".", cwd=vault)  # the schema is still there
    assert code == 2
    assert "vault.schema.json already exists; use --force to replace it" in err
    assert not (vault / ".vaultlint.toml").exists()  # nothing half-written
    assert invoke("init", "--force", ".", cwd=vault)[0] == 0
    assert (vault / ".vaultlint.toml").is_file()


def test_obsidian_excluded_files_are_honoured_without_a_config(vault: Path) -> None:
    (vault / ".obsidian").mkdir()
    filters = {"userIgnoreFilters": ["Archives/", "/\\.draft\\.md$/", "/[broken/"]}
    (vault / ".obsidian" / "app.json").write_text(json.dumps(filters), "utf-8")
    (vault / "Archives").mkdir()
    (vault / "Archives" / "Vieux.md").write_bytes(b"")
    (vault / "Recettes" / "Essai.draft.md").write_bytes(b"")
    code, out, _ = invoke("check", "Recettes/", "Archives/", cwd=vault)
    assert "Archives/Vieux.md" not in out
    assert "Essai.draft.md" not in out
    assert "Recettes/Vide.md:1:1" in out  # not excluded: still checked
    assert code == 1
    out = invoke("init", "--no-infer", ".", cwd=vault)[1]
    assert (
        "Excluded files of Obsidian's settings, honoured by every command: "
        "Archives/, /\\.draft\\.md$/, /[broken/\n"
    ) in out


@pytest.mark.parametrize(
    ("text", "template"),
    [
        (TEMPLATE, True),  # core Templates: {{date}}, {{title}}
        (b"---\ndate: {{date:YYYY-MM-DD}}\n---\n", True),
        (b"# Jour\n<% tp.date.now() %>\n", True),  # Templater
        (b"# Jour\n<%* tR += 'x' %>\n", True),
        (BLANKS, True),  # a frontmatter of blanks to fill
        # A note's own content: one-item lists, code with braces, ERB.
        (
            b"---\naliases: [Pad thai]\ncssclasses: [wide]\ntags: [recette]\ncuisine: thai\n"
            b"type: plat\nsource: Blog\n---\n# Pad thai\n",
            False,
        ),
        (b"# Ansible\n\n```\n{{ inventory_hostname }}\n<%= erb %>\n```\n", False),
    ],
)
def test_a_template_is_told_by_its_placeholders(text: bytes, template: bool) -> None:
    from vaultlint.survey import is_template_file

    assert is_template_file(text) is template


def test_a_folder_of_pages_is_listed_once_with_its_subfolders() -> None:
    notes = [SurveyedFile(f"n{i}.md", b"---\na: 1\n---\n# N\n") for i in range(5)]
    docs = [SurveyedFile("docs/a.md", DOCS), SurveyedFile("docs/sub/b.md", DOCS)]
    mixed = [SurveyedFile("Inbox/idee.md", DOCS), SurveyedFile("Inbox/sub/n.md", notes[0].raw)]
    found = survey([*notes, *docs, *mixed])
    assert [d.glob for d in found.pages] == ["docs/"]
    assert found.pages[0].reason == "2 files without frontmatter: a folder of pages"
    assert "Inbox/idee.md" in found.notes  # beside a note: its missing frontmatter is real


def test_when_the_config_cannot_be_written_the_new_schema_is_taken_back(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from vaultlint.commands import init as init_module

    real_open = open

    def refusing_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if str(file).endswith(".vaultlint.toml") and "x" in mode:
            raise OSError(28, os.strerror(28))  # no space left on the device
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(init_module, "open", refusing_open, raising=False)
    code, _, err = invoke("init", ".", cwd=vault)
    assert code == 2
    assert ".vaultlint.toml: cannot write: No space left on device" in err
    assert not (vault / "vault.schema.json").exists()
    assert not (vault / ".vaultlint.toml").exists()
