"""Where and how a report is printed: the format, the output file, and the exit-code policy."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping, Sequence
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


def refuse_to_replace(output_file: Path | None, paths: Sequence[Path], *, force: bool) -> None:
    """Refuse an output file that would replace a Markdown note, or any file inside a vault the
    run checks, unless `force` (issue #15: `check -o note.md` overwrote a note without a word).

    A new file is always fine; so is replacing a file outside every vault checked. The vault of
    a path is the folder it names and the vault root vaultlint finds for it.
    """
    if output_file is None or force or not os.path.lexists(output_file):
        return
    if _special(output_file):
        return  # a device or FIFO is written into, never replaced (see `destination`)
    if output_file.suffix.lower() == ".md":
        raise UsageError(
            f"{output_file}: refuses to replace a Markdown note with the report; "
            "choose another file, or use --force to replace it"
        )
    target = Path(os.path.realpath(output_file))
    for vault in _vaults(paths):
        if target.is_relative_to(vault):
            raise UsageError(
                f"{output_file}: refuses to replace a file inside the vault being checked "
                f"({vault}); write the report elsewhere, or use --force to replace it"
            )


def _vaults(paths: Sequence[Path]) -> Iterator[Path]:
    from vaultlint.config import find_config, find_vault_root

    for path in paths:
        resolved = Path(os.path.realpath(path))
        folder = resolved if resolved.is_dir() else resolved.parent
        yield folder
        config = find_config(folder)
        yield config.parent.resolve() if config is not None else find_vault_root(folder)


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
