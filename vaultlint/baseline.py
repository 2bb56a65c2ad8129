"""Baselines: record today's problems, then report only the ones that are new.

For vaults too large to clean at once: `check --write-baseline FILE` records a fingerprint per
problem; `check --baseline FILE` drops the findings whose fingerprint is recorded. Fingerprints
hold no line numbers (see reporters/fingerprints.py), so lines added above a recorded problem
do not make it new; paths are taken relative to the baseline file's folder, so the baseline
works from any current folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from vaultlint.errors import UsageError
from vaultlint.reporters.fingerprints import fingerprints
from vaultlint.results import FileReport, Finding, RunReport

FORMAT = 1


def _rebased(finding: Finding, base: Path, cwd: Path) -> Finding:
    absolute = Path(os.path.normpath(cwd / finding.path))
    try:
        relative = absolute.relative_to(base).as_posix()
    except ValueError:
        relative = absolute.as_posix()
    return dataclasses.replace(finding, path=relative)


def _fingerprinted(report: RunReport, baseline: Path, cwd: Path) -> list[tuple[Finding, str]]:
    base = Path(os.path.normpath(cwd / baseline)).parent
    pairs = []
    for file in report.files:
        rebased = [_rebased(finding, base, cwd) for finding in file.findings]
        pairs += list(zip(file.findings, fingerprints(rebased), strict=True))
    return pairs


def write_baseline(report: RunReport, baseline: Path, cwd: Path) -> int:
    """Record every finding of `report`; returns how many."""
    pairs = _fingerprinted(report, baseline, cwd)
    entries = sorted(
        (
            {"fingerprint": fp, "path": f.path, "rule": f.rule, "message": f.message}
            for f, fp in pairs
        ),
        key=lambda entry: (entry["path"], entry["rule"], entry["fingerprint"]),
    )
    document = {"vaultlint-baseline": FORMAT, "problems": entries}
    temporary = baseline.with_name(f".{baseline.name}.tmp")
    try:
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
        os.replace(temporary, baseline)
    except OSError as error:
        raise UsageError(f"{baseline}: cannot write the baseline: {error.strerror}") from None
    return len(entries)


def load_baseline(baseline: Path) -> frozenset[str]:
    try:
        document = json.loads(baseline.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{baseline}: cannot read the baseline: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{baseline}: not a vaultlint baseline (invalid JSON: {error})") from None
    if not isinstance(document, dict) or document.get("vaultlint-baseline") != FORMAT:
        raise UsageError(f"{baseline}: not a vaultlint baseline (format {FORMAT})")
    problems = document.get("problems", [])
    return frozenset(
        p["fingerprint"] for p in problems if isinstance(p, dict) and "fingerprint" in p
    )


def without_baseline(
    report: RunReport, baseline: Path, known: frozenset[str], cwd: Path
) -> RunReport:
    """The report without the findings the baseline records."""
    kept: dict[str, list[Finding]] = {file.path: [] for file in report.files}
    for finding, fingerprint in _fingerprinted(report, baseline, cwd):
        if fingerprint not in known:
            kept[finding.path].append(finding)
    return RunReport(tuple(FileReport(path, tuple(findings)) for path, findings in kept.items()))
