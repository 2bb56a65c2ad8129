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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.graph.facts import NoteFacts, extract
from vaultlint.graph.index import VaultDiagnostic, VaultIndex, list_vault

if TYPE_CHECKING:
    from vaultlint.cache import Row
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


def vault_findings(
    runner: Runner,
    given: Sequence[Target],
    known: dict[FactsKey, NoteFacts],
    paths: Sequence[Path] = (),
) -> dict[str, list[Finding]]:
    """The vault rules' findings for the `given` notes (and the notes linking to them), by
    displayed path; `known`: facts already extracted in this run; `paths`: what the user named
    (when it is a vault root, `given` is that whole vault: it is not walked again).

    With the cache, a vault whose notes and files are all as they were gives its findings from
    the cache: no note is read and no link resolved again (see `_vault_digest`)."""
    from vaultlint.cache import findings_from_rows

    found: dict[str, list[Finding]] = {}
    for root, relatives, targets in _vaults(runner, given, paths):
        for relative, entries in _vault_rows(runner, root, targets, known).items():
            target = targets.get(relative)
            if target is None:
                continue
            selection = runner.selection_for(target.settings, target.relative)
            for links_to, row in entries:
                rule = row[4]
                if rule not in selection.enabled:
                    continue
                if relative not in relatives and not relatives.intersection(links_to):
                    continue
                (finding,) = findings_from_rows(target.display, (row,))
                override = selection.severities.get(rule)
                if override is not None:
                    finding = replace(finding, severity=override)
                found.setdefault(target.display, []).append(finding)
    return found


def vault_diagnostics(
    runner: Runner,
    given: Sequence[Target],
    known: dict[FactsKey, NoteFacts],
    paths: Sequence[Path] = (),
) -> list[NoteDiagnostics]:
    """The vault rules' diagnostics, fixes included, for the `given` notes and the notes linking
    to them, by note in path order; for `fix` (no cache of findings: offsets must be fresh)."""
    found: list[NoteDiagnostics] = []
    for root, relatives, targets in _vaults(runner, given, paths):
        for placed in _all_placed(runner, root, targets, known):
            target = placed.target
            selection = runner.selection_for(target.settings, target.relative)
            kept = [
                d
                for d, links_to in zip(placed.diagnostics, placed.links_to, strict=True)
                if d.rule in selection.enabled
                and (target.relative in relatives or relatives.intersection(links_to))
            ]
            if kept:
                found.append(NoteDiagnostics(target, placed.note, kept))
    return sorted(found, key=lambda item: item.target.display)


def _vaults(
    runner: Runner, given: Sequence[Target], paths: Sequence[Path]
) -> Iterator[tuple[Path, set[str], dict[str, Target]]]:
    """(root, the given notes' paths in it, every note of it) for each vault of the run."""
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
    for root, relatives in roots.items():
        if root in walked:
            targets = {t.relative: t for t in given if t.settings.root == root}
        else:
            targets = {target.relative: target for target in runner.targets([root])}
        yield root, relatives, targets


@dataclass
class _Placed:
    """Every vault diagnostic of one note, in bytes of the note as read now, with the notes
    each one's link leads to."""

    target: Target
    note: Note
    diagnostics: list[Diagnostic]
    links_to: list[tuple[str, ...]]


def _all_placed(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    known: dict[FactsKey, NoteFacts],
    *,
    store: FactsStore | None = None,
    identities: dict[str, tuple[int, int, bytes] | None] | None = None,
) -> list[_Placed]:
    """Every vault rule on the whole vault, each diagnostic placed in its note."""
    from vaultlint.rules import VAULT_RULES

    facts = _all_facts(runner, root, targets, known, store=store, identities=identities or {})
    files, folders = list_vault(root)
    index = VaultIndex(root, files, folders, facts, _skip_reason(runner, root))
    by_note: dict[str, list[VaultDiagnostic]] = {}
    for rule in VAULT_RULES.values():
        for placed in rule.check_vault(index):
            if placed.path in targets:
                by_note.setdefault(placed.path, []).append(placed)
    return [
        item
        for path, found in by_note.items()
        if (item := _placed(targets[path], found)) is not None
    ]


def _vault_rows(
    runner: Runner, root: Path, targets: dict[str, Target], known: dict[FactsKey, NoteFacts]
) -> dict[str, tuple[tuple[tuple[str, ...], Row], ...]]:
    """Every vault finding of the vault as cache rows by note (with the notes it links to)."""
    from vaultlint.cache import finding_row
    from vaultlint.engine import to_finding

    store = _open_store(runner, root)
    identities = (
        {relative: _identity(runner, t) for relative, t in targets.items()} if store else {}
    )
    digest = None
    if store is not None and all(identities.values()):
        digest = _vault_digest(runner, root, targets, identities)
        cached = store.vault_rows(digest)
        if cached is not None:
            return cached
    rows: dict[str, tuple[tuple[tuple[str, ...], Row], ...]] = {}
    for placed in _all_placed(runner, root, targets, known, store=store, identities=identities):
        note, display = placed.note, placed.target.display
        rows[placed.target.relative] = tuple(
            (links_to, finding_row(to_finding(note, diagnostic, display)))
            for diagnostic, links_to in zip(placed.diagnostics, placed.links_to, strict=True)
        )
    if store is not None:
        if digest is not None and _settled(identities):
            store.set_vault_rows(digest, rows)
        problem = store.save()
        if problem is not None:
            runner.warn_once(problem)
    return rows


