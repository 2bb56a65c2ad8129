"""One command timed as a whole process: wall clock, CPU and peak memory from `os.wait4`.

CPU is user + system time of the process and the children it waited for (a pool's workers
included). Peak memory is `ru_maxrss`, which on Linux also counts the pages a child shared with
its parent before `exec`: the benchmark process stays small (it never imports vaultlint) so that
its own size does not show in the figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Exit codes that mean the command ran: 1 is "problems found" for check, fix and format --check.
RAN = (0, 1)


class CommandFailedError(Exception):
    """A benchmarked command crashed or refused its arguments: its figures would mean nothing."""


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    max_rss_kib: int


def measure(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    # stderr goes to a file, read once the process has ended: a pipe would fill up with a
    # large vault's warnings (format lists every note it cannot read) and block the command.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        error = errors.read().decode("utf-8", "replace")
    if code not in RAN or "Traceback" in error:
        raise CommandFailedError(f"{' '.join(argv)} (in {cwd}) exited {code}:\n{error.strip()}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def nothing(env: dict[str, str]) -> None:
    """A case that needs no preparation."""


@dataclass
class Case:
    """A command with what must be done, untimed, before each of its runs."""

    label: str  # as the table shows it
    argv: tuple[str, ...]
    cwd: Path
    prepare: Callable[[dict[str, str]], None] = nothing
    samples: list[Sample] = field(default_factory=list)

    def run_once(self, env: dict[str, str]) -> None:
        self.prepare(env)
        self.samples.append(measure(self.argv, self.cwd, env))

    @property
    def wall(self) -> float:
        return statistics.median(sample.wall for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(sample.max_rss_kib for sample in self.samples) / 1024
