"""The writer's promise: a note is its old bytes or its new bytes, never partial, never lost, never
written when nothing changed, never written outside the paths given, and no temporary file left."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultlint import writer
from vaultlint.writer import TEMP_MARK, WriteStatus, deferred_signals, write_note

REPO = Path(__file__).resolve().parents[1]
OLD = b"---\ntitle: Old\n---\nbody\n"
NEW = b"---\ntitle: New\n---\nbody\n"


def make_note(folder: Path, content: bytes = OLD, mode: int = 0o644, name: str = "note.md") -> Path:
    note = folder / name
    note.write_bytes(content)
    note.chmod(mode)
    return note


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if TEMP_MARK in name)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "new",
    [
        pytest.param(b"---\r\ntitle: x\r\n---\r\nbody\r\n", id="crlf"),
        pytest.param(b"\xef\xbb\xbf---\ntitle: x\n---\n", id="bom"),
        pytest.param(b"---\ntitle: x\n---\nno trailing newline", id="no-final-newline"),
        pytest.param(b"mixed\r\nends\nand\rcr\n", id="mixed-newlines"),
        pytest.param(b"", id="empty"),
        pytest.param(bytes(range(256)), id="every-byte"),
    ],
)
def test_new_bytes_are_written_exactly(tmp_path: Path, new: bytes) -> None:
    note = make_note(tmp_path)
    outcome = write_note(note, OLD, new, roots=[tmp_path])
    assert outcome == writer.WriteOutcome(WriteStatus.WRITTEN, note, "")
    assert note.read_bytes() == new
    assert os.listdir(tmp_path) == ["note.md"]


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600, 0o664])
def test_mode_is_kept(tmp_path: Path, mode: int) -> None:
    note = make_note(tmp_path, mode=mode)
    assert write_note(note, OLD, NEW, roots=[tmp_path]).status is WriteStatus.WRITTEN
    assert stat.S_IMODE(note.stat().st_mode) == mode


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def three_bytes_at_a_time(fd: int, data: bytes) -> int:
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(os, "write", three_bytes_at_a_time)
    note = make_note(tmp_path)
    assert write_note(note, OLD, NEW, roots=[tmp_path]).status is WriteStatus.WRITTEN
    assert note.read_bytes() == NEW


def test_temporary_file_is_hidden_beside_the_note_and_named_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources: list[str] = []
    real_replace = os.replace

    def recording_replace(source: str, destination: Path) -> None:
        sources.append(source)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", recording_replace)
    note = make_note(tmp_path)
    write_note(note, OLD, NEW, roots=[tmp_path])
    [source] = sources
    assert Path(source).parent == tmp_path
    assert Path(source).name.startswith(".note.md.vaultlint-")
    assert source.endswith(".tmp")


def test_data_is_flushed_before_replace_and_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _record_fsyncs(monkeypatch)
    write_note(make_note(tmp_path), OLD, NEW, roots=[tmp_path])
    assert calls == ["fsync file", "replace", "fsync folder"]


def test_relative_path_is_written_and_reported_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_note(tmp_path)
    monkeypatch.chdir(tmp_path)
    outcome = write_note(Path("note.md"), OLD, NEW, roots=[Path()])
    assert outcome == writer.WriteOutcome(WriteStatus.WRITTEN, Path("note.md"), "")
    assert (tmp_path / "note.md").read_bytes() == NEW


def test_write_from_a_worker_thread(tmp_path: Path) -> None:
    note = make_note(tmp_path)
    outcomes: list[writer.WriteOutcome] = []
    worker = threading.Thread(
        target=lambda: outcomes.append(write_note(note, OLD, NEW, roots=[tmp_path]))
    )
    worker.start()
    worker.join(timeout=10)
    assert [outcome.status for outcome in outcomes] == [WriteStatus.WRITTEN]
    assert note.read_bytes() == NEW


@settings(max_examples=60, deadline=None)
@given(original=st.binary(max_size=300), new=st.binary(max_size=300))
def test_note_ends_with_exactly_the_new_bytes(original: bytes, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        note = make_note(folder, original)
        outcome = write_note(note, original, new, roots=[folder])
        expected = WriteStatus.UNCHANGED if new == original else WriteStatus.WRITTEN
        assert outcome.status is expected
        assert note.read_bytes() == new
        assert os.listdir(folder) == ["note.md"]


# --- unchanged ---------------------------------------------------------------------------------


def test_unchanged_note_is_not_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = make_note(tmp_path)
    os.utime(note, ns=(1_000_000_000_123, 1_000_000_000_456))
    before = note.stat()

    def forbidden(*_args: object, **_kwargs: object) -> NoReturn:
        raise AssertionError("an unchanged note must not be written")

    monkeypatch.setattr(tempfile, "mkstemp", forbidden)
    monkeypatch.setattr(os, "replace", forbidden)
    outcome = write_note(note, OLD, OLD, roots=[tmp_path])
    assert outcome == writer.WriteOutcome(WriteStatus.UNCHANGED, note, "")
    assert note.read_bytes() == OLD
    assert note.stat().st_mtime_ns == before.st_mtime_ns == 1_000_000_000_456
    assert note.stat().st_ino == before.st_ino


# --- changed on disk ---------------------------------------------------------------------------


def test_stale_original_is_not_written(tmp_path: Path) -> None:
    note = make_note(tmp_path, b"edited in Obsidian meanwhile\n")
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert outcome.message == "not written: the note changed on disk since it was read"
    assert note.read_bytes() == b"edited in Obsidian meanwhile\n"
    assert leftovers(tmp_path) == []


def test_edit_by_another_process_survives(tmp_path: Path) -> None:
    note = make_note(tmp_path)
    read = note.read_bytes()
    script = "import pathlib, sys; pathlib.Path(sys.argv[1]).write_bytes(b'theirs\\n')"
    subprocess.run([sys.executable, "-c", script, str(note)], check=True, timeout=30)
    outcome = write_note(note, read, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert note.read_bytes() == b"theirs\n"


def test_edit_while_the_temporary_file_is_written_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = make_note(tmp_path)
    real_fsync = os.fsync

    def fsync_while_someone_edits(fd: int) -> None:
        # Same length and a forced new mtime: only the identity check can see it.
        note.write_bytes(OLD.upper())
        os.utime(note, ns=(1, 1))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_while_someone_edits)
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert note.read_bytes() == OLD.upper()
    assert leftovers(tmp_path) == []


def test_removed_note_is_not_recreated(tmp_path: Path) -> None:
    note = tmp_path / "gone.md"
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert outcome.message == "not written: the note was removed since it was read"
    assert os.listdir(tmp_path) == []


def test_note_removed_while_the_temporary_file_is_written_is_not_recreated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = make_note(tmp_path)
    real_fsync = os.fsync

    def fsync_while_someone_deletes(fd: int) -> None:
        note.unlink()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_while_someone_deletes)
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert os.listdir(tmp_path) == []


# --- symlinks and roots ------------------------------------------------------------------------


def test_symlink_inside_roots_is_written_through(tmp_path: Path) -> None:
    target = make_note(tmp_path, name="real.md")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    outcome = write_note(link, OLD, NEW, roots=[tmp_path])
    assert outcome == writer.WriteOutcome(WriteStatus.WRITTEN, target, "")
    assert target.read_bytes() == NEW
    assert link.is_symlink()
    assert os.readlink(link) == "real.md"
    assert sorted(os.listdir(tmp_path)) == ["link.md", "real.md"]


def test_symlink_outside_roots_is_refused(tmp_path: Path) -> None:
    vault, elsewhere = tmp_path / "vault", tmp_path / "elsewhere"
    vault.mkdir()
    elsewhere.mkdir()
    target = make_note(elsewhere, name="secret.md")
    link = vault / "link.md"
    link.symlink_to(target)
    outcome = write_note(link, OLD, NEW, roots=[vault])
    assert outcome.status is WriteStatus.OUTSIDE_ROOTS
    assert outcome.path == link
    assert outcome.message == f"not written: it is a symlink to {target}, outside the paths given"
    assert target.read_bytes() == OLD
    assert link.is_symlink()
    assert leftovers(vault) == leftovers(elsewhere) == []


def test_symlink_outside_roots_is_written_when_following_symlinks(tmp_path: Path) -> None:
    vault, elsewhere = tmp_path / "vault", tmp_path / "elsewhere"
    vault.mkdir()
    elsewhere.mkdir()
    target = make_note(elsewhere, name="shared.md")
    link = vault / "link.md"
    link.symlink_to(target)
    outcome = write_note(link, OLD, NEW, roots=[vault], follow_symlinks=True)
    assert outcome == writer.WriteOutcome(WriteStatus.WRITTEN, target, "")
    assert target.read_bytes() == NEW
    assert link.is_symlink()


def test_note_in_a_symlinked_folder_pointing_outside_is_refused(tmp_path: Path) -> None:
    vault, elsewhere = tmp_path / "vault", tmp_path / "elsewhere"
    vault.mkdir()
    elsewhere.mkdir()
    target = make_note(elsewhere)
    (vault / "linked").symlink_to(elsewhere, target_is_directory=True)
    outcome = write_note(vault / "linked" / "note.md", OLD, NEW, roots=[vault])
    assert outcome.status is WriteStatus.OUTSIDE_ROOTS
    assert outcome.message == f"not written: it resolves to {target}, outside the paths given"
    assert target.read_bytes() == OLD


def test_root_given_through_a_symlink_contains_its_notes(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (tmp_path / "alias").symlink_to(vault, target_is_directory=True)
    note = make_note(vault)
    outcome = write_note(note, OLD, NEW, roots=[tmp_path / "alias"])
    assert outcome.status is WriteStatus.WRITTEN
    assert note.read_bytes() == NEW


def test_sibling_folder_with_a_common_prefix_is_outside(tmp_path: Path) -> None:
    vault, vault2 = tmp_path / "vault", tmp_path / "vault2"
    vault.mkdir()
    vault2.mkdir()
    target = make_note(vault2)
    link = vault / "link.md"
    link.symlink_to(target)
    assert write_note(link, OLD, NEW, roots=[vault]).status is WriteStatus.OUTSIDE_ROOTS
    assert target.read_bytes() == OLD


def test_dangling_symlink_is_not_written(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to("missing.md")
    outcome = write_note(link, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.CHANGED_ON_DISK
    assert not (tmp_path / "missing.md").exists()
    assert link.is_symlink()


# --- read-only and odd files -------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_read_only_note_is_refused(tmp_path: Path, mode: int) -> None:
    note = make_note(tmp_path, mode=mode)
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    assert outcome.status is WriteStatus.READ_ONLY
    expected = f"not written: the note is read-only ({stat.filemode(stat.S_IFREG | mode)})"
    assert outcome.message == expected
    assert note.read_bytes() == OLD
    assert stat.S_IMODE(note.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    outcomes: list[writer.WriteOutcome] = []
    worker = threading.Thread(
        target=lambda: outcomes.append(write_note(fifo, OLD, NEW, roots=[tmp_path])), daemon=True
    )
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # release the blocked open before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("write_note blocked on a FIFO")
    assert outcomes == [
        writer.WriteOutcome(WriteStatus.FAILED, fifo, "not written: it is not a regular file")
    ]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# --- ownership ---------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    note = make_note(tmp_path)
    try:
        os.chown(note, 12345, 23456)
    except OSError as error:  # a user namespace may not map these ids
        pytest.skip(f"cannot chown here: {error}")
    assert write_note(note, OLD, NEW, roots=[tmp_path]).status is WriteStatus.WRITTEN
    assert (note.stat().st_uid, note.stat().st_gid) == (12345, 23456)


def test_owner_change_refused_is_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> NoReturn:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "fchown", refuse)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    note = make_note(tmp_path)
    assert write_note(note, OLD, NEW, roots=[tmp_path]).status is WriteStatus.WRITTEN
    assert note.read_bytes() == NEW


def test_owner_is_not_changed_by_a_user_who_does_not_own_the_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = make_note(tmp_path)
    called: list[tuple[object, ...]] = []
    monkeypatch.setattr(os, "fchown", lambda *args: called.append(args))
    monkeypatch.setattr(os, "geteuid", lambda: note.stat().st_uid + 1)
    assert write_note(note, OLD, NEW, roots=[tmp_path]).status is WriteStatus.WRITTEN
    assert called == []


# --- faults ------------------------------------------------------------------------------------


def _failing(error: BaseException) -> Callable[..., NoReturn]:
    def fail(*_args: object, **_kwargs: object) -> NoReturn:
        raise error

    return fail


def _write_then_fill_the_disk() -> Callable[[int, bytes], int]:
    real_write = os.write
    calls: list[int] = []

    def write(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC)
        return real_write(fd, bytes(data[:5]))

    return write


def _close_then_report_io_error() -> Callable[[int], None]:
    real_close = os.close

    def close(fd: int) -> None:
        real_close(fd)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    return close


@dataclass(frozen=True)
class Fault:
    module: object
    name: str
    make_fake: Callable[[], Callable[..., object]]  # fresh per run: some fakes count calls
    message: str


FAULTS = [
    pytest.param(
        Fault(
            tempfile,
            "mkstemp",
            lambda: _failing(OSError(errno.EACCES)),
            "not written: permission denied while creating the temporary file",
        ),
        id="mkstemp-eacces",
    ),
    pytest.param(
        Fault(
            os,
            "write",
            lambda: _failing(OSError(errno.ENOSPC)),
            "not written: no space left on device while writing the temporary file",
        ),
        id="write-enospc",
    ),
    pytest.param(
        Fault(
            os,
            "write",
            _write_then_fill_the_disk,
            "not written: no space left on device while writing the temporary file",
        ),
        id="write-enospc-midway",
    ),
    pytest.param(
        Fault(
            os,
            "chmod",
            lambda: _failing(OSError(errno.EPERM, "Operation not permitted")),
            "not written: operation not permitted while copying the note's permissions",
        ),
        id="chmod-eperm",
    ),
    pytest.param(
        Fault(
            os,
            "fsync",
            lambda: _failing(OSError(errno.EIO)),
            "not written: input/output error while flushing the temporary file to disk",
        ),
        id="fsync-eio",
    ),
    pytest.param(
        Fault(
            os,
            "close",
            _close_then_report_io_error,
            "not written: input/output error while closing the temporary file",
        ),
        id="close-eio-after-fsync",
    ),
    pytest.param(
        Fault(
            os,
            "replace",
            lambda: _failing(OSError(errno.EACCES)),
            "not written: permission denied while replacing the note",
        ),
        id="replace-eacces",
    ),
    pytest.param(
        Fault(
            os,
            "replace",
            lambda: _failing(OSError(errno.EXDEV)),
            "not written: invalid cross-device link while replacing the note",
        ),
        id="replace-exdev",
    ),
    pytest.param(
        Fault(
            os,
            "replace",
            lambda: _failing(OSError("disk said no")),
            "not written: disk said no while replacing the note",
        ),
        id="replace-no-errno",
    ),
]


@pytest.mark.parametrize("fault", FAULTS)
def test_failure_leaves_the_note_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    note = make_note(tmp_path)
    monkeypatch.setattr(fault.module, fault.name, fault.make_fake())
    outcome = write_note(note, OLD, NEW, roots=[tmp_path])
    monkeypatch.undo()
    assert outcome == writer.WriteOutcome(WriteStatus.FAILED, note, fault.message)
    assert note.read_bytes() == OLD
    assert os.listdir(tmp_path) == ["note.md"]


@pytest.mark.parametrize(
    ("module", "name"),
    [(os, "write"), (os, "fsync"), (os, "replace")],
    ids=["during-write", "during-fsync", "between-fsync-and-replace"],
)
def test_keyboard_interrupt_propagates_and_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: object, name: str
) -> None:
    note = make_note(tmp_path)
    monkeypatch.setattr(module, name, _failing(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_note(note, OLD, NEW, roots=[tmp_path])
    monkeypatch.undo()
    assert note.read_bytes() == OLD
    assert os.listdir(tmp_path) == ["note.md"]


# --- signals -----------------------------------------------------------------------------------


class TerminatedError(Exception):
    """What a CLI's own SIGTERM handler might raise."""


