"""Note + rules -> ordered diagnostics, with the configured selection and severities applied.

Mojibake runs first: when the whole note re-decodes exactly, it is reported once and every other
rule checks the repaired text, so that the user sees the cause and only what remains after it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vaultlint import findings
from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.errors import InternalError, UsageError
from vaultlint.note import Note
from vaultlint.results import Finding
from vaultlint.rule_ids import check_rule_ids, choose_rules
from vaultlint.rules import PRE_REPAIR, RULES
from vaultlint.rules import unicode_normalization as normalization
from vaultlint.rules.base import RuleContext, nothing
from vaultlint.schema.loader import CompiledSchema
from vaultlint.suppression import suppressions

NORMALIZATION = normalization.ID
# Defined in `findings`, which phase 2 uses without importing the rules; kept here for the
# code that lints.
MAX_PER_RULE = findings.MAX_PER_RULE
to_finding = findings.to_finding


@dataclass(frozen=True, slots=True)
class RuleSelection:
    """Which rules run, at which severity, with which options."""

    enabled: tuple[str, ...]  # rule IDs in registry order
    severities: Mapping[str, Severity]  # overrides of the rules' own severities
    options: Mapping[str, Mapping[str, Any]]
    # Each rule's check, context and severity, per schema and list of rules, built on first use
    # (a run checks thousands of notes with the same few schemas): the selection's own memo,
    # keyed by the schema object itself (compared by identity, kept alive by the key).
    plans: dict[tuple[CompiledSchema | None, tuple[str, ...]], list[_Step]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    # The enabled rules that run on the note as read, and after a whole-note repair (see
    # `lint`): worked out once here rather than on every note.
    early: tuple[str, ...] = field(init=False, repr=False, compare=False, hash=False)
    later: tuple[str, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        enabled = self.enabled
        early = tuple(rule for rule in enabled if rule in PRE_REPAIR)
        later = tuple(rule for rule in enabled if rule not in PRE_REPAIR and rule != NORMALIZATION)
        object.__setattr__(self, "early", early)
        object.__setattr__(self, "later", later)

    @classmethod
    def build(
        cls,
        select: Iterable[str] | None,
        ignore: Iterable[str],
        severity: Mapping[str, str],
        options: Mapping[str, Mapping[str, Any]],
    ) -> RuleSelection:
        choice = choose_rules(select, ignore, severity)  # the one place rules are chosen
        check_rule_ids(options)
        check_rule_options(options)
        return cls(choice.enabled, choice.severities, options)


def check_rule_options(options: Mapping[str, Mapping[str, Any]]) -> None:
    """Each option a rule declares (its module's `OPTIONS`: name -> type, as yamllint's
    `CONF`), of that type; an unknown or mistyped option is a usage error, never ignored."""
    for rule, given in options.items():
        declared: Mapping[str, type] = getattr(RULES[rule], "OPTIONS", {})
        for name, value in given.items():
            expected = declared.get(name)
            if expected is None:
                known = ", ".join(sorted(declared)) or "none"
                raise UsageError(f"unknown option {name!r} for rule {rule} (known: {known})")
            if not isinstance(value, expected) or (
                expected is not bool and isinstance(value, bool)
            ):
                raise UsageError(
                    f"option {name!r} of rule {rule} must be {_TYPE_NAMES.get(expected, '?')}, "
                    f"not {type(value).__name__}"
                )


_TYPE_NAMES = {bool: "true or false", int: "a number", str: "a text", dict: "a table"}


@dataclass(frozen=True, slots=True)
class LintResult:
    note: Note
    diagnostics: tuple[Diagnostic, ...]  # positioned in `note`, fixes apply to `note.raw`
    # When the whole note was repaired from mojibake: the repaired note and its diagnostics
    # (their fixes wait for the next pass of the fixer, once the repair is written).
    repaired: tuple[Note, tuple[Diagnostic, ...]] | None = None
    # True once `fixer.settle` has kept only the repaired stage's fixes that `fix` applies (in
    # a later pass): then they are shown, as promises `fix` keeps.
    repaired_fixes_settled: bool = False

    def stages(self) -> list[tuple[Note, tuple[Diagnostic, ...]]]:
        """Each note the rules saw (as read, then as repaired) with its diagnostics."""
        return [(self.note, self.diagnostics), *([self.repaired] if self.repaired else [])]

    def findings(self, display_path: str) -> list[Finding]:
        texts: dict[int, str] = {}  # one string per line, however many findings stand on it
        located = [to_finding(self.note, d, display_path, texts=texts) for d in self.diagnostics]
        if self.repaired is not None:
            note, diagnostics = self.repaired
            texts = {}
            located += [
                to_finding(note, d, display_path, fixes=self.repaired_fixes_settled, texts=texts)
                for d in diagnostics
            ]
        return sorted(located, key=Finding.sort_key)


def lint(note: Note, schema: CompiledSchema | None, selection: RuleSelection) -> LintResult:
    """Every enabled rule's diagnostics for `note`, in registry order.

    A note that is repaired as a whole first (mojibake re-decoded, then Unicode normalized to
    NFC) gets that one diagnostic, and the other rules check the repaired text: the user sees the
    cause once, and only the problems that remain after it. A note whose frontmatter cannot be
    read gets no fix at all (its data is unknown, so no change can be checked against it).
    """
    early, later = selection.early, selection.later
    diagnostics = _run(note, schema, selection, early)
    current = _repaired(note, diagnostics)
    staged: list[Diagnostic] = []
    if NORMALIZATION in selection.enabled and current.text is not None:
        found = _run(current, schema, selection, (NORMALIZATION,))
        if found:
            normalized = normalization.normalized(current)
            if current is note:
                diagnostics += found
            else:  # already a repaired stage: shown there, fixed on the next pass
                staged += [_on_same_line(d, current, normalized) for d in found]
            current = normalized
    if current is not note:
        # The repaired text carries the suppressions the author wrote; report unused ones there.
        early_kept = _suppressed(current, diagnostics, selection, report_unused=False)
        rest = _suppressed(current, staged + _run(current, schema, selection, later), selection)
        result = LintResult(note, tuple(early_kept), (current, tuple(rest)))
    else:
        if note.text is not None:
            diagnostics += _run(note, schema, selection, later)
        result = LintResult(note, tuple(_suppressed(note, diagnostics, selection)))
    return _without_fixes(result) if _frontmatter_unreadable(current) else result


def _repaired(note: Note, diagnostics: list[Diagnostic]) -> Note:
    """The note re-decoded as the mojibake rule's whole-note fix says, or the note itself."""
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is not None and fix.whole_note and diagnostic.rule == "mojibake":
            return Note(note.path, note.raw[: note.bom_length] + fix.edits[0].replacement)
    return note