def _settled(identities: dict[str, tuple[int, int, bytes] | None]) -> bool:
    """No note modified within the racy window (an edit in the same tick would go unseen)."""
    not_after_ns = time.time_ns() - _racy_window()
    return all(
        identity is not None and identity[1] < not_after_ns for identity in identities.values()
    )


def _vault_digest(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    identities: dict[str, tuple[int, int, bytes] | None],
) -> str:
    """What the vault findings depend on: every note (its identity and its schema file), every
    file and folder name under the root (links lead to them), and what leaves paths out."""
    import hashlib

    from vaultlint.obsidian import vault_skips

    files, folders = list_vault(root)
    skips = vault_skips(root, runner.options.respect_gitignore)
    settings = runner.settings_for(root)
    material = repr(
        (
            sorted((r, identities[r], _schema_key(runner, t)) for r, t in targets.items()),
            sorted(files),
            sorted(folders),
            skips.template_folders,
            _file_digest(root / ".gitignore") if runner.options.respect_gitignore else "",
            settings.include,
            settings.exclude,
        )
    )
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _placed(target: Target, diagnostics: list[VaultDiagnostic]) -> _Placed | None:
    """The diagnostics in their note, less what its suppression comments cover."""
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError, read_note
    from vaultlint.suppression import suppressions

    try:
        note = Note(target.display, read_note(target.path, target.settings.root))
    except NoteReadError:
        return None  # gone or unreadable since phase 1: phase 1 reports it
    text = note.text
    if text is None or any(d.diagnostic.end > len(text) for d in diagnostics):
        return None  # the note changed since its facts were taken: the next run sees it
    found = suppressions(note)
    kept: list[Diagnostic] = []
    links_to: list[tuple[str, ...]] = []
    for placed in _bounded(diagnostics):
        diagnostic = _in_bytes(note, placed.diagnostic)
        line = note.lines.line_of(diagnostic.start)
        if not any(s.covers(diagnostic.rule, line) for s in found):
            kept.append(diagnostic)
            links_to.append(placed.links_to)
    return _Placed(target, note, kept, links_to) if kept else None


def _bounded(diagnostics: list[VaultDiagnostic]) -> list[VaultDiagnostic]:
    """At most `engine.MAX_PER_RULE` diagnostics of a rule in a note, then one that counts the
    rest, as for the per-note rules: a hostile page of a million dead links must not fill the
    memory or the report."""
    from vaultlint.engine import MAX_PER_RULE

    by_rule: dict[str, int] = {}
    kept: list[VaultDiagnostic] = []
    for placed in diagnostics:
        rule = placed.diagnostic.rule
        by_rule[rule] = by_rule.get(rule, 0) + 1
        if by_rule[rule] <= MAX_PER_RULE:
            kept.append(placed)
    for rule, count in by_rule.items():
        if count > MAX_PER_RULE:
            last = next(p for p in reversed(kept) if p.diagnostic.rule == rule).diagnostic
            message = f"and {count - MAX_PER_RULE:,} more {rule} problems in this note (not listed)"
            summary = replace(last, message=message, fix=None)
            kept.append(VaultDiagnostic(kept[0].path, summary))
    return kept


def _in_bytes(note: Note, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its span and edits in bytes of the note (from code points)."""
    from vaultlint.diagnostic import Edit

    to_byte = note.char_to_byte
    fix = diagnostic.fix
    if fix is not None:
        edits = tuple(Edit(to_byte(e.start), to_byte(e.end), e.replacement) for e in fix.edits)
        fix = replace(fix, edits=edits)
    return replace(
        diagnostic, start=to_byte(diagnostic.start), end=to_byte(diagnostic.end), fix=fix
    )


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
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    known: dict[FactsKey, NoteFacts],
    *,
    store: FactsStore | None,
    identities: dict[str, tuple[int, int, bytes] | None],
) -> dict[str, NoteFacts]:
    not_after_ns = time.time_ns() - _racy_window()
    facts: dict[str, NoteFacts] = {}
    for relative, target in targets.items():
        found = known.get((root, relative))
        identity = identities.get(relative)
        schema = _schema_key(runner, target) if store is not None else ""
        if found is None and store is not None and identity is not None:
            found = store.lookup(relative, identity, schema)
        if found is None:
            found = facts_of(runner, target)
            if found is None:
                continue
        facts[relative] = found
        if store is not None and identity is not None and identity[1] < not_after_ns:
            store.store(relative, identity, schema, found)
    return facts


def facts_of(runner: Runner, target: Target) -> NoteFacts | None:
    """Read and extract one note's facts (None: it cannot be read)."""
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError

    try:
        raw = runner.load(target)
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


def _schema_key(runner: Runner, target: Target) -> str:
    """The schema file a note's facts were taken with, and its content: facts depend on its
    `x-vaultlint` only, which is in that file (read and hashed once per run, never compiled:
    a warm run does not load the schema library)."""
    path = runner.schema_path(target)
    if path is None:
        return ""
    memo = runner.run_memo
    key = memo.get(("schema key", path))
    if key is None:
        key = memo[("schema key", path)] = f"{path}:{_file_digest(path)}"
    assert isinstance(key, str)
    return key


def _file_digest(path: Path) -> str:
    import hashlib

    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "absent"


def _racy_window() -> int:
    from vaultlint.cache import RACY_WINDOW_NS

    return RACY_WINDOW_NS
