"""`vaultlint check`: run the rules over the notes and print a report."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

from vaultlint.commands.output import OutputOptions, final_exit_code, render
from vaultlint.errors import UsageError
from vaultlint.reporters import ReportContext
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions

EXIT_OK, EXIT_PROBLEMS = 0, 1
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    paths: Sequence[Path]
    output: OutputOptions = field(default_factory=OutputOptions)
    baseline: Path | None = None
    write_baseline: Path | None = None
    changed_since: str | None = None
    statistics: bool = False
    progress: bool = False  # a progress bar on stderr (the CLI asks for it on a terminal only)


def run_check(options: RunOptions, request: CheckRequest, out: TextIO, err: TextIO) -> int:
    cwd = Path.cwd().resolve()
    paths = list(request.paths)
    if request.changed_since is not None:
        paths = _changed_notes(request.changed_since, paths, cwd)
        options = dataclasses.replace(options, force_exclude=True)
    if request.statistics:
        _check_statistics_format(request.output.output_format)
    runner = Runner(options, cwd=cwd)
    if request.progress:
        runner.progress = progress_bar
    report = runner.run(paths) if paths else RunReport(())
    if request.write_baseline is not None:
        from vaultlint.baseline import write_baseline

        count = write_baseline(report, request.write_baseline, cwd)
        err.write(
            f"Recorded {count} problem{'s' if count != 1 else ''} in {request.write_baseline}\n"
        )
        return EXIT_OK
    report = _without_baselines(report, runner, request.baseline, cwd)
    if not request.statistics:
        from vaultlint.fix_details import for_output

        report = for_output(report, request.output.output_format, runner)
    context = ReportContext(color=request.output.color, show_summary=not request.output.quiet)
    if request.statistics:
        _render_statistics(report, request.output, context, out)
    else:
        render(report, request.output, context, out)
    return final_exit_code(exit_code(report), request.output)


def _check_statistics_format(output_format: str) -> None:
    from vaultlint.statistics import STATISTICS_FORMATS  # here: start-up counts (issue #17)

    if output_format not in STATISTICS_FORMATS:
        formats = ", ".join(STATISTICS_FORMATS)
        raise UsageError(f"--statistics prints a table or JSON: use --output-format {formats}")


def _without_baselines(
    report: RunReport, runner: Runner, explicit: Path | None, cwd: Path
) -> RunReport:
    """`--baseline FILE` for every note, else each note's config `baseline` (issue #16)."""
    import posixpath

    from vaultlint.baseline import without_baselines

    # A note's settings are its folder's: those the walk found for it, else looked up once
    # per folder (not per note: a path and a stat each); the baseline comes from the config
    # file, which is the same whatever vault root the lookup assumes. A folder that could not
    # be listed is shown as a note: its own lookup.
    by_folder: dict[str, Path | None] = {}

    def baseline_of(display: str) -> Path | None:
        if display in runner.unlisted:
            return runner.settings_for(cwd / display).baseline
        folder = posixpath.dirname(display)
        if folder not in by_folder:
            walked = runner.folder_settings.get(folder)
            settings = walked if walked is not None else runner.settings_for(cwd / display)
            by_folder[folder] = settings.baseline
        return by_folder[folder]

    return without_baselines(report, baseline_of, cwd, explicit)


def _render_statistics(
    report: RunReport, output: OutputOptions, context: ReportContext, out: TextIO
) -> None:
    """One line per rule, then the summary; as JSON with `--output-format json` or json-lines."""
    from vaultlint.commands.output import destination
    from vaultlint.reporters.summary import summary_lines
    from vaultlint.statistics import render_statistics, render_statistics_json

    with destination(output, out) as stream:
        if output.output_format in ("json", "json-lines"):
            lines = output.output_format == "json-lines"
            render_statistics_json(report, stream, lines=lines)
            return
        render_statistics(report, stream)
        if context.show_summary:
            stream.writelines(line + "\n" for line in summary_lines(report, context))


PROGRESS_THRESHOLD = 500  # fewer notes are checked before a bar would be worth drawing


def progress_bar(items: Iterator[T], count: int) -> Iterator[T]:
    """Yield `items`, drawing a bar on stderr while they come (click hides it off a terminal)."""
    if count < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield from items  # click would still print the label once off a terminal
        return
    import click

    with click.progressbar(length=count, label="Checking", file=sys.stderr) as bar:
        for item in items:
            yield item
            bar.update(1)


def exit_code(report: RunReport) -> int:
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _changed_notes(ref: str, paths: list[Path], cwd: Path) -> list[Path]:
    """The changed `*.md` files that lie under the given paths."""
    from vaultlint.changed import changed_since

    roots = [(cwd / path).resolve() for path in paths]
    changed = sorted(changed_since(ref, cwd))
    return [
        path
        for path in changed
        if path.suffix == ".md" and path.exists() and any(_inside(path, root) for root in roots)
    ]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
