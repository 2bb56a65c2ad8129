"""Fixture-driven rule tests: `tests/cases/<rule>/<case>.md` and what is expected of it.

Beside each case:
- `<case>.expected.json`: the diagnostics of that rule alone (`[]` for a clean case), each with
  line, column, end_line, end_column (1-based, end exclusive), severity and message;
- `<case>.fixed.md`: the note after `vaultlint fix --select <rule>` (when the rule fixes it);
- `<case>.fixed-unsafe.md`: the same with `--unsafe-fixes`;
- `<case>.schema.json` or `<rule>/schema.json`: a schema other than the bundled recipe one;
- `<rule>/options.json`: the rule's options (as `[rules.<rule>]` in the config gives them);
- `<rule>/rules.txt`: the rules to run besides the folder's (`all` for every rule), for rules
  about other rules (unused-suppression); only the folder's rule's findings are compared.
Every fix is checked for its exact output, idempotence, and that only declared lines changed.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RECIPE_SCHEMA, fix_bytes, lint_bytes
from vaultlint.rules import RULES
from vaultlint.schema.loader import CompiledSchema, load_schema

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(
    path
    for path in CASES.glob("*/*.md")
    if not path.name.endswith((".fixed.md", ".fixed-unsafe.md"))
)


def _schema_for(case: Path) -> CompiledSchema:
    for candidate in (case.with_suffix(".schema.json"), case.parent / "schema.json"):
        if candidate.exists():
            return load_schema(candidate)
    return load_schema(RECIPE_SCHEMA)


def _expected(case: Path) -> list[dict[str, Any]]:
    expected_file = case.with_suffix(".expected.json")
    assert expected_file.exists(), (
        f"{case.name} must declare what it expects in {expected_file.name}"
    )
    expected: list[dict[str, Any]] = json.loads(expected_file.read_text(encoding="utf-8"))
    return expected


def _rules_for(case: Path) -> tuple[str, ...]:
    listed = case.parent / "rules.txt"
    if not listed.exists():
        return (case.parent.name,)
    names = listed.read_text(encoding="utf-8").split()
    return () if names == ["all"] else (case.parent.name, *names)


def _found(case: Path) -> list[dict[str, Any]]:
    rule = case.parent.name
    options = case.parent / "options.json"
    rule_options = (
        {rule: json.loads(options.read_text(encoding="utf-8"))} if options.exists() else None
    )
    result = lint_bytes(
        case.read_bytes(), *_rules_for(case), schema=_schema_for(case), options=rule_options
    )
    return [
        {
            "line": f.line,
            "column": f.column,
            "end_line": f.end_line,
            "end_column": f.end_column,
            "severity": f.severity.value,
            "message": f.message,
        }
        for f in result.findings(case.name)
        if f.rule == rule
    ]


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case_reports_exactly_what_it_declares(case: Path) -> None:
    assert _found(case) == _expected(case)


FIX_CASES = [
    (case, fixed, unsafe)
    for case in CASE_FILES
    for fixed, unsafe in (
        (case.with_name(case.stem + ".fixed.md"), False),
        (case.with_name(case.stem + ".fixed-unsafe.md"), True),
    )
    if fixed.exists()
]


@pytest.mark.parametrize(
    ("case", "fixed", "unsafe"),
    FIX_CASES,
    ids=lambda v: f"{v.parent.name}/{v.name}" if isinstance(v, Path) else ("unsafe" if v else ""),
)
def test_fix_gives_exact_output_once_and_touches_only_declared_lines(
    case: Path, fixed: Path, unsafe: bool
) -> None:
    rules, schema = _rules_for(case), _schema_for(case)
    before = case.read_bytes()
    outcome = fix_bytes(before, *rules, schema=schema, unsafe=unsafe)
    assert outcome.fixed == fixed.read_bytes()
    again = fix_bytes(outcome.fixed, *rules, schema=schema, unsafe=unsafe)
    assert again.fixed == outcome.fixed, "fixing twice must change nothing more"
    assert not again.applied
    declared = _declared_lines(before, rules, schema, unsafe)
    assert _changed_lines(before, outcome.fixed) <= declared
    _assert_independent_reader_agrees(outcome.fixed)
    _assert_no_rule_finds_anything_new(before, outcome.fixed, schema)


def _assert_no_rule_finds_anything_new(before: bytes, after: bytes, schema: CompiledSchema) -> None:
    """Every rule, not only the fixture's: the fix introduced no finding (by rule and subject)."""
    from vaultlint.subjects import introduced, subjects

    found_before = subjects(lint_bytes(before, schema=schema).stages())
    found_after = subjects(lint_bytes(after, schema=schema).stages())
    brought = introduced(found_before, found_after)
    assert not brought, f"the fix introduced {sorted(brought)}"


def _assert_independent_reader_agrees(fixed: bytes) -> None:
    """ruamel.yaml (pure, YAML 1.2) reads the fixed frontmatter's tags as vaultlint does."""
    from ruamel.yaml import YAML

    from vaultlint.note import Note

    note = Note.from_bytes(fixed)
    if note.frontmatter is None or note.frontmatter.data is None:
        return
    theirs = YAML(typ="safe", pure=True).load(note.frontmatter.yaml_text) or {}
    ours = note.frontmatter.data
    for key in ("tags", "temps_total", "total_time", "prep_time"):
        if key in ours:
            assert theirs.get(key) == ours[key], f"ruamel.yaml reads {key} differently"


def _declared_lines(
    raw: bytes, rules: tuple[str, ...], schema: CompiledSchema, unsafe: bool
) -> set[int]:
    """Lines the first pass's fixes touch (an insertion counts as the line it follows)."""
    from vaultlint.diagnostic import Applicability

    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    result = lint_bytes(raw, *rules, schema=schema)
    lines = result.note.lines
    declared: set[int] = set()
    for diagnostic in result.diagnostics:
        if diagnostic.fix is None or diagnostic.fix.applicability < minimum:
            continue
        for edit in diagnostic.fix.edits:
            start = edit.start
            if edit.start == edit.end and start > 0 and raw[start - 1 : start] == b"\n":
                start -= 1  # an insertion at a line's start follows the line above
            first, last = lines.line_of(start), lines.line_of(max(start, edit.end - 1))
            declared.update(range(first, last + 1))
    return declared


def _changed_lines(before: bytes, after: bytes) -> set[int]:
    """1-based lines of `before` that differ in `after`; an insertion marks the line above."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            changed.add(max(i1, 1))
    return changed


def test_every_rule_has_fixtures() -> None:
    folders = {path.name for path in CASES.iterdir() if path.is_dir()}
    missing = sorted(set(RULES) - folders - {"file"})  # `file` needs paths, not notes
    assert not missing, f"rules without tests/cases/<rule>/: {missing}"


def test_every_fixable_rule_has_a_fixed_pair() -> None:
    from vaultlint.rules import VAULT_RULES
    from vaultlint.rules.base import Fixability

    with_pairs = {case.parent.name for case, _, _ in FIX_CASES}
    fixable = {rule_id for rule_id, rule in RULES.items() if rule.FIX is not Fixability.NEVER}
    fixable -= set(VAULT_RULES)  # their cases are vaults: tests/test_graph_cases.py
    assert fixable <= with_pairs, f"fixable rules without a .fixed.md pair: {fixable - with_pairs}"
