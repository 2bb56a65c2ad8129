"""The frontmatter formatted by moving and re-spacing its lines, never by dumping YAML.

What changes (see settings.py for each switch):
- top-level entries are put in the key order (the schema's `properties`, or `key_order`), unknown
  keys after in their own order; each entry moves as whole lines (entries.py);
- the tags list is re-rendered when it is not in the configured style (tags.py);
- a top-level `key: value` line gets one space after the colon and none before it, and its text
  value the configured quote (`string_quote`; numbers, dates, booleans never change);
- trailing spaces and tabs go, except on lines that end inside a scalar (a block scalar's text,
  a quoted or plain scalar continued on the next line), where they may be content.

Reordering that would put an alias before its anchor (YAML forbids it) or change which anchor an
alias names is not done: the note keeps its key order and the outcome says why.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import yaml

from vaultlint.formatter.entries import Entry, Source, cut, parse_events, span
from vaultlint.formatter.lines import content_of, ending_of, is_blank
from vaultlint.formatter.outcome import Notice, NoticeKind
from vaultlint.formatter.scalars import double_quoted, plain_ok, single_quoted
from vaultlint.formatter.settings import FormatSettings, Quote
from vaultlint.formatter.tags import render_tags
from vaultlint.frontmatter import resolve_plain

_DATE_LIKE = re.compile(r"\d{4}-\d\d?-\d\d?")
_STYLE_QUOTE = {"": Quote.PLAIN, '"': Quote.DOUBLE, "'": Quote.SINGLE}


@dataclass(frozen=True, slots=True)
class YamlFormatting:
    text: str
    notices: tuple[Notice, ...]


def format_yaml(
    yaml_text: str, settings: FormatSettings, key_order: Sequence[str], tags_key: str
) -> YamlFormatting:
    """The frontmatter's YAML (without its `---` lines) formatted; verification is the caller's."""
    source = Source.of(yaml_text)
    events = parse_events(yaml_text)
    if events is None:  # pragma: no cover - the note's frontmatter parsed before we got here
        return YamlFormatting(yaml_text, ())
    writer = _Writer(source, settings, tags_key, _protected_lines(source, events))
    layout = cut(source, events)
    if not layout.entries:
        return YamlFormatting("".join(writer.lines(range(len(source.lines)))), ())
    order = _key_order(layout.entries, settings, key_order, writer.notices)
    out = writer.lines(range(layout.prelude_end))
    drop_blanks = not out or is_blank(out[-1])  # a key moved to the top: no blank line above
    for position in order:
        entry = layout.entries[position]
        lines = writer.entry_lines(entry)
        out += itertools.dropwhile(is_blank, lines) if drop_blanks else lines
        # A `|+` scalar would take in the blank lines that set the next key apart.
        drop_blanks = entry.keeps_blank_lines and order != sorted(order)
    epilogue = writer.lines(range(layout.epilogue_start, len(source.lines)))
    out += itertools.dropwhile(is_blank, epilogue) if drop_blanks else epilogue
    return YamlFormatting("".join(out), tuple(writer.notices))


# ----------------------------------------------------------------------------- key order


def _key_order(
    entries: list[Entry], settings: FormatSettings, key_order: Sequence[str], notices: list[Notice]
) -> list[int]:
    original = list(range(len(entries)))
    if not settings.sort_keys or not key_order:
        return original
    rank = {key: position for position, key in enumerate(key_order)}
    wanted = sorted(original, key=lambda k: (rank.get(entries[k].key, len(rank)), k))
    conflict = _alias_conflict(entries, wanted)
    if conflict is not None:
        notices.append(Notice(NoticeKind.KEPT, conflict))
        return original
    return wanted


def _alias_conflict(entries: list[Entry], order: list[int]) -> str | None:
    """Why `order` would break an alias, or None when every alias names the same anchor."""
    if not any(is_alias for entry in entries for is_alias, _ in entry.anchor_uses):
        return None
    before = _resolve_aliases(entries, range(len(entries)))
    after = _resolve_aliases(entries, order)
    for (user, index), anchor in before.items():
        if after[user, index] != anchor:
            name = entries[user].anchor_uses[index][1]
            owner = entries[anchor[0]].key if anchor is not None else "?"
            return (
                f"key order kept: moving {entries[user].key!r} above {owner!r} would put the "
                f"alias *{name} before its anchor &{name}"
            )
    return None


def _resolve_aliases(
    entries: list[Entry], order: Iterable[int]
) -> dict[tuple[int, int], tuple[int, int] | None]:
    """For each alias (entry, position), the anchor (entry, position) it names in `order`."""
    latest: dict[str, tuple[int, int]] = {}
    named: dict[tuple[int, int], tuple[int, int] | None] = {}
    for entry in order:
        for position, (is_alias, name) in enumerate(entries[entry].anchor_uses):
            if is_alias:
                named[entry, position] = latest.get(name)
            else:
                latest[name] = (entry, position)
    return named


# ------------------------------------------------------------------------------ one entry


@dataclass
class _Writer:
    source: Source
    settings: FormatSettings
    tags_key: str
    protected: set[int]  # lines whose end lies inside a scalar
    notices: list[Notice] = field(default_factory=list)

    def lines(self, numbers: Iterable[int]) -> list[str]:
        return [self.strip(self.source.lines[number], number) for number in numbers]

    def strip(self, line: str, number: int) -> str:
        if not self.settings.trailing_whitespace or number in self.protected:
            return line
        return content_of(line).rstrip(" \t") + ending_of(line)

    def entry_lines(self, entry: Entry) -> list[str]:
        rendered = self.tags_lines(entry) if entry.key == self.tags_key else None
        out: list[str] = []
        for number in range(entry.first_line, entry.end_line):
            if rendered is not None and entry.key_line <= number <= entry.content_end:
                if number == entry.key_line:
                    out += rendered
                continue
            line = self.key_line(entry) if number == entry.key_line else self.source.lines[number]
            out.append(self.strip(line, number))
        return out

    def tags_lines(self, entry: Entry) -> list[str] | None:
        tags = render_tags(self.source, entry, self.settings)
        if tags.kept_because is not None:
            message = f"{self.tags_key} list kept as it is: {tags.kept_because}"
            self.notices.append(Notice(NoticeKind.KEPT, message))
        return tags.lines

    def key_line(self, entry: Entry) -> str:
        line = self.source.lines[entry.key_line]
        content, ending = content_of(line), ending_of(line)
        if self.settings.string_quote is not Quote.KEEP and entry.key != self.tags_key:
            content = _requote(self.source, entry, content, self.settings.string_quote)
        if self.settings.space_after_colon:
            content = _spaced(self.source, entry, content)
        return content + ending


def _requote(source: Source, entry: Entry, content: str, quote: Quote) -> str:
    """The key line with its text value in `quote`; anything else is left as it is."""
    value = entry.value[0]
    if len(entry.value) != 1 or not isinstance(value, yaml.ScalarEvent):
        return content
    start, end = span(value)
    style = value.style or ""
    if (
        value.anchor
        or value.tag
        or style not in _STYLE_QUOTE
        or end <= start
        or source.last_line(start, end) != entry.key_line
        or _STYLE_QUOTE[style] is quote
    ):
        return content
    text: str = value.value
    if (not style and not isinstance(resolve_plain(text), str)) or _DATE_LIKE.match(text):
        return content  # numbers, booleans, nulls and dates are never re-written
    new = _quoted(text, quote)
    if new is None:
        return content
    first, last = source.column(start), source.column(end)
    return content[:first] + new + content[last:]


def _quoted(text: str, quote: Quote) -> str | None:
    if quote is Quote.PLAIN:
        return text if plain_ok(text) else None
    if quote is Quote.SINGLE:
        return single_quoted(text)
    return double_quoted(text)


def _spaced(source: Source, entry: Entry, content: str) -> str:
    """`key: value` with one space after the colon and none before it."""
    key_end = source.column(span(entry.key_event)[1])
    rest = content[key_end:]
    colon = key_end + len(rest) - len(rest.lstrip(" \t"))
    if content[colon : colon + 1] != ":":
        return content
    head = content[:key_end] + ":"
    first = entry.value[0]
    start, end = span(first)
    empty = isinstance(first, yaml.ScalarEvent) and end <= start
    if source.line_of(start) != entry.key_line or empty:
        return head + content[colon + 1 :]
    value_column = source.column(start)
    if content[colon + 1 : value_column].strip(" \t"):
        return content
    return head + " " + content[value_column:]


# ------------------------------------------------------------------------ whitespace


def _protected_lines(source: Source, events: list[yaml.Event]) -> set[int]:
    """Lines whose end lies inside a scalar: their trailing spaces may be its text."""
    protected: set[int] = set()
    for event in events:
        if not isinstance(event, yaml.ScalarEvent):
            continue
        start, end = span(event)
        first, last = source.line_of(start), source.last_line(start, end)
        if last > first or event.style in ("|", ">"):
            protected.update(range(first, last + 1))
    return protected