def test_signal_during_the_write_reaches_the_previous_handler_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = make_note(tmp_path)
    seen_during: list[bool] = []
    real_replace = os.replace

    def replace_with_a_signal(source: str, destination: Path) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        seen_during.append(note.read_bytes() == OLD)  # the handler has not run: still here
        real_replace(source, destination)

    def stop(_signum: int, _frame: FrameType | None) -> NoReturn:
        raise TerminatedError

    monkeypatch.setattr(os, "replace", replace_with_a_signal)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(TerminatedError):
            write_note(note, OLD, NEW, roots=[tmp_path])
        assert signal.getsignal(signal.SIGTERM) is stop
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen_during == [True]
    assert note.read_bytes() == NEW
    assert os.listdir(tmp_path) == ["note.md"]


def test_deferred_signals_restores_handlers_and_delivers_once() -> None:
    received: list[int] = []

    def record(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGTERM, record)
    try:
        with deferred_signals():
            assert signal.getsignal(signal.SIGTERM) is not record
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)
            assert received == []
        assert received == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is record
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_nested_deferral_delivers_only_when_the_outer_block_ends() -> None:
    received: list[int] = []

    def record(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGTERM, record)
    try:
        with deferred_signals():
            with deferred_signals():
                os.kill(os.getpid(), signal.SIGTERM)
            assert received == []
        assert received == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_ignored_signal_stays_ignored() -> None:
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with deferred_signals():
            assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGTERM)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)


