"""`check --statistics`: one row per rule with its count, severity and fixes, as ruff prints it.

A vault of thousands of notes first needs the shape of its problems, not ten thousand lines: which
rules fire, how often, and how much `vaultlint fix` would repair (safe fixes) or could repair with
`--unsafe-fixes`. Rows are sorted by count, most frequent first, then by rule ID:

    COUNT  RULE           SEVERITY  SAFE  UNSAFE
       19  time-sum       error       19       -
        1  value-unknown  warning      -       -

SEVERITY is `error/warning` when the config gives one rule both (per folder). A fix counts once
per finding, at the best applicability it offers; `-` stands for none.

With `--output-format json` the same rows are a JSON document (`render_statistics_json`), and
with `json-lines` one object per line, for scripts and dashboards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from vaultlint.diagnostic import Applicability, Severity
from vaultlint.results import Finding, RunReport

HEADER = ("COUNT", "RULE", "SEVERITY", "SAFE", "UNSAFE")


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    count: int
    severities: frozenset[Severity]
    safe: int
    unsafe: int

    @property
    def severity(self) -> str:
        order = (Severity.ERROR, Severity.WARNING)
        return "/".join(level.value for level in order if level in self.severities)


def rule_counts(findings: Iterable[Finding]) -> list[RuleCount]:
    """One count per rule, most frequent first, then by rule ID."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    counts = [
        RuleCount(
            rule=rule,
            count=len(found),
            severities=frozenset(f.severity for f in found),
            safe=sum(1 for f in found if f.fix is Applicability.SAFE),
            unsafe=sum(1 for f in found if f.fix is Applicability.UNSAFE),
        )
        for rule, found in by_rule.items()
    ]
    return sorted(counts, key=lambda c: (-c.count, c.rule))


def render_statistics(report: RunReport, out: TextIO) -> None:
    """The table of rule counts; nothing at all when there is no finding."""
    counts = rule_counts(report.findings)
    if not counts:
        return
    rows = [HEADER] + [
        (str(c.count), c.rule, c.severity, _number(c.safe), _number(c.unsafe)) for c in counts
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    for count, rule, severity, safe, unsafe in rows:
        cells = (
            count.rjust(widths[0]),
            rule.ljust(widths[1]),
            severity.ljust(widths[2]),
            safe.rjust(widths[3]),
            unsafe.rjust(widths[4]),
        )
        out.write("  ".join(cells).rstrip() + "\n")


def _number(count: int) -> str:
    return str(count) if count else "-"


STATISTICS_FORMATS = ("concise", "full", "json", "json-lines")


def statistics_rows(report: RunReport) -> list[dict[str, object]]:
    return [
        {
            "rule": c.rule,
            "count": c.count,
            "severity": c.severity,
            "safe_fixes": c.safe,
            "unsafe_fixes": c.unsafe,
        }
        for c in rule_counts(report.findings)
    ]


def render_statistics_json(report: RunReport, out: TextIO, *, lines: bool = False) -> None:
    """`{"version": 1, "files": N, "errors": N, "warnings": N, "statistics": [rows]}`, or one
    row a line (`json-lines`)."""
    rows = statistics_rows(report)
    if lines:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        return
    document = {
        "version": 1,
        "files": len(report.files),
        "errors": report.errors,
        "warnings": report.warnings,
        "statistics": rows,
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
