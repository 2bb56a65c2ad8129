"""Fields and the tags list of a parsed frontmatter, with their nodes (shared by rules)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from vaultlint.diagnostic import Diagnostic
from vaultlint.note import Note, node_span
from vaultlint.schema.extension import TagSpec

if TYPE_CHECKING:
    from vaultlint.yaml_edit import ListStyle

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: Any
    key: yaml.Node
    node: yaml.Node


def field(note: Note, name: str) -> Field | None:
    key = ("field", name)
    memo = note.memo
    if key not in memo:  # a dozen rules ask for the same fields: find each once per note
        memo[key] = _field(note, name)
    found: Field | None = memo[key]
    return found


def _field(note: Note, name: str) -> Field | None:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.data is None or name not in frontmatter.data:
        return None
    pairs = note.memo.get("key_nodes")
    if pairs is None:  # data was built, so the keys are unique scalars: index them once
        root = frontmatter.root
        pairs = note.memo["key_nodes"] = (
            {key.value: (key, node) for key, node in root.value} if root is not None else {}
        )
    pair = pairs.get(name)
    if pair is None:
        return None
    return Field(name, frontmatter.data[name], pair[0], pair[1])


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
    return memoized(note, "tag_list", spec, lambda: _tag_list(note, spec))


def memoized(note: Note, name: str, owner: object, compute: Callable[[], T]) -> T:
    """`compute()` once per note and `owner` (a part of a schema): the tag rules all read the
    same tags list, expected tags and headings; each is derived once per note."""
    key = (name, id(owner))
    memo = note.memo
    stored = memo.get(key)
    if stored is None or stored[0] is not owner:  # the identity check guards against id reuse
        stored = memo[key] = (owner, compute())
    value: T = stored[1]
    return value


def sequence_style(note: Note, sequence: yaml.SequenceNode) -> ListStyle:
    """`yaml_edit.list_style`, once per note: three tag rules ask for it."""
    from vaultlint.yaml_edit import list_style

    return memoized(note, "list_style", sequence, lambda: list_style(note, sequence))


def _tag_list(note: Note, spec: TagSpec) -> TagList | None:
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


def guard_tag_fixes(
    note: Note, spec: TagSpec | None, diagnostics: Iterator[Diagnostic]
) -> Iterator[Diagnostic]:
    """The tag rules' diagnostics, without fixes when the tags list is anchored and aliased."""
    tags = tag_list(note, spec) if spec is not None else None
    if tags is None:
        return diagnostics
    return unfixable_if_anchored(note, tags.field.node, diagnostics)
