"""`vaultlint check`: run the rules over the notes and print a report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vaultlint.reporters import ReportContext, reporter
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions

EXIT_OK, EXIT_PROBLEMS = 0, 1


def run_check(
    options: RunOptions,
    *,
    paths: Sequence[Path],
    output_format: str,
    out: TextIO,
    color: bool,
    quiet: bool,
) -> int:
    report = Runner(options).run(paths)
    context = ReportContext(color=color, show_summary=not quiet)
    reporter(output_format).render(report, out, context)
    return exit_code(report)


def exit_code(report: RunReport) -> int:
    return EXIT_PROBLEMS if report.errors else EXIT_OK
