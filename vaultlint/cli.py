"""The command line: parse options, build a runner, run it, print, set the exit code.

Exit codes, for every command: 0 no error (warnings alone exit 0), 1 errors found (or, for
`fix`, files changed or errors remain), 2 usage, configuration or internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import click

from vaultlint import __version__
from vaultlint.errors import UsageError
from vaultlint.reporters import REPORTERS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _rule_list(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def use_color(choice: str, stream: TextIO) -> bool:
    """--color beats FORCE_COLOR and NO_COLOR (non-empty); auto means a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


_common_options = [
    click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
    click.option(
        "--schema",
        type=click.Path(path_type=Path),
        help="Schema for every note (overrides the config).",
    ),
    click.option(
        "--config",
        type=click.Path(path_type=Path),
        help="Config file to use instead of the nearest one.",
    ),
    click.option("--select", help="Comma-separated rule IDs to run (overrides the config)."),
    click.option("--ignore", help="Comma-separated rule IDs to skip (overrides the config)."),
    click.option(
        "--force-exclude",
        is_flag=True,
        help="Apply the excludes (dot-folders, `exclude`) to files named on the command line too.",
    ),
    click.option(
        "--respect-gitignore/--no-respect-gitignore",
        default=True,
        show_default=True,
        help="Skip the notes the vault root's .gitignore ignores.",
    ),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the output (auto: on a terminal, honouring NO_COLOR and FORCE_COLOR).",
    ),
]


def common_options(function: Any) -> Any:
    for option in reversed(_common_options):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vaultlint")
def main() -> None:
    """Lint and safely fix the notes of an Obsidian vault against a JSON Schema."""


_output_options = [
    click.option(
        "--output-format",
        type=click.Choice(list(REPORTERS)),
        default=None,
        help="How to print the report [default: concise; env VAULTLINT_OUTPUT_FORMAT; "
        "github on GitHub Actions].",
    ),
    click.option(
        "-o",
        "--output-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to this file instead of standard output.",
    ),
    click.option(
        "--force",
        is_flag=True,
        help="Let --output-file replace a Markdown note or a file inside the vault checked.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print the diagnostics only, no summary."),
    click.option(
        "--exit-zero",
        is_flag=True,
        help="Exit 0 even when problems remain (2 still means a crash).",
    ),
]


def output_options(function: Any) -> Any:
    for option in reversed(_output_options):
        function = option(function)
    return function


def _output(
    output_format: str | None,
    output_file: Path | None,
    color: str,
    quiet: bool,
    exit_zero: bool,
    *,
    paths: Sequence[Path],
    force: bool,
) -> Any:
    from vaultlint.commands.output import OutputOptions, refuse_to_replace, resolve_format

    refuse_to_replace(output_file, paths, force=force)
    chosen = resolve_format(output_format, os.environ)
    colored = output_file is None and chosen in ("concise", "full") and use_color(color, sys.stdout)
    return OutputOptions(chosen, output_file, colored, quiet, exit_zero)


def _reads_stdin(paths: tuple[Path, ...], stdin_filename: Path | None) -> bool:
    """`commands.stdin.reads_stdin`, imported only when a path is `-` or --stdin-filename is
    given: else the answer is no, and a check of files does not import it (issue #17)."""
    if stdin_filename is None and all(os.fspath(path) != "-" for path in paths):
        return False
    from vaultlint.commands.stdin import reads_stdin

    return reads_stdin(paths, stdin_filename)


def _run_options(  # the options every checking command shares
    config: Path | None,
    schema: Path | None,
    select: str | None,
    ignore: str | None,
    force_exclude: bool,
    respect_gitignore: bool = True,
    jobs: int | None = None,
    cache: bool = True,
    cache_strategy: str = "mtime",
) -> Any:
    from vaultlint.runner import RunOptions

    return RunOptions(
        config=config,
        schema=schema,
        select=_rule_list(select),
        ignore=_rule_list(ignore),
        force_exclude=force_exclude,
        jobs=jobs,
        cache=cache,
        cache_strategy=cache_strategy,
        respect_gitignore=respect_gitignore,
    )


