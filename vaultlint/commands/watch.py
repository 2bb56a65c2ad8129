"""`vaultlint check --watch`: check, then check again whenever a note, a config or a schema is
saved, until Ctrl-C.

Each run clears the screen (on a terminal), prints the report with its summary line, and says
it is watching. The results cache makes a re-run cost about the notes that changed. A change
is only a note (`*.md`), a config (`.vaultlint.toml`, `pyproject.toml`), a JSON file (a schema,
a baseline) or `.obsidian/types.json`; nothing under another dot-folder (the cache, `.git`,
`.trash`), so that the cache's own writes never start a run. Ctrl-C ends with status 0 and no
traceback; a setup error (a broken config) is printed and the watch goes on, so that saving the
repaired config starts the next run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vaultlint.config import CONFIG_NAMES
from vaultlint.errors import UsageError

if TYPE_CHECKING:
    import threading

    from watchfiles import Change

CLEAR_SCREEN = "\x1b[2J\x1b[H"
WATCHING = "Watching for changes; press Ctrl-C to stop."
EXIT_OK = 0


def change_filter(folders: Sequence[Path]) -> Callable[[Change, str], bool]:
    """Whether a changed file can change a check's findings; judged by its path inside the
    watched folder (a vault may itself live under a dot-folder)."""
    roots = [os.path.abspath(folder) for folder in folders]

    def relevant(change: Change, path: str) -> bool:
        del change
        absolute = os.path.abspath(path)
        inside = [os.path.relpath(absolute, root) for root in roots]
        return any(_relevant(Path(relative).parts) for relative in inside)

    return relevant


def _relevant(parts: tuple[str, ...]) -> bool:
    if not parts or parts[0] == "..":
        return False
    name = parts[-1]
    hidden = [part for part in parts[:-1] if part.startswith(".") and part not in (".", "..")]
    if hidden:
        return hidden == [".obsidian"] and name == "types.json" and parts[-2] == ".obsidian"
    return name.endswith((".md", ".json")) or name in CONFIG_NAMES


def watch_check(
    paths: Sequence[Path],
    check_once: Callable[[], int],
    out: TextIO,
    err: TextIO,
    stop_event: threading.Event | None = None,
) -> int:
    """Run `check_once` now and after every relevant change under `paths`, until Ctrl-C."""
    import logging

    from watchfiles import watch

    # watchfiles logs "KeyboardInterrupt caught, stopping watch" as a warning: Ctrl-C is how a
    # watch ends, not news.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    folders = [path if path.is_dir() else path.parent for path in paths]
    relevant = change_filter(folders)
    # Ctrl-C can land in the watcher (watchfiles stops iterating) or anywhere in between (a run,
    # the filter): either way the watch ends here, with status 0 and no traceback.
    try:
        _run(check_once, out, err)
        changes = watch(
            *folders, watch_filter=relevant, stop_event=stop_event, raise_interrupt=False
        )
        for _ in changes:
            _run(check_once, out, err)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _run(check_once: Callable[[], int], out: TextIO, err: TextIO) -> None:
    if out.isatty():
        out.write(CLEAR_SCREEN)
    try:
        check_once()
    except UsageError as error:  # reported, and the next save tries again
        err.write(f"vaultlint: error: {error}\n")
    out.flush()
    err.write(WATCHING + "\n")
    err.flush()
