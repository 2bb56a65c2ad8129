"""A value of an open-vocabulary field outside its known values.

Why: some fields take any value (a new cuisine is welcome), but a value outside the known list
is often a typo or a variant spelling (`thai` for `thaï`) that splits the vault in two. So it is
a warning, not an error. The known values come from `x-vaultlint.fields.FIELD.known`.

Example: `cuisine: thai`: `cuisine "thai" is not a known value (known: japonaise, ..., thaï,
...)`. Reported at the value.

Fix: when the value has the same letters as exactly one known value up to case, accents,
separators and a plural `s` (`Thai` -> `thaï`, `americaine` -> `américaine`), set it, safely,
and rewrite the field's tag with it; when it is one typing slip away inside a word of five or
more letters (a letter missing, doubled, extra, or two swapped, the first letter kept), the
same fix is unsafe; otherwise, or when ambiguous, no suggestion and no fix: a suggestion never
makes another word.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import field, one_line, span
from vaultlint.rules._value_fix import value_fix
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.suggest import normalise, suggest

ID = "value-unknown"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.SOMETIMES
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
        suggestion = suggest(found.value, known)
        if suggestion is not None:
            hint = "did you mean" if suggestion.safe else "perhaps"
            shown = one_line(found.value)
            message = f'{name} "{shown}" is not a known value ({hint} "{suggestion.value}"?)'
            fix = value_fix(note, found, suggestion, extension)
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
            continue
        listed = ", ".join(sorted(known, key=lambda value: (normalise(value), value)))
        message = f'{name} "{one_line(found.value)}" is not a known value (known: {listed})'
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
