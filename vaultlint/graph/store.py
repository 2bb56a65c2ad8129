"""The vault rules' cache, beside the results cache: the notes' facts and the last findings.

Two files per vault root in `.vaultlint_cache/<version>/`, named by a key that hashes
vaultlint's code and the identity strategy (`cache.configuration_key`):
- `<key>.facts`: an entry per note, its identity (as the results cache has it), the key of its
  schema file (key fields come from it) and its facts. A run given a few files, or one where a
  few notes changed, takes the other notes' facts from here instead of reading them again.
- `<key>.vault`: the findings of the last phase 2 and the digest of everything they depend on
  (`graph/phase.py`). A warm run on an unchanged vault reads only this small file: the facts
  file is read only when a phase 2 must run.
Both are written atomically; a broken file is ignored and rebuilt (every record is checked
on use), like the results cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint.cache import Row
from vaultlint.graph.facts import NoteFacts

MAGIC = "vaultlint-facts"
FORMAT = 2

# size, mtime_ns, content digest, schema key, facts record
_Entry = tuple[int, int, bytes, str, tuple[Any, ...]]
# Phase 2's findings by note: (paths the finding's link leads to, finding row), as
# `graph/phase.py` stores them under the digest of everything they depend on.
VaultRows = dict[str, tuple[tuple[tuple[str, ...], Row], ...]]


@dataclass(eq=False)
class FactsStore:
    path: Path  # the facts file; the findings file is beside it
    vault: tuple[str, VaultRows] | None = None  # (digest, rows) of the last phase 2
    _entries: dict[str, _Entry] | None = None  # read on first use
    _dirty: bool = False
    _vault_dirty: bool = False
    _seen: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path, strategy: str) -> FactsStore:
        from vaultlint import __version__
        from vaultlint.cache import CACHE_DIR, configuration_key

        key = configuration_key(["facts", FORMAT], strategy)
        store = cls(root / CACHE_DIR / __version__ / f"{key}.facts")
        document = _read(store.vault_path)
        if document is not None and _valid_vault(document):
            store.vault = document
        return store

    @property
    def vault_path(self) -> Path:
        return self.path.with_suffix(".vault")

    @property
    def entries(self) -> dict[str, _Entry]:
        if self._entries is None:
            document = _read(self.path)
            self._entries = document if type(document) is dict else {}
        return self._entries

    def lookup(
        self, relative: str, identity: tuple[int, int, bytes], schema: str
    ) -> NoteFacts | None:
        self._seen.add(relative)
        entry = self.entries.get(relative)
        if type(entry) is not tuple or len(entry) != 5 or entry[:4] != (*identity, schema):
            return None
        try:
            return NoteFacts.from_record(entry[4])
        except (TypeError, ValueError):
            return None

    def store(
        self, relative: str, identity: tuple[int, int, bytes], schema: str, facts: NoteFacts
    ) -> None:
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
        try:
            if self._dirty or self._vault_dirty:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _write_markers(self.path.parent.parent)
            if self._dirty:
                _atomic_write(self.path, marshal.dumps((MAGIC, FORMAT, self.entries)))
            if self._vault_dirty:
                _atomic_write(self.vault_path, marshal.dumps((MAGIC, FORMAT, self.vault)))
        except OSError as error:
            return f"cannot write the facts cache {self.path}: {error.strerror or error}"
        self._dirty = self._vault_dirty = False
        return None


def _read(path: Path) -> Any:
    """The payload of one of the store's files, or None when absent, broken or of another
    version."""
    try:
        document = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if type(document) is not tuple or len(document) != 3 or document[:2] != (MAGIC, FORMAT):
        return None
    return document[2]


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


def _write_markers(cache_folder: Path) -> None:
    """What the results cache writes too: backups and git leave the folder alone."""
    from vaultlint.cache import CACHEDIR_TAG

    for name, content in (
        ("CACHEDIR.TAG", CACHEDIR_TAG),
        (".gitignore", "# Created by vaultlint.\n*\n"),
    ):
        if not (cache_folder / name).exists():
            _atomic_write(cache_folder / name, content.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
