"""What every part of the inference shares: thresholds, a note as read, JSON types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vaultlint.markdown import Heading
from vaultlint.note import Note

JSON = Any  # what YAML read: str | int | float | bool | None | list | dict
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TAGS_FIELD = "tags"
SECTION_LEVEL = 2
# JSON types in the order a schema lists them.
TYPE_ORDER = ("string", "integer", "number", "boolean", "array", "object", "null")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+")
LISTED_MAX = 20  # rare values named in a description, at most
MAX_TIME_FIELDS = 8  # required integer fields the time-sum search tries, at most
SEARCH_SAMPLE = 2000  # notes the time-sum search reads, at most
ROUND_STEPS = (60, 30, 15, 10, 5)  # bucket bounds people choose, roundest first


@dataclass(frozen=True, slots=True)
class Thresholds:
    required: float = 0.9  # share of the notes that have a field or tag namespace
    rare: float = 0.01  # below this share of the notes, a value, type or key is rare
    enum_max: int = 12  # at most this many common values make an enum
    strict: float = 0.99  # share of the values that formats, minLength, minimum must allow
    sum_agreement: float = 0.8  # notes whose total is the sum of its parts
    agreement: float = 0.9  # field-tag links, advance tag, time buckets, aliases
    section_min: float = 0.1  # share of the notes with an H2 that makes it a section


@dataclass(frozen=True, slots=True)
class NoteSample:
    """What inference reads of one note."""

    data: dict[str, JSON] | None  # the frontmatter mapping, None when there is none
    headings: tuple[Heading, ...] | None  # None when the body cannot be told apart


def sample_note(raw: bytes, path: str = "<note>") -> NoteSample:
    """Read a note as the rules read it: a note that is wholly mojibake, repaired."""
    note = Note(path, raw)
    text = note.text
    if text is not None and not text.isascii():
        from vaultlint.mojibake import repair_whole

        repair = repair_whole(text)
        if repair is not None:
            note = Note(path, raw[: note.bom_length] + repair.text.encode("utf-8"))
            text = repair.text
    frontmatter = note.frontmatter
    data = frontmatter.data if frontmatter is not None else None
    block = note.block
    known = text is not None and bool(text.strip()) and (block is None or block.terminated)
    return NoteSample(data if isinstance(data, dict) else None, note.headings if known else None)


def json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
