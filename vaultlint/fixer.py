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
fixer withholds fixes (see `_Job.culprits`: one alone when that is enough, else the ones a
forward pass cannot keep) until the result introduces nothing, and says which it withheld and
why (`Withheld`). The worst case is the note unchanged. Nothing here writes a file: see writer.py.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix
from vaultlint.engine import LintResult, RuleSelection, lint
from vaultlint.note import Note
from vaultlint.schema.loader import CompiledSchema
from vaultlint.subjects import Subject, canonical, introduced, subject_of, subjects

MAX_PASSES = 10

# A fix, across the passes that rebuild it: its rule and its diagnostic's subject (`subjects.py`:
# the key, tag or heading it is about). Titles change between passes ("split into #a, #b", then
# "split into #b" once #a is in the list); what a fix is about does not.
FixKey = tuple[str, ...]


class FixVerificationError(Exception):
    """A fix produced a note that does not read back as it declared: nothing is written."""


@dataclass(frozen=True, slots=True)
class Withheld:
    """A fix left out because applying it broke a promise: what it would have done instead."""

    rule: str
    title: str
    reason: str  # "would introduce tag-unknown (tag ...)" or "failed verification: ..."

    def notice(self, display: str) -> str:
        """The line `fix` prints for it, naming the note, the rule, the fix and why."""
        return f"vaultlint: {display}: not fixed: {self.rule} ({self.title}) {self.reason}\n"


@dataclass(frozen=True, slots=True)
class FixOutcome:
    original: bytes
    fixed: bytes
    applied: tuple[tuple[str, Fix], ...]  # (rule ID, fix) in the order applied
    final: LintResult  # the note as fixed, linted again (withheld fixes no longer offered)
    withheld: tuple[Withheld, ...] = ()
    applied_keys: frozenset[FixKey] = frozenset()

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
            brought = job.introduced(attempt.outcome)
            if not brought:
                return _settled(attempt.outcome, blocked, job.titles)
            reason = "would introduce " + _describe(brought)
        else:
            reason = f"failed verification: {attempt.broken}"
        culprits = job.culprits(blocked, attempt)
        if not culprits:  # nothing left to withhold: give up on the note
            unchanged = FixOutcome(note.raw, note.raw, (), first)
            every = {offer.key: reason for offer in _offers(first, minimum)}
            return _settled(unchanged, {**blocked, **every}, job.titles)
        blocked.update(dict.fromkeys(culprits, reason))


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
    titles: dict[FixKey, str] = field(default_factory=dict)  # each fix's title, as first seen
    fixes: dict[FixKey, Fix] = field(default_factory=dict)  # each fix, as last built

    def introduced(self, outcome: FixOutcome) -> Counter[Subject]:
        """The findings of the fixed note that the note did not have (`subjects.introduced`)."""
        final = outcome.final
        if self.guard is not None:
            final = lint(final.note, self.schema, self.guard)
        return introduced(self.before, subjects(final.stages()))

    def passes(self, blocked: dict[FixKey, str]) -> _Attempt:
        """Fix in passes until stable, leaving the `blocked` fixes out."""
        note, current, result = self.note, self.note, self.first
        applied: list[_Offer] = []
        for _ in range(MAX_PASSES):
            chosen = _choose(result, self.minimum, blocked)
            if not chosen:
                break
            for offer in chosen:
                self.titles.setdefault(offer.key, offer.fix.title)
                self.fixes[offer.key] = offer.fix
            edits = [edit for offer in chosen for edit in offer.fix.edits]
            fixed = Note(note.path, apply_edits(current.raw, edits))
            try:
                verify(current, fixed, [offer.fix for offer in chosen])
            except FixVerificationError as error:
                outcome = _outcome(note, current, applied, result)
                return _Attempt(outcome, str(error), tuple(offer.key for offer in chosen))
            applied += chosen
            current = fixed
            result = lint(current, self.schema, self.selection)
        outcome = _outcome(note, current, applied, result)
        return _Attempt(outcome, None, tuple(offer.key for offer in reversed(applied)))

    def culprits(self, blocked: dict[FixKey, str], attempt: _Attempt) -> list[FixKey]:
        """The fixes to withhold next (rarely needed, so cheap overall):
        - the first whose withholding alone leaves a clean result;
        - else, when fixes break the promise only together (splits that each add a tag pass
          the most tags at once), those a forward pass leaves out: each fix, in the order
          applied, is kept when the fixes kept so far and it introduce nothing;
        - else the one whose withholding leaves the fewest introduced findings, preferring a
          fix whose new text names what appeared (two fixes may each reveal it)."""
        suspects = [key for key in dict.fromkeys(attempt.suspects) if key not in blocked]
        if len(suspects) <= 1:
            return suspects
        named = self.introduced(attempt.outcome) if attempt.broken is None else Counter()
        best: tuple[int, bool, FixKey] | None = None
        for key in suspects:
            trial = self.passes({**blocked, key: ""})
            if trial.broken is not None:
                continue
            left = sum(self.introduced(trial.outcome).values())
            if left == 0:
                return [key]
            score = (left, not self._names(key, named), key)
            if best is None or score[:2] < best[:2]:
                best = score
        left_out = self._forward(blocked, list(reversed(suspects)))
        if left_out:
            return left_out
        return [best[2] if best is not None else suspects[0]]

    def _forward(self, blocked: dict[FixKey, str], in_order: list[FixKey]) -> list[FixKey]:
        """The fixes to leave out so that the others, kept one by one in `in_order` while they
        introduce nothing, give a clean result; [] when that result is not clean either."""
        left_out = set(in_order)
        for key in in_order:
            trial = self.passes({**blocked, **dict.fromkeys(left_out - {key}, "")})
            if trial.broken is None and not self.introduced(trial.outcome):
                left_out.discard(key)
        final = self.passes({**blocked, **dict.fromkeys(left_out, "")})
        if final.broken is not None or self.introduced(final.outcome):
            return []
        return [key for key in in_order if key in left_out]

    def _names(self, key: FixKey, introduced: Counter[Subject]) -> bool:
        """True when the fix's new text holds what an introduced finding is about."""
        fix = self.fixes.get(key)
        if fix is None:
            return False
        written = canonical(" ".join(e.replacement.decode("utf-8", "replace") for e in fix.edits))
        return any(subject[-1] and subject[-1] in written for subject in introduced)


