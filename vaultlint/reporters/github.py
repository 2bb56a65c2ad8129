"""GitHub Actions workflow commands, one annotation per finding, then the plain lines.

    ::error file=notes/a.md,line=6,col=14,endLine=6,endColumn=17,title=vaultlint (time-sum)::msg

GitHub shows only the first 10 error and 10 warning annotations of a step (50 per job), so the
`concise` lines and the summary follow, for the log. Escaping follows actions/toolkit
`packages/core/src/command.ts`: `%`, CR and LF in the message; also `:` and `,` in property
values. Paths are relative to `GITHUB_WORKSPACE` (the repository) when it holds them.

The plain lines quote the notes (file names, values, headings); when one of their lines would
start with `::` (a note named `::add-mask::x.md`, a value holding a newline), the runner would
take it for a command, so they are then wrapped in `::stop-commands::TOKEN` ... `::TOKEN::`,
the token being a hash of the text it guards: deterministic, and not writable from inside it.
"""

from __future__ import annotations

import hashlib
import io
from typing import TextIO

from vaultlint.reporters import ReportContext, concise
from vaultlint.reporters.paths import GITHUB_WORKSPACE, project_path
from vaultlint.results import Finding, RunReport

_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def escape_data(text: str) -> str:
    for char, escaped in _DATA_ESCAPES:  # `%` first, so no escape is escaped twice
        text = text.replace(char, escaped)
    return text


def escape_property(text: str) -> str:
    for char, escaped in _PROPERTY_ESCAPES:
        text = text.replace(char, escaped)
    return text


def annotation(finding: Finding, path: str) -> str:
    properties = {
        "file": path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"vaultlint ({finding.rule})",
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{finding.severity.value} {joined}::{escape_data(finding.message)}"


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    for finding in report.findings:
        path = project_path(finding.path, context, GITHUB_WORKSPACE)
        out.write(annotation(finding, path) + "\n")
    plain = io.StringIO()
    concise.render(report, plain, context)
    out.write(guarded(plain.getvalue()))


def guarded(text: str) -> str:
    """`text`, wrapped so that the runner runs no command in it when a line looks like one."""
    # The runner trims a line before looking for `::`; splitlines() breaks at least where it does.
    if not any(line.strip().startswith("::") for line in text.splitlines()):
        return text
    token = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    end = "" if text.endswith("\n") else "\n"
    return f"::stop-commands::{token}\n{text}{end}::{token}::\n"
