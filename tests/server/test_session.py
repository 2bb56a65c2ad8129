"""The server's core without the protocol: a buffer linted as its file, fixes, format, positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types

from tests.server.test_lsp_stdio import NOTE, SCHEMA
from tests.test_cli import invoke
from vaultlint.errors import UsageError
from vaultlint.note import Note
from vaultlint.server.actions import FIX_ALL_KIND, code_actions
from vaultlint.server.convert import lsp_diagnostic, replacement_edits
from vaultlint.server.positions import Positions
from vaultlint.server.session import Session

EVERYWHERE = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)
)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".vaultlint.toml").write_text(f"schema = {str(SCHEMA)!r}\n", encoding="utf-8")
    return tmp_path


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions, all relative to `text`) as an editor does."""
    lines = [*text.splitlines(keepends=True), ""]

    def offset(position: types.Position) -> int:
        before = "".join(lines[: position.line])
        units = lines[position.line].encode("utf-16-le")[: position.character * 2]
        return len(before) + len(units.decode("utf-16-le"))

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def test_a_buffer_gets_the_findings_its_file_would_get(vault: Path) -> None:
    text = NOTE.replace("## Steps", "## Étapes").replace("cuisine: thaï", "cuisine: thai")
    (vault / "note.md").write_text(text, encoding="utf-8")
    _, out, _ = invoke("check", "--output-format", "json", "note.md", cwd=vault)
    from_cli = [
        (d["line"] - 1, d["column"] - 1, d["rule"], d["message"])
        for d in json.loads(out)["diagnostics"]
    ]
    lint = Session(vault).lint(vault / "note.md", text)
    assert lint is not None
    in_editor = [
        (d.range.start.line, d.range.start.character, d.code, d.message)
        for d in (lsp_diagnostic(p) for p in lint.placed)
    ]
    assert len(from_cli) == 3
    assert in_editor == from_cli


