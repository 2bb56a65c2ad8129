"""Paths -> notes -> lint results: the whole check run, with nothing that needs click.

Settings are found per folder (walking up to the nearest config), so a note gets the same
findings whether it is checked alone, in a chunk from pre-commit, or with the whole vault.

`Runner.run` is what `check` runs: it reuses the results cache (`cache.py`) for notes that did
not change, checks the others, in a pool of processes when there are many (`parallel.py`), and
returns the reports sorted by path, the same whatever the cache and the number of processes.
Only findings are kept: each note and its parsed YAML are dropped once checked.

A run has two phases: per note (above) the findings and, when a vault rule runs, the note's
facts; then per vault (`graph/phase.py`) the vault rules on an index of every note's facts.
The pool's worker code is at the end of this module: `parallel.py` only maps a function over
items, and imports nothing of this one.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from vaultlint import discovery
from vaultlint.config import CONFIG_NAMES, PAGE_RULES, Settings, load_settings
from vaultlint.errors import UsageError
from vaultlint.obsidian import property_types, vault_skips
from vaultlint.results import FileReport, Finding, RunReport

if TYPE_CHECKING:
    import multiprocessing.context

    from vaultlint.cache import Identity, ResultCache, Row
    from vaultlint.diagnostic import Applicability, Fix
    from vaultlint.engine import LintResult, RuleSelection
    from vaultlint.fixer import FixOutcome, Withheld
    from vaultlint.graph.facts import NoteFacts
    from vaultlint.note import Note
    from vaultlint.rule_ids import RuleChoice
    from vaultlint.schema.loader import CompiledSchema

R = TypeVar("R")
# (settings' id, rules per-file-ignores turns off, narrowed by --select/--ignore, a page)
_SelectionKey = tuple[int, frozenset[str], bool, bool]

# What `config.load_settings` looks for in a folder: a folder without any has its parent's.
_SETTINGS_MARKERS = (*CONFIG_NAMES, ".obsidian", ".git")
# Below this many notes to check, one process is faster than starting a pool.
PARALLEL_THRESHOLD = 200


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What the command line says, on top of the config files."""

    config: Path | None = None
    schema: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_ignore: tuple[str, ...] = ()
    force_exclude: bool = False
    # Processes that check notes (`--jobs N`); None or 0: one per available core. Fewer than
    # PARALLEL_THRESHOLD notes to check are always checked in this process.
    jobs: int | None = None
    # Reuse and update the results cache under the vault root (`--no-cache` sets False).
    # Only `Runner.run` (the `check` command) reads it.
    cache: bool = True
    # What tells that a note is unchanged (`--cache-strategy`): "mtime" (size and mtime_ns) or
    # "content" (size and a hash of the bytes, for CI clones that reset mtimes).
    cache_strategy: str = "mtime"
    # Skip what .gitignore at the vault root ignores (`--no-respect-gitignore` sets False).
    respect_gitignore: bool = True


