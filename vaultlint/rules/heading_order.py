"""Sections out of the vault's order, or a section that appears twice.

Why: the same order in every note (`x-vaultlint.sections.order`: here Informations rapides,
Ingredients, Steps, Notes personnelles, Source) makes notes quick to read and compare.

Example: `## Steps` before `## Ingredients`: `section "Ingredients" should come before
"Steps" (line 12)`. Reported at the heading out of place. No fix: moving sections moves the
author's text.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._headings import heading_parts, named_headings, structure_known
from vaultlint.rules.base import Fixability, RuleContext

ID = "heading-order"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "sections are out of order, or a section appears twice"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.sections is None:
        return
    if not structure_known(note):
        return
    order = [section.name for section in extension.sections.order]
    seen: dict[str, int] = {}  # section name -> line of its first heading
    furthest: tuple[int, str, int] | None = None  # (order index, name, line) furthest so far
    for named in named_headings(note, extension.sections):
        name, line = named.section.name, named.heading.line
        if name in seen:
            message = f'section "{name}" appears twice (first on line {seen[name]})'
            span = heading_parts(note, named.heading).line  # only when reporting: it costs
            yield Diagnostic(ID, message, span[0], span[1], DEFAULT_SEVERITY)
            continue
        seen[name] = line
        index = order.index(name)
        if furthest is not None and index < furthest[0]:
            message = f'section "{name}" should come before "{furthest[1]}" (line {furthest[2]})'
            span = heading_parts(note, named.heading).line
            yield Diagnostic(ID, message, span[0], span[1], DEFAULT_SEVERITY)
        elif furthest is None or index > furthest[0]:
            furthest = (index, name, line)
