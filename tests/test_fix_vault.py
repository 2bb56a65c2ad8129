"""`fix` on whole vaults: a generated one with injected problems, and real notes from public vaults.

After fixing, only problems without a safe fix remain, and every line that differs between
before and after is a line that one of the applied fixes declared (pass by pass).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import PROJECT, generated_vault, recipe_schema, select
from tests.test_cases import _changed_lines
from vaultlint.diagnostic import Applicability
from vaultlint.engine import lint
from vaultlint.fixer import MAX_PASSES, apply_edits, choose_fixes, fix_note
from vaultlint.note import Note
from vaultlint.schema.loader import CompiledSchema, load_schema

UNFIXABLE = {"frontmatter-syntax", "frontmatter-missing", "encoding", "tag-format"}


def declared_lines_hold(raw: bytes, schema: CompiledSchema, minimum: Applicability) -> bytes:
    """Fix `raw` pass by pass, asserting each pass changes only the lines its edits touch."""
    selection = select()
    for _ in range(MAX_PASSES):
        result = lint(Note.from_bytes(raw), schema, selection)
        chosen = choose_fixes(result, minimum)
        if not chosen:
            return raw
        edits = [edit for _, fix in chosen for edit in fix.edits]
        fixed = apply_edits(raw, edits)
        if not any(fix.whole_note for _, fix in chosen):
            lines = result.note.lines
            declared: set[int] = set()
            for edit in edits:
                start = (
                    edit.start - 1
                    if edit.start == edit.end and raw[edit.start - 1 : edit.start] == b"\n"
                    else edit.start
                )
                declared.update(
                    range(lines.line_of(start), lines.line_of(max(start, edit.end - 1)) + 1)
                )
            assert _changed_lines(raw, fixed) <= declared
        raw = fixed
    raise AssertionError("fixes did not settle")


def test_fixing_a_generated_vault_leaves_only_the_unfixable(tmp_path: Path) -> None:
    vault = generated_vault(tmp_path, notes=1000, seed=11, bad_fraction=0.2)
    schema = recipe_schema()
    remaining: Counter[str] = Counter()
    changed = 0
    for path in sorted(vault.rglob("*.md")):
        if ".trash" in path.parts:
            continue
        raw = path.read_bytes()
        stepped = declared_lines_hold(raw, schema, Applicability.SAFE)
        outcome = fix_note(Note.from_bytes(raw), schema, select())
        assert outcome.fixed == stepped
        changed += outcome.changed
        rules = {d.rule for d in outcome.final.diagnostics}
        if "frontmatter-syntax" in rules:  # no YAML, no fix: the whole note is left as it is
            assert not outcome.changed
            rules = {"frontmatter-syntax"}
        remaining.update(rules)
    assert set(remaining) <= UNFIXABLE, remaining
    # 20% of 1000 notes are broken, 11 kinds in turn: 7 of the kinds have a safe fix.
    assert changed >= 110


REAL_NOTES = sorted((PROJECT.parent / "shared" / "corpus" / "real-notes").glob("*/*.md"))


@pytest.mark.parametrize("note", REAL_NOTES or [None], ids=lambda p: p.name if p else "absent")
def test_fixing_real_notes_changes_only_what_was_declared(note: Path | None) -> None:
    if note is None:
        pytest.skip("../shared/corpus/real-notes is absent: this test reads the shared corpus")
    schema = load_schema(PROJECT / "tests" / "schemas" / "corpus.schema.json")
    raw = note.read_bytes()
    stepped = declared_lines_hold(raw, schema, Applicability.UNSAFE)
    outcome = fix_note(Note.from_bytes(raw), schema, select(), Applicability.UNSAFE)
    assert outcome.fixed == stepped
    assert (
        fix_note(Note.from_bytes(outcome.fixed), schema, select(), Applicability.UNSAFE).fixed
        == outcome.fixed
    )