# The child writes a 1 MB note; its os.replace says "ready" and waits for the parent's signal
# first, so that the signal lands while the temporary file exists, the moment a crash would
# leave litter. It waits on the wakeup fd, which the signal's arrival writes to whatever
# handler holds it: a fixed sleep (0.4 s) ended first when a busy machine scheduled the parent
# late, and the note was written before the signal came.
CHILD = textwrap.dedent(
    """
    import os, select, signal, sys
    from pathlib import Path
    from vaultlint import writer

    real_replace = os.replace
    woken, wake = os.pipe()
    os.set_blocking(wake, False)
    signal.set_wakeup_fd(wake)

    def slow_replace(source, destination):
        print("ready", flush=True)
        select.select([woken], [], [], 10)
        real_replace(source, destination)

    os.replace = slow_replace
    note = Path(sys.argv[1])
    try:
        outcome = writer.write_note(note, note.read_bytes(), b"new line\\r\\n" * 100_000,
                                    roots=[note.parent])
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    print(outcome.status.value, flush=True)
    """
)
CHILD_NEW = b"new line\r\n" * 100_000


def run_child_and_signal(note: Path, signum: int) -> tuple[int, bytes]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(note)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    if first != b"ready\n":
        child.kill()
        _, errors = child.communicate(timeout=10)
        pytest.fail(f"child did not get ready: {first!r} {errors.decode()}")
    child.send_signal(signum)
    rest, _ = child.communicate(timeout=10)
    return child.returncode, rest