def _describe(introduced: Counter[Subject]) -> str:
    rule, *subject = sorted(introduced)[0]
    about = subject[-1] if subject else ""
    more = sum(introduced.values()) - 1
    return f"{rule} ({about})" + (f" and {more} more" if more else "")


@dataclass(frozen=True, slots=True)
class _Offer:
    key: FixKey
    rule: str
    fix: Fix


def _key(note: Note, diagnostic: Diagnostic) -> FixKey:
    return (diagnostic.rule, *subject_of(note, diagnostic))


def _offers(result: LintResult, minimum: Applicability) -> list[_Offer]:
    """The fixes of the note's diagnostics at `minimum` or better (not the repaired stage's:
    their edits apply to the repaired bytes, in the next pass)."""
    return [
        _Offer(_key(result.note, d), d.rule, d.fix)
        for d in result.diagnostics
        if d.fix is not None and d.fix.applicability >= minimum and d.fix.edits
    ]


def _outcome(note: Note, current: Note, applied: list[_Offer], result: LintResult) -> FixOutcome:
    pairs = tuple((offer.rule, offer.fix) for offer in applied)
    keys = frozenset(offer.key for offer in applied)
    return FixOutcome(note.raw, current.raw, pairs, result, applied_keys=keys)


def _settled(
    outcome: FixOutcome, blocked: dict[FixKey, str], titles: dict[FixKey, str]
) -> FixOutcome:
    """The outcome with the withheld fixes named, and no longer offered in what remains."""
    if not blocked:
        return outcome
    withheld = tuple(
        Withheld(key[0], titles.get(key, "fix"), reason) for key, reason in blocked.items()
    )
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
    offered = _offered(result)
    if not offered:
        return result
    note, by_level = result.note, {}
    for level in (Applicability.SAFE, Applicability.UNSAFE):
        if any(fix.applicability == level for fix in offered):
            outcome = fix_note(note, schema, selection, level, first=result, guard=guard)
            by_level[level] = set(outcome.applied_keys)
    safe, unsafe = by_level.get(Applicability.SAFE, set()), by_level.get(Applicability.UNSAFE)
    if unsafe is None:
        unsafe = safe

    def marked(note: Note, diagnostic: Diagnostic) -> Diagnostic:
        fix = diagnostic.fix
        if fix is None or not fix.edits:
            return diagnostic
        key = _key(note, diagnostic)
        if fix.applicability == Applicability.SAFE and key in safe:
            return diagnostic
        if key in unsafe:
            return replace(diagnostic, fix=replace(fix, applicability=Applicability.UNSAFE))
        return replace(diagnostic, fix=None)

    repaired = result.repaired
    return replace(
        result,
        diagnostics=tuple(marked(result.note, d) for d in result.diagnostics),
        repaired=(
            (repaired[0], tuple(marked(repaired[0], d) for d in repaired[1])) if repaired else None
        ),
        repaired_fixes_settled=True,
    )


def _offered(result: LintResult) -> list[Fix]:
    return [
        diagnostic.fix
        for _, diagnostics in result.stages()
        for diagnostic in diagnostics
        if diagnostic.fix is not None and diagnostic.fix.edits
    ]


def offers_fixes(result: LintResult) -> bool:
    """Whether `settle` has anything to do: a diagnostic of `result` offers a fix."""
    return bool(_offered(result))


def without_fixes(result: LintResult, keys: set[FixKey]) -> LintResult:
    """`result` with the fixes of `keys` taken off their diagnostics."""

    def strip(note: Note, diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        return tuple(
            replace(d, fix=None) if d.fix is not None and _key(note, d) in keys else d
            for d in diagnostics
        )

    repaired = result.repaired
    return replace(
        result,
        diagnostics=strip(result.note, result.diagnostics),
        repaired=(repaired[0], strip(*repaired)) if repaired is not None else None,
    )


def choose_fixes(result: LintResult, minimum: Applicability) -> list[tuple[str, Fix]]:
    """The fixes to apply in one pass: allowed, and not overlapping each other."""
    return [(offer.rule, offer.fix) for offer in _choose(result, minimum, {})]


def _choose(result: LintResult, minimum: Applicability, blocked: dict[FixKey, str]) -> list[_Offer]:
    """`choose_fixes`, leaving out the withheld fixes."""
    candidates = [offer for offer in _offers(result, minimum) if offer.key not in blocked]
    whole = [offer for offer in candidates if offer.fix.whole_note]
    if whole:
        return whole[:1]  # a whole-note repair changes every offset: alone, then re-lint
    candidates.sort(key=lambda offer: min(edit.start for edit in offer.fix.edits))
    taken: list[Edit] = []
    chosen = []
    for offer in candidates:
        if any(_overlaps(edit, other) for edit in offer.fix.edits for other in taken):
            continue
        taken.extend(offer.fix.edits)
        chosen.append(offer)
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
    # JSON text compares NaN equal to itself and keeps int/float/bool apart. Two texts or two
    # integers (most values) compare as their JSON would, without writing it.
    if type(a) is type(b) and type(a) in (str, int):
        return bool(a == b)
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
