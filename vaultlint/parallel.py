"""Check notes in a pool of processes: the same results, in the same order, as one process.

Each worker builds one `Runner` when it starts (from the parent's options and the settings
already found, so that no config is looked up twice) and loads and compiles each schema once.
Notes go out in chunks of paths, and come back as cache rows (findings without their path, and
the note's identity), in order: the parent rebuilds the reports from rows exactly as it does
for notes checked in-process or read from the cache, so the output is byte-identical whatever
`--jobs` says.

Linux forks the workers (cheap, and they inherit the imported modules); elsewhere they are
spawned, which works as well (everything sent is picklable), only slower to start. Workers
ignore Ctrl-C: the parent stops the pool and the CLI reports the interruption.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.config import Settings

if TYPE_CHECKING:
    from vaultlint.runner import Checked, Runner, RunOptions, Target

# A chunk is big enough to pay for its round trip, small enough to share the load evenly.
MIN_CHUNK, MAX_CHUNK = 16, 128

# (path, displayed path, path relative to the vault root, index of its settings)
_Task = tuple[str, str, str, int]
_Result = tuple[tuple[str, ...] | None, "Checked"]


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker needs, sent once when it starts."""

    options: RunOptions
    cwd: Path
    settings: tuple[Settings, ...]  # indexed by the tasks
    strategy: str | None  # the cache's identity strategy, None: no cache
    not_after_ns: int  # notes changed after this are stored with a hash of their bytes (racy)
    fixable_at: int | None  # report whether a note has a fix at this level (for `fix`)


class _WorkerState:
    def __init__(self, setup: WorkerSetup) -> None:
        from vaultlint.runner import Runner

        self.runner = Runner(setup.options, cwd=setup.cwd)
        self.setup = setup


_worker: _WorkerState | None = None


def _start_worker(setup: WorkerSetup) -> None:
    global _worker  # noqa: PLW0603 - one state per worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = _WorkerState(setup)


def _check_chunk(tasks: list[_Task]) -> list[_Result]:
    from vaultlint.runner import Target

    state = _worker
    assert state is not None, "the pool initializer sets up every worker"
    runner, setup = state.runner, state.setup
    results: list[_Result] = []
    for path, display, relative, settings_index in tasks:
        target = Target(path, display, setup.settings[settings_index], relative)
        checked = runner.check_for_cache(
            target, setup.strategy, setup.not_after_ns, fixable_at=setup.fixable_at
        )
        results.append((runner._schema_sources(target), checked))
    return results


def _preload(runner: Runner, targets: Sequence[Target]) -> None:
    """Import the rules and compile the schemas once, here, for every forked worker to inherit
    (rather than each worker doing it again: some 50 ms of CPU per worker)."""
    import vaultlint.engine  # noqa: F401 - imports every rule

    seen: set[object] = set()
    for target in targets:
        path = runner.schema_path(target)
        if path not in seen:
            seen.add(path)
            runner.schema_for(target)  # a broken schema is reported here, before any fork


def pool_context() -> multiprocessing.context.BaseContext:
    """fork on Linux (fast; the workers inherit what the parent imported), spawn elsewhere."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def chunk_size(count: int, jobs: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, count // (jobs * 4) or 1))


def check_in_pool(
    runner: Runner,
    targets: Sequence[Target],
    jobs: int,
    *,
    strategy: str | None,
    not_after_ns: int,
    fixable_at: int | None = None,
    context: multiprocessing.context.BaseContext | None = None,
) -> Iterator[_Result]:
    """Check the notes in `jobs` processes; yields one result per target, in their order."""
    settings_index: dict[int, int] = {}
    settings: list[Settings] = []
    tasks: list[_Task] = []
    for target in targets:
        index = settings_index.get(id(target.settings))
        if index is None:
            index = settings_index[id(target.settings)] = len(settings)
            settings.append(target.settings)
        tasks.append((target.file, target.display, target.relative, index))
    size = chunk_size(len(tasks), jobs)
    chunks = [tasks[start : start + size] for start in range(0, len(tasks), size)]
    context = context or pool_context()
    if context.get_start_method() == "fork":
        _preload(runner, targets)
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(
            WorkerSetup(
                runner.options, runner.cwd, tuple(settings), strategy, not_after_ns, fixable_at
            ),
        ),
    )
    try:
        for results in executor.map(_check_chunk, chunks):
            yield from results
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
