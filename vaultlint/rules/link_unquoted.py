"""An unquoted `[[link]]` in a property: YAML reads a list inside a list, not a link.

Why: Obsidian wants links in properties quoted (`related: "[[Tarte tatin]]"`). Unquoted,
`[[Tarte tatin]]` is a flow list holding a flow list holding the text `Tarte tatin`: the
property is no longer a link, and Obsidian shows it as a broken list.

Example: `accompagnement: [[Riz gluant]]`: `unquoted link [[Riz gluant]]: YAML reads a nested
list; quote it`. Fix (unsafe, it changes what YAML reads): quote it, `"[[Riz gluant]]"`.
Reported at the link.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.yaml_edit import render_scalar

ID = "link-unquoted"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "an unquoted [[link]] in a property, which YAML reads as a nested list"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.root is None:
        return
    for key_node, value_node in frontmatter.root.value:
        for link in _links(value_node):
            start = note.yaml_byte(link.start_mark.index)
            end = note.yaml_byte(link.end_mark.index)
            text = note.raw[start:end].decode("utf-8")
            target = _target(link)
            message = f"unquoted link {text}: YAML reads a nested list; quote it"
            edit = Edit(start, end, render_scalar(f"[[{target}]]", '"').encode())
            fix = Fix(
                f'quote "[[{target}]]"', (edit,), Applicability.UNSAFE, frozenset({key_node.value})
            )
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _links(node: yaml.Node) -> Iterator[yaml.SequenceNode]:
    """`[[x]]` as YAML composes it: a flow list whose only item is a flow list of one scalar."""
    if not isinstance(node, yaml.SequenceNode):
        return
    if _is_link(node):
        yield node
        return
    for item in node.value:
        yield from _links(item)


def _is_link(node: yaml.SequenceNode) -> bool:
    if not node.flow_style or len(node.value) != 1:
        return False
    inner = node.value[0]
    return (
        isinstance(inner, yaml.SequenceNode)
        and bool(inner.flow_style)
        and len(inner.value) == 1
        and isinstance(inner.value[0], yaml.ScalarNode)
        and not inner.value[0].style
        and inner.end_mark.index + 1 == node.end_mark.index  # `]]` written together
        and node.start_mark.index + 1 == inner.start_mark.index  # `[[` written together
    )


def _target(link: yaml.SequenceNode) -> str:
    inner = link.value[0]
    assert isinstance(inner, yaml.SequenceNode)
    scalar = inner.value[0]
    return str(scalar.value)
