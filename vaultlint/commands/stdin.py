"""`check -`, `fix -` and `format -`: a note read from stdin, as editors and scripts pipe it.

With `--stdin-filename PATH` the note stands for PATH (which need not exist): PATH's config,
schema, excludes (with `--force-exclude`, as for a named file) and baseline apply, and the output
names PATH. Without it the note is shown as `-` and the current folder's config applies.

As ruff does, `fix -` and `format -` write the resulting note to stdout (the bytes unchanged when
there is nothing to do, or the note is excluded), and their messages go to stderr; `--diff`
prints a diff instead, and `format --check` says whether it would change. Nothing is written to
disk. Exit codes as for files: `check -` 1 when errors remain; `fix -` 1 when errors remain
after fixing (the output is not a change on disk, so a change alone is not a failure); `--diff`
and `--check` 1 when the note would change; 2 for a usage error or a fix or format that failed
its own verification (the note is then written back unchanged).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from vaultlint.commands.output import OutputOptions, final_exit_code, render, unified_diff
from vaultlint.diagnostic import Applicability
from vaultlint.errors import UsageError
from vaultlint.reporters import ReportContext
from vaultlint.results import FileReport, RunReport
from vaultlint.runner import Runner, RunOptions, Target

STDIN_NAME = "-"
EXIT_OK, EXIT_PROBLEMS, EXIT_INTERNAL = 0, 1, 2


@dataclass(frozen=True, slots=True)
class StdinNote:
    raw: bytes
    filename: Path | None  # `--stdin-filename`


def reads_stdin(paths: tuple[Path, ...], stdin_filename: Path | None) -> bool:
    """Whether the command reads its note from stdin: `-` is the only path given, or no path
    and `--stdin-filename`. `-` beside other paths is a usage error."""
    dashes = [path for path in paths if os.fspath(path) == STDIN_NAME]
    if dashes and len(paths) > 1:
        raise UsageError("`-` (read the note from stdin) cannot be given with other paths")
    if stdin_filename is not None and paths and not dashes:
        raise UsageError("--stdin-filename is for a note read from stdin: pass `-` as the path")
    return bool(dashes) or stdin_filename is not None


def stdin_target(runner: Runner, filename: Path | None) -> Target | None:
    """The target the piped note stands for; None when the config excludes it."""
    if filename is not None:
        from vaultlint.buffer import buffer_target

        return buffer_target(runner, filename)
    settings = runner.settings_for(runner.cwd)
    return Target(Path(STDIN_NAME), STDIN_NAME, settings, STDIN_NAME)


def _without_baseline(
    runner: Runner, target: Target, report: RunReport, explicit: Path | None
) -> RunReport:
    from vaultlint.baseline import without_baselines

    return without_baselines(report, lambda _: target.settings.baseline, runner.cwd, explicit)


def check_stdin(
    options: RunOptions,
    note: StdinNote,
    output: OutputOptions,
    baseline: Path | None,
    out: TextIO,
) -> int:
    # Imported here, not at the top: `check` imports this module to call `reads_stdin`, and a
    # warm run of files must not import the engine and every rule for it (start-up, issue #17).
    from vaultlint.buffer import check_buffer
    from vaultlint.fix_details import FORMATS_WITH_FIXES, with_fix_details

    runner = Runner(options)
    target = stdin_target(runner, note.filename)
    if target is None:
        report = RunReport(())
    else:
        file_report, result = check_buffer(runner, target, note.raw)
        if result is not None and note.filename is not None:
            file_report = _with_vault_findings(runner, target, note.raw, file_report)
        report = _without_baseline(runner, target, RunReport((file_report,)), baseline)
        if output.output_format in FORMATS_WITH_FIXES:
            report = with_fix_details(report, lambda _: result)
    context = ReportContext(color=output.color, show_summary=not output.quiet)
    render(report, output, context, out)
    return final_exit_code(EXIT_PROBLEMS if report.errors else EXIT_OK, output)


def _with_vault_findings(
    runner: Runner, target: Target, raw: bytes, report: FileReport
) -> FileReport:
    """The vault rules' findings too (links, duplicates), the piped note standing in for the
    file at `--stdin-filename` in the vault's index."""
    from vaultlint.engine import to_finding
    from vaultlint.note import Note
    from vaultlint.results import Finding
    from vaultlint.server.vault_rules import vault_diagnostics

    note = Note(target.display, raw)
    found = [to_finding(note, d, target.display) for d in vault_diagnostics(runner, target, note)]
    if not found:
        return report
    findings = sorted([*report.findings, *found], key=Finding.sort_key)
    return FileReport(report.path, tuple(findings))