_speed_options = [
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=None,
        help="Processes to check notes with [default: one per core; 200 notes or fewer: one].",
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache."),
    click.option(
        "--cache-strategy",
        type=click.Choice(["mtime", "content"]),
        default="mtime",
        show_default=True,
        help="How the cache tells a note unchanged: size and mtime, or a hash of its bytes (CI).",
    ),
]


def speed_options(function: Any) -> Any:
    for option in reversed(_speed_options):
        function = option(function)
    return function


def stdin_option(function: Any) -> Any:
    return click.option(
        "--stdin-filename",
        type=click.Path(path_type=Path),
        help="With `-`: the path the note read from stdin stands for (its config, schema, "
        "excludes and the path shown).",
    )(function)


def _stdin_note(stdin_filename: Path | None) -> Any:
    from vaultlint.commands.stdin import StdinNote

    return StdinNote(sys.stdin.buffer.read(), stdin_filename)


@main.command()
@common_options
@output_options
@speed_options
@stdin_option
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only the problems this baseline does not record [default: the config's "
    "`baseline`].",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record today's problems in this file and exit 0.",
)
@click.option(
    "--changed-since", metavar="REF", help="Check only the notes changed since this git revision."
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print one line per rule (count, severity, fixes) instead of each problem.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Check again whenever a note, config or schema is saved, until Ctrl-C.",
)
def check(
    paths: tuple[Path, ...],
    schema: Path | None,
    config: Path | None,
    select: str | None,
    ignore: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    color: str,
    output_format: str | None,
    output_file: Path | None,
    force: bool,
    quiet: bool,
    exit_zero: bool,
    jobs: int | None,
    no_cache: bool,
    cache_strategy: str,
    stdin_filename: Path | None,
    baseline: Path | None,
    write_baseline: Path | None,
    changed_since: str | None,
    statistics: bool,
    watch: bool,
) -> None:
    """Check notes (default: the current folder) and report every problem.

    `-` reads one note from stdin (with --stdin-filename, as the note at that path)."""

    def action() -> int:
        from vaultlint.commands.check import CheckRequest, run_check

        if _reads_stdin(paths, stdin_filename):
            from vaultlint.commands.stdin import check_stdin

            if write_baseline is not None or changed_since is not None or watch or statistics:
                raise UsageError(
                    "--write-baseline, --changed-since, --watch and --statistics need files, "
                    "not stdin"
                )
            return check_stdin(
                _run_options(config, schema, select, ignore, force_exclude, respect_gitignore),
                _stdin_note(stdin_filename),
                _output(
                    output_format,
                    output_file,
                    color,
                    quiet,
                    exit_zero,
                    paths=(stdin_filename or Path(),),
                    force=force,
                ),
                baseline,
                sys.stdout,
            )

        request = CheckRequest(
            paths=paths or (Path(),),
            output=_output(
                output_format,
                output_file,
                color,
                quiet,
                exit_zero,
                paths=paths or (Path(),),
                force=force,
            ),
            baseline=baseline,
            write_baseline=write_baseline,
            changed_since=changed_since,
            statistics=statistics,
            # On a terminal only: never in pre-commit, CI logs or pipes.
            progress=sys.stderr.isatty() and not quiet,
        )
        options = _run_options(
            config,
            schema,
            select,
            ignore,
            force_exclude,
            respect_gitignore,
            jobs,
            not no_cache,
            cache_strategy,
        )
        if watch:
            if write_baseline is not None:
                raise UsageError("--watch cannot be used with --write-baseline")
            from vaultlint.commands.watch import watch_check

            def once() -> int:
                return run_check(options, request, sys.stdout, sys.stderr)

            return watch_check(request.paths, once, sys.stdout, sys.stderr)
        return run_check(options, request, sys.stdout, sys.stderr)

    _exit(action)


