"""The tags a note's fields call for: one per field-linked namespace, and the time bucket.

Shared by tag-missing (the expected tag is absent) and tag-conflict (another tag of the same
namespace contradicts it), so that both derive the same tags the same way.

A tag comes only from a valid value (issue #12, §2.2): a field that breaks the schema or is
outside its namespace's vocabulary (`protéine: mixte`, `type: ressource`), or whose value makes
no tag (`protéine: n/a`), calls for no tag. The field is then what is wrong, not its tags: the
`schema` finding says so, and no tag rule reports, asks for or rewrites a tag of its namespace.
The same holds for the time bucket when a time breaks the schema (`temps_total: "70"`).
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    TagItem,
    derived,
    field,
    fields_breaking_schema,
    int_field,
    is_well_formed_tag,
    memoized,
    tag_list,
)
from vaultlint.schema.extension import Extension, Namespace, TagSpec
from vaultlint.schema.loader import CompiledSchema


@dataclass(frozen=True, slots=True)
class ExpectedTag:
    namespace: str
    tag: str
    reason: str  # in the note's words: "cuisine: thaï", "temps_total 45 min"
    exclusive_values: frozenset[str] | None  # other values of these contradict; None: all do


def expected_tags(note: Note, schema: CompiledSchema) -> list[ExpectedTag]:
    return list(memoized(note, "expected_tags", schema, lambda: _expected_tags(note, schema)))


def _expected_tags(note: Note, schema: CompiledSchema) -> list[ExpectedTag]:
    extension = schema.extension
    spec = extension.tags
    if spec is None:
        return []
    invalid = fields_breaking_schema(note, schema)
    expected = []
    for namespace in spec.namespaces.values():
        tag = _field_tag(note, spec, namespace, invalid)
        if tag is not None:
            expected.append(tag)
    bucket = _expected_bucket(note, extension, invalid)
    if bucket is not None:
        expected.append(bucket)
    return expected


def _field_tag(
    note: Note, spec: TagSpec, namespace: Namespace, invalid: frozenset[str]
) -> ExpectedTag | None:
    """The tag a namespace's field calls for, when its value is valid and makes a tag."""
    if namespace.field is None or namespace.field in invalid:
        return None
    found = field(note, namespace.field)
    if found is None or not isinstance(found.value, str) or not found.value.strip():
        return None
    if namespace.values is not None and found.value not in namespace.values:
        return None  # outside the vocabulary: the field is wrong, its tags may be right
    # The rest depends on the namespace and the value alone, which a vault repeats in note
    # after note: built once per spec (an ExpectedTag is immutable, so it can be shared).
    name, value = found.name, found.value
    key = ("expected_tag", namespace.name, value)
    return derived(spec, key, lambda: _value_tag(spec, namespace, name, value))


def _value_tag(spec: TagSpec, namespace: Namespace, name: str, value: str) -> ExpectedTag | None:
    tag = spec.tag(namespace.name, value)
    if not is_well_formed_tag(tag, spec) or spec.separator in value:
        return None  # `a, b`, `n/a` (read as a nested tag): no tag spells it
    return ExpectedTag(namespace.name, tag, f"{name}: {value}", None)


def _expected_bucket(
    note: Note, extension: Extension, invalid: frozenset[str]
) -> ExpectedTag | None:
    time, spec = extension.time, extension.tags
    if time is None or spec is None or time.bucket_namespace is None or not time.buckets:
        return None
    if invalid.intersection((time.total, *time.parts)):
        return None  # a time the schema rejects (negative, quoted) sets no bucket
    tags = tag_list(note, spec)
    advance = time.advance_tag is not None and tags is not None and time.advance_tag in tags.tags
    if advance:  # with marinade or rest, the bucket follows the active time
        parts = [int_field(note, name) for name in time.parts]
        if any(part is None for part in parts):
            return None
        minutes = sum(part.value for part in parts if part is not None)
        reason = f"{' + '.join(time.parts)} = {minutes} min (the note has {time.advance_tag})"
    else:
        total = int_field(note, time.total)
        if total is None:
            return None
        minutes = total.value
        reason = f"{time.total}: {minutes} min"
    value = time.bucket_for(minutes)
    if value is None:
        return None
    tag = spec.tag(time.bucket_namespace, value)
    return ExpectedTag(time.bucket_namespace, tag, reason, time.bucket_values)


def contradicting(
    note: Note, expected: ExpectedTag, items: tuple[TagItem, ...], spec: TagSpec
) -> list[TagItem]:
    """The items of the expected tag's namespace that say something else."""
    return [
        item
        for tag, item in _by_namespace(note, items, spec).get(expected.namespace, ())
        if contradicts(expected, tag, spec)
    ]


def _by_namespace(
    note: Note, items: tuple[TagItem, ...], spec: TagSpec
) -> dict[str, list[tuple[str, TagItem]]]:
    """The items that are tags with a namespace, by namespace, in list order: once per list
    (two rules ask for each expected tag) instead of splitting every tag each time.
    `contradicts` only holds for a tag of the expected namespace, so nothing else is lost."""
    # The list's items tuple is the memo's owner: another spec normalises another list.
    return memoized(note, "tags_by_namespace", items, lambda: _group(items, spec))


def _group(items: tuple[TagItem, ...], spec: TagSpec) -> dict[str, list[tuple[str, TagItem]]]:
    groups: dict[str, list[tuple[str, TagItem]]] = {}
    for item in items:
        tag = item.normalized
        parts = spec.split(tag) if tag is not None else None
        if tag is not None and parts is not None:
            groups.setdefault(parts[0], []).append((tag, item))
    return groups


def contradicts(expected: ExpectedTag, tag: str, spec: TagSpec) -> bool:
    """True when `tag` (normalised) is of the expected tag's namespace and says something else.

    Only one well-formed tag can: `#type/dessert,-#cuisson/wok` (two tags in one string) is
    tag-format's to split, and replacing it would lose `#cuisson/wok`."""
    if tag == expected.tag or not is_well_formed_tag(tag, spec):
        return False
    parts = spec.split(tag)
    if parts is None or parts[0] != expected.namespace:
        return False
    return expected.exclusive_values is None or parts[1] in expected.exclusive_values
