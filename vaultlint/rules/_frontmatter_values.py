"""Fields and the tags list of a parsed frontmatter, with their nodes (shared by rules)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from vaultlint.diagnostic import Diagnostic
from vaultlint.note import Note, node_span
from vaultlint.schema.extension import TagSpec
from vaultlint.yaml_edit import has_anchor

if TYPE_CHECKING:
    from vaultlint.rules.base import RuleContext
    from vaultlint.schema.loader import CompiledSchema
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

    @property
    def sequence(self) -> yaml.SequenceNode:
        """The list's node (a tags list is a YAML sequence: `tag_list` makes no other)."""
        node = self.field.node
        assert isinstance(node, yaml.SequenceNode)
        return node


def tag_list(note: Note, spec: TagSpec) -> TagList | None:
    """The note's tags list, or None when it has none or it is not a list."""
    # `memoized`, read inline: a score of calls per note, nearly all finding it stored.
    stored = note.memo.get(("tag_list", id(spec)))
    if stored is not None and stored[0] is spec:
        found: TagList | None = stored[1]
        return found
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


# How many results `derived` keeps per spec: a vault of distinct tags stays bounded (a few
# MiB; a real vault repeats a few hundred tags and values).
_DERIVED_LIMIT = 10_000


def derived(spec: TagSpec, key: tuple[str, ...], compute: Callable[[], T]) -> T:
    """`compute()`, a pure function of `spec` and of the texts in `key` (the first names what
    is derived), once per spec and key (`TagSpec.derived`)."""
    memo = spec.derived
    if key in memo:
        found: T = memo[key]
        return found
    result = compute()
    if len(memo) < _DERIVED_LIMIT:
        memo[key] = result
    return result


def normalize_tag(value: str, spec: TagSpec) -> str:
    """The tag a value means in the vault's form: prefix added, case and spaces normalised."""
    return derived(spec, ("normalize_tag", value), lambda: _normalize_tag(value, spec))


def _normalize_tag(value: str, spec: TagSpec) -> str:
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
    if not has_anchor(note, node):
        yield from diagnostics
        return
    for diagnostic in diagnostics:
        yield dataclasses.replace(diagnostic, fix=None)


# A tag rule's check of the tags list: the note, its context, the schema's tag spec, the list.
TagListCheck = Callable[["Note", "RuleContext", TagSpec, "TagList"], Iterator[Diagnostic]]


def check_tag_list(note: Note, ctx: RuleContext, check_list: TagListCheck) -> Iterator[Diagnostic]:
    """Run a tag rule on the note's tags list: nothing when the schema declares no tags or the
    value is not a list (the schema rule says so); the fixes taken off when the list is anchored
    and aliased (they would change the alias too). The tag rules' shared front door."""
    spec = ctx.extension.tags if ctx.extension is not None else None
    tags = tag_list(note, spec) if spec is not None else None
    if spec is None or tags is None:
        return iter(())
    return unfixable_if_anchored(note, tags.sequence, check_list(note, ctx, spec, tags))


# What a tag cannot hold (Obsidian's tags are letters, digits, `_`, `-` and `/`): a value with
# one of these makes no tag, and a tag with one has no safe rewrite.
_NOT_IN_A_TAG = re.compile(r"[\s,;:!?\"'`()\[\]{}<>#&*|\\=+@$%^~.]")


def is_well_formed_tag(tag: str, spec: TagSpec) -> bool:
    """True when `tag` (normalised) is one tag as a vault can write it: `#cuisine/thaï`, not
    `#cuisson/wok:-four`, `#cuisine/[origine]` or `#a,-#b`."""
    body = tag[len(spec.prefix) :] if spec.prefix and tag.startswith(spec.prefix) else tag
    return bool(body) and _NOT_IN_A_TAG.search(body) is None


def several_tags(value: str, spec: TagSpec) -> list[str] | None:
    """The tags of one string holding several (`"#occasion/festif, #occasion/weekend"`), or
    None when it holds one. Only a vault whose tags have a prefix can tell them apart."""
    if not spec.prefix or value.count(spec.prefix) < 2:
        return None
    pieces = [piece for piece in _TAG_SEPARATORS.split(value.strip()) if piece]
    if len(pieces) < 2 or not all(piece.startswith(spec.prefix) for piece in pieces):
        return None
    return pieces


_TAG_SEPARATORS = re.compile(r"[\s,;]+")


def schema_errors(note: Note, schema: CompiledSchema) -> tuple[Any, ...]:
    """The note's JSON Schema errors, found once per note: the schema rule reports them, and
    the tag rules derive a tag only from a field that has none."""
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.data is None:
        return ()
    data = frontmatter.data
    return memoized(
        note, "schema_errors", schema, lambda: tuple(schema.validator.iter_errors(data))
    )


