"""The tags list re-rendered in the configured style: block or flow, quote, indent.

Only a list of text items is re-rendered, from the values YAML read (never from a dump), and only
when its text differs from the configured rendering. A list with anything else in it (a null item
from an unquoted `- #tag`, a number, a nested list, an anchor, an alias, a `!!tag`, a block
scalar) or a comment between its items keeps its text: re-rendering would change what it holds or
lose the comment. A comment on the key line of a block list, or after the `]` of a flow list, is
kept and moves to the other place when the style changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from vaultlint.formatter.entries import Entry, Source, span
from vaultlint.formatter.lines import content_of, ending_of
from vaultlint.formatter.scalars import plain_ok, render
from vaultlint.formatter.settings import FormatSettings, Quote, TagsStyle
from vaultlint.frontmatter import resolve_plain


@dataclass(frozen=True, slots=True)
class TagsRendering:
    lines: list[str] | None  # the new lines for the key line through the list's end; None: as is
    kept_because: str | None = None  # why the list keeps its text, when it must


def render_tags(source: Source, entry: Entry, settings: FormatSettings) -> TagsRendering:
    items = _text_items(entry)
    if items is None:  # null, a text, a mapping: not a list, nothing to style
        return TagsRendering(None)
    if isinstance(items, str):
        return TagsRendering(None, items)
    flow = bool(getattr(entry.value[0], "flow_style", False))  # a SequenceStartEvent
    comment = _outer_comment(source, entry, items, flow)
    if comment is None:
        return TagsRendering(None, "it has a comment between its items")
    style = settings.tags_style
    target_flow = flow if style is TagsStyle.KEEP else style is TagsStyle.FLOW
    texts = [_item_text(source, item, settings.tags_quote, target_flow) for item in items]
    key_line = source.lines[entry.key_line]
    ending = ending_of(key_line) or "\n"
    key_text = key_line[: source.column(span(entry.key_event)[1])]
    if target_flow or not texts:
        lines = [f"{key_text}: [{', '.join(texts)}]{comment}{ending}"]
    else:
        indent = " " * settings.tags_indent
        lines = [f"{key_text}:{comment}{ending}"] + [f"{indent}- {text}{ending}" for text in texts]
    if lines == source.lines[entry.key_line : entry.content_end + 1]:
        return TagsRendering(None)
    return TagsRendering(lines)


def _text_items(entry: Entry) -> list[yaml.ScalarEvent] | str | None:
    """The list's items when each is a text scalar, else why the list is kept as it is (None:
    not a list)."""
    value = entry.value
    start = value[0] if value else None
    if not isinstance(start, yaml.SequenceStartEvent):
        return None
    if start.anchor or start.tag:
        return "it has an anchor or a tag"
    items = value[1:-1]
    scalars = [item for item in items if isinstance(item, yaml.ScalarEvent)]
    if len(scalars) != len(items):
        return "it holds aliases, lists or mappings"
    for number, item in enumerate(scalars, start=1):
        if item.anchor or item.tag or item.style in ("|", ">"):
            return f"item {number} has an anchor, a tag or a block scalar"
        if not item.style and not item.value:
            return f"item {number} is empty (an unquoted #tag reads as a comment: quote it)"
        if not item.style and not isinstance(resolve_plain(item.value), str):
            return f"item {number} ({item.value}) is not text"
    return scalars


def _outer_comment(
    source: Source, entry: Entry, items: list[yaml.ScalarEvent], flow: bool
) -> str | None:
    """The comment beside the key (block) or after `]` (flow) with the spaces before it, '' when
    there is none; None when a comment sits anywhere else in the list."""
    begin = source.starts[entry.key_line]
    end = source.newline_index(entry.content_end)
    masked = list(source.text[begin:end])
    spans = [span(entry.key_event), *(span(item) for item in items)]
    for span_start, span_end in spans:
        masked[span_start - begin : span_end - begin] = " " * (span_end - span_start)
    hashes = [begin + offset for offset, char in enumerate(masked) if char == "#"]
    if not hashes:
        return ""
    position = hashes[0]  # a comment runs to the end of its line, '#' and all
    if source.line_of(hashes[-1]) != source.line_of(position):
        return None
    allowed_line = entry.content_end if flow else entry.key_line
    after_list = position >= span(entry.value[-1])[1] if flow else True
    if source.line_of(position) != allowed_line or not after_list:
        return None
    line = content_of(source.lines[allowed_line])
    column = source.column(position)
    spaces = len(line[:column]) - len(line[:column].rstrip(" \t"))
    return line[column - spaces :].rstrip(" \t")


def _item_text(source: Source, item: yaml.ScalarEvent, quote: Quote, flow: bool) -> str:
    value: str = item.value
    if quote is Quote.KEEP:
        kept = _own_text(source, item, flow)
        if kept is not None:
            return kept
        quote = {"'": Quote.SINGLE, "": Quote.PLAIN}.get(item.style or "", Quote.DOUBLE)
    if value.startswith("#") and quote is Quote.PLAIN:
        quote = Quote.DOUBLE
    return render(value, quote)


def _own_text(source: Source, item: yaml.ScalarEvent, flow: bool) -> str | None:
    """The item's own source text, when it fits on one line in the target style."""
    start, end = span(item)
    text = source.text[start:end]
    if "\n" in text:
        return None
    if not item.style and flow and not plain_ok(text):
        return None  # a plain scalar that is fine in a block list may not be in a flow one
    return text
