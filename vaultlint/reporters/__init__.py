"""Output formats, by name. Each reporter module has `render(report, out, context)`.

Modules are imported only when their format is asked for, to keep start-up fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from vaultlint.results import RunReport

REPORTERS: dict[str, str] = {
    "concise": "vaultlint.reporters.concise",
    "full": "vaultlint.reporters.full",
    "json": "vaultlint.reporters.json",
    "json-lines": "vaultlint.reporters.json_lines",
    "github": "vaultlint.reporters.github",
    "gitlab": "vaultlint.reporters.gitlab",
    "sarif": "vaultlint.reporters.sarif",
    "junit": "vaultlint.reporters.junit",
}


@dataclass(frozen=True, slots=True)
class ReportContext:
    color: bool = False
    show_summary: bool = True
    # set by `fix`: how many problems were fixed in how many notes
    fixed: int | None = None
    fixed_notes: int = 0
    # The folder the findings' paths are relative to (None: the current folder), and the
    # environment the CI formats read (None: os.environ): `github` and `sarif` make paths
    # relative to GITHUB_WORKSPACE, `gitlab` to CI_PROJECT_DIR. Tests pass both.
    cwd: Path | None = None
    environ: Mapping[str, str] | None = None


class Reporter(Protocol):
    def render(self, report: RunReport, out: TextIO, context: ReportContext) -> None: ...


def reporter(name: str) -> Reporter:
    module: Reporter = importlib.import_module(REPORTERS[name])
    return module
