"""Lint an editor's buffer as `vaultlint check` lints its file: no pygls here, so tests and the
benchmark drive it directly.

A session belongs to one workspace folder (the current folder of its runs): config and schema
are found from each note's folder as the CLI finds them, excludes apply as with
`--force-exclude` (a note the config excludes gets no diagnostics), and the config's `baseline`
leaves out what it records. Settings, schemas and the baseline are read once and kept; a
changed config or schema file is read again on the next lint (`refresh`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vaultlint.buffer import buffer_target, check_buffer
from vaultlint.diagnostic import Applicability, Diagnostic
from vaultlint.engine import LintResult, to_finding
from vaultlint.graph.gather import MemoryFacts
from vaultlint.note import Note
from vaultlint.results import FileReport, Finding
from vaultlint.runner import Runner, RunOptions, Target
from vaultlint.server import vault_rules


@dataclass(frozen=True, slots=True)
class Placed:
    """A diagnostic and the note its byte span is in.

    After a whole-note mojibake repair, the other rules' findings are placed in the repaired
    note (as the CLI reports them) and their fixes wait for the repair: `fixable` is False.
    """

    diagnostic: Diagnostic
    note: Note
    fixable: bool


@dataclass(frozen=True, slots=True)
class BufferLint:
    target: Target
    note: Note  # the buffer's bytes
    result: LintResult | None  # None: not linted (over the size limit)
    placed: tuple[Placed, ...]  # what to publish, baseline left out, in report order
    report: FileReport  # the same as findings, for a limit problem (no position in the buffer)


class Session:
    def __init__(self, root: Path, options: RunOptions | None = None) -> None:
        self.root = root
        self.options = options or RunOptions(force_exclude=True)
        self.runner = Runner(self.options, cwd=root)
        # the vault's other notes' facts, kept between keystrokes (re-read when a note changes)
        self._facts = MemoryFacts()
        self._baselines: dict[Path, tuple[int, frozenset[str]]] = {}
        self._read: set[Path] = set()  # the config and schema files the lints so far used
        self._stamp = self._config_stamp()

    def lint(self, path: Path, text: str) -> BufferLint | None:
        """The buffer's problems, or None when the config excludes the note."""
        self.refresh()
        target = self._target(path)
        if target is None:
            return None
        note = Note(target.display, text.encode("utf-8", "surrogatepass"))
        report, result = check_buffer(self.runner, target, note.raw)
        placed = (
            _placed(self.runner, result, target, note, self._facts) if result is not None else []
        )
        kept = self._without_baseline(target, placed)
        return BufferLint(target, note, result, tuple(kept), report)

    def fix_all(self, lint: BufferLint, minimum: Applicability = Applicability.SAFE) -> bytes:
        """The buffer with every fix at `minimum` applied, as `vaultlint fix` would write it:
        a fix that would introduce a problem or fails its verification is withheld."""
        if lint.result is None:
            return lint.note.raw
        outcome = self.runner.fix(lint.target, lint.note, minimum, lint.result)
        return outcome.fixed  # withheld fixes (a promise broken) are simply not applied

    def format(self, path: Path, text: str) -> tuple[Note, bytes] | None:
        """The buffer and its bytes in `vaultlint format`'s style (the same bytes when it cannot
        be formatted); None when the config excludes the note."""
        from vaultlint.commands.format import format_settings_for
        from vaultlint.formatter import format_note

        self.refresh()
        target = self._target(path)
        if target is None:
            return None
        note = Note(target.display, text.encode("utf-8", "surrogatepass"))
        schema = self.runner.schema_for(target)
        outcome = format_note(note, schema, format_settings_for(target.settings))
        return note, outcome.formatted

    def dependents(self, path: Path) -> list[Path]:
        """The notes to publish again after `path` changed: those whose links lead to it."""
        target = self._target(path)
        if target is None:
            return []
        return list(vault_rules.dependents(self.runner, target, self._facts))

    def _target(self, path: Path) -> Target | None:
        target = buffer_target(self.runner, path)
        if target is not None:
            known = len(self._read)
            if target.settings.config_path is not None:
                self._read.add(target.settings.config_path)
            schema = self.runner.schema_path(target)
            if schema is not None:
                self._read.add(schema)
            if len(self._read) != known:
                self._stamp = self._config_stamp()
        return target

    def refresh(self) -> None:
        """Forget settings and schemas when a config or schema file changed since they were read."""
        stamp = self._config_stamp()
        if stamp != self._stamp:
            self.runner = Runner(self.options, cwd=self.root)
            self._facts = MemoryFacts()
            self._baselines.clear()
            self._stamp = stamp

    def _config_stamp(self) -> tuple[tuple[str, int], ...]:
        """The mtimes of the config and schema files the lints so far used."""
        return tuple(sorted((os.fspath(file), _mtime(file)) for file in self._read))

    def _without_baseline(self, target: Target, placed: list[Placed]) -> list[Placed]:
        baseline = target.settings.baseline
        if baseline is None or not placed:
            return placed
        from vaultlint.baseline import recorded_in_note

        known = self._known(baseline)
        findings = [to_finding(p.note, p.diagnostic, target.display) for p in placed]
        recorded = recorded_in_note(findings, baseline, known, self.root)
        return [p for p, skip in zip(placed, recorded, strict=True) if not skip]

    def _known(self, baseline: Path) -> frozenset[str]:
        from vaultlint.baseline import load_baseline

        stamp = _mtime(baseline)
        cached = self._baselines.get(baseline)
        if cached is None or cached[0] != stamp:
            cached = (stamp, load_baseline(baseline))
            self._baselines[baseline] = cached
        return cached[1]


def _placed(
    runner: Runner, result: LintResult, target: Target, note: Note, memory: MemoryFacts
) -> list[Placed]:
    placed = [Placed(d, result.note, True) for d in result.diagnostics]
    vault = vault_rules.vault_diagnostics(runner, target, note, memory)
    placed += [Placed(d, note, True) for d in vault]
    if result.repaired is not None:
        repaired, diagnostics = result.repaired
        placed += [Placed(d, repaired, False) for d in diagnostics]

    def order(item: Placed) -> tuple[str, int, int, str, str]:
        return _finding(item, target).sort_key()

    return sorted(placed, key=order)


def _finding(item: Placed, target: Target) -> Finding:
    return to_finding(item.note, item.diagnostic, target.display, fixes=item.fixable)


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
