"""A required section is missing from the body.

Why: every recipe note has the same sections (`x-vaultlint.sections.order`, those not marked
`"required": false`), so that a reader finds the ingredients in the same place every time. A
section written with an alias or at the wrong level counts as present (other rules report it);
a heading inside a code fence, a `%% … %%` or `<!-- … -->` comment or a `$$` math block does not,
since it does not render as one.

Example: no `## Source` heading: `missing section "Source" (## Source)`. Reported at the
title, or the first body line. No fix: the content is the author's.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._headings import (
    body_start_span,
    heading_parts,
    named_headings,
    structure_known,
)
from vaultlint.rules.base import Fixability, RuleContext

ID = "heading-missing"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "a required section heading is missing"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.sections is None or note.text is None:
        return
    if not structure_known(note):
        return
    spec = extension.sections
    present = {named.section.name for named in named_headings(note, spec)}
    missing = [s for s in spec.order if s.required and s.name not in present]
    if not missing:
        return
    title = next((h for h in note.headings if h.level == spec.title_level), None)
    start, end = heading_parts(note, title).line if title else body_start_span(note)
    marker = "#" * spec.level
    for section in missing:
        message = f'missing section "{section.name}" ({marker} {section.name})'
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
