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

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from vaultlint.note import Note
    from vaultlint.schema.extension import Extension


class LinkFact(NamedTuple):  # tuples: tens of thousands are read back from the cache
    kind: str  # links.WIKI, EMBED or MARKDOWN
    target: str  # as written (a Markdown destination still percent-encoded)
    # The target text's span in code points of `Note.text`: converted to bytes in phase 2,
    # only for the few notes with a finding (building that map for every note costs more).
    start: int
    end: int
    in_frontmatter: bool  # a wikilink in a property value: reported, never rewritten


class KeyFact(NamedTuple):
    field: str
    value: str  # as written
    comparable: str  # see graph/keys.py
    start: int  # span of the value, in code points of `Note.text` (see LinkFact)
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
            tuple(map(tuple, self.links)),
            self.headings,
            self.block_ids,
            self.title,
            self.aliases,
            tuple(map(tuple, self.keys)),
            self.frontmatter_digest,
        )

    @classmethod
    def from_record(cls, record: Any) -> NoteFacts:
        """The facts of a stored record; TypeError when it is not one."""
        if type(record) is not tuple or len(record) != 7:
            raise TypeError("bad facts record")
        links, headings, block_ids, title, aliases, keys, digest = record
        return cls(
            tuple(map(LinkFact._make, _rows(links, _LINK_TYPES))),
            _strings(headings),
            _strings(block_ids),
            _str(title),
            _strings(aliases),
            tuple(map(KeyFact._make, _rows(keys, _KEY_TYPES))),
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


_LINK_TYPES = (str, str, int, int, bool)
_KEY_TYPES = (str, str, str, int, int)


def _rows(value: Any, types: tuple[type, ...]) -> tuple[tuple[Any, ...], ...]:
    rows = _tuple(value)
    for row in rows:
        if type(row) is not tuple or tuple(map(type, row)) != types:
            raise TypeError("bad facts record")
    return rows


def extract(note: Note, extension: Extension | None) -> NoteFacts:
    """The facts of one note. A note that is not UTF-8 text (reported by `encoding`) keeps its
    headings, read with the bad bytes replaced, so that links to it are not reported for that;
    its own links are left out, since their positions cannot be told."""
    from vaultlint.graph import links as scan  # here: phase 2 of the rules of names needs none

    text = note.text
    if text is None:
        if b"\x00" in note.raw:  # a binary, or UTF-16/32: nothing to read
            return NoteFacts()
        from vaultlint.note import Note

        replaced = Note(note.path, note.raw.decode("utf-8", "replace").encode("utf-8"))
        return dataclasses.replace(extract(replaced, extension), links=())
    block = note.block
    body_start = block.body_start if block is not None and block.terminated else 0
    found = [
        LinkFact(
            link.kind,
            link.target,
            link.start,
            link.end,
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
                link.start,
                link.end,
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
    from vaultlint.rules._frontmatter_values import field

    spec = extension.duplicates
    block, frontmatter = note.block, note.frontmatter
    if block is None or frontmatter is None:
        return ()
    found = []
    for name in spec.keys:
        value = field(note, name)
        if value is None or not isinstance(value.value, str) or not value.value.strip():
            continue
        start = block.content_start + frontmatter.value_start(value.node)
        end = max(start, block.content_start + value.node.end_mark.index)
        key = comparable(value.value, spec.tracking_parameters)
        found.append(KeyFact(name, value.value, key, start, end))
    return tuple(found)


def _frontmatter_digest(note: Note) -> str:
    block, text = note.block, note.text
    if block is None or not block.terminated or text is None:
        return ""
    yaml_text = text[block.content_start : block.content_end].replace("\r\n", "\n")
    return hashlib.blake2b(yaml_text.encode("utf-8"), digest_size=12).hexdigest()
