"""The rows as a Markdown table (figure, target, met or not) and the machine they ran on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.rows import Kind, Row
from benchmarks.shared import REPO


@dataclass(frozen=True, slots=True)
class Outcome:
    figure: str  # "2.91×", "4.2 %", "133.0 MiB", or why there is none
    cpu_figure: str  # the same ratio of CPU times, for a machine too busy to trust wall time
    met: bool | None  # None: nothing measured


def outcome(row: Row) -> Outcome:
    measured, baseline = row.measured, row.baseline
    if measured is None or not measured.samples:
        return Outcome(row.missing or "not measured", "", None)
    if row.kind is Kind.MEMORY:
        peak = measured.peak_mib
        return Outcome(f"{peak:.1f} MiB", "", peak <= row.limit)
    if baseline is None or not baseline.samples:
        return Outcome("not measured", "", None)
    wall = measured.wall / baseline.wall
    cpu = measured.cpu / baseline.cpu if baseline.cpu else float("inf")
    if row.kind is Kind.SHARE:
        share = (measured.wall - baseline.wall) / measured.wall
        cpu_share = (measured.cpu - baseline.cpu) / measured.cpu if measured.cpu else 0.0
        return Outcome(f"{share:.1%}", f"{cpu_share:.1%}", share <= row.limit)
    return Outcome(f"{wall:.2f}×", f"{cpu:.2f}×", wall <= row.limit)


def _met(value: bool | None) -> str:
    return "n/a" if value is None else "met" if value else "missed"


def _median(row: Row, which: str) -> str:
    case = row.measured if which == "measured" else row.baseline
    if case is None or not case.samples:
        return ""
    if row.kind is Kind.MEMORY:
        return f"{case.label}: peak {case.peak_mib:.1f} MiB"
    return f"{case.label}: {case.wall:.3f} s"


def table(rows: list[Row]) -> str:
    lines = [
        "| case | target | now (wall) | now (CPU) | met | median | against median |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        result = outcome(row)
        lines.append(
            f"| {row.title} | {row.target} | {result.figure} | {result.cpu_figure} | "
            f"{_met(result.met)} | {_median(row, 'measured')} | {_median(row, 'baseline')} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{when}; nproc {len(os.sched_getaffinity(0))}, {model}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"{platform.system()} {platform.release()}; vaultlint at {commit or 'unknown'}"
    )
