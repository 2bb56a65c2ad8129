"""A note beyond vaultlint's documented limits (size, YAML nesting, alias expansion).

Why: a hostile or broken file (a 50 MB single line, an alias bomb) must not hang the run or eat
memory; such a note gets this one diagnostic, and the run goes on.

Example: a frontmatter of nested aliases that expands to billions of values:
`limit: the frontmatter expands to more than 100,000 values (an alias bomb?)`.

No fix: split or repair the note by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint import reading
from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "limit"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the note exceeds a size, nesting or alias-expansion limit"

MAX_NOTE_BYTES = reading.MAX_NOTE_BYTES


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if frontmatter is not None and frontmatter.problem is not None and frontmatter.problem.limit:
        problem = frontmatter.problem
        start = note.yaml_byte(problem.index)
        end = note.yaml_byte(problem.end) if problem.end is not None else start
        yield Diagnostic(ID, problem.message, start, end, DEFAULT_SEVERITY)


def too_large(size: int) -> Diagnostic:
    message = f"the note is {size:,} bytes, over the limit of {MAX_NOTE_BYTES:,}: not checked"
    return Diagnostic(ID, message, 0, 0, DEFAULT_SEVERITY)
