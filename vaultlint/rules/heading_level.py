"""A section heading at the wrong level: `### Steps` where the vault wants `## Steps`.

Why: sections are H2 in this vault (`x-vaultlint.sections.level`); a section demoted to H3 hides
inside the previous section in the outline, and one promoted to H1 competes with the title.
Sub-headings (H3) with other names are free.

Example: `### Steps`: `section heading "Steps" should be level 2 (## Steps), not 3`.
Fix (safe): re-level the heading line alone. Reported at the heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._headings import heading_bytes, named_headings, structure_known
from vaultlint.rules.base import Fixability, RuleContext

ID = "heading-level"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.ALWAYS
SUMMARY = "a section heading is at the wrong level (### Steps for ## Steps)"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.sections is None:
        return
    if not structure_known(note):
        return
    level = extension.sections.level
    for named in named_headings(note, extension.sections):
        heading = named.heading
        if heading.level == level:
            continue
        parts = heading_bytes(note, heading.line)
        wanted = "#" * level
        message = (
            f'section heading "{heading.text}" should be level {level} '
            f"({wanted} {heading.text}), not {heading.level}"
        )
        edit = Edit(parts.marker[0], parts.marker[1], wanted.encode())
        fix = Fix(
            f"make it {wanted} {heading.text}",
            (edit,),
            Applicability.SAFE,
            changes_body_lines=frozenset({heading.line}),
        )
        yield Diagnostic(ID, message, parts.line[0], parts.line[1], DEFAULT_SEVERITY, fix)
