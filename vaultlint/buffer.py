"""A note that comes from an editor's buffer or stdin instead of the disk, checked as its file is.

`check -`, `fix -`, `format -` (with `--stdin-filename PATH`) and the language server all lint
bytes that are not on disk (or not yet) as if they were the file at PATH: PATH's config, schema,
excludes and vault root, and its path in the output. This is the one place that does it.
"""

from __future__ import annotations

from pathlib import Path

from vaultlint.engine import LintResult, to_finding
from vaultlint.note import Note
from vaultlint.results import FileReport
from vaultlint.rules import limit as limit_rule
from vaultlint.runner import Runner, Target


def buffer_target(runner: Runner, path: Path) -> Target | None:
    """The target for a buffer standing for `path` (which need not exist); None when the config
    excludes it and the run applies excludes to named files (`--force-exclude`, the server)."""
    targets = runner.targets([path])
    return targets[0] if targets else None


def check_buffer(
    runner: Runner, target: Target, raw: bytes
) -> tuple[FileReport, LintResult | None]:
    """What `Runner.check` gives for the file, for these bytes instead of the file's."""
    if len(raw) > limit_rule.MAX_NOTE_BYTES:  # the same bound as a file on disk
        diagnostic = limit_rule.too_large(len(raw))
        selection = runner.selection_for(target.settings, target.relative)
        if diagnostic.rule not in selection.enabled:
            return FileReport(target.display, ()), None
        finding = to_finding(Note(target.display, b""), diagnostic, target.display)
        return FileReport(target.display, (finding,)), None
    result = runner.settle(target, runner.lint_note(target, Note(target.display, raw)))
    return FileReport(target.display, tuple(result.findings(target.display))), result
