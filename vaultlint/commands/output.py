"""Where and how a report is printed: the format, the output file, and the exit-code policy."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from vaultlint.errors import UsageError
from vaultlint.reporters import REPORTERS, ReportContext, reporter
from vaultlint.results import RunReport

DEFAULT_FORMAT = "concise"
ENV_FORMAT = "VAULTLINT_OUTPUT_FORMAT"


def resolve_format(explicit: str | None, environ: Mapping[str, str]) -> str:
    """--output-format, else VAULTLINT_OUTPUT_FORMAT, else `github` on GitHub Actions."""
    chosen = explicit or environ.get(ENV_FORMAT) or None
    if chosen is None:
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else DEFAULT_FORMAT
    if chosen not in REPORTERS:
        known = ", ".join(REPORTERS)
        raise UsageError(f"unknown output format {chosen!r} (known: {known})")
    return chosen


@dataclass(frozen=True, slots=True)
class OutputOptions:
    output_format: str = DEFAULT_FORMAT
    output_file: Path | None = None
    color: bool = False
    quiet: bool = False
    exit_zero: bool = False

    @property
    def machine_readable(self) -> bool:
        return self.output_format not in ("concise", "full")


@contextmanager
def destination(options: OutputOptions, stdout: TextIO) -> Iterator[TextIO]:
    """stdout, or the output file (written whole at the end, never half).

    A file that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written to as it
    is: replacing it atomically would put a plain file where the device was (as root, that
    turns `/dev/null` into a file for the whole machine).
    """
    if options.output_file is None:
        yield stdout
        return
    if _special(options.output_file):
        try:
            with open(options.output_file, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(f"{options.output_file}: cannot write the report: {reason}") from None
        return
    temporary = options.output_file.with_name(f".{options.output_file.name}.vaultlint.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(temporary, options.output_file)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise UsageError(f"{options.output_file}: cannot write the report: {reason}") from None


def _special(path: Path) -> bool:
    """True for an existing path that is not a regular file (a device, a FIFO, a socket)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def render(report: RunReport, options: OutputOptions, context: ReportContext, out: TextIO) -> None:
    with destination(options, out) as stream:
        reporter(options.output_format).render(report, stream, context)


def final_exit_code(code: int, options: OutputOptions) -> int:
    return 0 if options.exit_zero and code == 1 else code


def unified_diff(display: str, before: bytes, after: bytes) -> str:
    """A unified diff of a note's bytes (line endings kept), as `git diff` shows it."""
    import difflib

    lines = difflib.diff_bytes(
        difflib.unified_diff,
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{display}".encode(),
        tofile=f"b/{display}".encode(),
    )
    text = b"".join(
        line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n"
        for line in lines
    )
    return text.decode("utf-8", "replace")
