"""A value of an open-vocabulary field outside its known values.

Why: some fields take any value (a new cuisine is welcome), but a value outside the known list
is often a typo or a variant spelling (`thai` for `thaï`) that splits the vault in two. So it is
a warning, not an error. The known values come from `x-vaultlint.fields.FIELD.known`.

Example: `cuisine: thai`: `cuisine "thai" is not a known value (known: japonaise, ..., thaï,
...)`. Reported at the value. No fix yet.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import field, span
from vaultlint.rules.base import Fixability, RuleContext

ID = "value-unknown"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.NEVER
SUMMARY = "an open-vocabulary field has a value outside its known values"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None:
        return
    for name, known in extension.known_values.items():
        found = field(note, name)
        if found is None or not isinstance(found.value, str) or found.value in known:
            continue
        start, end = span(note, found.node)
        listed = ", ".join(sorted(known))
        message = f'{name} "{found.value}" is not a known value (known: {listed})'
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
