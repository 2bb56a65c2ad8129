"""The `format` table of the config: what `vaultlint format` normalises, and how.

```toml
[tool.vaultlint.format]   # or [format] in .vaultlint.toml
sort_keys = true          # frontmatter keys in the schema's order, unknown keys after
key_order = []            # an explicit key order instead of the schema's `properties`
tags_key = ""             # the tags list; "": the schema's x-vaultlint tags.field, else "tags"
tags_style = "block"      # block | flow | keep
tags_quote = "double"     # double | single | plain | keep (a "#tag" is always quoted)
tags_indent = 2           # spaces before "- " in a block list
string_quote = "keep"     # keep | double | single | plain (top-level text values)
space_after_colon = true  # top-level `key: value`: one space after the colon, none before
trailing_whitespace = true           # removed, except a Markdown hard break (two spaces)
blank_line_after_frontmatter = true  # one blank line after the closing --- (false: none)
blank_lines_around_headings = true   # one before and after each top-level `#` heading
final_newline = true      # the note ends with exactly one line ending
line_endings = "keep"     # keep | lf | crlf
```

The defaults are the sample vault's style (`seeds/`): keys in schema order, a block tags list
indented by two spaces with double-quoted items, one blank line before the title. They are
constants: they never depend on which notes a run is given.

The key order is the order of the top-level `properties` of the note's schema (JSON objects keep
their order), unless `key_order` lists the keys; keys in neither come after, in their own order.
The `---` lines themselves are always written as exactly `---`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from vaultlint.errors import ConfigError

MAX_TAGS_INDENT = 8


class TagsStyle(enum.Enum):
    BLOCK = "block"  # tags:\n  - "#a"
    FLOW = "flow"  # tags: ["#a", "#b"]
    KEEP = "keep"  # the list's own style (its quotes and indent are still normalised)


class Quote(enum.Enum):
    DOUBLE = "double"
    SINGLE = "single"  # double quotes where single ones cannot hold the text (control characters)
    PLAIN = "plain"  # no quotes where YAML 1.1 and 1.2 both read the text back unchanged
    KEEP = "keep"


class LineEndings(enum.Enum):
    KEEP = "keep"  # each line keeps its own; new lines take the note's (that of its first line)
    LF = "lf"
    CRLF = "crlf"


@dataclass(frozen=True, slots=True)
class FormatSettings:
    """How `vaultlint format` writes a note; the defaults match the sample vault."""

    sort_keys: bool = True
    key_order: tuple[str, ...] = ()  # empty: the order of the schema's `properties`
    tags_key: str = ""  # empty: the schema's x-vaultlint `tags.field`, else "tags"
    tags_style: TagsStyle = TagsStyle.BLOCK
    tags_quote: Quote = Quote.DOUBLE
    tags_indent: int = 2
    string_quote: Quote = Quote.KEEP
    space_after_colon: bool = True
    trailing_whitespace: bool = True
    blank_line_after_frontmatter: bool = True
    blank_lines_around_headings: bool = True
    final_newline: bool = True
    line_endings: LineEndings = LineEndings.KEEP

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> FormatSettings:
        """Settings from a config's `format` table; a bad key or value raises ConfigError."""
        known = [item.name for item in fields(cls)]
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(
                f"format: unknown key {unknown[0]!r} (known keys: {', '.join(sorted(known))})"
            )
        values: dict[str, Any] = {}
        for name, value in table.items():
            values[name] = _READERS[name](name, value)
        return cls(**values)


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(name, "true or false")
    return value


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _bad(name, "a string")
    return value


def _keys(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad(name, "a list of key names")
    if len(set(value)) != len(value):
        raise _bad(name, "a list of key names, each once")
    return tuple(value)


def _indent(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TAGS_INDENT:
        raise _bad(name, f"a number of spaces from 0 to {MAX_TAGS_INDENT}")
    return value


def _choice(kind: type[enum.Enum]) -> Any:
    def read(name: str, value: Any) -> enum.Enum:
        choices = [member.value for member in kind]
        if value not in choices:
            raise _bad(name, "one of " + ", ".join(choices))
        return kind(value)

    return read


def _bad(name: str, expected: str) -> ConfigError:
    return ConfigError(f"format.{name} must be {expected}")


_READERS: dict[str, Any] = {
    "sort_keys": _boolean,
    "key_order": _keys,
    "tags_key": _text,
    "tags_style": _choice(TagsStyle),
    "tags_quote": _choice(Quote),
    "tags_indent": _indent,
    "string_quote": _choice(Quote),
    "space_after_colon": _boolean,
    "trailing_whitespace": _boolean,
    "blank_line_after_frontmatter": _boolean,
    "blank_lines_around_headings": _boolean,
    "final_newline": _boolean,
    "line_endings": _choice(LineEndings),
}