def fields_breaking_schema(note: Note, schema: CompiledSchema | None) -> frozenset[str]:
    """Top-level fields whose value the schema rejects (wrong type, outside its enum...)."""
    if schema is None:
        return frozenset()
    return frozenset(
        str(error.instance_path[0]) for error in schema_errors(note, schema) if error.instance_path
    )


@dataclass(frozen=True, slots=True)
class CommentItem:
    """An unquoted `- #tag` list item, which YAML reads as empty: the text it was meant to hold."""

    item: TagItem
    text: str  # `#cuisine/[origine]`, `#cuisson/wok: four`: the whole item as written
    start: int  # byte span of `text` in the note
    end: int


# A note written after the item, as YAML would read it after a plain scalar: whitespace, then
# `#` and a space (`- #temps/moyen   # le temps`). Whitespace then `#word` is another tag
# (`- #saveur/épicé, #diet/léger`), which stays part of the item.
_TRAILING_COMMENT = re.compile(rb"[ \t]+#(?=[ \t]|\r?$)")


def comment_item(note: Note, item: TagItem) -> CommentItem | None:
    """The text of an item that YAML read as a comment, or None when the item is not one."""
    if item.value is not None or getattr(item.node, "style", None):  # quoted "" is no comment
        return None
    start, _ = span(note, item.node)
    line_end = note.lines.line_end(note.lines.line_of(start))
    raw = note.raw
    while start < line_end and raw[start : start + 1] in (b" ", b"\t"):
        start += 1
    if raw[start : start + 1] != b"#":
        return None
    text = raw[start:line_end]
    trailing = _TRAILING_COMMENT.search(text)
    if trailing is not None:
        text = text[: trailing.start()]
    text = text.rstrip(b" \t\r")
    return CommentItem(item, text.decode("utf-8"), start, start + len(text))


def comment_items(note: Note, spec: TagSpec) -> tuple[CommentItem, ...]:
    tags = tag_list(note, spec)
    if tags is None:
        return ()
    return memoized(
        note,
        "comment_items",
        spec,
        lambda: tuple(c for item in tags.items if (c := comment_item(note, item)) is not None),
    )


@dataclass(frozen=True, slots=True)
class LatentTag:
    """A tag the list means but YAML does not read as one: in an unquoted `- #tag` item (a
    comment), or beside another tag in one string. Quoting or splitting brings it back."""

    tag: str
    line: int
    why: str  # "unquoted, which YAML reads as a comment"


def latent_tags(note: Note, spec: TagSpec) -> dict[str, LatentTag]:
    tags = tag_list(note, spec)
    if tags is None:
        return {}
    return memoized(note, "latent_tags", spec, lambda: _latent_tags(note, spec, tags))


def _latent_tags(note: Note, spec: TagSpec, tags: TagList) -> dict[str, LatentTag]:
    found: dict[str, LatentTag] = {}
    for comment in comment_items(note, spec):
        tag = normalize_tag(comment.text, spec)
        why = "unquoted, which YAML reads as a comment"
        found.setdefault(tag, LatentTag(tag, note.lines.line_of(comment.start), why))
    for item in tags.items:
        pieces = several_tags(item.value, spec) if isinstance(item.value, str) else None
        for piece in pieces or ():
            tag = normalize_tag(piece, spec)
            line = note.lines.line_of(span(note, item.node)[0])
            found.setdefault(tag, LatentTag(tag, line, "with another tag in one string"))
    return found


def pending_tags(note: Note, spec: TagSpec) -> frozenset[str]:
    """The tags the list holds, and those that quoting or splitting its items brings back: a
    fix that adds one of these would leave it twice."""
    return memoized(note, "pending_tags", spec, lambda: _pending_tags(note, spec))


def _pending_tags(note: Note, spec: TagSpec) -> frozenset[str]:
    tags = tag_list(note, spec)
    present = set(tags.tags) if tags is not None else set()
    present.update(latent_tags(note, spec))
    return frozenset(present)


def distinct_tags(note: Note, spec: TagSpec) -> int:
    """How many different tags the list holds: a tag written twice counts once."""
    tags = tag_list(note, spec)
    return len(set(tags.tags)) if tags is not None else 0


def room_for(note: Note, spec: TagSpec, adding: int) -> bool:
    """True when `adding` more tags keep the list within the convention's maximum: a fix that
    adds a tag must not bring a tag-count finding the note did not have."""
    if spec.count_max is None or adding <= 0:
        return True
    return distinct_tags(note, spec) + adding <= spec.count_max


def one_line(text: str) -> str:
    """`text` for a message, which is one line: line breaks written as `\\n`."""
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")
