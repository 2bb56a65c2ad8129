"""`vaultlint fix`: apply the allowed fixes, write each changed note safely, report what remains.

With `--diff`, print a unified diff instead and write nothing. Exit codes: 0 nothing changed and
no error remains, 1 notes changed (or would, with --diff), errors remain, or a fix was withheld
(it would have introduced a problem or failed its verification: one line on stderr names the
note, the rule and why), 2 usage or internal error.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from vaultlint.commands.leftovers import remove_leftovers
from vaultlint.commands.output import OutputOptions, final_exit_code, render, unified_diff
from vaultlint.diagnostic import Applicability
from vaultlint.engine import LintResult
from vaultlint.fixer import FixOutcome, fix_note
from vaultlint.note import Note
from vaultlint.reading import NoteReadError, read_note
from vaultlint.reporters import ReportContext
from vaultlint.results import FileReport, RunReport
from vaultlint.runner import Runner, RunOptions, Target
from vaultlint.writer import FolderSync, WriteStatus, folder_syncs, write_note

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERNAL = 0, 1, 2
_WRITE_ATTEMPTS = 3  # another program may edit a note while we fix it: start over this often


@dataclass(frozen=True, slots=True)
class FixRequest:
    paths: Sequence[Path]
    unsafe: bool = False
    diff: bool = False
    follow_symlinks: bool = False
    output: OutputOptions = field(default_factory=OutputOptions)
    # `--baseline FILE`; None: each note's config `baseline`. Recorded problems are not
    # reported and do not count as remaining (issue #16).
    baseline: Path | None = None


class _Published(enum.Enum):
    DONE = "done"
    CHANGED_ON_DISK = "changed-on-disk"
    FAILED = "failed"


@dataclass
class _Tally:
    fixed_problems: int = 0
    fixed_notes: int = 0
    changed: bool = False
    write_failures: int = 0
    withheld: int = 0
    reports: list[FileReport] = field(default_factory=list)


def run_fix(options: RunOptions, request: FixRequest, out: TextIO, err: TextIO) -> int:
    return _FixRun(Runner(options), request, out, err).run()


@dataclass
class _FixRun:
    runner: Runner
    request: FixRequest
    out: TextIO
    err: TextIO
    tally: _Tally = field(default_factory=_Tally)
    # The folders written to, fsynced once each when the notes are written (writer.py).
    folders: FolderSync = field(default_factory=FolderSync)

    @property
    def minimum(self) -> Applicability:
        return Applicability.UNSAFE if self.request.unsafe else Applicability.SAFE

    @property
    def notices(self) -> TextIO:
        # Per-note lines go to stderr when stdout carries a machine-readable report.
        return self.err if self.request.output.machine_readable else self.out

    def run(self) -> int:
        request, tally = self.request, self.tally
        targets = self.runner.targets(request.paths)
        if not request.diff:
            targets = remove_leftovers(targets, self.notices.write)
        # The first lint of every note runs in the pool; only notes with a fix come back whole.
        checked = self.runner.checks(targets, fixable_at=self.minimum)
        with folder_syncs() as self.folders:
            for target, (report, result) in zip(targets, checked, strict=True):
                if result is None or not _has_fix(result, self.minimum):
                    tally.reports.append(report)
                    continue
                final = self.fix_target(target, result)
                findings = tuple(final.findings(target.display))
                tally.reports.append(FileReport(target.display, findings))
        run_report = self.without_baselines(RunReport(tuple(tally.reports)))
        if not request.diff:
            from vaultlint.fix_details import for_output

            run_report = for_output(run_report, request.output.output_format, self.runner)
        if not request.diff:
            context = ReportContext(
                color=request.output.color,
                show_summary=not request.output.quiet,
                fixed=tally.fixed_problems,
                fixed_notes=tally.fixed_notes,
            )
            render(run_report, request.output, context, self.out)
        if request.diff:
            code = EXIT_PROBLEMS if tally.changed or tally.withheld else EXIT_OK
        elif tally.changed or tally.write_failures or tally.withheld or run_report.errors:
            code = EXIT_PROBLEMS
        else:
            code = EXIT_OK
        return final_exit_code(code, request.output)

    def without_baselines(self, report: RunReport) -> RunReport:
        from vaultlint.baseline import without_baselines

        cwd = self.runner.cwd

        def baseline_of(display: str) -> Path | None:
            return self.runner.settings_for(cwd / display).baseline

        return without_baselines(report, baseline_of, cwd, self.request.baseline)

    def fix_target(self, target: Target, result: LintResult) -> LintResult:
        """Fix one note and write it (or print its diff); returns what remains to report."""
        schema = self.runner.schema_for(target)
        selection = self.runner.selection_for(target.settings, target.relative)
        guard = self.runner.fix_guard(target)
        for _ in range(_WRITE_ATTEMPTS):
            outcome = fix_note(
                result.note, schema, selection, self.minimum, first=result, guard=guard
            )
            published = self.publish(target, outcome)
            if published is _Published.CHANGED_ON_DISK:
                fresh = _reread(target)
                if fresh is None:
                    return result
                result = self.runner.lint_note(target, fresh)
                continue
            self.say_withheld(target, outcome)
            return outcome.final if published is _Published.DONE else result
        self.err.write(f"vaultlint: {target.display}: not written: it kept changing on disk\n")
        self.tally.write_failures += 1
        return result

    def say_withheld(self, target: Target, outcome: FixOutcome) -> None:
        """One line per fix the fixer refused: the note, the rule, the fix and why."""
        for withheld in outcome.withheld:
            self.err.write(
                f"vaultlint: {target.display}: not fixed: {withheld.rule} "
                f"({withheld.title}) {withheld.reason}\n"
            )
        self.tally.withheld += len(outcome.withheld)

    def publish(self, target: Target, outcome: FixOutcome) -> _Published:
        """Write the fixed note, or print its diff."""
        if not outcome.changed:
            return _Published.DONE
        if self.request.diff:
            self.out.write(unified_diff(target.display, outcome.original, outcome.fixed))
            self.tally.changed = True
            return _Published.DONE
        roots = [path.resolve() for path in self.request.paths]
        written = write_note(
            target.path,
            outcome.original,
            outcome.fixed,
            roots=roots,
            follow_symlinks=self.request.follow_symlinks,
            folders=self.folders,
        )
        if written.status is WriteStatus.CHANGED_ON_DISK:
            return _Published.CHANGED_ON_DISK
        if written.status is WriteStatus.WRITTEN:
            self.tally.changed = True
            self.tally.fixed_notes += 1
            self.tally.fixed_problems += len(outcome.applied)
            rules = ", ".join(sorted({rule for rule, _ in outcome.applied}))
            count = len(outcome.applied)
            plural = "s" if count != 1 else ""
            self.notices.write(f"Fixed {count} problem{plural} in {target.display} ({rules})\n")
            return _Published.DONE
        self.err.write(f"vaultlint: {target.display}: {written.message}\n")
        self.tally.write_failures += 1
        return _Published.FAILED


def _has_fix(result: LintResult, minimum: Applicability) -> bool:
    return any(d.fix_available(minimum) for d in result.diagnostics)


def _reread(target: Target) -> Note | None:
    try:
        return Note(target.display, read_note(target.path))
    except NoteReadError:
        return None
