"""`--statistics`: one aligned row per rule, most frequent first, with its severity and fixes."""

from __future__ import annotations

import io

from vaultlint.diagnostic import Applicability, Severity
from vaultlint.results import FileReport, Finding, RunReport
from vaultlint.statistics import render_statistics, rule_counts


def finding(
    rule: str,
    *,
    path: str = "a.md",
    severity: Severity = Severity.ERROR,
    fix: Applicability | None = None,
) -> Finding:
    return Finding(path, 1, 1, 1, 2, rule, severity, "message", fix, "text")


def render(*findings: Finding) -> str:
    by_path: dict[str, list[Finding]] = {}
    for found in findings:
        by_path.setdefault(found.path, []).append(found)
    report = RunReport(tuple(FileReport(p, tuple(f)) for p, f in sorted(by_path.items())))
    out = io.StringIO()
    render_statistics(report, out)
    return out.getvalue()


def table(*rows: str) -> str:
    return "".join(row + "\n" for row in rows)


def test_rows_sorted_by_count_then_rule_with_aligned_columns() -> None:
    output = render(
        finding("value-unknown", severity=Severity.WARNING),
        finding("time-sum", fix=Applicability.SAFE),
        finding("time-sum", path="b.md", fix=Applicability.SAFE),
        finding("time-sum", path="c.md", severity=Severity.WARNING, fix=Applicability.UNSAFE),
        finding("mojibake", fix=Applicability.SAFE),
        finding("encoding", path="b.md"),
    )
    assert output == table(
        "COUNT  RULE           SEVERITY       SAFE  UNSAFE",
        "    3  time-sum       error/warning     2       1",
        "    1  encoding       error             -       -",
        "    1  mojibake       error             1       -",
        "    1  value-unknown  warning           -       -",
    )


def test_wide_counts_widen_the_count_column() -> None:
    output = render(*[finding("tag-format")] * 100_000)
    assert output == table(
        " COUNT  RULE        SEVERITY  SAFE  UNSAFE",
        "100000  tag-format  error        -       -",
    )


def test_display_only_fixes_are_not_counted_as_fixable() -> None:
    output = render(finding("heading-missing", fix=Applicability.DISPLAY_ONLY))
    assert output == table(
        "COUNT  RULE             SEVERITY  SAFE  UNSAFE",
        "    1  heading-missing  error        -       -",
    )


def test_no_findings_prints_nothing() -> None:
    assert render() == ""


def test_rule_counts_give_the_numbers_behind_the_table() -> None:
    counts = rule_counts([finding("schema"), finding("schema", fix=Applicability.UNSAFE)])
    assert [(c.rule, c.count, c.severity, c.safe, c.unsafe) for c in counts] == [
        ("schema", 2, "error", 0, 1)
    ]