@dataclass(frozen=True, slots=True)
class StdinFix:
    unsafe: bool = False
    diff: bool = False
    baseline: Path | None = None


def fix_stdin(
    options: RunOptions,
    note: StdinNote,
    request: StdinFix,
    output: OutputOptions,
    streams: tuple[BinaryIO, TextIO, TextIO],
) -> int:
    """Fix the piped note; the fixed bytes (or a diff) to stdout, the report to stderr."""
    from vaultlint.buffer import check_buffer

    data_out, text_out, err = streams
    runner = Runner(options)
    target = stdin_target(runner, note.filename)
    if target is None:
        data_out.write(note.raw)
        return EXIT_OK
    report, result = check_buffer(runner, target, note.raw)
    fixed, code = note.raw, EXIT_OK
    if result is not None:
        minimum = Applicability.UNSAFE if request.unsafe else Applicability.SAFE
        outcome = runner.fix(target, result.note, minimum, result)
        err.writelines(withheld.notice(target.display) for withheld in outcome.withheld)
        if outcome.withheld:
            code = EXIT_PROBLEMS
        fixed = outcome.fixed
        report = FileReport(target.display, tuple(outcome.final.findings(target.display)))
    if request.diff:
        text_out.write(unified_diff(target.display, note.raw, fixed))
        return code or (EXIT_PROBLEMS if fixed != note.raw else EXIT_OK)
    data_out.write(fixed)
    data_out.flush()
    remaining = _without_baseline(runner, target, RunReport((report,)), request.baseline)
    context = ReportContext(color=False, show_summary=not output.quiet)
    render(remaining, output, context, err)
    return code or final_exit_code(EXIT_PROBLEMS if remaining.errors else EXIT_OK, output)


@dataclass(frozen=True, slots=True)
class StdinFormat:
    check: bool = False
    diff: bool = False


def format_stdin(
    options: RunOptions,
    note: StdinNote,
    request: StdinFormat,
    streams: tuple[BinaryIO, TextIO, TextIO],
) -> int:
    """Format the piped note; the formatted bytes (or a diff, or a verdict) to stdout."""
    from vaultlint.commands.format import format_settings_for
    from vaultlint.formatter import NoticeKind, format_note
    from vaultlint.note import Note

    data_out, text_out, err = streams
    runner = Runner(options)
    target = stdin_target(runner, note.filename)
    if target is None:
        if not (request.check or request.diff):
            data_out.write(note.raw)
        return EXIT_OK
    schema = runner.schema_for(target)
    outcome = format_note(
        Note(target.display, note.raw), schema, format_settings_for(target.settings)
    )
    for notice in outcome.notices:
        prefix = "internal error: " if notice.kind is NoticeKind.REFUSED else ""
        err.write(f"vaultlint: {target.display}: {prefix}{notice.message}\n")
    if request.diff:
        text_out.write(unified_diff(target.display, outcome.original, outcome.formatted))
    elif request.check:
        if outcome.changed:
            text_out.write(f"Would reformat: {target.display}\n")
    else:
        data_out.write(outcome.formatted)
        data_out.flush()
    if outcome.refused:
        return EXIT_INTERNAL
    return EXIT_PROBLEMS if (request.check or request.diff) and outcome.changed else EXIT_OK
