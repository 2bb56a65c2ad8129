"""Phase 2 of a run: the vault index from every note's facts, then the vault rules.

The index always covers the whole vault root, whatever the paths given: with file arguments
(pre-commit passes a few notes) the other notes' facts come from the facts cache, or are read
once. Findings are kept for the notes checked, and link findings also for the notes whose links
lead to them (a heading renamed in a staged note breaks anchors in notes nobody staged).

Each finding is placed in its note (line, column) from the note's bytes, read again for the few
notes that have one, and the note's suppression comments apply as in phase 1.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint import discovery
from vaultlint.graph.gather import (
    FactsKey,
    FactsLookup,
    Identity,
    all_facts,
    identities_of,
    listing,
    open_store,
    settled,
    vault_digest,
)
from vaultlint.graph.index import VaultDiagnostic, VaultIndex, list_vault
from vaultlint.rule_ids import NAME_RULE_IDS, VAULT_RULE_IDS

if TYPE_CHECKING:
    from vaultlint.diagnostic import Diagnostic
    from vaultlint.graph.facts import NoteFacts
    from vaultlint.graph.placing import Placed
    from vaultlint.graph.store import VaultRows
    from vaultlint.note import Note
    from vaultlint.results import Finding
    from vaultlint.runner import Runner, Target


@dataclass
class NoteDiagnostics:
    """A note's phase-2 diagnostics, positioned in `note` (as read for this phase)."""

    target: Target
    note: Note
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        from vaultlint.findings import to_finding

        return [to_finding(self.note, d, self.target.display) for d in self.diagnostics]


def wants_facts(runner: Runner, target: Target) -> bool:
    return selection_wants_facts(runner.choice_for(target.settings, target.relative).enabled)


def selection_wants_facts(enabled: Collection[str]) -> bool:
    """Whether a vault rule is among the `enabled` rules (known from the rule IDs: no rule is
    imported)."""
    return not VAULT_RULE_IDS.isdisjoint(enabled)


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
    for root, relatives, targets, names_only in _vaults(runner, given, paths):
        if names_only:  # nothing to cache: no other note is read, or even looked at
            rows = _rows_of(_all_placed(runner, root, targets, known, names_only=True))
        else:
            rows = _vault_rows(runner, root, targets, known)
        for relative, entries in rows.items():
            target = targets.get(relative)
            if target is None:
                continue
            selection = runner.choice_for(target.settings, target.relative)
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
    buffers: Mapping[str, bytes] | None = None,
    *,
    store: FactsLookup | None = None,
) -> list[NoteDiagnostics]:
    """The vault rules' diagnostics, fixes included, for the `given` notes and the notes linking
    to them, by note in path order; for `fix` (no cache of findings: offsets must be fresh).
    `buffers`: notes (by displayed path) whose bytes are not the file's (an editor's buffer,
    stdin): their facts are in `known`, and their diagnostics are placed in these bytes.
    `store`: where the other notes' facts are kept between calls (an editor session's)."""
    found: list[NoteDiagnostics] = []
    for root, relatives, targets, names_only in _vaults(runner, given, paths):
        identities = identities_of(runner, targets) if store is not None else None
        placed_notes = _all_placed(
            runner,
            root,
            targets,
            known,
            store=store,
            identities=identities,
            buffers=buffers or {},
            names_only=names_only,
        )
        for placed in placed_notes:
            target = placed.target
            selection = runner.choice_for(target.settings, target.relative)
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
) -> Iterator[tuple[Path, set[str], dict[str, Target], bool]]:
    """(root, the given notes' paths in it, every note of it, names only) for each vault of
    the run. Names only: the vault rules that run on the given notes are rules of names
    (`NAME_RULE_IDS`), and the notes are not the whole vault: then the given notes are all the
    notes phase 2 needs (with the vault's file names)."""
    roots: dict[Path, set[str]] = {}
    rules: dict[Path, set[str]] = {}  # the vault rules that run on some given note, by root
    chosen: dict[int, frozenset[str]] = {}  # per settings, when no per-file-ignores can vary it
    for target in given:
        settings = target.settings
        enabled = chosen.get(id(settings)) if not settings.per_file_ignores else None
        if enabled is None:
            enabled = VAULT_RULE_IDS.intersection(
                runner.choice_for(settings, target.relative).enabled
            )
            chosen[id(settings)] = enabled
        if enabled:
            roots.setdefault(settings.root, set()).add(target.relative)
            rules.setdefault(settings.root, set()).update(enabled)
    walked = {runner._absolute(path) for path in paths if discovery.is_folder(path)}
    for root, relatives in roots.items():
        if root in walked:
            # `is` first: the notes of a vault mostly share one Settings, and a Path compares
            # slowly (10,000 notes)
            targets = {
                t.relative: t
                for t in given
                if (settings_root := t.settings.root) is root or settings_root == root
            }
        elif rules[root] <= NAME_RULE_IDS:
            targets = {t.relative: t for t in given if t.settings.root == root}
            yield root, relatives, targets, True
            continue
        else:
            targets = {target.relative: target for target in runner.targets([root])}
            for target in given:  # a note piped on stdin may not be on disk yet
                if target.settings.root == root:
                    targets.setdefault(target.relative, target)
        yield root, relatives, targets, False


