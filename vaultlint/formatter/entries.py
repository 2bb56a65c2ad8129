"""The frontmatter cut into entries: each top-level key with its comments and value, as lines.

The cut follows the parser's events (libyaml; aliases keep their own marks there, unlike composed
nodes). An entry runs from its leading lines through its key and value, and on through the
comment lines that follow it, up to the next entry's leading lines. Its leading lines are the
column-0 comment lines directly above its key (no blank line between), and the blank lines above
those, which set the key apart (not for the first key: blank lines there stay at the top). Lines
before the first entry stay at the top (the prelude); after the last entry, everything past its
last indented comment stays at the bottom (the epilogue). Moving entries therefore moves whole
lines, byte for byte, and a comment travels with the key it belongs to: the lines above it and
the end of its own line.

Frontmatter that does not have this shape (a flow mapping, `? ` keys, a key not at column 0, a
multi-line key) is not cut: it keeps its order.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from vaultlint.formatter.lines import content_of, is_blank, split_lines

try:  # the same parser as vaultlint.frontmatter, so that the marks agree
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_COLLECTION_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


@dataclass(frozen=True, slots=True)
class Source:
    """YAML text as lines, with code-point offsets of each line start."""

    text: str
    lines: list[str]
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> Source:
        lines = split_lines(text)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line))
        return cls(text, lines, starts)

    def line_of(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index) - 1

    def last_line(self, start: int, end: int) -> int:
        """The line of the last character of [start, end) (of `start` when empty)."""
        return self.line_of(end - 1 if end > start else start)

    def column(self, index: int) -> int:
        return index - self.starts[self.line_of(index)]

    def newline_index(self, line: int) -> int:
        return self.starts[line] + len(content_of(self.lines[line]))


@dataclass(slots=True)
class Entry:
    key: str
    key_event: yaml.ScalarEvent
    value: list[yaml.Event]
    key_line: int
    content_end: int  # the last line holding the value (inclusive)
    first_line: int = 0  # its first line: its leading comments, else its key
    end_line: int = 0  # exclusive
    anchor_uses: list[tuple[bool, str]] = field(default_factory=list)  # (is_alias, name)
    # Its value ends with a `|+` or `>+` block scalar, which takes in every blank line after it.
    keeps_blank_lines: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    source: Source
    events: list[yaml.Event]
    entries: list[Entry]  # empty when the frontmatter has no cuttable shape
    prelude_end: int
    epilogue_start: int


def span(event: yaml.Event) -> tuple[int, int]:
    """An event's [start, end) as code-point offsets into the YAML text."""
    start, end = event.start_mark, event.end_mark
    assert start is not None  # the parser always sets both
    assert end is not None
    return start.index, end.index


def parse_events(text: str) -> list[yaml.Event] | None:
    try:
        return list(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError:
        return None


def cut(source: Source, events: list[yaml.Event]) -> Layout:
    """Entries in document order, or none when the mapping cannot be cut into lines."""
    entries = _top_level_entries(source, events)
    if entries and _place_comments(source, entries):
        last = entries[-1]
        return Layout(source, events, entries, entries[0].first_line, last.end_line)
    return Layout(source, events, [], 0, len(source.lines))


def _top_level_entries(source: Source, events: list[yaml.Event]) -> list[Entry]:
    if len(events) < 4 or not isinstance(events[2], yaml.MappingStartEvent):
        return []
    root = events[2]
    document_start = events[1]
    if root.flow_style or root.anchor or root.tag or getattr(document_start, "explicit", False):
        return []
    entries: list[Entry] = []
    index = 3
    while not isinstance(events[index], yaml.MappingEndEvent):
        key = events[index]
        if not _cuttable_key(source, key):
            return []
        assert isinstance(key, yaml.ScalarEvent)
        end = subtree_end(events, index + 1)
        value = events[index + 1 : end]
        key_line = source.line_of(span(key)[0])
        entry = Entry(key.value, key, value, key_line, last_line(source, key_line, value))
        entry.anchor_uses = _anchor_uses([key, *value])
        entry.keeps_blank_lines = _ends_keeping_blank_lines(source, entry)
        entries.append(entry)
        index = end
    return entries


def _cuttable_key(source: Source, key: yaml.Event) -> bool:
    if not isinstance(key, yaml.ScalarEvent) or key.style in ("|", ">"):
        return False
    start, end = span(key)
    return source.column(start) == 0 and source.line_of(start) == source.last_line(start, end)


def subtree_end(events: Sequence[yaml.Event], index: int) -> int:
    """The index just after the node whose first event is at `index`."""
    depth = 0
    while True:
        event = events[index]
        if isinstance(event, _COLLECTION_START):
            depth += 1
        elif isinstance(event, _COLLECTION_END):
            depth -= 1
        index += 1
        if depth == 0:
            return index


def last_line(source: Source, key_line: int, value: Sequence[yaml.Event]) -> int:
    """The last line a value's text reaches.

    A block collection's end event sits at the next token (the next key, past any comments), so
    only scalars, aliases and flow collections' brackets count.
    """
    last = key_line
    flows: list[bool] = []
    for event in value:
        start, end = span(event)
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            last = max(last, source.last_line(start, end))
        elif isinstance(event, _COLLECTION_START):
            flows.append(bool(event.flow_style))
            last = max(last, source.line_of(start))
        elif isinstance(event, _COLLECTION_END) and flows.pop():
            last = max(last, source.last_line(start, end))
    return last


def _ends_keeping_blank_lines(source: Source, entry: Entry) -> bool:
    for event in entry.value:
        if isinstance(event, yaml.ScalarEvent) and event.style in ("|", ">"):
            start, end = span(event)
            header = content_of(source.lines[source.line_of(start)])[source.column(start) :]
            keeps = "+" in header.split("#")[0]
            if keeps and source.last_line(start, end) == entry.content_end:
                return True
    return False


def _anchor_uses(events: Sequence[yaml.Event]) -> list[tuple[bool, str]]:
    uses: list[tuple[bool, str]] = []
    for event in events:
        anchor = getattr(event, "anchor", None)
        if anchor:
            uses.append((isinstance(event, yaml.AliasEvent), anchor))
    return uses


def _is_comment(line: str, *, column_zero: bool = False) -> bool:
    text = content_of(line)
    return text.startswith("#") if column_zero else text.lstrip(" \t").startswith("#")


def _is_gap_line(line: str) -> bool:
    text = content_of(line).strip(" \t")
    return not text or text.startswith("#")


def _place_comments(source: Source, entries: list[Entry]) -> bool:
    """Set each entry's first and end line; False when a gap holds more than comments."""
    lines = source.lines
    previous_end = -1  # the previous entry's last content line
    for position, entry in enumerate(entries):
        if not all(_is_gap_line(line) for line in lines[previous_end + 1 : entry.key_line]):
            return False
        first = entry.key_line
        while first - 1 > previous_end and _is_comment(lines[first - 1], column_zero=True):
            first -= 1
        while position and first - 1 > previous_end and is_blank(lines[first - 1]):
            first -= 1  # the blank lines that set a key apart move with it
        entry.first_line = first
        if position:
            entries[position - 1].end_line = first
        previous_end = entry.content_end
    trailing = lines[previous_end + 1 :]
    if not all(_is_gap_line(line) for line in trailing):
        return False
    indented = [k for k, line in enumerate(trailing) if _is_comment(line) and line[0] in " \t"]
    entries[-1].end_line = previous_end + 1 + (indented[-1] + 1 if indented else 0)
    return True
