"""The vault rules' cache, beside the results cache: the notes' facts and the last findings.

Two files per vault root in `.vaultlint_cache/<version>/`, named by a key that hashes
vaultlint's code and the identity strategy (`cache.configuration_key`):
- `<key>.facts`: an entry per note, its identity (as the results cache has it), the key of its
  schema file (key fields come from it) and its facts. A run given a few files, or one where a
  few notes changed, takes the other notes' facts from here instead of reading them again.
- `<key>.vault`: the findings of the last phase 2 and the digest of everything they depend on
  (`graph/phase.py`). A warm run on an unchanged vault reads only this small file: the facts
  file is read only when a phase 2 must run.
Both are read and written as the results cache reads and writes its own (issue #15: a vault
may come from a stranger): through `cache.read_cache_file` and `cache.write_cache_file`, which
follow no symbolic link, refuse what is not a regular file, bound the size, and write only
their own names atomically. The format is JSON (linear-time to parse, unlike marshal); every
record is checked on use, and a broken file is ignored and rebuilt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache import Row

if TYPE_CHECKING:
    from vaultlint.graph.facts import NoteFacts

MAGIC = "vaultlint-facts"
FORMAT = 3

# size, mtime_ns, ctime_ns, inode, content digest (hex), schema key, facts record
_Entry = tuple[int, int, int, int, str, str, tuple[Any, ...]]
Identity = tuple[int, int, int, int, str]  # as the results cache's (see `cache.Identity`)
# Phase 2's findings by note: (paths the finding's link leads to, finding row), as
# `graph/phase.py` stores them under the digest of everything they depend on.
VaultRows = dict[str, tuple[tuple[tuple[str, ...], Row], ...]]


@dataclass(eq=False)
class FactsStore:
    root: Path  # the vault root
    name: str  # the facts file's name in `.vaultlint_cache/<version>/`; `.vault` beside it
    vault: tuple[str, VaultRows] | None = None  # (digest, rows) of the last phase 2
    _entries: dict[str, _Entry] | None = None  # read on first use
    _dirty: bool = False
    _vault_dirty: bool = False
    _seen: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path, strategy: str) -> FactsStore:
        from vaultlint.cache import configuration_key

        key = configuration_key(["facts", FORMAT], strategy)
        store = cls(root, f"{key}.facts")
        document = _read(root, store.vault_name)
        if document is not None and _valid_vault(document):
            store.vault = document
        return store

    @property
    def vault_name(self) -> str:
        return self.name.removesuffix(".facts") + ".vault"

    @property
    def entries(self) -> dict[str, _Entry]:
        if self._entries is None:
            document = _read(self.root, self.name)
            self._entries = document if type(document) is dict else {}
        return self._entries

    def lookup(self, relative: str, identity: Identity, schema: str) -> NoteFacts | None:
        self._seen.add(relative)
        entry = self.entries.get(relative)
        if type(entry) is not tuple or len(entry) != 7 or entry[:6] != (*identity, schema):
            return None
        from vaultlint.graph.facts import NoteFacts  # here: a warm run reads no facts

        try:
            return NoteFacts.from_record(entry[6])
        except (TypeError, ValueError):
            return None

    def store(self, relative: str, identity: Identity, schema: str, facts: NoteFacts) -> None:
        self._seen.add(relative)
        entry = (*identity, schema, facts.record())
        if self.entries.get(relative) != entry:
            self.entries[relative] = entry
            self._dirty = True

    def vault_rows(self, digest: str) -> VaultRows | None:
        """The findings of the last phase 2, when it ran on a vault with this digest."""
        if self.vault is None or self.vault[0] != digest:
            return None
        return self.vault[1]

    def set_vault_rows(self, digest: str, rows: VaultRows) -> None:
        if self.vault != (digest, rows):
            self.vault = (digest, rows)
            self._vault_dirty = True

    def save(self) -> str | None:
        """Write what changed; the problem in words when it cannot be written."""
        if self._entries is not None:  # facts were used: forget the notes no longer there
            gone = [relative for relative in self._entries if relative not in self._seen]
            for relative in gone:
                del self._entries[relative]
            self._dirty = self._dirty or bool(gone)
        from vaultlint.cache import CacheError, write_cache_file

        try:
            if self._dirty:
                write_cache_file(self.root, self.name, _encode(self.entries))
            if self._vault_dirty:
                write_cache_file(self.root, self.vault_name, _encode(self.vault))
        except CacheError as error:
            return str(error)
        self._dirty = self._vault_dirty = False
        return None


def _encode(payload: Any) -> bytes:
    return json.dumps([MAGIC, FORMAT, payload], separators=(",", ":")).encode("utf-8")


def _read(root: Path, name: str) -> Any:
    """The payload of one of the store's files (JSON arrays read back as tuples), or None when
    absent, broken, untrusted or of another version."""
    from vaultlint.cache import CacheError, read_cache_file

    try:
        data = read_cache_file(root, name)
        document = _tuples(json.loads(data)) if data is not None else None
    except (CacheError, ValueError, RecursionError):
        return None
    if type(document) is not tuple or len(document) != 3 or document[:2] != (MAGIC, FORMAT):
        return None
    return document[2]


def _tuples(value: Any) -> Any:
    """JSON's lists as the tuples the records are made of (dictionaries kept)."""
    if type(value) is list:
        return tuple(_tuples(item) for item in value)
    if type(value) is dict:
        return {key: _tuples(item) for key, item in value.items()}
    return value


def _valid_vault(value: Any) -> bool:
    """A stored (digest, rows) of the right shape; anything else is ignored and rebuilt."""
    if type(value) is not tuple or len(value) != 2 or type(value[0]) is not str:
        return False
    rows = value[1]
    if type(rows) is not dict:
        return False
    for relative, entries in rows.items():
        if type(relative) is not str or type(entries) is not tuple:
            return False
        for entry in entries:
            if type(entry) is not tuple or len(entry) != 2 or type(entry[0]) is not tuple:
                return False
            if not all(type(path) is str for path in entry[0]) or not _valid_row(entry[1]):
                return False
    return True


def _valid_row(row: Any) -> bool:
    from vaultlint.cache import findings_from_rows

    if type(row) is not tuple or len(row) != 9:
        return False
    try:
        findings_from_rows("", (row,))
    except (KeyError, TypeError, ValueError):
        return False
    return all(type(v) is int for v in row[:4]) and all(type(v) is str for v in row[4:7])
