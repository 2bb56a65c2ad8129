"""What every part of the inference shares: thresholds, a note as read, JSON types."""

from __future__ import annotations

import math
import re
import unicodedata
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
    required: float = 0.9  # share of the notes that have a required field or section
    rare: float = 0.01  # below this share of the notes, a value, type or key is rare
    enum_max: int = 16  # at most this many values make a vocabulary
    support: int = 3  # notes that make a value real, however small the vault ("several")
    free_text_share: float = 0.5  # distinct values per note above which a field is free text
    free_text_length: int = 40  # a value this long is a sentence, not a category
    recommended: float = 0.5  # share of the notes with a tag namespace that recommends it
    rare_variant: float = 0.1  # a namespace this much smaller than one it is spelled like
    max_aliases: int = 2  # spellings a section may have besides its name
    count_tail: float = 0.005  # share of the notes at each end left out of the tag count
    strict: float = 0.99  # share that formats, minLength, minimum, a required namespace need
    sum_agreement: float = 0.8  # notes whose total is the sum of its parts
    agreement: float = 0.9  # field-tag links, advance tag, time buckets, aliases
    section_min: float = 0.1  # share of the notes with an H2 that makes it a section

    def least(self, notes: int) -> int:
        """The notes that make a value, a namespace or an alias real: `support`, or 1% of the
        notes in a vault too small for that to mean anything (8 notes: 1)."""
        return min(self.support, max(1, math.ceil(self.rare * notes)))


@dataclass(frozen=True, slots=True)
class NoteSample:
    """What inference reads of one note."""

    data: dict[str, JSON] | None  # the frontmatter mapping, None when there is none
    headings: tuple[Heading, ...] | None  # None when the body cannot be told apart
    path: str = ""  # posix; its folders can vouch for a value (`Grecque/` for `grecque`)


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
    headings = tuple(_nfc_heading(h) for h in note.headings) if known else None
    return NoteSample(_nfc(data) if isinstance(data, dict) else None, headings, path)


def _nfc(value: JSON) -> JSON:
    """The value with every key and string in NFC: a note saved by macOS in NFD says the same
    `difficulté` (its own finding, `unicode-normalization`, is another rule's business)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    return value


def _nfc_heading(heading: Heading) -> Heading:
    return Heading(heading.level, unicodedata.normalize("NFC", heading.text), heading.line)


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