@main.command()
@common_options
@output_options
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Processes to check notes with [default: one per core; 200 notes or fewer: one].",
)
@stdin_option
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change what YAML reads.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Write through symbolic links whose target lies outside the given paths.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Leave out the problems this baseline records [default: the config's `baseline`].",
)
def fix(
    paths: tuple[Path, ...],
    schema: Path | None,
    config: Path | None,
    select: str | None,
    ignore: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    color: str,
    output_format: str | None,
    output_file: Path | None,
    force: bool,
    quiet: bool,
    exit_zero: bool,
    jobs: int | None,
    stdin_filename: Path | None,
    unsafe_fixes: bool,
    diff: bool,
    follow_symlinks: bool,
    baseline: Path | None,
) -> None:
    """Apply the safe fixes (and the unsafe ones with --unsafe-fixes) and write the notes back.

    `-` fixes one note read from stdin and writes it to stdout (nothing is written to disk)."""

    def action() -> int:
        from vaultlint.commands.fix import FixRequest, run_fix
        from vaultlint.commands.stdin import StdinFix, fix_stdin, reads_stdin

        if reads_stdin(paths, stdin_filename):
            return fix_stdin(
                _run_options(config, schema, select, ignore, force_exclude, respect_gitignore),
                _stdin_note(stdin_filename),
                StdinFix(unsafe=unsafe_fixes, diff=diff, baseline=baseline),
                _output(
                    output_format,
                    output_file,
                    "never",
                    quiet,
                    exit_zero,
                    paths=(stdin_filename or Path(),),
                    force=force,
                ),
                (sys.stdout.buffer, sys.stdout, sys.stderr),
            )

        request = FixRequest(
            paths=paths or (Path(),),
            unsafe=unsafe_fixes,
            diff=diff,
            follow_symlinks=follow_symlinks,
            output=_output(
                output_format,
                output_file,
                color,
                quiet,
                exit_zero,
                paths=paths or (Path(),),
                force=force,
            ),
            baseline=baseline,
        )
        options = _run_options(
            config, schema, select, ignore, force_exclude, respect_gitignore, jobs, cache=False
        )
        return run_fix(options, request, sys.stdout, sys.stderr)

    _exit(action)


@main.command()
@common_options
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("vaultlint-report.html"),
    show_default=True,
    help="Where to write the page.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Let --output-file replace a Markdown note or a file inside the vault checked.",
)
@click.option("--title", help="The page's title [default: vaultlint report: <folder>].")
@click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when errors remain (2 still means a crash)."
)
@click.option(
    "--links",
    type=click.Choice(["obsidian", "file"]),
    default="obsidian",
    show_default=True,
    help="Where a note's link leads: into Obsidian (for the notes of a folder with .obsidian/) "
    "or to the file.",
)
def report(
    paths: tuple[Path, ...],
    schema: Path | None,
    config: Path | None,
    select: str | None,
    ignore: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    color: str,
    output_file: Path,
    force: bool,
    title: str | None,
    exit_zero: bool,
    links: str,
) -> None:
    """Write one self-contained HTML page about a vault: problems by rule, folder and note."""

    def action() -> int:
        from vaultlint.commands.output import refuse_to_replace
        from vaultlint.commands.report import ReportRequest, run_report

        refuse_to_replace(output_file, paths or (Path(),), force=force)

        request = ReportRequest(
            paths=paths or (Path(),),
            output=output_file,
            title=title,
            exit_zero=exit_zero,
            links=links,
        )
        options = _run_options(config, schema, select, ignore, force_exclude, respect_gitignore)
        return run_report(options, request, sys.stdout, sys.stderr)

    _exit(action)


@main.group("schema")
def schema_group() -> None:
    """Work with note schemas."""


@schema_group.command("infer")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", type=click.Path(path_type=Path), help="Config file to use.")
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the schema [default: standard output].",
)
@click.option("--title", help="The schema's title.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def infer(
    paths: tuple[Path, ...],
    config: Path | None,
    output_file: Path | None,
    title: str | None,
    force: bool,
) -> None:
    """Infer a starting JSON Schema (with x-vaultlint) from the notes of a vault."""

    def action() -> int:
        from vaultlint.commands.infer import InferRequest, run_infer
        from vaultlint.runner import RunOptions

        request = InferRequest(
            paths=paths or (Path(),), output=output_file, title=title, force=force
        )
        return run_infer(RunOptions(config=config), request, sys.stdout, sys.stderr)

    _exit(action)


