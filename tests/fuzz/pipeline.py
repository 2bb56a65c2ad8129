"""The whole pipeline on one note's bytes, and the invariants every run keeps.

Shared by the hostile-input property tests (`tests/test_hostile_properties.py`), the YAML test
suite harness (`tests/test_yaml_suite.py`) and the coverage-guided fuzz target
(`tests/fuzz/fuzz_note.py`):

- `check_note(raw)`: parse and lint with every rule and the bundled recipe schema; no exception
  escapes, and every diagnostic sits inside the file (1 <= line <= lines, column >= 1, end after
  start, a column no further than one past its line).
- `fix_note_checked(raw)`: apply every fix (unsafe ones too) in memory, as `vaultlint fix` would
  before writing; whenever the fixer would write, the written bytes are UTF-8 and their
  frontmatter still reads when the original's did.

The fixer is imported lazily: without `vaultlint.fixer`, `fixer_module()` returns None.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from vaultlint.diagnostic import Applicability, Diagnostic
from vaultlint.engine import LintResult, RuleSelection, lint
from vaultlint.note import Note
from vaultlint.positions import BOM
from vaultlint.schema.loader import CompiledSchema, bundled_schema, load_schema

NOTE_PATH = "note.md"


@cache
def recipe_schema() -> CompiledSchema:
    return load_schema(bundled_schema("recipe.schema.json").resolve())


@cache
def every_rule() -> RuleSelection:
    return RuleSelection.build(None, (), {}, {})


@cache
def fixer_module() -> ModuleType | None:
    try:
        return importlib.import_module("vaultlint.fixer")
    except ModuleNotFoundError:
        return None


class PositionError(AssertionError):
    """A diagnostic placed outside its note."""


def check_note(raw: bytes, schema: CompiledSchema | None = None) -> LintResult:
    """Lint `raw` with every rule; raise PositionError if a diagnostic sits outside the note."""
    result = lint(Note.from_bytes(raw, NOTE_PATH), schema or recipe_schema(), every_rule())
    assert_positions(result)
    return result


def assert_positions(result: LintResult) -> None:
    placed: list[tuple[Note, Diagnostic]] = [(result.note, d) for d in result.diagnostics]
    if result.repaired is not None:
        repaired, diagnostics = result.repaired
        placed += [(repaired, d) for d in diagnostics]
    for note, diagnostic in placed:
        _assert_inside(note, diagnostic)
    for finding in result.findings(NOTE_PATH):  # what reporters print must not fail either
        if finding.line < 1 or finding.column < 1:
            raise PositionError(f"{finding} starts before the note")


def _assert_inside(note: Note, diagnostic: Diagnostic) -> None:
    size = len(note.raw)
    if not 0 <= diagnostic.start <= diagnostic.end <= size:
        where = f"bytes {diagnostic.start}..{diagnostic.end} of {size}"
        raise PositionError(f"{diagnostic} has {where}")
    lines = note.lines
    line, column = lines.line_col(diagnostic.start)
    end_line, end_column = lines.line_col(diagnostic.end)
    if not 1 <= line <= end_line <= lines.line_count:
        raise PositionError(f"{diagnostic}: lines {line}..{end_line} of {lines.line_count}")
    if column < 1 or (end_line, end_column) < (line, column):
        raise PositionError(f"{diagnostic}: {line}:{column} to {end_line}:{end_column}")
    for at_line, at_column in ((line, column), (end_line, end_column)):
        if at_column > _line_width(note, at_line) + 1:
            raise PositionError(f"{diagnostic}: column {at_column} is past line {at_line}")


def _line_width(note: Note, line: int) -> int:
    """Characters of a line, its line ending included (a span may end just past it)."""
    lines = note.lines
    start = lines.line_start(line)
    end = lines.line_start(line + 1) if line < lines.line_count else len(note.raw)
    text = note.raw[start:end]
    if line == 1 and text.startswith(BOM):
        text = text[len(BOM) :]
    return len(text.decode("utf-8", "replace"))


@dataclass(frozen=True, slots=True)
class FixCheck:
    """What fixing one note did: nothing, a refused fix (nothing written), or new bytes."""

    changed: bool
    refused: str | None  # the verification failure, when the fixer refused to write
    fixed: bytes


class UnreadableFixError(AssertionError):
    """The fixer would write bytes whose frontmatter cannot be read back."""


def fix_note_checked(raw: bytes, schema: CompiledSchema | None = None) -> FixCheck | None:
    """Fix `raw` in memory with every fix allowed; None when there is no fixer yet."""
    fixer = fixer_module()
    if fixer is None:
        return None
    note = Note.from_bytes(raw, NOTE_PATH)
    try:
        schema = schema or recipe_schema()
        outcome = fixer.fix_note(note, schema, every_rule(), Applicability.UNSAFE)
    except fixer.FixVerificationError as error:  # the fixer's own check refused: nothing written
        return FixCheck(False, str(error), raw)
    assert_positions(outcome.final)
    if outcome.changed:
        _assert_rereads(note, Note.from_bytes(outcome.fixed, NOTE_PATH))
    return FixCheck(outcome.changed, None, outcome.fixed)


def _assert_rereads(before: Note, after: Note) -> None:
    if after.text is None:
        raise UnreadableFixError(f"the fixed note is not UTF-8: {after.decode_problem}")
    old = before.frontmatter
    if old is None or old.data is None:
        return
    new = after.frontmatter
    if new is None or new.data is None:
        problem = new.problem if new is not None else "the frontmatter is gone"
        raise UnreadableFixError(f"the fixed frontmatter no longer reads: {problem}")
