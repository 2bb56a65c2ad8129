"""A fix that sets a field to a suggested value, with the field's tag following it (shared)."""

from __future__ import annotations

from vaultlint.diagnostic import Applicability, Edit, Fix
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    Field,
    latent_tags,
    normalize_tag,
    pending_tags,
    span,
    tag_list,
)
from vaultlint.schema.extension import Extension
from vaultlint.suggest import Suggestion, normalise
from vaultlint.yaml_edit import has_anchor, list_style, quote_of, render_scalar, replace_item


def value_fix(
    note: Note, found: Field, suggestion: Suggestion, extension: Extension | None
) -> Fix | None:
    """None when another tag of the field's namespace would contradict the repaired value: a
    field outside its vocabulary calls for no tag, so repairing it would bring a tag-conflict
    finding the note did not have (`type: desert` with `#type/plat-principal`)."""
    if _contradicted_once_repaired(note, found, suggestion, extension):
        return None
    start, end = span(note, found.node)
    edits = [Edit(start, end, render_scalar(suggestion.value, quote_of(found.node)).encode())]
    keys = {found.name}
    tag_edit = _tag_edit(note, found, suggestion, extension)
    if tag_edit is not None:
        edit, tags_field = tag_edit
        edits.append(edit)
        keys.add(tags_field)
    applicability = Applicability.SAFE if suggestion.safe else Applicability.UNSAFE
    title = f"set {found.name} to {suggestion.value}"
    return Fix(title, tuple(edits), applicability, frozenset(keys))


def _tag_edit(
    note: Note, found: Field, suggestion: Suggestion, extension: Extension | None
) -> tuple[Edit, str] | None:
    """The tag of the field's namespace that spells the old value, rewritten for the new one."""
    import yaml

    spec = extension.tags if extension is not None else None
    if spec is None or not isinstance(found.value, str):
        return None
    namespace = next((n for n in spec.namespaces.values() if n.field == found.name), None)
    tags = tag_list(note, spec)
    if namespace is None or tags is None or not isinstance(tags.field.node, yaml.SequenceNode):
        return None
    if has_anchor(note, tags.field.node):
        return None
    wanted = spec.tag(namespace.name, suggestion.value)
    if wanted in pending_tags(note, spec):
        return None  # already there (perhaps as an unquoted item): a rewrite would repeat it
    for item in tags.items:
        if item.normalized is None:
            continue
        parts = spec.split(normalize_tag(item.normalized, spec))
        if parts and parts[0] == namespace.name and normalise(parts[1]) == normalise(found.value):
            edit = replace_item(note, item.node, wanted, list_style(note, tags.field.node))
            return edit, spec.field
    return None


def _contradicted_once_repaired(
    note: Note, found: Field, suggestion: Suggestion, extension: Extension | None
) -> bool:
    spec = extension.tags if extension is not None else None
    if spec is None or not isinstance(found.value, str):
        return False
    namespace = next((n for n in spec.namespaces.values() if n.field == found.name), None)
    tags = tag_list(note, spec)
    if namespace is None or namespace.values is None or tags is None:
        return False  # an open field's tags are checked against its value already
    if found.value in namespace.values:
        return False
    wanted, old = normalise(suggestion.value), normalise(found.value)
    written = [item.normalized for item in tags.items if item.normalized is not None]
    for tag in [*written, *latent_tags(note, spec)]:  # unquoted items come back once quoted
        parts = spec.split(tag)
        if parts and parts[0] == namespace.name and normalise(parts[1]) not in (wanted, old):
            return True
    return False
