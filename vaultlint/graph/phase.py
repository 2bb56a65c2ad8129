"""Phase 2 of a run: the vault index from every note's facts, then the vault rules.

The index always covers the whole vault root, whatever the paths given: with file arguments
(pre-commit passes a few notes) the other notes' facts come from the facts cache, or are read
once. Findings are kept for the notes checked, and link findings also for the notes whose links
lead to them (a heading renamed in a staged note breaks anchors in notes nobody staged).

Each finding is placed in its note (line, column) from the note's bytes, read again for the few
notes that have one, and the note's suppression comments apply as in phase 1.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.graph.facts import NoteFacts, extract
from vaultlint.graph.index import VaultDiagnostic, VaultIndex, list_vault

if TYPE_CHECKING:
    from vaultlint.diagnostic import Diagnostic
    from vaultlint.graph.store import FactsStore
    from vaultlint.note import Note
    from vaultlint.results import Finding
    from vaultlint.runner import Runner, Target

FactsKey = tuple[Path, str]  # (vault root, path relative to it)


@dataclass
class NoteDiagnostics:
    """A note's phase-2 diagnostics, positioned in `note` (as read for this phase)."""

    target: Target
    note: Note
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        from vaultlint.engine import to_finding

        return [to_finding(self.note, d, self.target.display) for d in self.diagnostics]


def wants_facts(runner: Runner, target: Target) -> bool:
    from vaultlint.rules import VAULT_RULES

    enabled = runner.selection_for(target.settings, target.relative).enabled
    return any(rule in VAULT_RULES for rule in enabled)


def vault_diagnostics(
    runner: Runner,
    given: Sequence[Target],
    known: dict[FactsKey, NoteFacts],
    paths: Sequence[Path] = (),
) -> list[NoteDiagnostics]:
    """The vault rules' diagnostics for the `given` notes (and the notes linking to them), by
    note in path order; `known`: facts already extracted in this run; `paths`: what the user
    named (when it is a vault root, `given` is that whole vault: it is not walked again)."""
    roots: dict[Path, set[str]] = {}
    wanting: dict[int, bool] = {}  # per settings, when no per-file-ignores can vary it
    for target in given:
        settings = target.settings
        wanted = wanting.get(id(settings)) if not settings.per_file_ignores else None
        if wanted is None:
            wanted = wanting[id(settings)] = wants_facts(runner, target)
        if wanted:
            roots.setdefault(settings.root, set()).add(target.relative)
    walked = {runner._absolute(path) for path in paths if path.is_dir()}
    found: list[NoteDiagnostics] = []
    for root, relatives in roots.items():
        if root in walked:
            targets = {t.relative: t for t in given if t.settings.root == root}
        else:
            targets = {target.relative: target for target in runner.targets([root])}
        found += _one_vault(runner, root, targets, relatives, known)
    return sorted(found, key=lambda item: item.target.display)


def _one_vault(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    given: set[str],
    known: dict[FactsKey, NoteFacts],
) -> list[NoteDiagnostics]:
    from vaultlint.rules import VAULT_RULES

    facts = _all_facts(runner, root, targets, known)
    files, folders = list_vault(root)
    index = VaultIndex(root, files, folders, facts, _skip_reason(runner, root))
    by_note: dict[str, list[Diagnostic]] = {}
    for rule in VAULT_RULES.values():
        for placed in rule.check_vault(index):
            diagnostic = _kept(runner, targets.get(placed.path), placed, given)
            if diagnostic is not None:
                by_note.setdefault(placed.path, []).append(diagnostic)
    return [
        item
        for path, found in by_note.items()
        if (item := _placed(targets[path], found)) is not None
    ]