@main.command()
@click.argument("path", required=False, default=Path(), type=click.Path(path_type=Path))
@click.option(
    "--schema", type=click.Path(dir_okay=False, path_type=Path), help="The schema to configure."
)
@click.option(
    "--infer/--no-infer",
    default=True,
    help="Infer a schema from the notes into vault.schema.json (default) or keep the bundled one.",
)
@click.option("--force", is_flag=True, help="Replace an existing config and inferred schema.")
def init(path: Path, schema: Path | None, infer: bool, force: bool) -> None:
    """Read the vault and write a commented .vaultlint.toml at its root.

    Templates go to `exclude`, pages (READMEs, index pages, docs) to `pages`, each with why;
    a schema inferred from the notes goes to vault.schema.json unless --no-infer or --schema.
    """

    def action() -> int:
        from vaultlint.commands.init import InitRequest, run_init

        return run_init(InitRequest(path, schema, infer=infer, force=force), sys.stdout)

    _exit(action)


@main.command(name="format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check", is_flag=True, help="List the notes that would change (exit 1); write nothing."
)
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option(
    "--schema",
    type=click.Path(path_type=Path),
    help="Schema for every note: its `properties` give the key order (overrides the config).",
)
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    help="Config file to use instead of the nearest one.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes (dot-folders, `exclude`) to files named on the command line too.",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Write through symbolic links whose target lies outside the given paths.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Processes to format notes with [default: one per core; 200 notes or fewer: one].",
)
@stdin_option
def format_(
    paths: tuple[Path, ...],
    check: bool,
    diff: bool,
    schema: Path | None,
    config: Path | None,
    force_exclude: bool,
    follow_symlinks: bool,
    jobs: int | None,
    stdin_filename: Path | None,
) -> None:
    """Write notes in one style (key order, tags list, blank lines, whitespace), data unchanged.

    `-` formats one note read from stdin and writes it to stdout (nothing is written to disk)."""

    def action() -> int:
        from vaultlint.commands.format import FormatRequest, run_format
        from vaultlint.commands.stdin import StdinFormat, format_stdin, reads_stdin
        from vaultlint.runner import RunOptions

        if reads_stdin(paths, stdin_filename):
            return format_stdin(
                RunOptions(config=config, schema=schema, force_exclude=force_exclude),
                _stdin_note(stdin_filename),
                StdinFormat(check=check, diff=diff),
                (sys.stdout.buffer, sys.stdout, sys.stderr),
            )

        request = FormatRequest(
            paths=paths or (Path(),), check=check, diff=diff, follow_symlinks=follow_symlinks
        )
        options = RunOptions(config=config, schema=schema, force_exclude=force_exclude, jobs=jobs)
        return run_format(options, request, sys.stdout, sys.stderr)

    _exit(action)


@main.command()
def server() -> None:
    """Run the language server on stdin and stdout (for editors: diagnostics, fixes, format)."""

    def action() -> int:
        from vaultlint.server.app import serve

        serve()
        return EXIT_OK

    _exit(action)


@main.command()
@click.argument("rule_id", required=False)
def rules(rule_id: str | None) -> None:
    """List every rule, or explain one."""
    from vaultlint.commands.rules import explain_rule, list_rules

    out = sys.stdout
    _exit(lambda: explain_rule(rule_id, out) if rule_id else list_rules(out))


def _exit(action: Callable[[], int]) -> NoReturn:
    _escape_what_the_terminal_cannot_encode()
    try:
        code = action()
        if not sys.stdout.closed:  # the language server closes it when the editor leaves
            sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        # The reader went away (`vaultlint check . | head -1`): stop quietly, as `cat` does.
        # Python would flush stdout again at exit and complain: point it at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_PROBLEMS)
    except UsageError as error:
        click.echo(f"vaultlint: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("vaultlint: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: a short message, the traceback only on request
        if os.environ.get("VAULTLINT_DEBUG"):
            raise
        click.echo(
            f"vaultlint: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in vaultlint; set VAULTLINT_DEBUG=1 to see the traceback, "
            "and please report it.",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    sys.exit(code)


def _escape_what_the_terminal_cannot_encode() -> None:
    """A character the output's encoding lacks (cp1252, as Python uses for redirected output
    on a Western-European Windows) is printed escaped (`\\u0301`) instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line in-process and return its exit code (for tests and scripts)."""
    try:
        main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE
    return EXIT_OK
