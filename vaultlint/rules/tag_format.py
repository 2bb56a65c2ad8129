"""A tag written in the wrong form: no `#`, upper case, spaces, or an unquoted `- #tag`.

Why: tags are hierarchical, lowercase, words joined by `-`, written with the vault's prefix
(`- "#cuisine/française"`), so that the same tag is always spelled the same way. Worst of all,
an unquoted `- #cuisine/japonaise` is a YAML comment: the item reads as empty and the tag is
silently lost (the vault's own conventions page writes its examples this way).

Examples: `- "Cuisine/Française"`: `tag "Cuisine/Française" should be "#cuisine/française"`.
Fix (safe): rewrite it in the vault's form, quoted. `- #occasion/festif`: `YAML reads the
unquoted "- #occasion/festif" as a comment, leaving an empty item`. Fix (unsafe, it changes
what YAML reads): quote it. Reported at the item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    TagItem,
    guard_tag_fixes,
    sequence_style,
    span,
    tag_list,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec
from vaultlint.yaml_edit import ListStyle, render_scalar, replace_item

ID = "tag-format"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a tag lacks its prefix, has upper case or spaces, or is an unquoted `- #tag` comment"

_COMMENT_TAG = re.compile(rb"#[^\s#\"',\[\]{}]+")


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    spec = ctx.extension.tags if ctx.extension is not None else None
    yield from guard_tag_fixes(note, spec, _check(note, ctx))


def _check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.tags is None:
        return
    spec = extension.tags
    tags = tag_list(note, spec)
    if tags is None:
        return
    assert isinstance(tags.field.node, yaml.SequenceNode)
    for item in tags.items:
        if item.value is None:
            yield _empty_item(note, item, spec)
        elif isinstance(item.value, str) and not item.value.strip():
            start, end = span(note, item.node)
            message = f"tag list item {item.index + 1} is empty"
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        elif not isinstance(item.value, str):
            start, end = span(note, item.node)
            written = note.raw[start:end].decode("utf-8")  # as the note writes it: `true`, `1e3`
            message = f"tag list item {item.index + 1} is {written}, not a tag"
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        elif item.normalized is not None and item.normalized != item.value:
            yield _malformed(note, item, spec, sequence_style(note, tags.field.node))


def _malformed(note: Note, item: TagItem, spec: TagSpec, style: ListStyle) -> Diagnostic:
    assert item.normalized is not None
    start, end = span(note, item.node)
    message = f'tag "{item.value}" should be "{item.normalized}"'
    edit = replace_item(note, item.node, item.normalized, style)
    fix = Fix(f"rewrite as {item.normalized}", (edit,), Applicability.SAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _empty_item(note: Note, item: TagItem, spec: TagSpec) -> Diagnostic:
    start, _ = span(note, item.node)
    line = note.lines.line_of(start)
    line_end = note.lines.line_end(line)
    comment = _COMMENT_TAG.match(note.raw, _skip_spaces(note.raw, start, line_end), line_end)
    if comment is None or getattr(item.node, "style", None):  # quoted "" is not a comment
        message = f"tag list item {item.index + 1} is empty"
        return Diagnostic(ID, message, start, line_end, DEFAULT_SEVERITY)
    tag = comment.group().decode("utf-8")
    message = (
        f'YAML reads the unquoted "- {tag}" as a comment, leaving an empty tag list item; quote it'
    )
    edit = Edit(comment.start(), comment.end(), render_scalar(tag, '"').encode())
    fix = Fix(f'quote "{tag}"', (edit,), Applicability.UNSAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, comment.start(), comment.end(), DEFAULT_SEVERITY, fix)


def _skip_spaces(raw: bytes, start: int, end: int) -> int:
    while start < end and raw[start : start + 1] in (b" ", b"\t"):
        start += 1
    return start
