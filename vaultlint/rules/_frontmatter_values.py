"""Fields and the tags list of a parsed frontmatter, with their nodes (shared by rules)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from vaultlint.diagnostic import Diagnostic
from vaultlint.note import Note, node_span
from vaultlint.schema.extension import TagSpec


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: Any
    key: yaml.Node
    node: yaml.Node


def field(note: Note, name: str) -> Field | None:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.data is None or name not in frontmatter.data:
        return None
    key, node = frontmatter.node_at((name,))
    if key is None or node is None:
        return None
    return Field(name, frontmatter.data[name], key, node)


def int_field(note: Note, name: str) -> Field | None:
    """A field holding a whole number: an int, or an integral float such as 40.0."""
    found = field(note, name)
    if found is None or isinstance(found.value, bool):
        return None
    if isinstance(found.value, int) or (
        isinstance(found.value, float) and found.value.is_integer()
    ):
        return found
    return None


@dataclass(frozen=True, slots=True)
class TagItem:
    """One item of the tags list: what YAML read, and the tag it means once normalised."""

    index: int
    node: yaml.Node
    value: Any  # what YAML read: a string, or None for `- #tag` read as a comment
    normalized: str | None  # `#cuisine/thaï`; None when the item is not a tag at all


@dataclass(frozen=True, slots=True)
class TagList:
    field: Field
    items: tuple[TagItem, ...]

    @property
    def tags(self) -> list[str]:
        return [item.normalized for item in self.items if item.normalized is not None]


def tag_list(note: Note, spec: TagSpec) -> TagList | None:
    """The note's tags list, or None when it has none or it is not a list."""
    found = field(note, spec.field)
    if found is None or not isinstance(found.node, yaml.SequenceNode):
        return None
    values = found.value if isinstance(found.value, list) else []
    items = tuple(
        TagItem(i, node, value, normalize_tag(value, spec) if isinstance(value, str) else None)
        for i, (node, value) in enumerate(zip(found.node.value, values, strict=False))
    )
    return TagList(found, items)


def normalize_tag(value: str, spec: TagSpec) -> str:
    """The tag a value means in the vault's form: prefix added, case and spaces normalised."""
    body = value.strip()
    if spec.prefix:
        body = body.removeprefix(spec.prefix)
    elif body.startswith("#"):
        body = body[1:]
    words = body.split()
    body = spec.word_separator.join(words)
    if spec.lowercase:
        body = body.lower()
    return spec.prefix + body


def span(note: Note, node: yaml.Node) -> tuple[int, int]:
    return node_span(note, node)


def unfixable_if_anchored(
    note: Note, node: yaml.Node, diagnostics: Iterator[Diagnostic]
) -> Iterator[Diagnostic]:
    """Drop the fixes of diagnostics inside an anchored node: its aliases would change too."""
    from vaultlint.yaml_edit import has_anchor

    if not has_anchor(note, node):
        yield from diagnostics
        return
    for diagnostic in diagnostics:
        yield dataclasses.replace(diagnostic, fix=None)
