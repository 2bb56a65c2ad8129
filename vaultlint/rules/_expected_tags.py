"""The tags a note's fields call for: one per field-linked namespace, and the time bucket.

Shared by tag-missing (the expected tag is absent) and tag-conflict (another tag of the same
namespace contradicts it), so that both derive the same tags the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import TagItem, field, int_field, memoized, tag_list
from vaultlint.schema.extension import Extension, TagSpec


@dataclass(frozen=True, slots=True)
class ExpectedTag:
    namespace: str
    tag: str
    reason: str  # in the note's words: "cuisine: thaï", "temps_total 45 min"
    exclusive_values: frozenset[str] | None  # other values of these contradict; None: all do


def expected_tags(note: Note, extension: Extension) -> list[ExpectedTag]:
    return list(memoized(note, "expected_tags", extension, lambda: _expected_tags(note, extension)))


def _expected_tags(note: Note, extension: Extension) -> list[ExpectedTag]:
    spec = extension.tags
    if spec is None:
        return []
    expected = []
    for namespace in spec.namespaces.values():
        if namespace.field is None:
            continue
        found = field(note, namespace.field)
        if found is None or not isinstance(found.value, str) or not found.value.strip():
            continue
        tag = spec.tag(namespace.name, found.value)
        expected.append(ExpectedTag(namespace.name, tag, f"{found.name}: {found.value}", None))
    bucket = _expected_bucket(note, extension)
    if bucket is not None:
        expected.append(bucket)
    return expected


def _expected_bucket(note: Note, extension: Extension) -> ExpectedTag | None:
    time, spec = extension.time, extension.tags
    if time is None or spec is None or time.bucket_namespace is None or not time.buckets:
        return None
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
    expected: ExpectedTag, items: tuple[TagItem, ...], spec: TagSpec
) -> list[TagItem]:
    """The items of the expected tag's namespace that say something else."""
    found = []
    # A tag of the namespace starts with one of these (a cheap test before `split`, which
    # every rule asking about every tag made the costliest call of a run).
    heads = (spec.prefix + expected.namespace + spec.separator, expected.namespace + spec.separator)
    for item in items:
        if item.normalized is None or item.normalized == expected.tag:
            continue
        if not item.normalized.startswith(heads):
            continue
        parts = spec.split(item.normalized)
        if parts is None or parts[0] != expected.namespace:
            continue
        if expected.exclusive_values is None or parts[1] in expected.exclusive_values:
            found.append(item)
    return found
