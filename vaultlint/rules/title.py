"""A note without its one title heading, or with a second one.

Why: the title (an H1: `# Pork Belly Burnt Ends`, or a line underlined with `===`) is what the
note is about; none leaves the note untitled in rendered views, two mean two notes were merged
or a section was promoted by mistake. Headings that name a section (`# Steps`) are the heading
rules' concern, not titles.

Example: a second `# Variante` heading: `a second title heading (the first is on line 24)`.
Reported at the extra heading, or at the first body line when there is none. No fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._headings import (
    body_start_span,
    heading_parts,
    structure_known,
)
from vaultlint.rules.base import Fixability, RuleContext

ID = "title"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the note has no title heading (H1), or more than one"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.sections is None or extension.sections.title_level is None:
        return
    if not structure_known(note):
        return
    spec = extension.sections
    if note.text is None:
        return
    titles = [
        heading
        for heading in note.headings
        if heading.level == spec.title_level and spec.section_named(heading.text) is None
    ]
    if not titles and spec.title_required:
        start, end = body_start_span(note)
        message = f"the note has no title heading ({'#' * (spec.title_level or 1)} Title)"
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
    for extra in titles[1:]:
        span = heading_parts(note, extra).line
        message = f"a second title heading (the first is on line {titles[0].line})"
        yield Diagnostic(ID, message, span[0], span[1], DEFAULT_SEVERITY)
