"""A link whose target does not exist, resolved as Obsidian and GitHub resolve it.

Why: a dead link is what a reader of the vault meets first, and it breaks silently: a file
renamed, a name spelt in Unicode NFD (macOS) that only macOS finds, a `../` forgotten in an
index page, a page left in a gitignored folder that no clone has.

What counts as a link: wikilinks and embeds (`[[Note]]`, `[[Note|text]]`, `[[Note#Heading]]`,
`![[image.png]]`) in the body and in frontmatter values; Markdown links and images to local files
(`[text](../Recettes/Tarte%20tatin.md)`). Not in code spans, code fences, HTML comments or
`%% %%` comments; not `https:`, `mailto:` and other links with a scheme.

How it resolves (see the README, "Links and duplicates"):
- wikilinks by file name anywhere in the vault, `.md` implied, without case; when a name repeats,
  the linking note's folder first, then the shortest path; else by a note's `aliases`;
- Markdown links relative to the linking file, percent-decoded, with case, as GitHub shows the
  vault; when the target exists from the vault root instead, the message says so (Obsidian may
  accept it, GitHub does not); a target in a gitignored or excluded folder is named as such.

Example: `index/par-cuisine.md` links `../Recettes/Franc%CC%A7aise/Tarte%20tatin.md` (NFD) while
the file is `Recettes/Française/Tarte tatin.md` (NFC): `link target "…" does not exist; the file
is "Recettes/Française/Tarte tatin.md" (the name is spelt in another Unicode form (NFD), which only
macOS ignores)`. Fix (safe): `../Recettes/Fran%C3%A7aise/Tarte%20tatin.md`.

Fix: safe when exactly one file matches once Unicode form, case and percent-encoding are set
aside; the link is rewritten to it in its own style (percent-encoded stays percent-encoded, now in
NFC; the `#anchor` and the text stay). Unsafe when the only file of that name lies elsewhere in
the vault (the missing `../`): it may not be the file meant. Links in frontmatter values are
reported, never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.graph.index import VaultDiagnostic, VaultIndex
from vaultlint.graph.resolve import resolved_links
from vaultlint.rules.base import Fixability, nothing

ID = "link-broken"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a link whose target does not exist (wikilinks as Obsidian, Markdown links as GitHub)"


check = nothing  # a vault rule: see check_vault


def check_vault(index: VaultIndex) -> Iterator[VaultDiagnostic]:
    for source in index.in_path_order():
        for link, resolution in resolved_links(index, source):
            if resolution.problem is None:
                continue
            fix = None
            repair = resolution.repair
            if repair is not None and not link.in_frontmatter:
                level = Applicability.SAFE if repair.safe else Applicability.UNSAFE
                edit = Edit(link.start, link.end, repair.replacement.encode("utf-8"))
                fix = Fix(repair.title, (edit,), level)
            diagnostic = Diagnostic(
                ID, resolution.problem, link.start, link.end, DEFAULT_SEVERITY, fix
            )
            yield VaultDiagnostic(source, diagnostic)
