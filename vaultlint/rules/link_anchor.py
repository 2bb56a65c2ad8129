"""A link to a heading or a block that its target note does not have.

Why: `[[Tarte tatin#Astuces]]` opens the note at its top when the section was renamed or never
written; the reader does not land where the author meant.

A `#Heading` is compared as Obsidian compares it: the characters that cannot stand in a link
(`# ^ : | [ ] \\ / …`) count as spaces, runs of spaces as one, without case or Unicode form; the
innermost heading of `#Section#Sub` is looked for. A `#^block-id` must be a `^block-id` at the
end of a line of the target. For Markdown links, GitHub's anchor (`#notes-personnelles`) is
accepted too. When a wikilink's name matches several notes, the anchor is missing only when
none of them has it. Headings in code fences and comments do not count.

Example: `[[Moussaka#Conservation]]` where `Moussaka.md` has no such heading:
`no heading "Conservation" in "Moussaka.md"`. No fix: only the author knows which section was
meant.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.graph import links as kinds
from vaultlint.graph.index import VaultDiagnostic, VaultIndex
from vaultlint.graph.resolve import has_anchor, resolved_links
from vaultlint.rules.base import Fixability, nothing

ID = "link-anchor"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "a link's #Heading or #^block-id that its target note does not have"


check = nothing  # a vault rule: see check_vault


def check_vault(index: VaultIndex) -> Iterator[VaultDiagnostic]:
    for source in index.in_path_order():
        for link, resolution in resolved_links(index, source):
            anchor = resolution.anchor
            if resolution.problem is not None or not anchor or not resolution.targets:
                continue
            facts = [index.facts.get(target) for target in resolution.targets]
            markdown = link.kind == kinds.MARKDOWN
            if any(f is None or has_anchor(f, anchor, markdown=markdown) for f in facts):
                continue  # found, or a target whose headings are unknown (not a checked note)
            what = "block" if anchor.startswith("^") else "heading"
            names = " or ".join(f'"{target}"' for target in resolution.targets)
            message = f'no {what} "{anchor}" in {names}'
            diagnostic = Diagnostic(ID, message, link.start, link.end, DEFAULT_SEVERITY)
            yield VaultDiagnostic(source, diagnostic, resolution.targets)
