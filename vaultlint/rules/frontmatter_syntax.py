"""The frontmatter cannot be read: unterminated block, invalid YAML, duplicate keys, not a mapping.

Why: Obsidian shows no properties (or silently keeps one of two duplicate keys), and no other
rule can check the note's fields.

Examples: a block with no closing `---` (reported at line 1); `a: 1<TAB># c` (tabs are not
allowed); `portions: 4` written twice (reported at the second); `- a` at the top (a list, not
properties); `date: {{date}}` (an unquoted template placeholder is a YAML mapping, not text).

No fix: the intended content cannot be known.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "frontmatter-syntax"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the frontmatter is unterminated, invalid YAML, has duplicate keys or is not a mapping"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    block = note.block
    if block is None:
        return
    if not block.terminated:
        message = "the frontmatter opened on line 1 is never closed by a '---' line"
        yield Diagnostic(ID, message, note.bom_length, note.lines.line_end(1), DEFAULT_SEVERITY)
        return
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.problem is None or frontmatter.problem.limit:
        return
    problem = frontmatter.problem
    start = note.yaml_byte(problem.index)
    end = note.yaml_byte(problem.end) if problem.end is not None else start
    message = problem.message
    if problem.related is not None:
        message += f" (first defined on line {note.lines.line_of(note.yaml_byte(problem.related))})"
    yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
