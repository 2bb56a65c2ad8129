"""Output formats, by name. Each reporter module has `render(report, out, context)`.

Modules are imported only when their format is asked for, to keep start-up fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, TextIO

from vaultlint.results import RunReport

REPORTERS: dict[str, str] = {
    "concise": "vaultlint.reporters.concise",
    "json": "vaultlint.reporters.json",
}


@dataclass(frozen=True, slots=True)
class ReportContext:
    color: bool = False
    show_summary: bool = True
    # set by `fix`: how many problems were fixed in how many notes
    fixed: int | None = None
    fixed_notes: int = 0


class Reporter(Protocol):
    def render(self, report: RunReport, out: TextIO, context: ReportContext) -> None: ...


def reporter(name: str) -> Reporter:
    module: Reporter = importlib.import_module(REPORTERS[name])
    return module
