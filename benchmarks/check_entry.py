"""`vaultlint check` with the speed options, without click: for the benchmark, until the CLI
has them.

    python -m benchmarks.check_entry [--jobs N] [--no-cache] [--cache-strategy mtime|content]
                                     [-q] [PATH ...]

It builds the same `RunOptions` and `CheckRequest` the CLI builds and calls the same `run_check`,
so that only the start-up differs (no click import: a few milliseconds less). `benchmarks/run.py`
uses it only when `python -m vaultlint check --help` does not list `--jobs`, and says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vaultlint.commands.check import CheckRequest, run_check
from vaultlint.commands.output import OutputOptions
from vaultlint.errors import UsageError
from vaultlint.runner import RunOptions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_entry")
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--cache-strategy", choices=("mtime", "content"), default="mtime")
    parser.add_argument("-q", "--quiet", action="store_true")
    arguments = parser.parse_args(argv)
    options = RunOptions(
        jobs=arguments.jobs,
        cache=not arguments.no_cache,
        cache_strategy=arguments.cache_strategy,
    )
    request = CheckRequest(
        paths=arguments.paths or [Path()], output=OutputOptions(quiet=arguments.quiet)
    )
    try:
        return run_check(options, request, sys.stdout, sys.stderr)
    except UsageError as error:
        sys.stderr.write(f"vaultlint: error: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
