"""A tag written in the wrong form: no `#`, upper case, spaces, or an unquoted `- #tag`.

Why: tags are hierarchical, lowercase, words joined by `-`, written with the vault's prefix
(`- "#cuisine/française"`), so that the same tag is always spelled the same way. Worst of all,
an unquoted `- #cuisine/japonaise` is a YAML comment: the item reads as empty and the tag is
silently lost (the vault's own conventions page writes its examples this way).

Examples: `- "Cuisine/Française"`: `tag "Cuisine/Française" should be "#cuisine/française"`.
Fix (safe): rewrite it in the vault's form, quoted. `- #occasion/festif`: `YAML reads the
unquoted "- #occasion/festif" as a comment, leaving an empty tag list item; quote it`. Fix
(unsafe, it changes what YAML reads): quote the whole item as written, brackets, commas and
colons included (`- #cuisine/[origine]` -> `- "#cuisine/[origine]"`); when the list already
holds that tag, the unsafe fix removes the item instead, so that no tag is there twice.

Two tags in one string (`- "#occasion/festif, #occasion/weekend"`) are reported as such, with
no safe fix (joining them with `-` would make one wrong tag); the unsafe fix gives each its own
item, leaving out one the list already holds. A tag whose rewrite would hold characters no tag
can (`"#cuisson/wok: four"`) is reported with no fix. A fix that adds a tag (quoting, splitting)
is withheld when the list would pass the convention's most tags (tag-count). Reported at the
item.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    CommentItem,
    TagItem,
    TagList,
    check_tag_list,
    comment_item,
    is_well_formed_tag,
    normalize_tag,
    one_line,
    room_for,
    sequence_style,
    several_tags,
    span,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec
from vaultlint.yaml_edit import (
    ListStyle,
    insert_items_after,
    remove_item,
    render_scalar,
    replace_item,
)

ID = "tag-format"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = (
    "a tag lacks its prefix, has upper case or spaces, holds two tags, or is an unquoted `- #tag`"
)


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    return check_tag_list(note, ctx, _check)


def _check(note: Note, ctx: RuleContext, spec: TagSpec, tags: TagList) -> Iterator[Diagnostic]:
    held = set(tags.tags)  # what the list holds, then what quoting earlier items adds to it
    for item in tags.items:
        if item.value is None:
            comment = comment_item(note, item)
            if comment is None or len(comment.text) <= 1:
                yield _empty(note, item)
                continue
            tag = normalize_tag(comment.text, spec)
            yield _comment(note, tags, comment, spec, already=tag in held)
            held.add(tag)
        elif isinstance(item.value, str) and not item.value.strip():
            start, end = span(note, item.node)
            message = f"tag list item {item.index + 1} is empty"
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        elif not isinstance(item.value, str):
            start, end = span(note, item.node)
            written = note.raw[start:end].decode("utf-8")  # as the note writes it: `true`, `1e3`
            message = f"tag list item {item.index + 1} is {one_line(written)}, not a tag"
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        elif (pieces := several_tags(item.value, spec)) is not None:
            normalized = [normalize_tag(p, spec) for p in pieces]
            yield _several(note, tags, item, normalized, spec, held=frozenset(held))
            held.update(normalized)  # an earlier split adds them: a later one leaves them out
        elif item.normalized is not None and item.normalized != item.value:
            yield _malformed(note, item, spec, sequence_style(note, tags.sequence))


def _malformed(note: Note, item: TagItem, spec: TagSpec, style: ListStyle) -> Diagnostic:
    assert item.normalized is not None
    start, end = span(note, item.node)
    if not is_well_formed_tag(item.normalized, spec):
        message = f'tag "{one_line(item.value)}" is not a valid tag: a tag holds no punctuation'
        return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
    message = f'tag "{one_line(item.value)}" should be "{item.normalized}"'
    edit = replace_item(note, item.node, item.normalized, style)
    fix = Fix(f"rewrite as {item.normalized}", (edit,), Applicability.SAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _empty(note: Note, item: TagItem) -> Diagnostic:
    start, _ = span(note, item.node)
    line_end = note.lines.line_end(note.lines.line_of(start))
    message = f"tag list item {item.index + 1} is empty"
    return Diagnostic(ID, message, start, line_end, DEFAULT_SEVERITY)


def _comment(
    note: Note, tags: TagList, comment: CommentItem, spec: TagSpec, *, already: bool
) -> Diagnostic:
    """An unquoted `- #tag`: quote the whole item, or remove it when the tag is there already."""
    text = comment.text
    message = f'YAML reads the unquoted "- {text}" as a comment, leaving an empty tag list item'
    sequence = tags.sequence
    fix = None
    if already:
        message += f'; "{normalize_tag(text, spec)}" is already in the list: remove it'
        edit = remove_item(note, sequence, comment.item.index)
        if edit is not None:
            fix = Fix(f'remove "{text}"', (edit,), Applicability.UNSAFE, frozenset({spec.field}))
    else:
        message += "; quote it"
        if room_for(note, spec, 1):  # quoting adds a tag: not past the convention's most tags
            edit = Edit(comment.start, comment.end, render_scalar(text, '"').encode())
            title = f'quote "{text}"'
            fix = Fix(title, (edit,), Applicability.UNSAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, comment.start, comment.end, DEFAULT_SEVERITY, fix)


def _several(
    note: Note,
    tags: TagList,
    item: TagItem,
    pieces: list[str],
    spec: TagSpec,
    *,
    held: frozenset[str],
) -> Diagnostic:
    """One string holding several tags: each its own item (unsafe), none written twice."""
    assert isinstance(item.value, str)
    start, end = span(note, item.node)
    listed = ", ".join(f'"{piece}"' for piece in pieces)
    message = (
        f"tag list item {item.index + 1} holds {len(pieces)} tags ({one_line(listed)}): "
        "give each its own item"
    )
    sequence = tags.sequence
    # what the other items hold, and what the splits of earlier strings add to the list
    held = held | {
        other.normalized
        for other in tags.items
        if other.index != item.index and other.normalized is not None
    }
    kept = [p for i, p in enumerate(pieces) if p not in held and p not in pieces[:i]]
    edits: list[Edit] = []
    if not kept:
        removal = remove_item(note, sequence, item.index)
        edits = [removal] if removal is not None else []
    else:
        style = sequence_style(note, sequence)
        edits = [replace_item(note, item.node, kept[0], style)]
        if kept[1:]:
            edits.append(insert_items_after(note, sequence, item.index, kept[1:], spec.prefix))
    fix = None
    if edits and room_for(note, spec, len(kept) - 1):
        title = f"split into {', '.join(kept)}" if kept else "remove the item"
        fix = Fix(title, tuple(edits), Applicability.UNSAFE, frozenset({spec.field}))
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
