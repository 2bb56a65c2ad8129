"""`check --watch`: a real process checks, sees a saved note, checks again, and ends on Ctrl-C."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from tests.test_cli import clean_note
from vaultlint.commands.watch import WATCHING, change_filter

TIMEOUT = 30.0


class Lines:
    """Lines of a stream, read in a thread, so that a test can wait for one with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)

    def wait_for(self, text: str, count: int = 1) -> None:
        deadline = time.monotonic() + TIMEOUT
        while sum(text in line for line in self.seen) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} not seen {count} times in {self.seen!r}")
            try:
                self.seen.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                continue


def test_watch_rechecks_a_saved_note_and_ends_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    note = tmp_path / "note.md"
    note.write_bytes(clean_note())
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultlint", "check", "--watch", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        out, err = Lines(process.stdout), Lines(process.stderr)
        err.wait_for(WATCHING)
        out.wait_for("All checks passed! (1 note checked)")
        time.sleep(0.2)  # the watcher is set up once the first run printed
        note.write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
        err.wait_for(WATCHING, count=2)
        out.wait_for("note.md:7:11: error schema portions 0 is less than the minimum of 1")
        out.wait_for("Found 1 error and 0 warnings in 1 note.")
        process.send_signal(signal.SIGINT)
        assert process.wait(TIMEOUT) == 0
        err.seen += process.stderr.readlines()
        assert [line for line in err.seen if line != WATCHING + "\n"] == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("note.md", True),
        ("Recettes/Thaï/curry.md", True),
        (".vaultlint.toml", True),
        ("schemas/recipe.schema.json", True),
        (".obsidian/types.json", True),
        (".obsidian/workspace.json", False),
        (".vaultlint_cache/results.json", False),
        (".git/index", False),
        (".trash/old.md", False),
        ("image.png", False),
    ],
)
def test_only_what_can_change_findings_starts_a_run(
    tmp_path: Path, relative: str, expected: bool
) -> None:
    vault = tmp_path / ".hidden-parent" / "vault"  # a vault may live under a dot-folder
    relevant = change_filter([vault])
    from watchfiles import Change

    assert relevant(Change.modified, str(vault / relative)) is expected
