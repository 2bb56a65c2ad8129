"""Apply fixes to a note's bytes until it is stable, verifying every pass.

Each pass lints the note, keeps the fixes the user allowed (safe, or unsafe too), takes them in
order of position while their edits do not overlap a taken one (the rest wait for the next pass),
applies the edits from the end backwards, and verifies the result:

- the frontmatter still parses, and its data equals the data before except the keys the fixes
  declared (a fix that would change anything else is a bug: nothing is written);
- the body is unchanged except the lines the fixes declared;
- the BOM and the line endings are those of the note.

A whole-note fix (the mojibake repair) is applied alone. Passes stop when no fix remains, or
after MAX_PASSES. Nothing here writes a file: see writer.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vaultlint.diagnostic import Applicability, Edit, Fix
from vaultlint.engine import LintResult, RuleSelection, lint
from vaultlint.note import Note
from vaultlint.schema.loader import CompiledSchema

MAX_PASSES = 10


class FixVerificationError(Exception):
    """A fix produced a note that does not read back as it declared: nothing is written."""


@dataclass(frozen=True, slots=True)
class FixOutcome:
    original: bytes
    fixed: bytes
    applied: tuple[tuple[str, Fix], ...]  # (rule ID, fix) in the order applied
    final: LintResult  # the note as fixed, linted again

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_note(
    note: Note,
    schema: CompiledSchema | None,
    selection: RuleSelection,
    minimum: Applicability = Applicability.SAFE,
    first: LintResult | None = None,
) -> FixOutcome:
    """Fix `note` in memory (`first`: its lint result, when already known).

    Raises FixVerificationError when a pass fails verification.
    """
    current = note
    applied: list[tuple[str, Fix]] = []
    result = first if first is not None else lint(current, schema, selection)
    for _ in range(MAX_PASSES):
        chosen = choose_fixes(result, minimum)
        if not chosen:
            break
        fixed = Note(note.path, apply_edits(current.raw, [e for _, f in chosen for e in f.edits]))
        verify(current, fixed, [fix for _, fix in chosen])
        applied += chosen
        current = fixed
        result = lint(current, schema, selection)
    return FixOutcome(note.raw, current.raw, tuple(applied), result)


def choose_fixes(result: LintResult, minimum: Applicability) -> list[tuple[str, Fix]]:
    """The fixes to apply in one pass: allowed, and not overlapping each other."""
    candidates = [
        (d.rule, d.fix)
        for d in result.diagnostics
        if d.fix is not None and d.fix.applicability >= minimum and d.fix.edits
    ]
    whole = [(rule, fix) for rule, fix in candidates if fix.whole_note]
    if whole:
        return whole[:1]  # a whole-note repair changes every offset: alone, then re-lint
    candidates.sort(key=lambda item: min(edit.start for edit in item[1].edits))
    taken: list[Edit] = []
    chosen = []
    for rule, fix in candidates:
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        taken.extend(fix.edits)
        chosen.append((rule, fix))
    return chosen


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == b.start:  # two inserts at one point, or edits starting together: order unclear
        return True
    return a.start < b.end and b.start < a.end


def apply_edits(raw: bytes, edits: list[Edit]) -> bytes:
    result = raw
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        result = result[: edit.start] + edit.replacement + result[edit.end :]
    return result


def verify(before: Note, after: Note, fixes: list[Fix]) -> None:
    if after.has_bom != before.has_bom:
        raise FixVerificationError("the fix changed the byte order mark")
    if after.text is None:
        raise FixVerificationError("the fixed note is not valid UTF-8")
    if any(fix.whole_note for fix in fixes):
        _verify_still_parses(before, after)
        return
    _verify_newlines(before, after)
    _verify_data(before, after, frozenset().union(*(fix.changes_keys for fix in fixes)))
    _verify_body(before, after, frozenset().union(*(fix.changes_body_lines for fix in fixes)))


def _verify_still_parses(before: Note, after: Note) -> None:
    parsed_before = before.frontmatter is not None and before.frontmatter.problem is None
    parsed_after = after.frontmatter is not None and after.frontmatter.problem is None
    if parsed_before and not parsed_after:
        raise FixVerificationError("the fixed frontmatter no longer parses")


def _verify_newlines(before: Note, after: Note) -> None:
    def crlf_share(raw: bytes) -> tuple[bool, bool]:
        lines = raw.count(b"\n")
        crlf = raw.count(b"\r\n")
        return crlf == lines, crlf == 0

    if before.raw.count(b"\n") and crlf_share(before.raw) != crlf_share(after.raw):
        raise FixVerificationError("the fix changed the note's line endings")


def _verify_data(before: Note, after: Note, allowed: frozenset[str]) -> None:
    old, new = before.frontmatter, after.frontmatter
    if old is None or old.data is None:
        if _frontmatter_text(before) != _frontmatter_text(after):
            raise FixVerificationError("the fix changed a frontmatter that could not be read")
        return
    if new is None or new.data is None:
        problem = new.problem.message if new is not None and new.problem else "it is gone"
        raise FixVerificationError(f"the fixed frontmatter no longer reads: {problem}")
    for key in set(old.data) | set(new.data):
        if key in allowed:
            continue
        if key not in old.data or key not in new.data or not _same(old.data[key], new.data[key]):
            raise FixVerificationError(f"the fix changed {key!r}, which it did not declare")


def _same(a: Any, b: Any) -> bool:
    # JSON text compares NaN equal to itself and keeps int/float/bool apart.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _frontmatter_text(note: Note) -> str | None:
    block = note.block
    if block is None or note.text is None:
        return None
    return note.text[: block.body_start]


def _verify_body(before: Note, after: Note, allowed_lines: frozenset[int]) -> None:
    """Only declared body lines may differ, replaced or removed; every other line stays.

    A linear walk: a fix never adds body lines, so an old line either matches the next new
    line or is a declared line that was replaced (both move on) or removed (the old one moves
    on). A diff (difflib) would be quadratic on notes of many repeated or blank lines.
    """
    old, new = _body_lines(before), _body_lines(after)
    first = before.body_first_line
    i = j = 0
    while i < len(old):
        if j < len(new) and old[i] == new[j]:
            i, j = i + 1, j + 1
            continue
        if first + i not in allowed_lines:
            raise FixVerificationError(f"the fix changed body line {first + i}, not declared")
        removed = j >= len(new) or (i + 1 < len(old) and old[i + 1] == new[j])
        i, j = i + 1, j if removed else j + 1
    if j != len(new):
        raise FixVerificationError("the fix added body lines")


def _body_lines(note: Note) -> list[str]:
    text = note.text or ""
    block = note.block
    start = block.body_start if block is not None and block.terminated else 0
    return text[start:].split("\n")
