"""Phase 1 of the vault rules: what one note tells about itself that other notes may need.

Extracted once per note, where its findings are (in the pool, and cached with them: see
`graph/store.py`): its outgoing links with their byte spans, its headings and block ids, its
title, its `aliases`, the values of the schema's key fields (`x-vaultlint.duplicates.keys`) and
a digest of its frontmatter (sync-conflict copies carry the same). Phase 2 (`graph/vault.py`)
builds the vault index from these facts alone: a note is never parsed twice for them.

`NoteFacts.record()` is a tuple of plain values (what `marshal` stores); `from_record` checks
every field, since a cache file is input like any other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from vaultlint.graph import links as scan
from vaultlint.note import Note
from vaultlint.schema.extension import Extension


@dataclass(frozen=True, slots=True)
class LinkFact:
    kind: str  # links.WIKI, EMBED or MARKDOWN
    target: str  # as written (a Markdown destination still percent-encoded)
    start: int  # byte span of the target text in the note
    end: int
    in_frontmatter: bool  # a wikilink in a property value: reported, never rewritten


@dataclass(frozen=True, slots=True)
class KeyFact:
    field: str
    value: str  # as written
    comparable: str  # see graph/keys.py
    start: int  # byte span of the value
    end: int


@dataclass(frozen=True, slots=True)
class NoteFacts:
    links: tuple[LinkFact, ...] = ()
    headings: tuple[str, ...] = ()
    block_ids: tuple[str, ...] = ()
    title: str = ""
    aliases: tuple[str, ...] = ()
    keys: tuple[KeyFact, ...] = ()
    frontmatter_digest: str = ""  # "" when the note has no readable frontmatter

    def record(self) -> tuple[Any, ...]:
        return (
            tuple((k.kind, k.target, k.start, k.end, k.in_frontmatter) for k in self.links),
            self.headings,
            self.block_ids,
            self.title,
            self.aliases,
            tuple((k.field, k.value, k.comparable, k.start, k.end) for k in self.keys),
            self.frontmatter_digest,
        )

    @classmethod
    def from_record(cls, record: Any) -> NoteFacts:
        """The facts of a stored record; TypeError when it is not one."""
        if type(record) is not tuple or len(record) != 7:
            raise TypeError("bad facts record")
        links, headings, block_ids, title, aliases, keys, digest = record
        return cls(
            tuple(LinkFact(*_row(row, (str, str, int, int, bool))) for row in _tuple(links)),
            _strings(headings),
            _strings(block_ids),
            _str(title),
            _strings(aliases),
            tuple(KeyFact(*_row(row, (str, str, str, int, int))) for row in _tuple(keys)),
            _str(digest),
        )


def _tuple(value: Any) -> tuple[Any, ...]:
    if type(value) is not tuple:
        raise TypeError("bad facts record")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("bad facts record")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(_str(item) for item in _tuple(value))


def _row(value: Any, types: tuple[type, ...]) -> tuple[Any, ...]:
    row = _tuple(value)
    if len(row) != len(types) or any(type(v) is not t for v, t in zip(row, types, strict=True)):
        raise TypeError("bad facts record")
    return row


def extract(note: Note, extension: Extension | None) -> NoteFacts:
    """The facts of one note (no facts but its existence when it is not UTF-8 text)."""
    text = note.text
    if text is None:
        return NoteFacts()
    block = note.block
    body_start = block.body_start if block is not None and block.terminated else 0
    found = [
        LinkFact(
            link.kind,
            link.target,
            note.char_to_byte(link.start),
            note.char_to_byte(link.end),
            False,
        )
        for link in scan.body_links(text[body_start:], body_start)
    ]
    if block is not None and block.terminated and "[[" in text[: block.content_end]:
        yaml_text = text[block.content_start : block.content_end]
        found[:0] = [
            LinkFact(
                link.kind,
                link.target,
                note.char_to_byte(link.start),
                note.char_to_byte(link.end),
                True,
            )
            for link in scan.wikilinks(yaml_text, block.content_start)
        ]
    headings = note.headings
    title = next((heading.text for heading in headings if heading.level == 1), "")
    return NoteFacts(
        links=tuple(found),
        headings=tuple(heading.text for heading in headings),
        block_ids=tuple(scan.block_ids(text[body_start:])),
        title=title,
        aliases=_aliases(note),
        keys=_keys(note, extension),
        frontmatter_digest=_frontmatter_digest(note),
    )


def _aliases(note: Note) -> tuple[str, ...]:
    frontmatter = note.frontmatter
    data = frontmatter.data if frontmatter is not None else None
    if not isinstance(data, dict):
        return ()
    value = data.get("aliases", data.get("alias"))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(item.strip() for item in value if isinstance(item, str) and item.strip())


def _keys(note: Note, extension: Extension | None) -> tuple[KeyFact, ...]:
    if extension is None or extension.duplicates is None:
        return ()
    from vaultlint.graph.keys import comparable
    from vaultlint.note import node_span
    from vaultlint.rules._frontmatter_values import field

    spec = extension.duplicates
    found = []
    for name in spec.keys:
        value = field(note, name)
        if value is None or not isinstance(value.value, str) or not value.value.strip():
            continue
        start, end = node_span(note, value.node)
        key = comparable(value.value, spec.tracking_parameters)
        found.append(KeyFact(name, value.value, key, start, end))
    return tuple(found)


def _frontmatter_digest(note: Note) -> str:
    block, text = note.block, note.text
    if block is None or not block.terminated or text is None:
        return ""
    yaml_text = text[block.content_start : block.content_end].replace("\r\n", "\n")
    return hashlib.blake2b(yaml_text.encode("utf-8"), digest_size=12).hexdigest()
