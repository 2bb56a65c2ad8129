"""`vaultlint fix`: apply the allowed fixes, write each changed note safely, report what remains.

With `--diff`, print a unified diff instead and write nothing. Exit codes: 0 nothing changed and
no error remains, 1 notes changed (or would, with --diff), errors remain, or a fix was withheld
(it would have introduced a problem or failed its verification: one line on stderr names the
note, the rule and why), 2 usage or internal error.
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vaultlint.commands.leftovers import remove_leftovers
from vaultlint.commands.output import OutputOptions, final_exit_code, render, unified_diff
from vaultlint.diagnostic import Applicability, Fix
from vaultlint.engine import LintResult
from vaultlint.fixer import FixOutcome, FixVerificationError, Withheld
from vaultlint.note import Note
from vaultlint.reading import NoteReadError
from vaultlint.reporters import ReportContext
from vaultlint.results import FileReport, Finding, RunReport
from vaultlint.runner import FixedNote, Runner, RunOptions, Target
from vaultlint.writer import FolderSync, WriteStatus, folder_syncs, write_note

if TYPE_CHECKING:
    from vaultlint.graph.facts import NoteFacts
    from vaultlint.graph.gather import FactsKey
    from vaultlint.graph.phase import NoteDiagnostics

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
    # --diff: each note's changes, printed once every fix is known (a note's own fixes and its
    # link fixes make one diff)
    diffs: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # (before, after)


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
    # Phase 2's facts of the notes whose bytes on disk are those the facts were taken from
    # (in the workers, see `Runner.fixes`); phase 2 reads the others again.
    known: dict[FactsKey, NoteFacts] = field(default_factory=dict)

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
        # Every note is linted and fixed in memory in the pool; only the bytes to write come
        # back, and this process writes them (or prints the diff), each folder synced once.
        fixed_notes = self.runner.fixes(targets, self.minimum, self.known)
        with folder_syncs() as self.folders:
            for target, (report, fixed) in zip(targets, fixed_notes, strict=True):
                written = self.write_fixed(target, fixed, report) if fixed is not None else report
                tally.reports.append(written)
            self.fix_links(targets)
        for display in sorted(tally.diffs):
            before, after = tally.diffs[display]
            self.out.write(unified_diff(display, before, after))
        tally.reports = self.runner.with_vault_findings(
            tally.reports, targets, self.known, request.paths
        )
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
        # The notes of a folder share its settings: found once per folder, not once per note
        # (each costs a stat and a few Path objects).
        by_folder: dict[str, Path | None] = {}

        def baseline_of(display: str) -> Path | None:
            folder = posixpath.dirname(display)
            if folder not in by_folder:
                by_folder[folder] = self.runner.settings_for(cwd / display).baseline
            return by_folder[folder]

        return without_baselines(report, baseline_of, cwd, self.request.baseline)

    def write_fixed(self, target: Target, fixed: FixedNote, report: FileReport) -> FileReport:
        """Write a note fixed in a worker (or print its diff); what remains to report. When the
        note changed on disk since it was read, it is read, fixed and written again here."""
        published = self.publish(target, fixed.original, fixed.fixed, fixed.applied)
        # The facts from the pool are of the fixed bytes: unless the note now holds them,
        # phase 2 reads it again.
        shown_only = self.request.diff and fixed.fixed != fixed.original
        if published is not _Published.DONE or shown_only:
            self.forget_facts(target)
        if published is _Published.CHANGED_ON_DISK:
            fresh = _reread(self.runner, target)
            if fresh is None:
                return report
            final = self.fix_target(target, self.runner.lint_note(target, fresh))
            return FileReport(target.display, tuple(final.findings(target.display)))
        self.say_withheld(target, fixed.withheld)
        if published is _Published.FAILED:
            return FileReport(target.display, tuple(self.unfixed(target, fixed)))
        return report

    def unfixed(self, target: Target, fixed: FixedNote) -> list[Finding]:
        """The note's findings as read (it was not written)."""
        result = self.runner.lint_note(target, Note(target.display, fixed.original))
        return result.findings(target.display)

    def fix_target(self, target: Target, result: LintResult) -> LintResult:
        """Fix one note and write it (or print its diff); returns what remains to report."""
        for _ in range(_WRITE_ATTEMPTS):
            outcome = self.runner.fix(target, result.note, self.minimum, result)
            published = self.publish(target, outcome.original, outcome.fixed, outcome.applied)
            if published is _Published.CHANGED_ON_DISK:
                fresh = _reread(self.runner, target)
                if fresh is None:
                    return result
                result = self.runner.lint_note(target, fresh)
                continue
            self.say_withheld(target, outcome.withheld)
            return outcome.final if published is _Published.DONE else result
        self.err.write(f"vaultlint: {target.display}: not written: it kept changing on disk\n")
        self.tally.write_failures += 1
        return result

    def say_withheld(self, target: Target, withheld: Sequence[Withheld]) -> None:
        """One line per fix the fixer refused: the note, the rule, the fix and why."""
        self.err.writelines(refused.notice(target.display) for refused in withheld)
        self.tally.withheld += len(withheld)

    def fix_links(self, targets: Sequence[Target]) -> None:
        """The vault rules' fixes (see `graph/fixing.py`), once the notes' own are written."""
        stale = self.fix_links_of(targets, {target.display for target in targets})
        if stale:  # edited by another program since the pool read them: read again, once
            self.fix_links_of(targets, stale)

    def fix_links_of(self, targets: Sequence[Target], given: set[str]) -> set[str]:
        """The link fixes of the `given` notes (displayed paths) among `targets`; the notes
        whose facts no longer hold (see `facts_hold`) are left out and returned."""
        from vaultlint.graph.fixing import link_fixes
        from vaultlint.graph.phase import vault_diagnostics

        stale: set[str] = set()
        for placed in vault_diagnostics(self.runner, targets, self.known, self.request.paths):
            if placed.target.display not in given:
                continue
            if not self.facts_hold(placed):
                self.forget_facts(placed.target)
                stale.add(placed.target.display)
                continue
            try:
                outcome = link_fixes(placed, self.minimum)
            except FixVerificationError as error:  # a refused fix is a notice, not a crash
                self.err.write(
                    f"vaultlint: {placed.target.display}: not fixed: the link fixes failed "
                    f"verification: {error}\n"
                )
                self.tally.withheld += 1
                continue
            if outcome is not None:
                self.forget_facts(placed.target)  # its links change: phase 2 reads it again
                both = self.with_own_fixes(placed.target, outcome)
                self.publish(placed.target, both.original, both.fixed, both.applied)
        return stale

    def facts_hold(self, placed: NoteDiagnostics) -> bool:
        """Whether the note, as read for its link fixes, is the one its facts (from the pool)
        were taken from: the fixes' offsets come from those facts, and an edit by another
        program since then would move them."""
        from vaultlint.graph.facts import extract

        target = placed.target
        known = self.known.get((target.settings.root, target.relative))
        if known is None:  # read for this phase, with the note's bytes
            return True
        schema = self.runner.schema_for(target)
        return extract(placed.note, schema.extension if schema is not None else None) == known

    def forget_facts(self, target: Target) -> None:
        self.known.pop((target.settings.root, target.relative), None)

    def with_own_fixes(self, target: Target, links: FixOutcome) -> FixOutcome:
        """--diff: the link fixes, then the note's own fixes again on top (nothing was written,
        so the link fixes' offsets are those of the note on disk), as one outcome."""
        own = self.tally.diffs.get(target.display)
        if own is None:
            return links
        both = self.runner.fix(target, Note(target.display, links.fixed), self.minimum)
        return FixOutcome(links.original, both.fixed, links.applied + both.applied, both.final)

    def publish(
        self,
        target: Target,
        original: bytes,
        fixed: bytes,
        applied: Sequence[tuple[str, Fix]],
    ) -> _Published:
        """Write the fixed note, or keep its diff to print at the end."""
        if fixed == original:
            return _Published.DONE
        if self.request.diff:
            self.tally.diffs[target.display] = (original, fixed)  # printed at the end, once
            self.tally.changed = True
            return _Published.DONE
        roots = [path.resolve() for path in self.request.paths]
        written = write_note(
            target.path,
            original,
            fixed,
            roots=roots,
            follow_symlinks=self.request.follow_symlinks,
            folders=self.folders,
        )
        if written.status is WriteStatus.CHANGED_ON_DISK:
            return _Published.CHANGED_ON_DISK
        if written.status is WriteStatus.WRITTEN:
            self.tally.changed = True
            self.tally.fixed_notes += 1
            self.tally.fixed_problems += len(applied)
            rules = ", ".join(sorted({rule for rule, _ in applied}))
            count = len(applied)
            plural = "s" if count != 1 else ""
            self.notices.write(f"Fixed {count} problem{plural} in {target.display} ({rules})\n")
            return _Published.DONE
        self.err.write(f"vaultlint: {target.display}: {written.message}\n")
        self.tally.write_failures += 1
        return _Published.FAILED


def _reread(runner: Runner, target: Target) -> Note | None:
    try:
        return Note(target.display, runner.load(target))
    except NoteReadError:
        return None
