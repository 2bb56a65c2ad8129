"""Apply fixes to a note's bytes until it is stable, verifying every pass, and keep a fix's promise.

Each pass lints the note, keeps the fixes the user allowed (safe, or unsafe too), takes them in
order of position while their edits do not overlap a taken one (the rest wait for the next pass),
applies the edits from the end backwards, and verifies the result:

- the frontmatter still parses, and its data equals the data before except the keys the fixes
  declared;
- the body is unchanged except the lines the fixes declared;
- the BOM and the line endings are those of the note.

A whole-note fix (the mojibake repair, Unicode normalization) is applied alone. Passes stop when
no fix remains, or after MAX_PASSES.

Then the promise (issue #12): **no fix introduces a problem**. The fixed note is linted again and
its findings compared with the first ones by rule and subject (`subjects.py`: positions aside). A
finding the note did not have, or a pass that failed verification, means a fix is wrong: the
fixer withholds fixes, one at a time, the one whose withholding helps most first, until the
result introduces nothing, and says which it withheld and why (`Withheld`). The worst case is
the note unchanged. Nothing here writes a file: see writer.py.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix
from vaultlint.engine import LintResult, RuleSelection, lint
from vaultlint.note import Note
from vaultlint.schema.loader import CompiledSchema
from vaultlint.subjects import Subject, subjects

MAX_PASSES = 10

FixKey = tuple[str, str]  # (rule ID, fix title): a fix, across passes that rebuild it


class FixVerificationError(Exception):
    """A fix produced a note that does not read back as it declared: nothing is written."""


@dataclass(frozen=True, slots=True)
class Withheld:
    """A fix left out because applying it broke a promise: what it would have done instead."""

    rule: str
    title: str
    reason: str  # "would introduce tag-unknown (tag ...)" or "failed verification: ..."


@dataclass(frozen=True, slots=True)
class FixOutcome:
    original: bytes
    fixed: bytes
    applied: tuple[tuple[str, Fix], ...]  # (rule ID, fix) in the order applied
    final: LintResult  # the note as fixed, linted again (withheld fixes no longer offered)
    withheld: tuple[Withheld, ...] = ()

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_note(
    note: Note,
    schema: CompiledSchema | None,
    selection: RuleSelection,
    minimum: Applicability = Applicability.SAFE,
    *,
    first: LintResult | None = None,
    guard: RuleSelection | None = None,
) -> FixOutcome:
    """Fix `note` in memory (`first`: its lint result, when already known), applying only fixes
    that introduce no finding and pass verification; see the module's docstring.

    `guard`: the rules whose findings a fix must not add to, when they are more than those
    that run (`fix --select time-sum` must not leave a bucket tag contradicting the new total).
    """
    first = first if first is not None else lint(note, schema, selection)
    guard = guard if guard is not None and guard != selection else None
    checked = first if guard is None else lint(note, schema, guard)
    job = _Job(note, schema, selection, minimum, first, subjects(checked.stages()), guard)
    blocked: dict[FixKey, str] = {}
    while True:
        attempt = job.passes(blocked)
        if attempt.broken is None:
            introduced = job.introduced(attempt.outcome)
            if not introduced:
                return _settled(attempt.outcome, blocked)
            reason = "would introduce " + _describe(introduced)
        else:
            reason = f"failed verification: {attempt.broken}"
        culprit = job.culprit(blocked, attempt)
        if culprit is None:  # nothing left to withhold: give up on the note
            unchanged = FixOutcome(note.raw, note.raw, (), first)
            every = {_key(rule, fix): reason for rule, fix in _offered(first, minimum)}
            return _settled(unchanged, {**blocked, **every})
        blocked[culprit] = reason


@dataclass(frozen=True, slots=True)
class _Attempt:
    outcome: FixOutcome
    broken: str | None  # why a pass failed verification (its fixes are in `suspects`)
    suspects: tuple[FixKey, ...]  # the fixes that may be to blame, most likely first


@dataclass(frozen=True, slots=True)
class _Job:
    """One note to fix, and what its first lint found (`before`, by rule and subject)."""

    note: Note
    schema: CompiledSchema | None
    selection: RuleSelection
    minimum: Applicability
    first: LintResult
    before: Counter[Subject]
    guard: RuleSelection | None  # None: the rules that run are the guard

    def introduced(self, outcome: FixOutcome) -> Counter[Subject]:
        """The findings of the fixed note that the note did not have, by rule and subject."""
        final = outcome.final
        if self.guard is not None:
            final = lint(final.note, self.schema, self.guard)
        return subjects(final.stages()) - self.before

    def passes(self, blocked: dict[FixKey, str]) -> _Attempt:
        """Fix in passes until stable, leaving the `blocked` fixes out."""
        note, current, result = self.note, self.note, self.first
        applied: list[tuple[str, Fix]] = []
        for _ in range(MAX_PASSES):
            chosen = choose_fixes(result, self.minimum, blocked)
            if not chosen:
                break
            edits = [edit for _, fix in chosen for edit in fix.edits]
            fixed = Note(note.path, apply_edits(current.raw, edits))
            try:
                verify(current, fixed, [fix for _, fix in chosen])
            except FixVerificationError as error:
                outcome = FixOutcome(note.raw, current.raw, tuple(applied), result)
                return _Attempt(outcome, str(error), tuple(_key(r, f) for r, f in chosen))
            applied += chosen
            current = fixed
            result = lint(current, self.schema, self.selection)
        outcome = FixOutcome(note.raw, current.raw, tuple(applied), result)
        return _Attempt(outcome, None, tuple(_key(r, f) for r, f in reversed(applied)))

    def culprit(self, blocked: dict[FixKey, str], attempt: _Attempt) -> FixKey | None:
        """The fix to withhold next: the first whose withholding leaves a clean result, else
        the one that leaves the fewest introduced findings (rarely needed, so cheap overall)."""
        suspects = [key for key in dict.fromkeys(attempt.suspects) if key not in blocked]
        if len(suspects) <= 1:
            return suspects[0] if suspects else None
        best: tuple[int, FixKey] | None = None
        for key in suspects:
            trial = self.passes({**blocked, key: ""})
            if trial.broken is not None:
                continue
            left = sum(self.introduced(trial.outcome).values())
            if left == 0:
                return key
            if best is None or left < best[0]:
                best = (left, key)
        return best[1] if best is not None else suspects[0]


def _describe(introduced: Counter[Subject]) -> str:
    rule, *subject = sorted(introduced)[0]
    about = subject[-1] if subject else ""
    more = sum(introduced.values()) - 1
    return f"{rule} ({about})" + (f" and {more} more" if more else "")


def _key(rule: str, fix: Fix) -> FixKey:
    return (rule, fix.title)


def _offered(result: LintResult, minimum: Applicability) -> list[tuple[str, Fix]]:
    return [
        (d.rule, d.fix)
        for d in result.diagnostics
        if d.fix is not None and d.fix.applicability >= minimum and d.fix.edits
    ]


def _settled(outcome: FixOutcome, blocked: dict[FixKey, str]) -> FixOutcome:
    """The outcome with the withheld fixes named, and no longer offered in what remains."""
    if not blocked:
        return outcome
    withheld = tuple(Withheld(rule, title, reason) for (rule, title), reason in blocked.items())
    final = without_fixes(outcome.final, set(blocked))
    return replace(outcome, final=final, withheld=withheld)


def settle(
    result: LintResult,
    schema: CompiledSchema | None,
    selection: RuleSelection,
    guard: RuleSelection | None = None,
) -> LintResult:
    """`result` with each fix marked as `fix` will treat it, for `check` to promise no more.

    A safe fix that `fix` applies stays safe; one that only `fix --unsafe-fixes` applies (it
    waits for an unsafe one) is marked unsafe; a fix that `fix` would withhold (it would
    introduce a problem, or fails its verification) is not offered at all. This costs a fix
    in memory for the notes that have one, and nothing for the others.
    """
    offered = [
        diagnostic.fix
        for _, diagnostics in result.stages()
        for diagnostic in diagnostics
        if diagnostic.fix is not None and diagnostic.fix.edits
    ]
    if not offered:
        return result
    note, by_level = result.note, {}
    for level in (Applicability.SAFE, Applicability.UNSAFE):
        if any(fix.applicability == level for fix in offered):
            outcome = fix_note(note, schema, selection, level, first=result, guard=guard)
            by_level[level] = {_key(rule, fix) for rule, fix in outcome.applied}
    safe, unsafe = by_level.get(Applicability.SAFE, set()), by_level.get(Applicability.UNSAFE)
    if unsafe is None:
        unsafe = safe

    def marked(diagnostic: Diagnostic) -> Diagnostic:
        fix = diagnostic.fix
        if fix is None or not fix.edits:
            return diagnostic
        key = _key(diagnostic.rule, fix)
        if fix.applicability == Applicability.SAFE and key in safe:
            return diagnostic
        if key in unsafe:
            return replace(diagnostic, fix=replace(fix, applicability=Applicability.UNSAFE))
        return replace(diagnostic, fix=None)

    repaired = result.repaired
    return replace(
        result,
        diagnostics=tuple(marked(d) for d in result.diagnostics),
        repaired=(repaired[0], tuple(marked(d) for d in repaired[1])) if repaired else None,
        repaired_fixes_settled=True,
    )


def without_fixes(result: LintResult, keys: set[FixKey]) -> LintResult:
    """`result` with the fixes of `keys` taken off their diagnostics."""

    def strip(diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        return tuple(
            replace(d, fix=None) if d.fix is not None and _key(d.rule, d.fix) in keys else d
            for d in diagnostics
        )

    repaired = result.repaired
    return replace(
        result,
        diagnostics=strip(result.diagnostics),
        repaired=(repaired[0], strip(repaired[1])) if repaired is not None else None,
    )


def choose_fixes(
    result: LintResult, minimum: Applicability, blocked: dict[FixKey, str] | None = None
) -> list[tuple[str, Fix]]:
    """The fixes to apply in one pass: allowed, not withheld, and not overlapping each other."""
    candidates = [
        (rule, fix)
        for rule, fix in _offered(result, minimum)
        if not blocked or _key(rule, fix) not in blocked
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
