"""Remove the temporary files that killed runs left in the folders `fix` and `format` walk.

The walk yields them as targets (see `writer.is_leftover`); a run that writes removes each one
and names it, and keeps it as a target (reported as a `file` finding) when it cannot. Dry runs
(`--diff`, `--check`) leave them where they are. Issue #15.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vaultlint.runner import Target
from vaultlint.writer import is_leftover, remove_leftover


def remove_leftovers(targets: Sequence[Target], say: Callable[[str], object]) -> list[Target]:
    """The targets less the leftovers removed; `say` gets one line for each removal."""
    kept: list[Target] = []
    for target in targets:
        if is_leftover(target.file):
            problem = remove_leftover(target.file)
            if problem is None:
                say(f"Removed {target.display}: a temporary file left by an interrupted run\n")
                continue
            say(f"{target.display}: {problem}\n")
        kept.append(target)
    return kept
