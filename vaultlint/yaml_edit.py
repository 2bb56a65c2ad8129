"""Surgical YAML edits: new scalars and list items rendered in the style of their neighbours.

A fix never re-dumps the frontmatter (a dump re-indents lists, rewrites flow-list spacing, joins
wrapped lines, drops `~`: see research/pitfalls.md). It replaces or inserts bytes at node spans,
rendering only the new text, in the quoting and indentation the list already uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from vaultlint.diagnostic import Edit
from vaultlint.frontmatter import value_start as value_start_of
from vaultlint.note import Note, node_span

_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
# A plain scalar this conservative is read back as the same string by every YAML reader.
_SAFE_PLAIN = re.compile(r"[^\W\d_][\w\-/.]*", re.UNICODE)


def render_scalar(value: str, quote: str) -> str:
    """`value` as a YAML scalar with `quote` ('"', "'" or '' for plain when that is safe)."""
    from vaultlint.frontmatter import resolve_plain

    if quote == "" and _SAFE_PLAIN.fullmatch(value) and resolve_plain(value) == value:
        return value
    if quote == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    # JSON strings are valid YAML double-quoted scalars (YAML 1.2 is a superset of JSON).
    return json.dumps(value, ensure_ascii=False)


def quote_of(node: yaml.Node) -> str:
    style = getattr(node, "style", None)
    return style if style in ('"', "'") else ""


@dataclass(frozen=True, slots=True)
class ListStyle:
    flow: bool
    quote: str  # the quote character most items use ('' when plain)
    indent: str  # block lists: what precedes '- ' on an item's line
    separator: str  # flow lists: what separates two items


def list_style(note: Note, sequence: yaml.SequenceNode) -> ListStyle:
    items = sequence.value
    quotes = [quote_of(item) for item in items if isinstance(item, yaml.ScalarNode) and item.value]
    quote = _most_used(quotes) if quotes else '"'
    if sequence.flow_style:
        separator = ", "
        if len(items) >= 2:
            end = node_span(note, items[-2])[1]
            start = _item_start(note, items[-1])
            separator = note.raw[end:start].decode("utf-8")
        return ListStyle(True, quote, "", separator)
    indent = ""
    if items:
        line = note.lines.line_of(_item_start(note, items[-1]))
        line_start = note.lines.line_start(line)
        text = note.raw[line_start : note.lines.line_end(line)].decode("utf-8")
        indent = text[: len(text) - len(text.lstrip(" "))]
    return ListStyle(False, quote, indent, "")


def _most_used(quotes: list[str]) -> str:
    """The quote most items use; on a tie, the last item's (never the hash seed's choice)."""
    best = max(quotes.count(quote) for quote in quotes)
    return next(quote for quote in reversed(quotes) if quotes.count(quote) == best)


def has_anchor(note: Note, node: yaml.Node) -> bool:
    """True when the node's `&anchor` is used by an alias: editing it would change those too.

    The alias is looked for as text (`*name`), which can only err towards refusing a fix.
    """
    frontmatter = note.frontmatter
    assert frontmatter is not None
    text = frontmatter.yaml_text
    properties = text[node.start_mark.index : value_start_of(node, text)]
    anchor = _ANCHOR.search(properties)
    return (
        anchor is not None
        and re.search(rf"\*{re.escape(anchor.group(1))}(?![^\s,\]}}])", text) is not None
    )


def _item_start(note: Note, node: yaml.Node) -> int:
    return note.yaml_byte(node.start_mark.index)


def item_text(value: str, style: ListStyle, tag_prefix: str) -> str:
    # A tag that starts with '#' is always quoted: unquoted, YAML reads it as a comment.
    quote = style.quote or ('"' if value.startswith(tag_prefix or "#") else "")
    if value.startswith("#") and not quote:
        quote = '"'
    return render_scalar(value, quote)


def append_item(note: Note, sequence: yaml.SequenceNode, value: str, tag_prefix: str) -> Edit:
    """An edit adding `value` at the end of a list, in the list's own style."""
    style = list_style(note, sequence)
    text = item_text(value, style, tag_prefix)
    items = sequence.value
    if style.flow:
        if not items:
            opening = note.yaml_byte(sequence.start_mark.index) + 1  # just after '['
            return Edit(opening, opening, text.encode())
        end = node_span(note, items[-1])[1]
        return Edit(end, end, (style.separator + text).encode())
    last_line = note.lines.line_of(node_span(note, items[-1])[1] - 1) if items else None
    if last_line is None:  # an empty block list cannot exist; a `tags:` with no value is null
        raise ValueError("cannot append to an empty block list")
    insert_at = note.lines.line_end(last_line)
    return Edit(insert_at, insert_at, f"{note.newline}{style.indent}- {text}".encode())


