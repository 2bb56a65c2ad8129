"""Phase 2's inputs: every note's facts (from this run, the facts cache, or read once) and the
keys that say whether the last phase 2 still holds (see `graph/store.py`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vaultlint.graph.index import list_vault

if TYPE_CHECKING:
    from vaultlint.graph.facts import NoteFacts
    from vaultlint.graph.store import FactsStore
    from vaultlint.runner import Runner, Target

FactsKey = tuple[Path, str]  # (vault root, path relative to it)
# size, mtime_ns, ctime_ns, inode, content digest: as the results cache (`cache.Identity`)
Identity = tuple[int, int, int, int, str]


def settled(identities: dict[str, Identity | None]) -> bool:
    """No note modified within the racy window (an edit in the same tick would go unseen)."""
    not_after_ns = time.time_ns() - racy_window()
    return all(
        identity is not None and max(identity[1], identity[2]) < not_after_ns
        for identity in identities.values()
    )


def vault_digest(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    identities: dict[str, Identity | None],
) -> str:
    """What the vault findings depend on: every note (its identity and its schema file), every
    file and folder name under the root (links lead to them), and what leaves paths out.

    Computed on every warm run over every note: written as one string of fields separated by
    NUL, which no path holds (a repr of 10,000 tuples cost three times as much)."""
    import hashlib

    from vaultlint.obsidian import vault_skips

    files, folders = listing(runner, root)
    skips = vault_skips(root, runner.options.respect_gitignore)
    settings = runner.settings_for(root)
    key_of = _schema_keys(runner)
    notes = []
    for relative in sorted(targets):
        # never None: the caller digests only a vault whose every note could be stat'ed
        size, mtime, ctime, inode, digest = identities[relative] or (-1, -1, -1, -1, "")
        key = key_of(targets[relative])
        notes.append(f"{relative}\0{size},{mtime},{ctime},{inode},{digest}\0{key}")
    material = "\0\0".join(
        (
            "\0".join(notes),
            "\0".join(sorted(files)),
            "\0".join(sorted(folders)),
            repr(
                (
                    skips.template_folders,
                    file_digest(root / ".gitignore") if runner.options.respect_gitignore else "",
                    settings.include,
                    settings.exclude,
                )
            ),
        )
    )
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _schema_keys(runner: Runner) -> Callable[[Target], str]:
    """`schema_key`, worked out once per settings where the schema cannot vary by note (no
    `schemas` mappings, or `--schema`): the same for every note of a folder."""
    by_settings: dict[int, str] = {}

    def key_of(target: Target) -> str:
        settings = target.settings
        if settings.schemas and runner.options.schema is None:
            return schema_key(runner, target)
        key = by_settings.get(id(settings))
        if key is None:
            key = by_settings[id(settings)] = schema_key(runner, target)
        return key

    return key_of


class FactsLookup(Protocol):
    """Where notes' facts are kept between runs, by note, identity and schema key: the facts
    cache on disk (`store.FactsStore`), or an editor session's memory (`MemoryFacts`)."""

    def lookup(self, relative: str, identity: Identity, schema: str) -> NoteFacts | None: ...

    def store(self, relative: str, identity: Identity, schema: str, facts: NoteFacts) -> None: ...


class MemoryFacts:
    """Facts kept in memory for as long as a language server runs: a keystroke in one note
    re-reads only the notes whose identity changed, not the whole vault."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Identity, str, NoteFacts]] = {}

    def lookup(self, relative: str, identity: Identity, schema: str) -> NoteFacts | None:
        entry = self._entries.get(relative)
        if entry is None or entry[:2] != (identity, schema):
            return None
        return entry[2]

    def store(self, relative: str, identity: Identity, schema: str, facts: NoteFacts) -> None:
        self._entries[relative] = (identity, schema, facts)


def all_facts(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    known: dict[FactsKey, NoteFacts],
    *,
    store: FactsLookup | None,
    identities: dict[str, Identity | None],
    unsaved: Collection[str] = (),
) -> dict[str, NoteFacts]:
    """Every target's facts, by path relative to `root`: from `known`, else from `store`, else
    read. `unsaved`: notes whose facts in `known` are an editor's buffer or stdin, not the
    file's bytes: never stored under the file's identity."""
    not_after_ns = time.time_ns() - racy_window()
    facts: dict[str, NoteFacts] = {}
    for relative, target in targets.items():
        found = known.get((root, relative))
        identity = identities.get(relative)
        schema = schema_key(runner, target) if store is not None else ""
        if found is None and store is not None and identity is not None:
            found = store.lookup(relative, identity, schema)
        if found is None:
            found = facts_of(runner, target)
            if found is None:
                continue
        facts[relative] = found
        if store is None or identity is None or relative in unsaved:
            continue
        if max(identity[1:3]) < not_after_ns:  # else racy: an edit may keep the identity
            store.store(relative, identity, schema, found)
    return facts


def facts_of(runner: Runner, target: Target) -> NoteFacts | None:
    """Read and extract one note's facts (None: it cannot be read)."""
    from vaultlint.graph.facts import extract
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError

    try:
        raw = runner.load(target)
    except NoteReadError:
        return None
    schema = runner.schema_for(target)
    return extract(Note(target.display, raw), schema.extension if schema is not None else None)


def listing(runner: Runner, root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """`list_vault(root)`, taken from the walk `runner.targets` just made of the root when it
    made one: every command that runs phase 2 walks its vault first, in the same run."""
    walked = runner.listings.get(root)
    return walked if walked is not None else list_vault(root)


def open_store(runner: Runner, root: Path) -> FactsStore | None:
    if not runner.options.cache:
        return None
    from vaultlint.graph.store import FactsStore

    return FactsStore.open(root, runner.options.cache_strategy)


def identity_of(runner: Runner, target: Target) -> Identity | None:
    if target.identity is not None:  # phase 1 took it in this run (see `Target.identity`)
        return target.identity
    from vaultlint.cache import read_identity

    if runner.options.cache_strategy == "content":
        identity = read_identity(target.file)
        return None if identity is None else (identity.size, 0, 0, 0, identity.digest)
    try:
        info = os.stat(target.file)
    except OSError:
        return None
    # ctime and inode too: an edit that keeps the size and sets the mtime back (issue #15)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, "")


def identities_of(runner: Runner, targets: dict[str, Target]) -> dict[str, Identity | None]:
    """`identity_of` every target, by path relative to the root (a warm run of the vault rules
    needs every note's: most were taken by phase 1 in this run, the others cost a stat each)."""
    return {relative: identity_of(runner, target) for relative, target in targets.items()}


def schema_key(runner: Runner, target: Target) -> str:
    """The schema file a note's facts were taken with, and its content: facts depend on its
    `x-vaultlint` only, which is in that file (read and hashed once per run, never compiled:
    a warm run does not load the schema library)."""
    path = runner.schema_path(target)
    if path is None:
        return ""
    memo = runner.run_memo
    key = memo.get(("schema key", path))
    if key is None:
        key = memo[("schema key", path)] = f"{path}:{file_digest(path)}"
    assert isinstance(key, str)
    return key


def file_digest(path: Path) -> str:
    import hashlib

    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "absent"


def racy_window() -> int:
    from vaultlint.cache import RACY_WINDOW_NS

    return RACY_WINDOW_NS
