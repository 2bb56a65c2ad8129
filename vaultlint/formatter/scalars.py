"""Text values as YAML scalars in a chosen quote style, read back unchanged by any YAML reader.

Plain (unquoted) only where YAML 1.2 (vaultlint, Obsidian) and YAML 1.1 (PyYAML, older tools)
both read the same text, in a block and in a flow list: a letter first, then words of letters,
digits, `_ - / .` separated by single spaces; not `yes`, `no`, `on`, `off` or their one-letter
forms, which YAML 1.1 reads as booleans. Double quotes escape what YAML
does not allow raw (control characters) and what YAML 1.1 reads as a line break (U+0085, U+2028,
U+2029). A value starting with `#` is always quoted: unquoted, YAML reads a comment.
"""

from __future__ import annotations

import re

from vaultlint.formatter.settings import Quote
from vaultlint.frontmatter import resolve_plain

_SAFE_PLAIN = re.compile(r"[^\W\d_][\w\-/.]*(?: [\w\-/.]+)*")
_YAML11_BOOLEANS = frozenset({"y", "yes", "n", "no", "on", "off", "true", "false"})
# What double quotes cannot hold as it is: see _yaml_printable (a fast path for the common case).
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def plain_ok(value: str) -> bool:
    return (
        _SAFE_PLAIN.fullmatch(value) is not None
        and value.lower() not in _YAML11_BOOLEANS
        and resolve_plain(value) == value
    )


def _yaml_printable(char: str) -> bool:
    # YAML's c-printable, less the characters YAML 1.1 takes for line breaks.
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code not in (0xFEFF,))
        or code >= 0x10000
    ) and char not in "\u2028\u2029"


def double_quoted(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):
        return f'"{value}"'
    parts = ['"']
    for char in value:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif _yaml_printable(char):
            parts.append(char)
        elif ord(char) <= 0xFFFF:
            parts.append(f"\\u{ord(char):04x}")
        else:  # pragma: no cover - every code point above 0xFFFF is printable
            parts.append(f"\\U{ord(char):08x}")
    parts.append('"')
    return "".join(parts)


def single_quoted(value: str) -> str | None:
    """`value` in single quotes, or None when they cannot hold it (no escapes in them)."""
    if not all(_yaml_printable(char) for char in value):
        return None
    return "'" + value.replace("'", "''") + "'"


def render(value: str, quote: Quote) -> str:
    """`value` in `quote` (KEEP is the caller's business: it means double here)."""
    if quote is Quote.PLAIN and plain_ok(value):
        return value
    if quote is Quote.SINGLE:
        single = single_quoted(value)
        if single is not None:
            return single
    return double_quoted(value)
