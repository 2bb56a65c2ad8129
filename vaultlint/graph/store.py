"""The notes' facts (phase 1 of the vault rules), kept beside the results cache.

One file per vault root, `.vaultlint_cache/<version>/<key>.facts`, where `key` hashes vaultlint's
code and the identity strategy (`cache.configuration_key`); an entry per note holds its identity
(as the results cache has it), the digest of its schema (key fields come from it) and its facts.
A warm run, or a run given a few files, takes the other notes' facts from here instead of
reading them again. Written atomically; a broken file is ignored and rebuilt (every record is
checked on use), like the results cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint.graph.facts import NoteFacts

MAGIC = "vaultlint-facts"
FORMAT = 1

# size, mtime_ns, content digest, schema digest, facts record
_Entry = tuple[int, int, bytes, str, tuple[Any, ...]]


@dataclass(eq=False)
class FactsStore:
    path: Path
    entries: dict[str, _Entry] = field(default_factory=dict)
    _dirty: bool = False
    _seen: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path, strategy: str) -> FactsStore:
        from vaultlint import __version__
        from vaultlint.cache import CACHE_DIR, configuration_key

        key = configuration_key(["facts", FORMAT], strategy)
        store = cls(root / CACHE_DIR / __version__ / f"{key}.facts")
        try:
            document = marshal.loads(store.path.read_bytes())
            if (
                type(document) is tuple
                and len(document) == 3
                and document[:2] == (MAGIC, FORMAT)
                and type(document[2]) is dict
            ):
                store.entries = document[2]
        except (OSError, ValueError, EOFError, TypeError):
            pass  # absent or broken: rebuilt
        return store

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

    def save(self) -> str | None:
        """Write the file when something changed; the problem in words when it cannot be."""
        gone = [relative for relative in self.entries if relative not in self._seen]
        for relative in gone:
            del self.entries[relative]
        if not (self._dirty or gone):
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_markers(self.path.parent.parent)
            _atomic_write(self.path, marshal.dumps((MAGIC, FORMAT, self.entries)))
        except OSError as error:
            return f"cannot write the facts cache {self.path}: {error.strerror or error}"
        self._dirty = False
        return None


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