def replace_item(note: Note, item: yaml.Node, value: str, style: ListStyle) -> Edit:
    """An edit replacing one list item's value, keeping its own quote style."""
    start, end = node_span(note, item)
    own_quote = quote_of(item)
    text = render_scalar(value, own_quote) if own_quote else item_text(value, style, "#")
    return Edit(start, end, text.encode())


def add_list_key(note: Note, key: str, values: list[str]) -> Edit:
    """An edit adding `key:` after the last key, as a 2-space indented, double-quoted block list."""
    block = note.block
    assert block is not None
    insert_at = note.char_to_byte(block.content_end)
    newline = note.newline
    lines = [f"{key}:", *(f"  - {render_scalar(v, chr(34))}" for v in values)]
    return Edit(insert_at, insert_at, (newline.join(lines) + newline).encode())


_BLOCK_ITEM_LEAD = re.compile(rb"[ \t]*-[ \t]+")
_NULL_ITEM_LEAD = re.compile(rb"[ \t]*-[ \t]*")  # an empty item's node starts after the `-`
_LINE_TAIL = re.compile(rb"[ \t]*(#[^\n]*)?\r?")


def remove_item(note: Note, sequence: yaml.SequenceNode, index: int) -> Edit | None:
    """An edit removing item `index` (not the first) from a list: in a block list its whole
    line, in a flow list the item and the separator before it. None when the item shares its
    line with something else, so that removing it cleanly is not possible."""
    items = sequence.value
    if index < 1 or index >= len(items):
        return None
    item = items[index]
    start, end = node_span(note, item)
    if sequence.flow_style:
        return Edit(node_span(note, items[index - 1])[1], end, b"")
    lines = note.lines
    first = lines.line_of(start)
    last = lines.line_of(max(start, end - 1)) if end > start else first
    raw = note.raw
    lead = raw[lines.line_start(first) : start]
    if _NULL_ITEM_LEAD.fullmatch(lead) is None:
        return None  # `- - x` or a key on the item's line: not the item's own line
    if _LINE_TAIL.fullmatch(raw[end : lines.line_end(last)]) is None:
        return None
    if last >= lines.line_count:
        return None  # the frontmatter's closing fence always follows a list item
    return Edit(lines.line_start(first), lines.line_start(last + 1), b"")


def insert_items_after(
    note: Note, sequence: yaml.SequenceNode, index: int, values: list[str], tag_prefix: str
) -> Edit:
    """An edit inserting `values` right after item `index`, in the list's own style."""
    style = list_style(note, sequence)
    texts = [item_text(value, style, tag_prefix) for value in values]
    end = node_span(note, sequence.value[index])[1]
    if style.flow:
        separator = style.separator if len(sequence.value) >= 2 else ", "
        return Edit(end, end, "".join(separator + text for text in texts).encode())
    line = note.lines.line_of(max(end - 1, 0))
    start = note.yaml_byte(sequence.value[index].start_mark.index)
    indent = note.raw[note.lines.line_start(note.lines.line_of(start)) : start]
    lead = _BLOCK_ITEM_LEAD.match(indent)
    prefix = indent[: lead.end()].decode("utf-8") if lead is not None else f"{style.indent}- "
    insert_at = note.lines.line_end(line)
    added = "".join(f"{note.newline}{prefix}{text}" for text in texts)
    return Edit(insert_at, insert_at, added.encode())
