"""A property name Obsidian has deprecated: `tag`, `alias`, `cssclass`.

Why: since Obsidian 1.4 the properties are `tags`, `aliases` and `cssclasses` (always lists);
the singular names still load for now but are no longer shown or edited as such.

Example: `alias: Burnt ends`: `"alias" is deprecated in Obsidian: use "aliases"`. Fix (unsafe:
it renames a key, which changes what the note's data holds): rename the key, when the new name
is not used yet. Reported at the key.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note, node_span
from vaultlint.rules.base import Fixability, RuleContext

ID = "deprecated-key"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.SOMETIMES
SUMMARY = "a deprecated Obsidian property name (tag, alias, cssclass)"

# Obsidian's own renames (Obsidian 1.4 release notes, help: Properties).
RENAMED = {"tag": "tags", "alias": "aliases", "cssclass": "cssclasses"}


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.root is None or frontmatter.data is None:
        return
    for key_node, _ in frontmatter.root.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value not in RENAMED:
            continue
        old, new = key_node.value, RENAMED[key_node.value]
        start, end = node_span(note, key_node)
        message = f'"{old}" is deprecated in Obsidian: use "{new}"'
        fix = None
        if new not in frontmatter.data and not key_node.style:
            edit = Edit(start, end, new.encode())
            fix = Fix(
                f"rename {old} to {new}", (edit,), Applicability.UNSAFE, frozenset({old, new})
            )
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
