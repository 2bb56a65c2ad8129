"""A ` #` that silently cut a property's value short.

Why: in YAML a `#` after a space starts a comment, so `source: Recette #3 de Mamie` reads as
`source: Recette`: the rest of the value is lost without any error. A deliberate comment is
written `# like this` (a space after the `#`); a `#` glued to a word or a number (`#3`,
`#vegan`) is almost always part of the value. A `- #tag` list item is tag-format's concern.

Example: `source: Recette #3 de Mamie`: `the value of source stops before " #3 de Mamie": YAML
reads it as a comment`. Fix (unsafe, it changes what YAML reads): quote the whole value.
Reported at the comment.
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
SUMMARY = "a ' #' cut a property's value short (YAML read the rest as a comment)"

_GLUED_COMMENT = re.compile(rb"[ \t]+(#[^\s#][^\r\n]*)")


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.root is None:
        return
    text = frontmatter.yaml_text
    if " #" not in text and "\t#" not in text:  # what _GLUED_COMMENT needs: most notes lack it
        return
    for key_node, value_node in frontmatter.root.value:
        if not isinstance(value_node, yaml.ScalarNode) or value_node.style or not value_node.value:
            continue
        start, end = node_span(note, value_node)
        line_end = note.lines.line_end(note.lines.line_of(max(start, end - 1)))
        comment = _GLUED_COMMENT.match(note.raw, end, line_end)
        if comment is None or note.lines.line_of(start) != note.lines.line_of(end):
            continue
        lost = comment.group(1).decode("utf-8").rstrip()
        whole = note.raw[start : comment.start(1)].decode("utf-8") + lost
        message = (
            f'the value of {key_node.value} stops before " {lost}": YAML reads it as a comment'
        )
        edit = Edit(
            start, comment.start(1) + len(lost.encode()), render_scalar(whole, '"').encode()
        )
        fix = Fix(
            f"quote the whole value of {key_node.value}",
            (edit,),
            Applicability.UNSAFE,
            frozenset({key_node.value}),
        )
        yield Diagnostic(ID, message, comment.start(1), comment.end(1), DEFAULT_SEVERITY, fix)
