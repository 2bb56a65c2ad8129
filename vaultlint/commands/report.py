"""`vaultlint report PATHS -o report.html`: check the notes and write one self-contained page.

The notes are checked as `check` checks them (same config, schema, selection), in this process
and without the results cache, since the page also needs each note's frontmatter: the values of
the fields that have an enum or known values are counted as the rules read them (a note that is
wholly mojibake, repaired). The page is written whole or not at all.

Exit codes are `check`'s: 0 when no error remains, 1 when errors do (`exit_zero`: 0), 2 for
a usage, config or schema error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from vaultlint.commands.output import OutputOptions, destination
from vaultlint.html.page import PageInput, render_page
from vaultlint.html.values import ValueTally
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions, Target

DEFAULT_OUTPUT = Path("vaultlint-report.html")
EXIT_OK, EXIT_PROBLEMS = 0, 1


@dataclass(frozen=True, slots=True)
class ReportRequest:
    paths: Sequence[Path]
    output: Path = DEFAULT_OUTPUT
    title: str | None = None  # default: "vaultlint report: <folder>"
    generated: str | None = None  # shown in the header when given (a date, a commit); none else
    exit_zero: bool = False
    links: str = "obsidian"  # obsidian (where the vault has .obsidian/) | file: html/links.py


def run_report(options: RunOptions, request: ReportRequest, out: TextIO, err: TextIO) -> int:
    cwd = Path.cwd().resolve()
    runner = Runner(options, cwd=cwd)
    report, tally = check_and_tally(runner, request.paths)
    title = request.title or f"vaultlint report: {_folder_name(request.paths, cwd)}"
    from vaultlint.html.links import links_for

    distributions = tuple(tally.distributions())
    links = links_for(request.links)
    page = PageInput(title, report, cwd, distributions, request.generated, links)
    with destination(OutputOptions(output_file=request.output), out) as stream:
        render_page(page, stream)
    problems = len(report.findings)
    noted = sum(1 for file in report.files if file.findings)
    err.write(
        f"Wrote {request.output}: {problems} problem{'s' if problems != 1 else ''} in {noted} "
        f"of {len(report.files)} note{'s' if len(report.files) != 1 else ''}.\n"
    )
    if report.errors and not request.exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK


def check_and_tally(runner: Runner, paths: Sequence[Path]) -> tuple[RunReport, ValueTally]:
    """Every note's findings, as `check` gives them (the results cache, the pool, the vault
    rules), and the values of its schema's enum and known-value fields (read in the pool)."""
    tally = ValueTally()
    report = runner.run(paths)
    targets = runner.targets(list(paths))
    for target, (readable, data) in zip(targets, runner.map_notes(targets, note_data), strict=True):
        schema = runner.schema_for(target)
        if schema is None or not readable:
            continue
        name = str(schema.document.get("title") or schema.path.name)
        tally.add(name, schema.document, data if isinstance(data, dict) else None)
    return report, tally


def note_data(runner: Runner, target: Target) -> tuple[bool, Any]:
    """(readable, frontmatter data) of a note as the rules read it: a note that is wholly
    mojibake or not in NFC, repaired first. Run in the pool's workers (`Runner.map_notes`)."""
    from vaultlint.engine import RuleSelection, lint
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError

    try:
        raw = runner.load(target)
    except NoteReadError:
        return False, None
    repairs = RuleSelection.build(("mojibake", "unicode-normalization"), (), {}, {})
    result = lint(Note(target.display, raw), None, repairs)
    note = result.repaired[0] if result.repaired is not None else result.note
    frontmatter = note.frontmatter
    return True, frontmatter.data if frontmatter is not None else None


def _folder_name(paths: Sequence[Path], cwd: Path) -> str:
    if len(paths) == 1:
        resolved = (cwd / paths[0]).resolve()
        return resolved.name or str(resolved)
    return cwd.name or str(cwd)
