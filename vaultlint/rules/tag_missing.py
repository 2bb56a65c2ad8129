"""A tag that the note's fields call for is absent.

Why: in this vault a field and its tag say the same thing twice, so that Obsidian's tag pane
and searches find the note: `cuisine: thaï` needs `#cuisine/thaï` (likewise every namespace the
schema links to a field), and the time bucket follows the times (`temps_total: 45` needs
`#temps/moyen`). A required namespace must have a tag.

The mapping comes from `x-vaultlint.tags.namespaces.*.field` and `x-vaultlint.time.buckets`.
Option `recommended = true` (`[rules.tag-missing]` in the config) also reports a missing tag of
a recommended namespace. Reported at the `tags` key.

A tag is asked for only from a valid value: a field outside its vocabulary or breaking the
schema (`type: ressource`) calls for no tag; the `schema` finding names the field.

Example: `protéine: porc` with no `#protéine/porc`: `missing tag "#protéine/porc" (protéine:
porc)`. Fix (safe): add it at the end of the list, in the list's own style (block or flow,
indent, quotes); with no tags key, add one after the last key. There is no fix when an item
YAML does not read as a tag holds it, or another tag of its namespace: an unquoted `- #tag`
(a comment) or a string holding two tags. Quoting or splitting that item (tag-format) brings
the tag back, and adding one as well would repeat it or contradict it. Nor is there one when
the list already has the convention's most tags (tag-count): which tag to drop is the
author's choice.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._expected_tags import contradicting, contradicts, expected_tags
from vaultlint.rules._frontmatter_values import (
    field,
    latent_tags,
    one_line,
    room_for,
    span,
    tag_list,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import RECOMMENDED, REQUIRED, TagSpec
from vaultlint.yaml_edit import add_list_key, append_item, has_anchor

ID = "tag-missing"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a tag that a field or the time bucket calls for is absent"
# `[rules.tag-missing]` in the config: also report a missing tag of a recommended namespace.
OPTIONS = {"recommended": bool}


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    schema = ctx.schema
    frontmatter = note.frontmatter
    if (
        schema is None
        or schema.extension.tags is None
        or frontmatter is None
        or frontmatter.data is None
    ):
        return
    spec = schema.extension.tags
    tags = tag_list(note, spec)
    if tags is None and field(note, spec.field) is not None:
        return  # a tags value that is not a list: the schema rule says so
    items = tags.items if tags is not None else ()
    present = {item.normalized for item in items if item.normalized is not None}
    levels = {REQUIRED, RECOMMENDED} if ctx.options.get("recommended") else {REQUIRED}
    expectations = expected_tags(note, schema)
    latent = latent_tags(note, spec)
    for expected in expectations:
        if expected.tag in present or contradicting(note, expected, items, spec):
            continue  # present, or another tag contradicts it: tag-conflict replaces that one
        namespace = spec.namespaces.get(expected.namespace)
        is_bucket = expected.exclusive_values is not None
        if is_bucket and (namespace is None or namespace.level not in levels):
            continue
        message = f'missing tag "{expected.tag}" ({one_line(expected.reason)})'
        held = latent.get(expected.tag) or next(
            (t for t in latent.values() if contradicts(expected, t.tag, spec)), None
        )
        if held is not None:  # quoting or splitting that item (tag-format) brings it back
            message += f': line {held.line} holds "{held.tag}" {held.why}'
            yield _diagnostic(note, spec, message, None)
            continue
        yield _diagnostic(note, spec, message, expected.tag)
    derived = {expected.namespace for expected in expectations}
    namespaces_present = {parts[0] for tag in present if (parts := spec.split(tag))}
    for namespace in spec.namespaces.values():
        if namespace.level not in levels or namespace.field is not None:
            continue
        if namespace.name not in namespaces_present and namespace.name not in derived:
            message = f"no tag of the {namespace.level} namespace {namespace.name!r}"
            yield _diagnostic(note, spec, message, None)


def _diagnostic(note: Note, spec: TagSpec, message: str, tag: str | None) -> Diagnostic:
    tags_field = field(note, spec.field)
    if tags_field is not None:
        start, end = span(note, tags_field.key)
    else:
        start, end = note.bom_length, note.lines.line_end(1)
    fix = None
    if tag is not None and room_for(note, spec, 1):  # else the fix brings a tag-count finding
        edit = _add_edit(note, spec, tag)
        if edit is not None:
            fix = Fix(f"add {tag}", (edit,), Applicability.SAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _add_edit(note: Note, spec: TagSpec, tag: str) -> Edit | None:
    import yaml

    tags_field = field(note, spec.field)
    if tags_field is None:
        return add_list_key(note, spec.field, [tag])
    if has_anchor(note, tags_field.node):
        return None  # the list is aliased elsewhere: adding to it would change the alias too
    if isinstance(tags_field.node, yaml.SequenceNode) and (
        tags_field.node.flow_style or tags_field.node.value
    ):
        return append_item(note, tags_field.node, tag, spec.prefix)
    return None
