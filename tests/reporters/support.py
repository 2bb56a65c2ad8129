"""Helpers for the reporter tests: the fixture vault, checked by the real runner, and rendering.

`vault/` holds three notes: `clean.md` (no finding), `dirty.md` (a warning and three errors,
one of them quoting `%`, `:` and `,`) and `Desserts d'été/Crème brûlée.md` (a space, an
apostrophe and accents in its path, a tab before the value it reports). `expected/` holds the
exact output of each format for it, reviewed by hand.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Mapping
from pathlib import Path

from vaultlint.reporters import ReportContext, reporter
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions

HERE = Path(__file__).resolve().parent
VAULT = HERE / "vault"
EXPECTED = HERE / "expected"


def copy_vault(destination: Path) -> Path:
    """The fixture vault copied to `destination` (outside any config), returned resolved."""
    shutil.copytree(VAULT, destination)
    return destination.resolve()


def check(folder: Path) -> RunReport:
    return Runner(RunOptions(), cwd=folder).run([folder])


def context(
    cwd: Path,
    environ: Mapping[str, str] | None = None,
    *,
    color: bool = False,
    show_summary: bool = True,
) -> ReportContext:
    """A context that reads no real environment variable (CI runs these tests too)."""
    environ = {} if environ is None else environ
    return ReportContext(color=color, show_summary=show_summary, cwd=cwd, environ=environ)


def render(name: str, report: RunReport, report_context: ReportContext) -> str:
    out = io.StringIO()
    reporter(name).render(report, out, report_context)
    return out.getvalue()


def expected(name: str) -> str:
    return (EXPECTED / name).read_text(encoding="utf-8")
