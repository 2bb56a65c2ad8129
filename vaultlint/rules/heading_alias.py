"""A section heading written with a known alias instead of its canonical name.

Why: one name per section keeps the notes consistent and searchable. The recipe vault's
template writes `## Ingredients` and `## Steps`; a minority of its notes write the French
`## Ingrédients`/`## Étapes` instead. The aliases come from
`x-vaultlint.sections.order[].aliases`.

Example: `## Ingrédients`: `"Ingrédients" is an alias of the section "Ingredients"`.
Fix (safe): rename the heading's text alone (its level marks and closing `#` stay). A setext
heading (`Ingrédients` underlined with `---`) counts too. Reported at the heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._headings import heading_lines, heading_parts, named_headings, structure_known
from vaultlint.rules.base import Fixability, RuleContext

ID = "heading-alias"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.ALWAYS
SUMMARY = "a section heading uses an alias (## Ingrédients for ## Ingredients)"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.sections is None:
        return
    if not structure_known(note):
        return
    for named in named_headings(note, extension.sections):
        if not named.by_alias:
            continue
        heading, canonical = named.heading, named.section.name
        parts = heading_parts(note, heading)
        message = f'"{heading.text}" is an alias of the section "{canonical}"'
        edit = Edit(parts.text[0], parts.text[1], canonical.encode())
        fix = Fix(
            f"rename it {canonical}",
            (edit,),
            Applicability.SAFE,
            changes_body_lines=heading_lines(heading),
        )
        yield Diagnostic(ID, message, parts.line[0], parts.line[1], DEFAULT_SEVERITY, fix)
