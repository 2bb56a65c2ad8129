"""Phase 2's inputs: every note's facts (from this run, the facts cache, or read once) and the
keys that say whether the last phase 2 still holds (see `graph/store.py`)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

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

    Worked out on every warm run of the vault rules, for every note: the schema key is found
    once per settings when no `schemas` mapping can vary it, and the material is serialized by
    `marshal` format 0 (no references, no interning flags: the same values give the same
    bytes, and different ones different bytes), several times faster than `repr`."""
    import hashlib
    import marshal

    from vaultlint.obsidian import vault_skips

    files, folders = list_vault(root)
    skips = vault_skips(root, runner.options.respect_gitignore)
    settings = runner.settings_for(root)
    keys: dict[int, str] = {}  # by settings, when one schema serves all its notes

    def key_of(target: Target) -> str:
        if target.settings.schemas:
            return schema_key(runner, target)
        key = keys.get(id(target.settings))
        if key is None:
            key = keys[id(target.settings)] = schema_key(runner, target)
        return key

    material = (
        sorted((r, identities[r], key_of(t)) for r, t in targets.items()),
        sorted(files),
        sorted(folders),
        skips.template_folders,
        file_digest(root / ".gitignore") if runner.options.respect_gitignore else "",
        settings.include,
        settings.exclude,
    )
    return hashlib.sha256(marshal.dumps(material, 0)).hexdigest()


def all_facts(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    known: dict[FactsKey, NoteFacts],
    *,
    store: FactsStore | None,
    identities: dict[str, Identity | None],
) -> dict[str, NoteFacts]:
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
        if store is not None and identity is not None and max(identity[1:3]) < not_after_ns:
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


def open_store(runner: Runner, root: Path) -> FactsStore | None:
    if not runner.options.cache:
        return None
    from vaultlint.graph.store import FactsStore

    return FactsStore.open(root, runner.options.cache_strategy)


def identity_of(runner: Runner, target: Target) -> Identity | None:
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
    """`identity_of` every target, by path relative to the root: one stat each, in one loop
    (a warm run of the vault rules does this for every note of the vault)."""
    if runner.options.cache_strategy == "content":
        return {relative: identity_of(runner, target) for relative, target in targets.items()}
    stat = os.stat
    found: dict[str, Identity | None] = {}
    for relative, target in targets.items():
        try:
            info = stat(target.file)
        except OSError:
            found[relative] = None
        else:  # as `identity_of`
            found[relative] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, "")
    return found


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
