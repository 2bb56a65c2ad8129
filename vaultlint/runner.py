"""Paths -> notes -> lint results: the whole check run, with nothing that needs click.

Settings are found per folder (walking up to the nearest config), so a note gets the same
findings whether it is checked alone, in a chunk from pre-commit, or with the whole vault.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint import discovery
from vaultlint.config import Settings, load_settings
from vaultlint.engine import LintResult, RuleSelection, check_rule_ids, lint, to_finding
from vaultlint.note import Note
from vaultlint.reading import NoteReadError, read_note
from vaultlint.results import FileReport, RunReport
from vaultlint.rules import file as file_rule
from vaultlint.rules import limit as limit_rule
from vaultlint.schema.loader import CompiledSchema, load_schema


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What the command line says, on top of the config files."""

    config: Path | None = None
    schema: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_ignore: tuple[str, ...] = ()
    force_exclude: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    path: Path  # as given or found
    display: str  # posix path relative to the current folder
    settings: Settings
    relative: str  # relative to the vault root


@dataclass
class Runner:
    options: RunOptions
    cwd: Path = field(default_factory=lambda: Path.cwd().resolve())
    _settings: dict[Path, Settings] = field(default_factory=dict)
    _selections: dict[int, RuleSelection] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Say so at once, even when no note is checked.
        options = self.options
        check_rule_ids((*(options.select or ()), *(options.ignore or ()), *options.extend_ignore))

    # ----------------------------------------------------------------- targets

    def targets(self, paths: Sequence[Path]) -> list[Target]:
        """Every note to check, once each, sorted by displayed path."""
        found: dict[str, Target] = {}
        for path in paths:  # a broken config is an error even where no note is found
            self.settings_for(path)
        for path, explicit in discovery.expand(paths):
            settings = self.settings_for(path)
            relative = discovery.relative_to_root(path, settings.root, self.cwd)
            if (not explicit or self.options.force_exclude) and self._skipped(settings, relative):
                continue
            display = discovery.display_path(path, self.cwd).as_posix()
            found.setdefault(display, Target(path, display, settings, relative))
        return [found[key] for key in sorted(found)]

    def _skipped(self, settings: Settings, relative: str) -> bool:
        return discovery.is_hidden(relative) or settings.excluded(relative)

    def settings_for(self, path: Path) -> Settings:
        absolute = Path(os.path.normpath(path if path.is_absolute() else self.cwd / path))
        folder = absolute if absolute.is_dir() else absolute.parent
        cached = self._settings.get(folder)
        if cached is None:
            cached = load_settings(self.options.config, folder)
            self._settings[folder] = cached
        return cached

    # -------------------------------------------------------------------- checks

    def selection_for(self, settings: Settings) -> RuleSelection:
        key = id(settings)
        cached = self._selections.get(key)
        if cached is None:
            select = self.options.select if self.options.select is not None else settings.select
            ignore = self.options.ignore if self.options.ignore is not None else settings.ignore
            cached = RuleSelection.build(
                select,
                (*ignore, *self.options.extend_ignore),
                settings.severity,
                settings.rule_options,
            )
            self._selections[key] = cached
        return cached

    def schema_for(self, target: Target) -> CompiledSchema | None:
        path = self.options.schema or target.settings.schema_for(target.relative)
        return load_schema(path.resolve()) if path is not None else None

    def check(self, target: Target) -> tuple[FileReport, LintResult | None]:
        selection = self.selection_for(target.settings)
        try:
            raw = read_note(target.path)
        except NoteReadError as error:
            if error.too_large is not None:
                diagnostic = limit_rule.too_large(error.too_large)
            else:
                diagnostic = file_rule.problem(str(error))
            if diagnostic.rule not in selection.enabled:
                return FileReport(target.display, ()), None
            note = Note(target.display, b"")
            return FileReport(target.display, (to_finding(note, diagnostic, target.display),)), None
        result = self.lint_note(target, Note(target.display, raw))
        return FileReport(target.display, tuple(result.findings(target.display))), result

    def lint_note(self, target: Target, note: Note) -> LintResult:
        return lint(note, self.schema_for(target), self.selection_for(target.settings))

    def run(self, paths: Sequence[Path]) -> RunReport:
        return RunReport(tuple(report for report, _ in self.iter_checks(paths)))

    def iter_checks(self, paths: Sequence[Path]) -> Iterator[tuple[FileReport, LintResult | None]]:
        for target in self.targets(paths):
            yield self.check(target)