class Target:
    """A note to check: where it is, how it is shown, its settings, its path in the vault.

    `path` is built on first use: a warm run over 10,000 notes only needs the string (`file`).
    """

    __slots__ = ("_path", "display", "identity", "relative", "settings")

    def __init__(self, path: Path | str, display: str, settings: Settings, relative: str) -> None:
        self._path = path  # as given or found
        self.display = display  # posix path relative to the current folder
        self.settings = settings
        self.relative = relative  # relative to the vault root
        # The note as `check` first saw it (size, mtime_ns, ctime_ns, inode, digest: as
        # `graph/gather.identity_of` takes it), for the vault rules' cache keys: a warm run
        # need not stat every note twice. Taken before the note is read, so that facts read
        # later are never stored under a newer identity. None: not taken.
        self.identity: tuple[int, int, int, int, str] | None = None

    @property
    def path(self) -> Path:
        if not isinstance(self._path, Path):
            self._path = Path(self._path)
        return self._path

    @property
    def file(self) -> str:
        """The path as a string, for system calls."""
        return os.fspath(self._path)

    def __repr__(self) -> str:
        return f"Target({self.display!r}, relative={self.relative!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Target):
            return NotImplemented
        return (self.path, self.display, self.settings, self.relative) == (
            other.path,
            other.display,
            other.settings,
            other.relative,
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Checked:
    """A checked note as the cache stores it: what it was, against what, and its findings."""

    identity: Identity | None  # None: not to be stored (unreadable)
    schema_digest: str
    rows: tuple[Row, ...]
    # The note's facts for the vault rules (`NoteFacts.record()`), when a vault rule runs.
    facts: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class FixedNote:
    """A note fixed in memory where it was linted (in a worker, for `fix`): the bytes read and
    the bytes to write, what was applied and withheld, and the findings that remain, as rows.
    Small and picklable: the parent only writes (or diffs) and reports."""

    original: bytes
    fixed: bytes
    applied: tuple[tuple[str, Fix], ...]
    withheld: tuple[Withheld, ...]
    rows: tuple[Row, ...]


# For `fix`, per note: its findings once fixed (cache rows), the note fixed in memory (None: no
# fix applies), the facts of the bytes it then holds (`NoteFacts.record()`; None: no vault rule).
FixChecked = tuple[tuple["Row", ...], FixedNote | None, tuple[Any, ...] | None]


def _warn(message: str) -> None:
    sys.stderr.write(f"vaultlint: warning: {message}\n")


@dataclass
class Runner:
    options: RunOptions
    cwd: Path = field(default_factory=lambda: Path.cwd().resolve())
    _settings: dict[tuple[Path, Path], Settings] = field(default_factory=dict)
    _selections: dict[_SelectionKey, RuleSelection] = field(default_factory=dict)
    _choices: dict[_SelectionKey, RuleChoice] = field(default_factory=dict)
    # Wraps the stream of checked notes (and knows how many) to show progress; never sent to
    # worker processes, which get the options only.
    progress: Callable[[Iterator[Any], int], Iterator[Any]] | None = None
    warn: Callable[[str], None] = _warn
    _schemas: dict[Path, CompiledSchema | None] = field(default_factory=dict)
    _warned: bool = False
    # What phase 2 works out once per run (schema files' digests): see graph/phase.py.
    run_memo: dict[object, object] = field(default_factory=dict)
    # The displayed paths of the folders found that could not be listed (`targets` shows them
    # as notes, so that reading them says why): the only targets that may be folders.
    unlisted: set[str] = field(default_factory=set)
    # The settings of each folder `targets` walked, by displayed path ("" for the current
    # folder), when shown as it is: a note's baseline is its folder's (`check`).
    folder_settings: dict[str, Settings] = field(default_factory=dict)
    # What the last walk of each folder saw under it, as `graph.index.list_vault` gives it:
    # phase 2 need not list a vault again right after `targets` walked it (see `listing`).
    listings: dict[Path, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from vaultlint.cache import STRATEGIES

        # Say so at once, even when no note is checked.
        options = self.options
        named = (*(options.select or ()), *(options.ignore or ()), *options.extend_ignore)
        if named:  # validated without importing the rules: a warm run checks no note
            from vaultlint.rule_ids import check_rule_ids

            check_rule_ids(named)
        if options.cache_strategy not in STRATEGIES:
            raise UsageError(
                f"unknown cache strategy {options.cache_strategy!r} (known: mtime, content)"
            )
        if options.jobs is not None and options.jobs < 0:
            raise UsageError(f"--jobs must be a positive number, not {options.jobs}")

    # ----------------------------------------------------------------- targets

    def targets(self, paths: Sequence[Path]) -> list[Target]:
        """Every note to check, once each, sorted by displayed path.

        What `discovery.expand` finds, in its order; folders are walked here with strings and
        each note placed through its folder (settings, vault-relative and displayed paths are
        worked out once per folder), which is several times faster on a large vault.
        """
        found: dict[str, Target] = {}
        for path in paths:  # a broken config is an error even where no note is found
            self.settings_for(path)
        for path in paths:
            if discovery.is_folder(path):
                given = self._absolute(path)
                # folder -> the folder whose settings it has: itself, or its nearest ancestor
                # when nothing in it can change them (see `_walk`)
                sources: dict[str, str] = {}
                listing = Listing()
                for folder, names, inherits in _walk(os.fspath(path), listing=listing):
                    if inherits is _UNLISTED:  # `names` is the folder: reading it says why
                        settings = self.settings_for(Path(folder), given)
                        shown = self._add_walked(found, folder, names, settings)
                        self.unlisted.update(shown)
                        continue
                    source = sources[folder] = sources.get(inherits, folder) if inherits else folder
                    if names:
                        settings = self.settings_for(Path(source), given)
                        self._add_walked(found, folder, names, settings)
                self.listings[given] = listing.frozen()
                continue
            settings = self.settings_for(path)
            relative = discovery.relative_to_root(path, settings.root, self.cwd)
            if self.options.force_exclude and self._skipped(settings, relative):
                continue
            display = discovery.display_path(path, self.cwd).as_posix()
            if display not in found:
                found[display] = Target(path, discovery.printable(display), settings, relative)
        return [found[key] for key in sorted(found)]

    def _add_walked(
        self, found: dict[str, Target], folder: str, names: list[str], settings: Settings
    ) -> list[str]:
        """Add the notes of one folder; returns their displayed paths."""
        parent = Path(folder)
        relative = discovery.relative_to_root(parent, settings.root, self.cwd)
        relative_prefix = "" if relative == "." else relative + "/"
        display_prefix = _folder_prefix(discovery.display_path(parent, self.cwd).as_posix())
        # only the folder: a name starting with "." is a leftover temporary file, to report
        hidden = discovery.is_hidden(relative_prefix)
        if hidden:
            return []
        if display_prefix.isprintable():  # else shown escaped: not a path to look up
            self.folder_settings[display_prefix[:-1]] = settings
        excluded = settings.excluded
        obsidian_skips = vault_skips(settings.root, self.options.respect_gitignore).skipped
        file_prefix = os.path.join(folder, "")  # what os.scandir puts before each name
        shown = []
        for name in names:
            note_relative = relative_prefix + name
            if excluded(note_relative) or obsidian_skips(note_relative):
                continue
            display = display_prefix + name
            if display not in found:
                shown.append(printed := discovery.printable(display))
                found[display] = Target(file_prefix + name, printed, settings, note_relative)
        return shown

    def _skipped(self, settings: Settings, relative: str) -> bool:
        skips = vault_skips(settings.root, self.options.respect_gitignore)
        return (
            discovery.is_hidden(relative) or settings.excluded(relative) or skips.skipped(relative)
        )

    def settings_for(self, path: Path, given: Path | None = None) -> Settings:
        """The settings of a path's folder. Without a config, `.obsidian/` or `.git` above it,
        the vault root is the folder given (`given`, else the path's own folder)."""
        absolute = self._absolute(path)
        folder = absolute if discovery.is_folder(absolute) else absolute.parent
        default_root = given if given is not None else folder
        cached = self._settings.get((folder, default_root))
        if cached is None:
            cached = self._parent_settings(folder, default_root)
        if cached is None:
            try:
                cached = load_settings(self.options.config, folder, default_root)
            except OSError:
                # A folder that cannot be searched (locked, past PATH_MAX): the settings of
                # the nearest one that can; its notes are then reported as unreadable.
                if folder.parent == folder:
                    raise
                cached = self.settings_for(folder.parent, given)
            self._settings[(folder, default_root)] = cached
        return cached

    def _parent_settings(self, folder: Path, default_root: Path) -> Settings | None:
        """The settings of the nearest folder above `folder` that holds something
        `load_settings` looks for (a config file, `.obsidian`, `.git`), or whose settings are
        known, when `folder` and the folders between hold none of it: the search from `folder`
        ends where the search from there does. A walk then finds a folder's settings with 4
        `lstat` calls, and the folders above it (holding no note) once each."""
        if self.options.config is not None:
            return None
        between: list[Path] = []
        current = folder
        while current.parent != current and not _may_hold_settings(current):
            between.append(current)
            current = current.parent
            known = self._settings.get((current, default_root))
            if known is not None:
                break
        else:  # `current` holds a marker (or is the top): searched from there
            if not between:
                return None
            known = self.settings_for(current, default_root)
        for passed in between:
            self._settings[(passed, default_root)] = known
        return known

    def _absolute(self, path: Path) -> Path:
        return Path(os.path.normpath(path if path.is_absolute() else self.cwd / path))

    # -------------------------------------------------------------------- checks

    def choice_for(
        self, settings: Settings, relative: str = "", *, narrowed: bool = True
    ) -> RuleChoice:
        """The rules that run on a note and their severities, from the rule IDs alone: what
        `selection_for` builds its selection from, without importing a rule (a warm run needs
        no more to tell which vault rules run, or to apply a severity to a cached finding)."""
        from vaultlint.rule_ids import choose_rules

        key = self._selection_key(settings, relative, narrowed)
        cached = self._choices.get(key)
        if cached is None:
            select, ignore = self._chosen(settings, key)
            try:
                cached = self._choices[key] = choose_rules(select, ignore, settings.severity)
            except UsageError as error:  # an unknown rule in a config: say which config
                if settings.config_path is None:
                    raise
                raise UsageError(f"{settings.config_path}: {error}") from None
        return cached

    def selection_for(
        self, settings: Settings, relative: str = "", *, narrowed: bool = True
    ) -> RuleSelection:
        """The rules for a note: the run's selection less what `per-file-ignores` turns off.

        A page (config `pages`) gets only the rules of `PAGE_RULES` among them.
        `narrowed=False`: the config's rules, whatever `--select` and `--ignore` say; the fixer
        checks with them that a fix introduces no problem, even in a rule the run leaves out.
        """
        from vaultlint.engine import RuleSelection

        key = self._selection_key(settings, relative, narrowed)
        cached = self._selections.get(key)
        if cached is None:
            select, ignore = self._chosen(settings, key)
            options = dict(settings.rule_options)
            types = property_types(settings.root)
            if types:  # .obsidian/types.json: the property-type rule's vocabulary
                options["property-type"] = {**options.get("property-type", {}), "types": types}
            try:
                cached = RuleSelection.build(select, ignore, settings.severity, options)
            except UsageError as error:  # a bad [rules.X] option: say which config holds it
                if settings.config_path is None:
                    raise
                raise UsageError(f"{settings.config_path}: {error}") from None
            self._selections[key] = cached
        return cached

    def _selection_key(self, settings: Settings, relative: str, narrowed: bool) -> _SelectionKey:
        per_file = settings.ignored_for(relative) if settings.per_file_ignores else frozenset()
        page = bool(settings.pages) and settings.is_page(relative)
        return (id(settings), per_file, narrowed, page)

    def _chosen(
        self, settings: Settings, key: _SelectionKey
    ) -> tuple[Iterable[str] | None, tuple[str, ...]]:
        """(select, ignore) for a note whose `_selection_key` is `key`: the one place both
        `choice_for` and `selection_for` take them from."""
        _, per_file, narrowed, page = key
        options = self.options
        select = options.select if options.select is not None and narrowed else settings.select
        if page:
            select = _page_rules(select)
        ignore = options.ignore if options.ignore is not None and narrowed else settings.ignore
        extend_ignore = options.extend_ignore if narrowed else ()
        return select, (*ignore, *extend_ignore, *per_file)

    def schema_path(self, target: Target) -> Path | None:
        """The schema file that applies to a note, as given (not resolved)."""
        return self.options.schema or target.settings.schema_for(target.relative)

    def schema_for(self, target: Target) -> CompiledSchema | None:
        path = self.schema_path(target)
        if path is None:
            return None
        if path not in self._schemas:  # `resolve` costs a few system calls: once per path
            from vaultlint.schema.loader import load_schema

            self._schemas[path] = load_schema(path.resolve())
        return self._schemas[path]

    def load(self, target: Target) -> bytes:
        """A note's bytes: the one load path of every command (check, fix, format, report,
        schema infer, the vault rules), with the same refusals: a symbolic link leading out of
        the vault, what is not a regular file, a note over the size limit. Raises
        `reading.NoteReadError`, whose message says why in the user's words."""
        from vaultlint.reading import read_note

        return read_note(target.file, target.settings.root)

    def check(
        self, target: Target, *, settle: bool = False
    ) -> tuple[FileReport, LintResult | None]:
        """Read and lint one note; `settle`: mark each fix as `fix` will treat it (see
        `fixer.settle`), which `check` and `report` need and `fix` does not (it fixes anyway)."""
        from vaultlint.note import Note
        from vaultlint.reading import NoteReadError

        try:
            raw = self.load(target)
        except NoteReadError as error:
            return self._unreadable(target, error), None
        result = self.lint_note(target, Note(target.display, raw))
        if settle:
            result = self.settle(target, result)
        return FileReport(target.display, tuple(result.findings(target.display))), result

    def _unreadable(self, target: Target, error: Exception) -> FileReport:
        from vaultlint.engine import to_finding
        from vaultlint.note import Note
        from vaultlint.rules import file as file_rule

        diagnostic = file_rule.unreadable(str(error), getattr(error, "too_large", None))
        if diagnostic.rule not in self.selection_for(target.settings, target.relative).enabled:
            return FileReport(target.display, ())
        note = Note(target.display, b"")
        return FileReport(target.display, (to_finding(note, diagnostic, target.display),))

    def settle(self, target: Target, result: LintResult) -> LintResult:
        """`result` with each fix marked as `fix` will treat it (`fixer.settle`)."""
        from vaultlint.fixer import settle

        schema = self.schema_for(target)
        selection = self.selection_for(target.settings, target.relative)
        return settle(result, schema, selection, self.fix_guard(target))

    def fix_guard(self, target: Target) -> RuleSelection:
        """The rules a fix must add no finding to: the config's, whatever `--select` says."""
        return self.selection_for(target.settings, target.relative, narrowed=False)

    def fix(
        self,
        target: Target,
        note: Note,
        minimum: Applicability,
        first: LintResult | None = None,
    ) -> FixOutcome:
        """`note` (the bytes of `target`, or a buffer standing for it) fixed in memory at
        `minimum`, with the note's schema, rules and guard (`fixer.fix_note`); `first`: its lint
        result, when already known."""
        from vaultlint.fixer import fix_note

        schema = self.schema_for(target)
        selection = self.selection_for(target.settings, target.relative)
        guard = self.fix_guard(target)
        return fix_note(note, schema, selection, minimum, first=first, guard=guard)

    def lint_note(self, target: Target, note: Note) -> LintResult:
        from vaultlint.engine import lint

        selection = self.selection_for(target.settings, target.relative)
        return lint(note, self.schema_for(target), selection)

    def check_for_cache(
        self,
        target: Target,
        strategy: str | None,
        not_after_ns: int,
    ) -> Checked:
        """Check one note and say what the cache may store of it (`strategy` None: nothing).

        The identity is taken before the bytes are read (size and mtime) or from the bytes read
        (content), so that a note edited meanwhile is never stored with findings it does not have.
        """
        from vaultlint.cache import content_identity, digest_of, finding_row, stat_identity
        from vaultlint.engine import lint
        from vaultlint.graph.phase import selection_wants_facts
        from vaultlint.note import Note
        from vaultlint.reading import NoteReadError

        identity = stat_identity(target.file) if strategy == "mtime" else None
        try:
            raw = self.load(target)
        except NoteReadError as error:  # never stored: a permission can change, not the mtime
            report = self._unreadable(target, error)
            return Checked(None, "", tuple(finding_row(f) for f in report.findings))
        if strategy == "content":
            identity = content_identity(raw)
        elif identity is not None and identity.recent(not_after_ns):
            # racy: an edit in the same clock tick would keep every stat field, so the entry
            # also holds the hash of the bytes read, checked each time it is used
            identity = identity.with_digest(digest_of(raw))
        schema = self.schema_for(target)
        note = Note(target.display, raw)
        selection = self.selection_for(target.settings, target.relative)
        result = lint(note, schema, selection)
        from vaultlint.fixer import offers_fixes, settle

        if offers_fixes(result):  # promise only the fixes that `fix` will apply
            result = settle(result, schema, selection, self.fix_guard(target))
        rows = tuple(finding_row(f) for f in result.findings(target.display))
        facts = None
        if selection_wants_facts(selection.enabled):
            facts = self._facts_record(result, schema)  # `facts_record`, schema known
        digest = schema.digest if schema is not None else ""
        return Checked(identity, digest, rows, facts)

    def facts_record(self, target: Target, result: LintResult) -> tuple[Any, ...] | None:
        """Phase 1 of the vault rules: the note's facts, taken from the note as linted (the
        repaired text of a mojibake note), when a vault rule runs on it."""
        from vaultlint.graph.phase import wants_facts

        if not wants_facts(self, target):
            return None
        return self._facts_record(result, self.schema_for(target))

    def _facts_record(
        self, result: LintResult, schema: CompiledSchema | None
    ) -> tuple[Any, ...] | None:
        """`facts_record` once a vault rule is known to run, with the note's schema."""
        from vaultlint.graph.facts import extract

        note = result.repaired[0] if result.repaired is not None else result.note
        return extract(note, schema.extension if schema is not None else None).record()

    # ----------------------------------------------------------------------- run

    def run(self, paths: Sequence[Path]) -> RunReport:
        targets = self.targets(paths)
        known: dict[tuple[Path, str], NoteFacts] = {}
        reports = self._reports(targets, paths, known)
        return RunReport(tuple(self.with_vault_findings(reports, targets, known, paths)))

    def with_vault_findings(
        self,
        reports: list[FileReport],
        targets: Sequence[Target],
        known: dict[tuple[Path, str], NoteFacts] | None = None,
        paths: Sequence[Path] = (),
    ) -> list[FileReport]:
        """Phase 2: the reports with the vault rules' findings added (see `graph/phase.py`),
        sorted by path; notes that link to the checked ones may join."""
        from vaultlint.rule_ids import VAULT_RULE_IDS

        if self.options.select is not None and not VAULT_RULE_IDS & set(self.options.select):
            return reports  # asked for other rules only: phase 2 has nothing to do
        if {*(self.options.ignore or ()), *self.options.extend_ignore} >= VAULT_RULE_IDS:
            return reports

        from vaultlint.graph.phase import vault_findings, wants_facts

        if not any(wants_facts(self, target) for target in targets):
            return reports
        extra = vault_findings(self, targets, known or {}, paths)
        merged = []
        for report in reports:  # most notes have no vault finding: kept as they are
            more = extra.pop(report.path, None)
            if more:
                findings = sorted([*report.findings, *more], key=Finding.sort_key)
                merged.append(FileReport(report.path, tuple(findings)))
            else:
                merged.append(report)
        if not extra:
            return merged
        merged += [  # notes that link to the checked ones
            FileReport(path, tuple(sorted(findings, key=Finding.sort_key)))
            for path, findings in extra.items()
        ]
        return sorted(merged, key=lambda report: report.path)

    def fixes(
        self,
        targets: Sequence[Target],
        minimum: Applicability,
        facts: dict[tuple[Path, str], NoteFacts] | None = None,
    ) -> Iterator[tuple[FileReport, FixedNote | None]]:
        """For `fix`: every target checked and, when a fix applies at `minimum`, fixed in
        memory where it was checked (in the pool's workers when there are many): only the
        bytes to write come back, and no note is linted twice. In order of `targets`.

        `facts`: filled, for the notes a vault rule runs on, with the facts of the bytes each
        note holds once its fixes are written (`graph.gather.facts_of` on them), taken in the
        workers too, so that phase 2 need not read and parse every note again."""
        from functools import partial

        from vaultlint.cache import findings_from_rows

        targets = list(targets)
        checked = self.map_notes(targets, partial(_fix_checked, int(minimum)))
        for target, (rows, fixed, record) in zip(targets, checked, strict=True):
            if facts is not None and record is not None:
                from vaultlint.graph.facts import NoteFacts

                facts[(target.settings.root, target.relative)] = NoteFacts.from_record(record)
            yield FileReport(target.display, findings_from_rows(target.display, rows)), fixed

    def fix_checked(self, target: Target, minimum: int) -> FixChecked:
        """One note for `fix`: read, linted and, when a fix applies at `minimum`, fixed in
        memory; what remains of its findings, and the facts of the bytes it then holds."""
        from vaultlint.cache import finding_row
        from vaultlint.diagnostic import Applicability
        from vaultlint.note import Note
        from vaultlint.reading import NoteReadError

        try:
            raw = self.load(target)
        except NoteReadError as error:
            report = self._unreadable(target, error)
            return tuple(finding_row(f) for f in report.findings), None, None
        result = self.lint_note(target, Note(target.display, raw))
        fixable = any(
            d.fix is not None and d.fix.applicability >= minimum for d in result.diagnostics
        )
        if not fixable:
            rows = tuple(finding_row(f) for f in result.findings(target.display))
            return rows, None, self._facts_of_bytes(target, result.note)
        outcome = self.fix(target, result.note, Applicability(minimum), result)
        final = outcome.final
        rows = tuple(finding_row(f) for f in final.findings(target.display))
        fixed = FixedNote(raw, outcome.fixed, outcome.applied, outcome.withheld, rows)
        # the note as fixed was linted last: its parse serves its facts
        note = final.note
        if note.raw != outcome.fixed:
            note = Note(target.display, outcome.fixed)
        return rows, fixed, self._facts_of_bytes(target, note)

    def _facts_of_bytes(self, target: Target, note: Note) -> tuple[Any, ...] | None:
        """The facts of `note` as phase 2 takes them from a note's bytes (`gather.facts_of`:
        not from a mojibake note's repaired text, unlike `facts_record`), when a vault rule runs
        on it."""
        from vaultlint.graph.facts import extract
        from vaultlint.graph.phase import wants_facts

        if not wants_facts(self, target):
            return None
        schema = self.schema_for(target)
        return extract(note, schema.extension if schema is not None else None).record()

    def map_notes(
        self,
        targets: Sequence[Target],
        function: Callable[[Runner, Target], R],
        *,
        rules: bool = True,
    ) -> Iterator[R]:
        """`function(runner, target)` for every target, in order: in the pool's workers when
        there are many (each with its own Runner, as `check`'s are), else here. For `fix`,
        `format`, `report` and `schema infer`, which need more of a note than its findings.
        `function` is sent to the workers by name: a module-level function (or a partial of
        one). `rules=False`: `function` lints nothing (`format`), so the rules are not
        imported before the workers start."""
        targets = list(targets)
        jobs = self._pool_size(len(targets))
        if jobs <= 1:
            for target in targets:
                yield function(self, target)
            return
        from vaultlint.parallel import map_in_pool, pool_context

        settings, tasks = _pool_tasks(targets)
        context = pool_context()
        if context.get_start_method() == "fork":
            _preload(self, targets, rules=rules)
        setup = WorkerSetup(self.options, self.cwd, tuple(settings), None, 0)
        mapped = [(function, *task) for task in tasks]
        yield from map_in_pool(
            _map_chunk, mapped, jobs, initializer=_start_worker, initargs=(setup,), context=context
        )

    def iter_checks(self, paths: Sequence[Path]) -> Iterator[tuple[FileReport, LintResult | None]]:
        """Check every note in this process, without the cache, keeping each lint result."""
        for target in self.targets(paths):
            yield self.check(target)

    def jobs(self) -> int:
        if self.options.jobs:
            return self.options.jobs
        return available_cores()

    def _reports(
        self,
        targets: list[Target],
        paths: Sequence[Path],
        known: dict[tuple[Path, str], NoteFacts],
    ) -> list[FileReport]:
        from vaultlint.cache import findings_from_rows

        started_ns = time.time_ns()
        few = len(targets) <= _FEW_NOTES
        caches = _RunCaches(self, paths, few=few) if self.options.cache else None
        reports: list[FileReport | None] = [None] * len(targets)
        pending: list[int] = []
        lookup = caches.lookup if caches is not None else None
        for index, target in enumerate(targets):
            rows = lookup(target) if lookup is not None else None
            if rows is None:
                pending.append(index)
            elif rows:
                findings = findings_from_rows(target.display, rows)
                reports[index] = FileReport(target.display, findings)
            else:  # most notes: no finding
                reports[index] = FileReport(target.display, ())
        strategy = self.options.cache_strategy if caches is not None else None
        to_check = [targets[index] for index in pending]
        checked = self._check_all(to_check, strategy, started_ns - _racy_window())
        if self.progress is not None:
            checked = self.progress(checked, len(to_check))
        for index, (schema_sources, result) in zip(pending, checked, strict=True):
            target = targets[index]
            reports[index] = FileReport(
                target.display, findings_from_rows(target.display, result.rows)
            )
            if caches is not None:
                caches.record(target, result, schema_sources)
                seen = result.identity
                if seen is not None:  # the racy digest is the results cache's own concern
                    digest = seen.digest if strategy == "content" else ""
                    target.identity = (seen.size, seen.mtime_ns, seen.ctime_ns, seen.inode, digest)
            if result.facts is not None:
                from vaultlint.graph.facts import NoteFacts

                key = (target.settings.root, target.relative)
                known[key] = NoteFacts.from_record(result.facts)
        if caches is not None:
            caches.finish()
        return [report for report in reports if report is not None]

    def _check_all(
        self, targets: list[Target], strategy: str | None, not_after_ns: int
    ) -> Iterator[tuple[tuple[str, ...] | None, Checked]]:
        jobs = self._pool_size(len(targets))
        if jobs > 1:
            yield from check_in_pool(
                self, targets, jobs, strategy=strategy, not_after_ns=not_after_ns
            )
            return
        for target in targets:
            checked = self.check_for_cache(target, strategy, not_after_ns)
            yield self._schema_sources(target), checked

    def _pool_size(self, count: int) -> int:
        """Processes for `count` notes: 1 below PARALLEL_THRESHOLD, else up to `jobs()`, with
        at least half the threshold's notes each (a pool costs more than it saves on less)."""
        if count < PARALLEL_THRESHOLD:
            return 1
        return min(self.jobs(), max(1, count // (PARALLEL_THRESHOLD // 2)))

    def _schema_sources(self, target: Target) -> tuple[str, ...] | None:
        path = self.schema_path(target)
        schema = self._schemas.get(path) if path is not None else None
        return schema.sources if schema is not None else None

    def warn_once(self, message: str) -> None:
        """A cache problem is said once per run; the run goes on without the cache."""
        if not self._warned:
            self._warned = True
            self.warn(f"{message}; continuing without the results cache")


def _page_rules(select: Iterable[str] | None) -> frozenset[str]:
    from vaultlint.rule_ids import RULE_IDS

    chosen = PAGE_RULES if select is None else PAGE_RULES & set(select)
    return frozenset(rule for rule in chosen if rule in RULE_IDS)


def _may_hold_settings(folder: Path) -> bool:
    """Whether `folder` may hold what `config.load_settings` looks for; True when it cannot
    be told (a locked folder): then it is searched as before, errors and all."""
    for name in _SETTINGS_MARKERS:
        try:
            os.lstat(os.path.join(folder, name))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return True
        return True
    return False


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


# `inherits` of a folder that cannot be listed, yielded as a name of its parent
_UNLISTED = "\0unlisted"


class Listing:
    """Every file and folder a walk passes, as paths relative to where it started: what
    `graph.index.list_vault` gives (dot-entries, and what is under a symbolic link to a folder
    or in a folder that cannot be listed, left out)."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.folders: list[str] = []

    def frozen(self) -> tuple[frozenset[str], frozenset[str]]:
        return frozenset(self.files), frozenset(self.folders)


def _walk(
    folder: str, parent: str | None = None, *, listing: Listing, prefix: str = ""
) -> Iterator[tuple[str, list[str], str | None]]:
    """(folder, its `*.md` names, `inherits`) in `discovery.walk_notes` order, skipping what it
    skips, for every folder listed (with or without notes).

    `discovery.walk_notes` with strings instead of a `Path` per note; a test holds the two equal.
    `inherits` is the parent folder (as yielded) when the folder holds nothing that can make its
    settings differ from its parent's (a config file, `.obsidian`, `.git`: what
    `config.load_settings` looks for), else None: the settings are then looked up once per
    vault, not once per folder (each lookup tries every name in every folder up to `/`).
    A folder that cannot be listed comes out as a name of its parent (`inherits` is then
    `_UNLISTED`): reading it says why. `listing` gathers every name passed (`prefix`: the
    folder's path relative to where the walk started).
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        up, name = os.path.split(os.path.normpath(folder))
        yield up, [name], _UNLISTED
        return
    names, subfolders = [], []
    # lower: a file system may ignore case
    changes = any(entry.name.lower() in _SETTINGS_NAMES for entry in entries)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            if name.endswith(_TEMP_SUFFIX) and _is_leftover(entry.path):
                names.append(name)  # reading it reports it; fix and format remove it
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        (listing.folders if is_dir else listing.files).append(prefix + name)
        if is_dir:
            subfolders.append((entry.path, prefix + name + "/"))
        elif name.endswith(discovery.NOTE_SUFFIX):
            names.append(name)
    yield folder, names, None if changes else parent
    for sub, sub_prefix in subfolders:
        yield from _walk(sub, folder, listing=listing, prefix=sub_prefix)


# What `config.load_settings` looks for in a folder and its parents: where none is, a folder's
# settings are its parent's.
_SETTINGS_NAMES = frozenset(name.lower() for name in (*CONFIG_NAMES, ".obsidian", ".git"))
_TEMP_SUFFIX = ".tmp"


def _is_leftover(path: str) -> bool:
    from vaultlint.writer import is_leftover as leftover

    return leftover(path)


def _folder_prefix(display: str) -> str:
    return "" if display == "." else display + "/"


# Up to this many notes to check, a cache file's entries are found one by one in its text
# rather than all parsed (see `ResultCache.load`).
_FEW_NOTES = 16


def _racy_window() -> int:
    from vaultlint.cache import RACY_WINDOW_NS

    return RACY_WINDOW_NS


class _RunCaches:
    """The cache files a run uses (one per vault root and configuration), looked up per note."""

    def __init__(self, runner: Runner, paths: Sequence[Path], *, few: bool = False) -> None:
        self.runner = runner
        # A few notes to look up (`check ONE.md`): each cache file's entries are not all parsed
        # (`ResultCache.load(lazy=True)`): 10,000 entries take longer than the note's check.
        self.few = few
        self.strategy = runner.options.cache_strategy
        self.by_settings: dict[int, ResultCache] = {}
        self.files: dict[tuple[Path, str], ResultCache] = {}
        self.scopes: dict[int, list[str]] = {}
        self.resolved: dict[Path, str] = {}
        self.paths = paths
        self.digests: dict[int, str] = {}
        self.keys: dict[tuple[Path, Path | None], tuple[Settings, str]] = {}
        self.recorded_schema: tuple[object, ...] = ()
        self.single_schema = runner.options.schema is not None or not _any_schema_mappings(runner)
        # An entry that holds a hash (its note had just changed) drops it once the note is older.
        self.not_after_ns = time.time_ns() - _racy_window()

    def _cache_for(self, settings: Settings) -> ResultCache:
        from vaultlint.cache import ResultCache, configuration_key

        cache = self.by_settings.get(id(settings))
        if cache is None:
            # Settings read from the same file (or none) under the same root are equal: every
            # folder of a vault has its own Settings object, hashed once per file instead.
            source = (settings.root, settings.config_path)
            known = self.keys.get(source)
            if known is not None and known[0] == settings:
                key = known[1]
            else:
                key = configuration_key(_configuration(self.runner, settings), self.strategy)
                self.keys[source] = (settings, key)
            cache = self.files.get((settings.root, key))
            if cache is None:
                cache = ResultCache(settings.root, key, self.strategy)
                cache.load(lazy=self.few)
                self._check_problem(cache)
                self.files[(settings.root, key)] = cache
                self.scopes[id(cache)] = self._scopes(settings.root)
            self.by_settings[id(settings)] = cache
        return cache

    def _scopes(self, root: Path) -> list[str]:
        """The root-relative folders this run walks: notes cached there and not found are gone."""
        scopes = []
        for path in self.paths:
            if discovery.is_folder(path):
                relative = discovery.relative_to_root(path, root, self.runner.cwd)
                if relative == ".":
                    return [""]
                if not os.path.isabs(relative):
                    scopes.append(relative)
        return scopes

    def _check_problem(self, cache: ResultCache) -> None:
        if cache.problem is not None:
            self.runner.warn_once(cache.problem)
            cache.problem = None

    def _schema_digest(self, target: Target, cache: ResultCache) -> str:
        """The digest of the note's schema: checked against its files, or compiled if changed."""
        path = self.runner.schema_path(target)
        if path is None:
            return ""
        compiled = self.runner._schemas.get(path)
        if compiled is not None:
            return compiled.digest
        resolved = self.resolved.get(path)
        if resolved is None:
            resolved = self.resolved[path] = str(path.resolve())
        digest = cache.schema_digest(resolved)
        if digest is None:  # unknown or changed: compile it (this also reports a broken schema)
            compiled = self.runner.schema_for(target)
            return compiled.digest if compiled is not None else ""
        return digest

    def lookup(self, target: Target) -> tuple[Row, ...] | None:
        """The note's findings as stored, when nothing they depend on changed; else None.

        Called for every note of a warm run: kept to a few dictionary lookups and one stat.
        """
        settings = target.settings
        known = id(settings)
        cache = self.by_settings.get(known) or self._cache_for(settings)
        relative = target.relative
        entry = cache.entry(relative)
        if entry is None:
            return None
        digest = self.digests.get(known) if self.single_schema else None
        if digest is None:  # with one schema for every note of these settings: digested once
            digest = self._schema_digest(target, cache)
            if self.single_schema:
                self.digests[known] = digest
        file = target.file
        if self.strategy == "mtime":
            try:
                info = os.stat(file)
            except OSError:
                return None
            size, mtime, ctime, inode = (
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_ino,
            )
            target.identity = (size, mtime, ctime, inode, "")
            if (
                type(entry) is list
                and len(entry) == 7  # `cache.Entry`'s fields
                and entry[:6] == [size, mtime, ctime, inode, "", digest]
            ):  # most notes: unchanged, no hash to check (`lookup_stat` decides the others)
                rows = cache.stored_rows(relative, entry[6])
            else:
                rows = cache.lookup_stat(relative, info, digest, file, self.not_after_ns)
        else:
            from vaultlint.cache import read_identity

            identity = read_identity(file)
            if identity is None:
                return None
            target.identity = (identity.size, 0, 0, 0, identity.digest)
            rows = cache.lookup(relative, identity, digest, lambda: None)
        if cache.problem is not None:
            self._check_problem(cache)
        return rows

    def record(self, target: Target, checked: Checked, sources: tuple[str, ...] | None) -> None:
        from vaultlint.cache import SchemaSources

        settings = target.settings
        cache = self.by_settings.get(id(settings)) or self._cache_for(settings)
        if checked.identity is None:
            cache.forget(target.relative)
            return
        recorded = (id(cache), sources, checked.schema_digest)
        if sources and recorded != self.recorded_schema:
            # the schema file first, then the files it references; once per cache and schema
            cache.add_schema(sources[0], SchemaSources(checked.schema_digest, sources))
            self.recorded_schema = recorded
        cache.store(target.relative, checked.identity, checked.schema_digest, checked.rows)

    def finish(self) -> None:
        from vaultlint.cache import CacheError

        for cache in self.files.values():
            cache.prune(self.scopes[id(cache)])
            try:
                cache.save()
            except CacheError as problem:
                self.runner.warn_once(str(problem))
            self._check_problem(cache)  # a lazy load parses the entries only when storing


def _any_schema_mappings(runner: Runner) -> bool:
    return any(settings.schemas for settings in runner._settings.values())


def _configuration(runner: Runner, settings: Settings) -> object:
    """What, besides the note, its path and its schema, can change a note's findings.

    The settings and options the rule selection is built from, rather than the selection: that
    would import every rule, which a warm run does not need (the rules' code is in the key).
    """
    ignored = {"root", "config_path", "include", "exclude", "schema", "schemas"}
    relevant = {
        name: getattr(settings, name)
        for name in settings.__dataclass_fields__
        if name not in ignored
    }
    options = runner.options
    # .obsidian/types.json feeds the property-type rule: a change to it changes findings.
    types = sorted(property_types(settings.root).items())
    return [relevant, options.select, options.ignore, options.extend_ignore, types]


# ------------------------------------------------------------------------- the pool's workers
# What a worker process does; `parallel.map_in_pool` only runs it (it knows nothing of runs).

# (path, displayed path, path relative to the vault root, index of its settings)
_Task = tuple[str, str, str, int]
_Result = tuple[tuple[str, ...] | None, Checked]


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker needs, sent once when it starts: it builds one `Runner` from it (the
    settings already found, so that no config is looked up twice) and compiles each schema
    once. Results come back as cache rows (findings without their path, the note's identity,
    its facts), in order: the parent rebuilds the reports from rows exactly as it does for
    notes checked in-process or read from the cache, so the output is byte-identical whatever
    `--jobs` says."""

    options: RunOptions
    cwd: Path
    settings: tuple[Settings, ...]  # indexed by the tasks
    strategy: str | None  # the cache's identity strategy, None: no cache
    not_after_ns: int  # notes changed after this are stored with a hash of their bytes (racy)


_worker: tuple[Runner, WorkerSetup] | None = None


def _start_worker(setup: WorkerSetup) -> None:
    global _worker  # noqa: PLW0603 - one state per worker process
    _worker = (Runner(setup.options, cwd=setup.cwd), setup)


def _check_chunk(tasks: list[_Task]) -> list[_Result]:
    assert _worker is not None, "the pool initializer sets up every worker"
    runner, setup = _worker
    results: list[_Result] = []
    for path, display, relative, settings_index in tasks:
        target = Target(path, display, setup.settings[settings_index], relative)
        checked = runner.check_for_cache(target, setup.strategy, setup.not_after_ns)
        results.append((runner._schema_sources(target), checked))
    return results


def _map_chunk(tasks: list[tuple[Callable[[Runner, Target], R], str, str, str, int]]) -> list[R]:
    assert _worker is not None, "the pool initializer sets up every worker"
    runner, setup = _worker
    return [
        function(runner, Target(path, display, setup.settings[index], relative))
        for function, path, display, relative, index in tasks
    ]


def _fix_checked(minimum: int, runner: Runner, target: Target) -> FixChecked:
    """`Runner.fix_checked`, as `Runner.map_notes` calls it (bound to `minimum` by a partial)."""
    return runner.fix_checked(target, minimum)


def _pool_tasks(targets: Sequence[Target]) -> tuple[list[Settings], list[_Task]]:
    """The settings the targets use (each sent once) and one task per target."""
    settings_index: dict[int, int] = {}
    settings: list[Settings] = []
    tasks: list[_Task] = []
    for target in targets:
        index = settings_index.get(id(target.settings))
        if index is None:
            index = settings_index[id(target.settings)] = len(settings)
            settings.append(target.settings)
        tasks.append((target.file, target.display, target.relative, index))
    return settings, tasks


def _preload(runner: Runner, targets: Sequence[Target], *, rules: bool = True) -> None:
    """Import the rules (unless `rules` is False) and compile the schemas once, here, for every
    forked worker to inherit (rather than each worker doing it again: some 50 ms of CPU per
    worker)."""
    if rules:
        import vaultlint.engine  # noqa: F401 - imports every rule

    seen: set[object] = set()
    for target in targets:
        path = runner.schema_path(target)
        if path not in seen:
            seen.add(path)
            runner.schema_for(target)  # a broken schema is reported here, before any fork


def check_in_pool(
    runner: Runner,
    targets: Sequence[Target],
    jobs: int,
    *,
    strategy: str | None,
    not_after_ns: int,
    context: multiprocessing.context.BaseContext | None = None,
) -> Iterator[_Result]:
    """Check the notes in `jobs` processes; yields one result per target, in their order."""
    from vaultlint.parallel import map_in_pool, pool_context

    settings, tasks = _pool_tasks(targets)
    context = context or pool_context()
    if context.get_start_method() == "fork":
        _preload(runner, targets)
    setup = WorkerSetup(runner.options, runner.cwd, tuple(settings), strategy, not_after_ns)
    yield from map_in_pool(
        _check_chunk, tasks, jobs, initializer=_start_worker, initargs=(setup,), context=context
    )