def _all_placed(
    runner: Runner,
    root: Path,
    targets: dict[str, Target],
    known: dict[FactsKey, NoteFacts],
    *,
    store: FactsLookup | None = None,
    identities: dict[str, Identity | None] | None = None,
    buffers: Mapping[str, bytes] | None = None,
    names_only: bool = False,
) -> list[Placed]:
    """Every vault rule on the whole vault, each diagnostic placed in its note; `names_only`:
    only the rules of names, on the `targets` (see `_vaults`)."""
    from vaultlint.graph.placing import placed_in_note

    buffers = buffers or {}
    if names_only:  # their checks are in graph/names.py: no rule module is imported
        from vaultlint.graph.names import NAME_RULES, files_named_like

        checks = list(NAME_RULES.values())
        facts = _readable(runner, root, targets, known)
        # all they read of the vault: the files named as the notes but for case
        files, folders = files_named_like(root, targets), frozenset[str]()
    else:
        from vaultlint.rules import VAULT_RULES

        checks = [rule.check_vault for rule in VAULT_RULES.values()]
        unsaved = [relative for relative, t in targets.items() if t.display in buffers]
        facts = all_facts(
            runner,
            root,
            targets,
            known,
            store=store,
            identities=identities or {},
            unsaved=unsaved,
        )
        files, folders = listing(runner, root)
    # A note named on the command line in a folder the walk skips (`.trash/`), or piped on
    # stdin before it is saved: a note of the vault all the same.
    files = frozenset(files) | frozenset(facts)
    index = VaultIndex(root, files, folders, facts, _skip_reason(runner, root))
    by_note: dict[str, list[VaultDiagnostic]] = {}
    for check in checks:
        for placed in check(index):
            if placed.path in targets:
                by_note.setdefault(placed.path, []).append(placed)
    return [
        item
        for path, found in by_note.items()
        if (item := placed_in_note(targets[path], found, buffers.get(targets[path].display)))
        is not None
    ]


def _vault_rows(
    runner: Runner, root: Path, targets: dict[str, Target], known: dict[FactsKey, NoteFacts]
) -> VaultRows:
    """Every vault finding of the vault as cache rows by note (with the notes it links to)."""
    store = open_store(runner, root)
    identities = identities_of(runner, targets) if store else {}
    digest = None
    if store is not None and all(identities.values()):
        digest = vault_digest(runner, root, targets, identities)
        cached = store.vault_rows(digest)
        if cached is not None:
            return cached
    rows = _rows_of(_all_placed(runner, root, targets, known, store=store, identities=identities))
    if store is not None:
        if digest is not None and settled(identities):
            store.set_vault_rows(digest, rows)
        problem = store.save()
        if problem is not None:
            runner.warn_once(problem)
    return rows


def _readable(
    runner: Runner, root: Path, targets: dict[str, Target], known: dict[FactsKey, NoteFacts]
) -> dict[str, NoteFacts]:
    """The facts the rules of names read: which notes have any (those that can be read, as
    `all_facts` has them); their content is not read, so it is not extracted."""
    from vaultlint.graph.facts import NoteFacts
    from vaultlint.reading import NoteReadError

    facts: dict[str, NoteFacts] = {}
    for relative, target in targets.items():
        found = known.get((root, relative))
        if found is None:
            try:
                runner.load(target)
            except NoteReadError:
                continue
            found = NoteFacts()
        facts[relative] = found
    return facts


def _rows_of(placed_notes: list[Placed]) -> VaultRows:
    """Each note's vault findings as cache rows (with the notes each one's link leads to)."""
    from vaultlint.cache import finding_row
    from vaultlint.findings import to_finding  # here: a vault that did not change needs none

    rows: VaultRows = {}
    for placed in placed_notes:
        note, display = placed.note, placed.target.display
        rows[placed.target.relative] = tuple(
            (links_to, finding_row(to_finding(note, diagnostic, display)))
            for diagnostic, links_to in zip(placed.diagnostics, placed.links_to, strict=True)
        )
    return rows


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


def linking_to(runner: Runner, target: Target, memory: FactsLookup | None = None) -> list[Path]:
    """The notes of `target`'s vault whose links lead to it (for an editor: the open notes to
    publish again once it changes). Built from `memory` (an editor session's), else from the
    facts cache where it can."""
    from vaultlint.graph.resolve import resolved_links

    root = target.settings.root
    targets = {t.relative: t for t in runner.targets([root])}
    store = open_store(runner, root) if memory is None else None
    identities = identities_of(runner, targets)
    facts = all_facts(runner, root, targets, {}, store=memory or store, identities=identities)
    if store is not None:
        store.save()
    files, folders = list_vault(root)
    index = VaultIndex(root, files, folders, facts, _skip_reason(runner, root))
    return sorted(
        targets[source].path
        for source in facts
        if source != target.relative
        and any(target.relative in found.targets for _, found in resolved_links(index, source))
    )
