"""A section heading at the wrong level: `### Steps` where the vault wants `## Steps`.

Why: sections are H2 in this vault (`x-vaultlint.sections.level`); a section demoted to H3 hides
inside the previous section in the outline, and one promoted to H1 competes with the title.
Sub-headings (H3) with other names are free.

Example: `### Steps`: `section heading "Steps" should be level 2 (## Steps), not 3`.
A setext heading (underlined with `===` or `---`) is level 1 or 2.

Fix (safe): re-level the heading alone: its `#` run, or a setext heading's underline (`===` and
`---` swapped; for a level beyond 2, the heading becomes an ATX line). Reported at the heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.markdown import Heading
from vaultlint.note import Note
from vaultlint.rules._headings import heading_lines, heading_parts, named_headings, structure_known
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
        message = (
            f'section heading "{heading.text}" should be level {level} '
            f"({'#' * level} {heading.text}), not {heading.level}"
        )
        fix = Fix(
            f"make it {'#' * level} {heading.text}",
            (_relevel(note, heading, level),),
            Applicability.SAFE,
            changes_body_lines=heading_lines(heading),
        )
        span = heading_parts(note, heading).line
        yield Diagnostic(ID, message, span[0], span[1], DEFAULT_SEVERITY, fix)


def _relevel(note: Note, heading: Heading, level: int) -> Edit:
    parts = heading_parts(note, heading)
    if heading.underline is None:
        return Edit(parts.marker[0], parts.marker[1], b"#" * level)
    length = parts.marker[1] - parts.marker[0]
    if level in (1, 2):  # keep the setext style: swap the underline's character
        return Edit(parts.marker[0], parts.marker[1], (b"=" if level == 1 else b"-") * length)
    # Setext has no level 3: write the heading as an ATX line in place of text and underline.
    underline_end = note.lines.line_end(heading.underline)
    return Edit(parts.line[0], underline_end, f"{'#' * level} {heading.text}".encode())
