"""A ` #` that silently cut a property's value short.

Why: in YAML a `#` after a space starts a comment, so `source: Recette #3 de Mamie` reads as
`source: Recette`: the rest of the value is lost without any error. A deliberate comment is
written `# like this` (a space after the `#`); a `#` glued to a word or a number (`#3`,
`#vegan`) is almost always part of the value. The same goes for the items of a block list
(`aliases:` then `- Pad thaï #2`). A `- #tag` list item, which YAML reads as empty, is
tag-format's concern.

Example: `source: Recette #3 de Mamie`: `the value of source stops before " #3 de Mamie": YAML
reads it as a comment`; `- Pad thaï #2` under `aliases:`: `the item "Pad thaï" of aliases stops
before " #2": YAML reads it as a comment`. Fix (unsafe, it changes what YAML reads): quote the
whole value or item. Reported at the comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note, node_span
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.yaml_edit import render_scalar

ID = "comment-truncation"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a ' #' cut a property's value or list item short (YAML read the rest as a comment)"

_GLUED_COMMENT = re.compile(rb"[ \t]+(#[^\s#][^\r\n]*)")


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.root is None:
        return
    text = frontmatter.yaml_text
    if " #" not in text and "\t#" not in text:  # what _GLUED_COMMENT needs: most notes lack it
        return
    for key_node, value_node in frontmatter.root.value:
        key = str(key_node.value)
        if isinstance(value_node, yaml.SequenceNode) and not value_node.flow_style:
            for item in value_node.value:
                found = _truncated(note, item, key, item=True)
                if found is not None:
                    yield found
        else:
            found = _truncated(note, value_node, key, item=False)
            if found is not None:
                yield found


def _truncated(note: Note, node: yaml.Node, key: str, *, item: bool) -> Diagnostic | None:
    """The diagnostic for a plain one-line scalar followed by a glued ` #…` comment, or None."""
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value:
        return None
    start, end = node_span(note, node)
    line_end = note.lines.line_end(note.lines.line_of(max(start, end - 1)))
    comment = _GLUED_COMMENT.match(note.raw, end, line_end)
    if comment is None or note.lines.line_of(start) != note.lines.line_of(end):
        return None
    lost = comment.group(1).decode("utf-8").rstrip()
    whole = note.raw[start : comment.start(1)].decode("utf-8") + lost
    where = f'the item "{node.value}" of {key}' if item else f"the value of {key}"
    message = f'{where} stops before " {lost}": YAML reads it as a comment'
    edit = Edit(start, comment.start(1) + len(lost.encode()), render_scalar(whole, '"').encode())
    title = (
        f'quote the whole item "{whole}" of {key}' if item else f"quote the whole value of {key}"
    )
    fix = Fix(title, (edit,), Applicability.UNSAFE, frozenset({key}))
    return Diagnostic(ID, message, comment.start(1), comment.end(1), DEFAULT_SEVERITY, fix)
