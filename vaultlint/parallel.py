"""Map a function over items in a pool of processes: the results in the items' order.

This module knows nothing of notes or runs (the runner's worker code is in `runner.py`, which
imports this one; nothing here imports the runner, so there is no import circle). Items go out
in chunks, big enough to pay for their round trip and small enough to share the load evenly;
each worker runs `initializer(*initargs)` once when it starts.

Linux forks the workers (cheap, and they inherit the imported modules); elsewhere they are
spawned, which works as well (the function, the items and the arguments must pickle), only
slower to start. Workers ignore Ctrl-C: the parent stops the pool and the CLI reports the
interruption.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

# A chunk is big enough to pay for its round trip, small enough to share the load evenly.
MIN_CHUNK, MAX_CHUNK = 16, 128

T = TypeVar("T")
R = TypeVar("R")


def pool_context() -> multiprocessing.context.BaseContext:
    """fork on Linux (fast; the workers inherit what the parent imported), spawn elsewhere."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def chunk_size(count: int, jobs: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, count // (jobs * 4) or 1))


def map_in_pool(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    *,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    context: multiprocessing.context.BaseContext | None = None,
) -> Iterator[R]:
    """`function` over chunks of `items` in `jobs` processes; yields one result per item, in
    order (`function` takes a chunk and returns one result per item of it)."""
    size = chunk_size(len(items), jobs)
    chunks = [list(items[start : start + size]) for start in range(0, len(items), size)]
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context or pool_context(),
        initializer=_start,
        initargs=(initializer, initargs),
    )
    try:
        for results in executor.map(function, chunks):
            yield from results
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _start(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    initializer(*initargs)