def _kept(
    runner: Runner, target: Target | None, placed: VaultDiagnostic, given: set[str]
) -> Diagnostic | None:
    if target is None:
        return None
    if placed.path not in given and not given.intersection(placed.links_to):
        return None
    selection = runner.selection_for(target.settings, target.relative)
    diagnostic = placed.diagnostic
    if diagnostic.rule not in selection.enabled:
        return None
    override = selection.severities.get(diagnostic.rule)
    if override is not None and override is not diagnostic.severity:
        diagnostic = replace(diagnostic, severity=override)
    return diagnostic


def _placed(target: Target, diagnostics: list[Diagnostic]) -> NoteDiagnostics | None:
    """The diagnostics in their note, less what its suppression comments cover."""
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError, read_note
    from vaultlint.suppression import suppressions

    try:
        note = Note(target.display, read_note(target.path, target.settings.root))
    except NoteReadError:
        return None  # gone or unreadable since phase 1: phase 1 reports it
    found = suppressions(note) if note.text is not None else []
    if found:
        diagnostics = [
            d
            for d in diagnostics
            if not any(s.covers(d.rule, note.lines.line_of(d.start)) for s in found)
        ]
    if not diagnostics or any(d.end > len(note.raw) for d in diagnostics):
        return None  # nothing left, or the note changed since its facts were taken
    return NoteDiagnostics(target, note, diagnostics)


def _skip_reason(runner: Runner, root: Path) -> Callable[[str], str | None]:
    from vaultlint.obsidian import vault_skips

    skips = vault_skips(root, runner.options.respect_gitignore)
    settings = runner.settings_for(root)

    def reason(relative: str) -> str | None:
        if skips.gitignore is not None and skips.gitignore.match_file(relative):
            return "gitignored"
        if any(relative.startswith(folder + "/") for folder in skips.template_folders):
            return "in the template folder"
        if settings.excluded(relative):
            return "excluded by the config"
        return None

    return reason


# ---------------------------------------------------------------------------------- facts


def _all_facts(
    runner: Runner, root: Path, targets: dict[str, Target], known: dict[FactsKey, NoteFacts]
) -> dict[str, NoteFacts]:
    store = _open_store(runner, root)
    not_after_ns = time.time_ns() - _racy_window()
    facts: dict[str, NoteFacts] = {}
    for relative, target in targets.items():
        found = known.get((root, relative))
        identity = _identity(runner, target) if store is not None else None
        schema = _schema_digest(runner, target) if store is not None else ""
        if found is None and store is not None and identity is not None:
            found = store.lookup(relative, identity, schema)
        if found is None:
            found = facts_of(runner, target)
            if found is None:
                continue
        facts[relative] = found
        if store is not None and identity is not None and identity[1] < not_after_ns:
            store.store(relative, identity, schema, found)
    if store is not None:
        problem = store.save()
        if problem is not None:
            runner.warn_once(problem)
    return facts


def facts_of(runner: Runner, target: Target) -> NoteFacts | None:
    """Read and extract one note's facts (None: it cannot be read)."""
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError, read_note

    try:
        raw = read_note(target.path, target.settings.root)
    except NoteReadError:
        return None
    schema = runner.schema_for(target)
    return extract(Note(target.display, raw), schema.extension if schema is not None else None)


def _open_store(runner: Runner, root: Path) -> FactsStore | None:
    if not runner.options.cache:
        return None
    from vaultlint.graph.store import FactsStore

    return FactsStore.open(root, runner.options.cache_strategy)


def _identity(runner: Runner, target: Target) -> tuple[int, int, bytes] | None:
    from vaultlint.cache import read_identity

    if runner.options.cache_strategy == "content":
        identity = read_identity(target.file)
        return None if identity is None else (identity.size, identity.mtime_ns, identity.digest)
    try:
        info = os.stat(target.file)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, b"")


def _schema_digest(runner: Runner, target: Target) -> str:
    schema = runner.schema_for(target)
    return schema.digest if schema is not None else ""


def _racy_window() -> int:
    from vaultlint.cache import RACY_WINDOW_NS

    return RACY_WINDOW_NS
