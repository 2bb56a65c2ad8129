"""`vaultlint format`: write every note in the configured style, or say which ones are not.

With `--check`, list the notes that would change and write nothing; with `--diff`, print their
unified diff and write nothing (the summary then goes to stderr, so that stdout is a patch).
Exit codes: 0 nothing to change, 1 notes changed (or would, with --check or --diff) or could not
be written, 2 usage or internal error (a formatted note failed its own verification: it is not
written). A note that cannot be formatted at all (not UTF-8, frontmatter unterminated or not
valid YAML) is named on stderr and left alone: `vaultlint check` reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from vaultlint.commands.leftovers import remove_leftovers
from vaultlint.commands.output import unified_diff
from vaultlint.config import Settings
from vaultlint.formatter import FormatOutcome, FormatSettings, NoticeKind, format_note
from vaultlint.note import Note
from vaultlint.reading import NoteReadError
from vaultlint.runner import Runner, RunOptions, Target
from vaultlint.writer import FolderSync, WriteStatus, folder_syncs, write_note

EXIT_OK, EXIT_CHANGED, EXIT_INTERNAL = 0, 1, 2
_WRITE_ATTEMPTS = 3  # another program may edit a note while we format it: start over this often


@dataclass(frozen=True, slots=True)
class FormatRequest:
    paths: Sequence[Path]
    check: bool = False
    diff: bool = False
    follow_symlinks: bool = False
    settings: FormatSettings | None = None  # overrides every config's `format` table


@dataclass
class _Tally:
    changed: int = 0  # written, or would be
    unchanged: int = 0
    skipped: int = 0
    write_failures: int = 0
    refused: int = 0


def run_format(options: RunOptions, request: FormatRequest, out: TextIO, err: TextIO) -> int:
    return _FormatRun(Runner(options), request, out, err).run()


def format_settings_for(settings: Settings) -> FormatSettings:
    """The `format` table of the config that applies to a note (defaults without one)."""
    configured = getattr(settings, "format", None)  # Settings.format, read by config.py
    return configured if isinstance(configured, FormatSettings) else FormatSettings()


@dataclass
class _FormatRun:
    runner: Runner
    request: FormatRequest
    out: TextIO
    err: TextIO
    tally: _Tally = field(default_factory=_Tally)
    # The folders written to, fsynced once each when the notes are written (writer.py).
    folders: FolderSync = field(default_factory=FolderSync)

    @property
    def dry_run(self) -> bool:
        return self.request.check or self.request.diff

    def run(self) -> int:
        targets = self.runner.targets(self.request.paths)
        if not self.dry_run:
            targets = remove_leftovers(targets, self.out.write)
        # Every note is read and formatted in the pool (in this process when they are few);
        # this process prints and writes, in the notes' order, each folder synced once.
        format_one = partial(formatted_note, self.request.settings)
        formatted = self.runner.map_notes(targets, format_one, rules=False)
        with folder_syncs() as self.folders:
            for target, first in zip(targets, formatted, strict=True):
                self.format_target(target, first)
        self.summarise()
        tally = self.tally
        if tally.refused:
            return EXIT_INTERNAL
        # A note that could not be read or formatted is a failure too (exit 1, like `check`).
        failed = tally.write_failures or tally.skipped
        return EXIT_CHANGED if tally.changed or failed else EXIT_OK

    def format_target(self, target: Target, first: FormatOutcome | str) -> None:
        """Report and write one note formatted as `first`; when it changed on disk since it
        was read, it is read, formatted and written again here."""
        outcome = first
        for _ in range(_WRITE_ATTEMPTS):
            if isinstance(outcome, str):
                self.notice(target, f"not formatted: {outcome}")
                self.tally.skipped += 1
                return
            if not self.report(target, outcome):
                return
            if self.publish(target, outcome):
                return
            outcome = formatted_note(self.request.settings, self.runner, target)
        self.notice(target, "not written: it kept changing on disk")
        self.tally.write_failures += 1

    def report(self, target: Target, outcome: FormatOutcome) -> bool:
        """Print the outcome's notices; True when there is something to write or show."""
        for notice in outcome.notices:
            prefix = "internal error: " if notice.kind is NoticeKind.REFUSED else ""
            self.notice(target, prefix + notice.message)
        if outcome.refused:
            self.tally.refused += 1
        elif outcome.skipped:
            self.tally.skipped += 1
        elif not outcome.changed:
            self.tally.unchanged += 1
        return outcome.changed

    def publish(self, target: Target, outcome: FormatOutcome) -> bool:
        """Write the note, or show it would change; False when it changed on disk meanwhile."""
        if self.request.diff:
            self.out.write(unified_diff(target.display, outcome.original, outcome.formatted))
        elif self.request.check:
            self.out.write(f"Would reformat: {target.display}\n")
        if self.dry_run:
            self.tally.changed += 1
            return True
        written = write_note(
            target.path,
            outcome.original,
            outcome.formatted,
            roots=[path.resolve() for path in self.request.paths],
            follow_symlinks=self.request.follow_symlinks,
            folders=self.folders,
        )
        if written.status is WriteStatus.CHANGED_ON_DISK:
            return False
        if written.status is WriteStatus.WRITTEN:
            self.tally.changed += 1
        else:
            self.notice(target, written.message)
            self.tally.write_failures += 1
        return True

    def notice(self, target: Target, message: str) -> None:
        self.err.write(f"vaultlint: {target.display}: {message}\n")

    def summarise(self) -> None:
        tally = self.tally
        if self.dry_run:
            parts = [
                f"{_notes(tally.changed)} would be reformatted",
                f"{tally.unchanged} already formatted",
            ]
        else:
            parts = [f"{_notes(tally.changed)} reformatted", f"{tally.unchanged} left unchanged"]
        if tally.skipped:
            parts.append(f"{tally.skipped} not formatted (see above)")
        if tally.refused:
            parts.append(f"{tally.refused} refused (see above)")
        if tally.write_failures:
            parts.append(f"{tally.write_failures} not written (see above)")
        stream = self.err if self.request.diff else self.out
        stream.write(", ".join(parts) + ".\n")


def formatted_note(
    settings: FormatSettings | None, runner: Runner, target: Target
) -> FormatOutcome | str:
    """One note read and formatted (with `settings`, else its config's `format` table); a
    string says why it could not be read. Module-level: `Runner.map_notes` sends it to the
    pool's workers by name."""
    schema = runner.schema_for(target)
    try:
        raw = runner.load(target)
    except NoteReadError as error:
        return str(error)
    chosen = settings or format_settings_for(target.settings)
    return format_note(Note(target.display, raw), schema, chosen)


def _notes(count: int) -> str:
    return f"{count} note" + ("" if count == 1 else "s")
