"""Baselines: record today's problems, then report only the ones that are new.

For vaults too large to clean at once: `check --write-baseline FILE` records a fingerprint per
problem; `check --baseline FILE` drops the findings whose fingerprint is recorded. Fingerprints
hold no line numbers (see reporters/fingerprints.py), so lines added above a recorded problem
do not make it new; paths are taken relative to the baseline file's folder, so the baseline
works from any current folder.

A config may name a baseline (`baseline = ".vaultlint-baseline.json"`): `check`, `fix`, the hooks
and the server then leave out what it records, as `--baseline` does (`without_baselines`).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultlint.errors import UsageError
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
    from vaultlint.reporters.fingerprints import fingerprints  # here: most runs have no baseline

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


def without_baselines(
    report: RunReport,
    baseline_of: Callable[[str], Path | None],
    cwd: Path,
    explicit: Path | None = None,
) -> RunReport:
    """The report without what its baselines record: `explicit` (`--baseline`) for every note,
    else the `baseline` of the config that applies to each note (`baseline_of(display path)`).

    Each baseline file is read once; a note whose config names none keeps all its findings.
    """
    groups: dict[Path | None, list[FileReport]] = {}
    for file in report.files:
        chosen = explicit if explicit is not None else baseline_of(file.path)
        groups.setdefault(chosen, []).append(file)
    kept: dict[str, FileReport] = {}
    for baseline, files in groups.items():
        part = RunReport(tuple(files))
        if baseline is not None:
            part = without_baseline(part, baseline, load_baseline(baseline), cwd)
        kept.update((file.path, file) for file in part.files)
    return RunReport(tuple(kept[file.path] for file in report.files))


def recorded_in_note(
    findings: Sequence[Finding], baseline: Path, known: frozenset[str], cwd: Path
) -> list[bool]:
    """For each of one note's findings (in report order: `Finding.sort_key`), whether `baseline`
    (read as `known`) records it: for an editor's buffer, which is not a run."""
    if not findings:
        return []
    report = RunReport((FileReport(findings[0].path, tuple(findings)),))
    return [fingerprint in known for _, fingerprint in _fingerprinted(report, baseline, cwd)]