def test_sigterm_during_a_write_leaves_a_whole_note_and_no_temporary_file(tmp_path: Path) -> None:
    note = make_note(tmp_path, b"old line\n" * 50_000)
    returncode, output = run_child_and_signal(note, signal.SIGTERM)
    assert returncode == -signal.SIGTERM  # still ends as SIGTERM asks, once the note is whole
    assert output == b""
    assert note.read_bytes() == CHILD_NEW
    assert os.listdir(tmp_path) == ["note.md"]


def test_sigint_during_a_write_finishes_the_note_then_interrupts(tmp_path: Path) -> None:
    note = make_note(tmp_path, b"old line\n" * 50_000)
    returncode, output = run_child_and_signal(note, signal.SIGINT)
    assert (returncode, output) == (130, b"interrupted\n")
    assert note.read_bytes() == CHILD_NEW
    assert os.listdir(tmp_path) == ["note.md"]


def _record_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def recording_fsync(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        calls.append(f"fsync {kind}")
        real_fsync(fd)

    def recording_replace(source: str, destination: Path) -> None:
        calls.append("replace")
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)
    return calls


def test_a_run_fsyncs_each_note_before_its_rename_and_each_folder_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    notes = [make_note(tmp_path, name="1.md"), make_note(tmp_path, name="2.md")]
    notes.append(make_note(tmp_path / "b", name="3.md"))
    calls = _record_fsyncs(monkeypatch)
    with writer.folder_syncs() as folders:
        for note in notes:
            assert write_note(note, OLD, NEW, roots=[tmp_path], folders=folders).status is (
                WriteStatus.WRITTEN
            )
        assert calls == ["fsync file", "replace"] * 3  # no folder fsync yet
    assert calls == ["fsync file", "replace"] * 3 + ["fsync folder"] * 2
    assert all(note.read_bytes() == NEW for note in notes)


def test_the_folders_are_fsynced_when_a_run_is_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = make_note(tmp_path)
    calls = _record_fsyncs(monkeypatch)

    def interrupted_run() -> None:
        with writer.folder_syncs() as folders:
            write_note(note, OLD, NEW, roots=[tmp_path], folders=folders)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_run()
    assert calls == ["fsync file", "replace", "fsync folder"]


@pytest.mark.parametrize("command", [["fix"], ["format"]])
def test_fix_and_format_fsync_a_folder_once_for_all_its_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from vaultlint.cli import run

    # A fixture with a safe fix, and one that `format` changes.
    cases = Path(__file__).parent
    fixture = "cases/heading-alias/ingredients.md" if command == ["fix"] else None
    note = (cases / (fixture or "format_cases/body-headings.md")).read_bytes()
    for n in range(3):
        (tmp_path / f"{n}.md").write_bytes(note)
    monkeypatch.chdir(tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.glob("*.md")}
    calls = _record_fsyncs(monkeypatch)
    run([*command, "."])
    written = sum(1 for path, raw in before.items() if path.read_bytes() != raw)
    assert written == 3
    assert calls.count("fsync file") == written
    assert calls.count("fsync folder") == 1
