"""Obsidian's own syntax is never a problem: links, embeds, callouts, comments, block ids,
template placeholders and body tags in a proper note give no finding from any rule."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lint_bytes

NOTE = Path(__file__).parent / "obsidian" / "constructs.md"


def test_a_note_full_of_obsidian_syntax_gives_no_finding() -> None:
    raw = NOTE.read_bytes()
    for construct in (
        b"[[Kimchi#Recette|kimchi maison]]",
        b"![[burnt-ends.jpg|300]]",
        b"> [!tip]",
        b"%%\n## Brouillon",
        b"^bloc-1",
        b"{{date:YYYY-MM-DD}}",
        b"<% tp.date.now",
        b"#bbq/fumoir",
        b"```markdown\n# Un titre",
        b"<!--\n# Un titre",
        b"$$\n# T = 120",
        b"Temps de fumage\n\n---",  # a thematic break, not a setext heading
    ):
        assert construct in raw, construct
    assert lint_bytes(raw).findings(NOTE.name) == []


def test_the_same_note_still_reports_a_real_problem() -> None:
    raw = NOTE.read_bytes().replace(b"## Steps\n\n  1.", "## Étapes\n\n  1.".encode(), 1)
    assert [(f.rule, f.line) for f in lint_bytes(raw).findings(NOTE.name)] == [
        ("heading-alias", 63)
    ]
