"""Text as lines that keep their own line ending, and line endings converted as a setting says.

Only `\\n` ends a line (`\\r\\n` is one ending); a lone `\\r` stays inside its line, as it does for
the frontmatter finder.
"""

from __future__ import annotations

import re

from vaultlint.formatter.settings import LineEndings

_LONE_LF = re.compile(r"(?<!\r)\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its ending; the last one may have none."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def ending_of(line: str) -> str:
    if not line.endswith("\n"):
        return ""
    return "\r\n" if line.endswith("\r\n") else "\n"


def content_of(line: str) -> str:
    if not line.endswith("\n"):
        return line
    return line[:-2] if line.endswith("\r\n") else line[:-1]


def is_blank(line: str) -> bool:
    return not content_of(line).strip(" \t")


def convert_endings(text: str, setting: LineEndings) -> str:
    if setting is LineEndings.LF:
        return text.replace("\r\n", "\n")
    if setting is LineEndings.CRLF:
        return _LONE_LF.sub("\r\n", text)
    return text