def test_a_note_the_config_excludes_gets_no_diagnostics(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text(
        f'schema = {str(SCHEMA)!r}\nexclude = ["Templates/"]\n', encoding="utf-8"
    )
    session = Session(vault)
    assert session.lint(vault / "Templates" / "recipe.md", NOTE) is None
    assert session.lint(vault / ".trash" / "old.md", NOTE) is None
    assert session.lint(vault / "kept.md", NOTE) is not None


def test_the_config_baseline_leaves_out_what_it_records(vault: Path) -> None:
    (vault / "note.md").write_text(NOTE, encoding="utf-8")
    invoke("check", "--write-baseline", ".vaultlint-baseline.json", ".", cwd=vault)
    (vault / ".vaultlint.toml").write_text(
        f'schema = {str(SCHEMA)!r}\nbaseline = ".vaultlint-baseline.json"\n', encoding="utf-8"
    )
    session = Session(vault)
    recorded = session.lint(vault / "note.md", NOTE)
    assert recorded is not None
    assert recorded.placed == ()
    new = session.lint(vault / "note.md", NOTE.replace("## Steps", "## Étapes"))
    assert new is not None
    assert [p.diagnostic.message for p in new.placed] == [
        '"Étapes" is an alias of the section "Steps"'
    ]


def test_a_changed_config_is_read_again(vault: Path) -> None:
    session = Session(vault)
    assert session.lint(vault / "note.md", NOTE) is not None
    (vault / ".vaultlint.toml").write_text('ignore = ["heading-alias"]\n', encoding="utf-8")
    # The config's mtime changed: the next lint reads it again.
    lint = session.lint(vault / "note.md", NOTE)
    assert lint is not None
    assert [p.diagnostic.rule for p in lint.placed if p.diagnostic.rule == "heading-alias"] == []


def test_a_broken_config_is_a_usage_error_naming_the_file(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text("select = 3\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\.vaultlint\.toml: select must be a list"):
        Session(vault).lint(vault / "note.md", NOTE)


def test_an_unsafe_fix_is_labelled_and_not_preferred(vault: Path) -> None:
    text = NOTE.replace("portions:   4\n", "portions:   4\ntag: [curry]\n")
    lint = Session(vault).lint(vault / "note.md", text)
    assert lint is not None
    actions = code_actions(Session(vault), lint, "file:///note.md", EVERYWHERE)
    titles = {a.title: a.is_preferred for a in actions if a.kind == "quickfix"}
    assert titles == {
        "vaultlint (deprecated-key): rename tag to tags (unsafe)": False,
        "vaultlint (heading-alias): rename it Ingredients": True,
    }


def test_fix_all_gives_what_vaultlint_fix_writes(vault: Path) -> None:
    text = NOTE.replace("## Steps", "## Étapes")
    (vault / "note.md").write_text(text, encoding="utf-8")
    session = Session(vault)
    lint = session.lint(vault / "note.md", text)
    assert lint is not None
    actions = code_actions(session, lint, "file:///note.md", EVERYWHERE, only=["source"])
    [fix_all] = actions
    assert fix_all.kind == FIX_ALL_KIND
    assert fix_all.edit is not None
    assert fix_all.edit.changes is not None
    fixed_in_editor = apply(text, list(fix_all.edit.changes["file:///note.md"]))
    assert invoke("fix", "note.md", cwd=vault)[0] == 1
    assert fixed_in_editor == (vault / "note.md").read_text(encoding="utf-8")
    assert "## Ingredients" in fixed_in_editor
    assert "## Steps" in fixed_in_editor


def test_format_edits_give_what_vaultlint_format_writes(vault: Path) -> None:
    (vault / "note.md").write_text(NOTE, encoding="utf-8")
    formatted = Session(vault).format(vault / "note.md", NOTE)
    assert formatted is not None
    note, new = formatted
    in_editor = apply(NOTE, replacement_edits(note, new))
    assert invoke("format", "note.md", cwd=vault)[0] == 1
    assert in_editor == (vault / "note.md").read_text(encoding="utf-8")


def test_positions_count_utf16_units_and_skip_the_bom() -> None:
    note = Note.from_bytes("\ufeffa🍚b\nçd".encode())
    positions = Positions(note)
    assert positions.at(note.raw.index(b"b")) == (0, 3)  # the rice bowl is two UTF-16 units
    assert positions.at(note.raw.index(b"d")) == (1, 1)
    assert Positions(note, len).at(note.raw.index(b"b")) == (0, 2)  # UTF-32: code points
    assert positions.end() == (1, 2)


def _rules(lint: object) -> list[tuple[str, str]]:
    return [(p.diagnostic.rule, p.diagnostic.message) for p in lint.placed]  # type: ignore[attr-defined]


def test_the_vault_rules_see_the_buffer_in_place_of_its_file(vault: Path) -> None:
    tarte = NOTE.replace("# Curry vert", "# Tarte").replace("## Ingrédients", "## Ingredients")
    tarte = tarte.replace("portions:", "url: https://example.org/tarte\nportions:")
    (vault / "Tarte.md").write_text(tarte, encoding="utf-8")
    menu = tarte.replace("# Tarte", "# Menu").replace("/tarte", "/menu")
    menu += "\n[[Tarte]] et [[Gâteau]]\n"
    (vault / "Menu.md").write_text(menu, encoding="utf-8")
    session = Session(vault)
    lint = session.lint(vault / "Menu.md", menu)
    assert ("link-broken", 'no note or file named "Gâteau" in the vault') in _rules(lint)
    # the buffer, not the file: the link just repaired is not reported
    lint = session.lint(vault / "Menu.md", menu.replace("[[Gâteau]]", "[[Tarte]]"))
    assert [rule for rule, _ in _rules(lint) if rule.startswith("link")] == []
    # a note is never its own duplicate: the buffer stands in for the file, not beside it
    assert [rule for rule, _ in _rules(session.lint(vault / "Tarte.md", tarte))] == []


def test_the_notes_linking_to_an_edited_note_are_published_again(vault: Path) -> None:
    tarte = NOTE.replace("# Curry vert", "# Tarte").replace("## Ingrédients", "## Ingredients")
    (vault / "Tarte.md").write_text(tarte, encoding="utf-8")
    (vault / "Menu.md").write_text(tarte + "\n[[Tarte#Steps]]\n", encoding="utf-8")
    (vault / "Autre.md").write_text(tarte.replace("# Tarte", "# Autre"), encoding="utf-8")
    assert Session(vault).dependents(vault / "Tarte.md") == [vault / "Menu.md"]


def test_a_session_reads_again_a_note_changed_on_disk_and_never_keeps_a_buffer(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no racy window: every note just written is old enough for its facts to be kept
    monkeypatch.setattr("vaultlint.cache.RACY_WINDOW_NS", 0)
    tarte = NOTE.replace("# Curry vert", "# Tarte").replace("## Ingrédients", "## Ingredients")
    (vault / "Tarte.md").write_text(tarte, encoding="utf-8")
    menu = tarte.replace("# Tarte", "# Menu") + "\n[[Tarte#Service]]\n"
    (vault / "Menu.md").write_text(menu, encoding="utf-8")
    session = Session(vault)

    def link_rules() -> list[str]:
        lint = session.lint(vault / "Menu.md", menu)
        return [rule for rule, _ in _rules(lint) if rule.startswith("link")]

    assert link_rules() == ["link-anchor"]
    # Tarte gains the heading on disk: the facts the session keeps of it are read again
    (vault / "Tarte.md").write_text(tarte + "\n## Service\n", encoding="utf-8")
    assert link_rules() == []
    # an unsaved buffer of Tarte without the heading is Tarte for its own lint only: the
    # other notes still see the file, which has it
    session.lint(vault / "Tarte.md", tarte)
    assert link_rules() == []
    assert session.dependents(vault / "Tarte.md") == [vault / "Menu.md"]