def _on_same_line(diagnostic: Diagnostic, before: Note, after: Note) -> Diagnostic:
    """A whole-line diagnostic of `before` placed on the same line of `after` (no fix)."""
    line = before.lines.line_of(diagnostic.start)
    start, end = after.lines.line_start(line), after.lines.line_end(line)
    return dataclasses.replace(diagnostic, start=start, end=end, fix=None)


def _frontmatter_unreadable(note: Note) -> bool:
    block = note.block
    if block is None:
        return False
    frontmatter = note.frontmatter
    return not block.terminated or (frontmatter is not None and frontmatter.problem is not None)


def _without_fixes(result: LintResult) -> LintResult:
    def strip(diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        return tuple(dataclasses.replace(d, fix=None) if d.fix else d for d in diagnostics)

    repaired = result.repaired
    return LintResult(
        result.note,
        strip(result.diagnostics),
        (repaired[0], strip(repaired[1])) if repaired is not None else None,
    )


def _suppressed(
    note: Note,
    diagnostics: list[Diagnostic],
    selection: RuleSelection,
    *,
    report_unused: bool = True,
) -> list[Diagnostic]:
    """Drop what the note's suppression comments cover; report the ones that cover nothing."""
    found = suppressions(note)
    if not found:
        return diagnostics
    used: set[int] = set()
    kept = []
    for diagnostic in diagnostics:
        line = note.lines.line_of(diagnostic.start)
        hit = next((i for i, s in enumerate(found) if s.covers(diagnostic.rule, line)), None)
        if hit is None:
            kept.append(diagnostic)
        else:
            used.add(hit)
    if report_unused and "unused-suppression" in selection.enabled:
        kept += _unused(note, found, used, selection)
    return kept


def _unused(
    note: Note, found: list[Any], used: set[int], selection: RuleSelection
) -> list[Diagnostic]:
    from vaultlint.rules import unused_suppression

    return unused_suppression.unused_among(note, found, used, selection.enabled)


def _run(
    note: Note,
    schema: CompiledSchema | None,
    selection: RuleSelection,
    rule_ids: tuple[str, ...],
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule_id, check, context, override in _plan(schema, selection, rule_ids):
        try:
            diagnostics = _bounded(check(note, context), rule_id)
        except Exception as error:  # a bug: say where, never show a traceback
            raise InternalError(
                f"rule {rule_id} failed on {note.path}: {type(error).__name__}: {error}"
            ) from error
        if override is None:  # most rules, and most notes: nothing or a few to add as they are
            found += diagnostics
            continue
        for diagnostic in diagnostics:
            if diagnostic.severity is not override:
                found.append(dataclasses.replace(diagnostic, severity=override))
            else:
                found.append(diagnostic)
    return found


_Step = tuple[
    str, Callable[[Note, RuleContext], Iterable[Diagnostic]], RuleContext, Severity | None
]


def _bounded(found: Iterable[Diagnostic], rule_id: str) -> list[Diagnostic]:
    """At most MAX_PER_RULE diagnostics of one rule in one note, then one that counts the rest.

    A hostile note (a 10 MB file of `#` lines: millions of titles) must not fill the memory;
    no real note comes near the bound.
    """
    iterator = iter(found)
    first = next(iterator, None)
    if first is None:  # most rules on most notes: nothing, so no slice nor list to build
        return []
    kept = [first, *itertools.islice(iterator, MAX_PER_RULE - 1)]
    if len(kept) < MAX_PER_RULE:  # the rule is done: no need to count what is left
        return kept
    rest = sum(1 for _ in iterator)
    if rest:
        last = kept[-1]
        message = f"and {rest:,} more {rule_id} problems in this note (not listed)"
        kept.append(Diagnostic(rule_id, message, last.start, last.end, last.severity))
    return kept


def _plan(
    schema: CompiledSchema | None, selection: RuleSelection, rule_ids: tuple[str, ...]
) -> list[_Step]:
    """Each rule's check, context and severity override, built once per schema and selection
    rather than once per note (a run checks thousands of notes with the same few)."""
    key = (schema, rule_ids)
    steps = selection.plans.get(key)
    if steps is None:
        steps = selection.plans[key] = [
            (
                rule_id,
                RULES[rule_id].check,
                RuleContext(schema, selection.options.get(rule_id, {})),
                selection.severities.get(rule_id),
            )
            for rule_id in rule_ids
            if RULES[rule_id].check is not nothing  # finds nothing in a note: not called
        ]
    return steps
