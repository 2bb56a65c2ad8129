"""Write a fixed note back to disk: old bytes or new bytes, never partial, never lost.

`write_note` is the only place where vaultlint changes a user's file. Its promises, and why they
hold:

- **Nothing changed, nothing written.** When the new bytes equal the old ones it returns before any
  system call, so the note's mtime (which Obsidian and sync tools watch) is untouched.
- **Never partial.** The new bytes go to a temporary file in the note's own folder, are flushed with
  `fsync`, and only then does `os.replace` put them in place. `rename(2)` is atomic on POSIX: a
  reader sees the old inode or the new one, never a mix. The same folder means the same
  filesystem, where a rename is possible at all (across filesystems it fails with EXDEV). The
  `fsync` before the rename matters: without it, a crash soon after can leave the rename on disk
  but not the data, i.e. an empty note (the ext4 "zero-length file" problem). The folder is
  fsynced afterwards so the rename itself survives a crash (best effort: some filesystems refuse).
- **One data fsync per note, one fsync per folder.** A run that writes many notes passes a
  `FolderSync` (`folder_syncs()`): the folders are then fsynced once each when the run ends (or
  is interrupted), not after every note. This keeps every promise above: the data fsync, the one
  that prevents an empty note, still comes before each rename. The folder fsync only makes the
  renames durable; until it happens a crash may forget a rename, and the folder then holds the
  note's old bytes, whole (the renamed-in inode is durable, only the name is not), plus at most a
  left-over temporary file that the next `fix` removes. So a crash mid-run leaves each note
  either as it was or as fixed, never partial, as before; the only difference is how many of
  the run's renames a crash may undo, and running `fix` again redoes them.
- **Never lost.** The note is re-read just before writing, and its identity (inode, size, mtime,
  ctime, mode) is checked again just before the rename; if another program edited or removed it,
  nothing is written (`CHANGED_ON_DISK`). POSIX has no compare-and-swap rename, so an edit landing
  in the microseconds between that last check and the rename cannot be detected; everything
  earlier is.
- **Never outside the paths given.** A note path that resolves (through a symlink, or a symlinked
  folder) outside the resolved `roots` is not written unless the caller passes
  `follow_symlinks=True`. A symlink is written through: the link stays a link, its target gets the
  new bytes.
- **Same permissions.** The temporary file gets the note's mode, and its owner and group when we
  may set them (root, or our own file). Read-only notes (no write bit for anyone) are refused by
  mode bits rather than by trying, because as root no permission check would stop the write.
- **No litter.** On any error the temporary file (`.<name>.vaultlint-<random>.tmp`, hidden and
  recognisable) is removed and the note is left as it was. One that a SIGKILL or a power loss
  left behind is found by the next walk of its folder (`is_leftover`): a regular file of that
  naming older than `STALE_AFTER_SECONDS`. `check` reports it; `fix` and `format` remove it
  (`remove_leftover`) and say so. A younger one may belong to a run in progress, and a link or
  a folder of that name is not ours: both are left alone (issue #15).

Known limits: the rename gives the note a new inode, so a hard link elsewhere keeps the old bytes,
and extended attributes and ACLs are not copied. A SIGKILL or power loss can leave a temporary file
behind (never a partial note).

Signals: SIGINT's default handler raises `KeyboardInterrupt`, which the cleanup code handles, but
SIGTERM's and SIGHUP's default action ends the process on the spot, leaving the temporary file. So
while a temporary file exists, `deferred_signals` holds these signals and delivers them, with the
handler that was installed before, as soon as the note is replaced or the temporary file removed.
The note being written is therefore finished (or cleanly abandoned) and then the signal acts as it
would have; a CLI handler that raises an exception keeps working. The hold lasts one note's write.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

__all__ = [
    "FolderSync",
    "WriteOutcome",
    "WriteStatus",
    "deferred_signals",
    "folder_syncs",
    "is_leftover",
    "remove_leftover",
    "write_note",
]

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
TEMP_MARK = ".vaultlint-"
TEMP_SUFFIX = ".tmp"
# `.<note>.md.vaultlint-<random>.tmp`: tempfile's random part is letters, digits and "_".
_TEMP_NAME = re.compile(r"\..+\.md" + re.escape(TEMP_MARK) + r"[a-z0-9_]+" + re.escape(TEMP_SUFFIX))
# A write holds its temporary file for milliseconds; one this old was left by a killed run.
STALE_AFTER_SECONDS = 3600
LEFTOVER_MESSAGE = (
    "a temporary file left by an interrupted vaultlint run (the note beside it is whole); "
    "`vaultlint fix` or `vaultlint format` removes it"
)

# Signals whose arrival mid-write must not skip the cleanup. SIGHUP does not exist on Windows.
HELD_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

# O_NONBLOCK so that opening a FIFO put in a note's place cannot hang the run (it is then refused
# as not a regular file); O_BINARY so that Windows does not translate line endings.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

_CHANGED = "not written: the note changed on disk since it was read"
_REMOVED = "not written: the note was removed since it was read"

_Handler = Callable[[int, FrameType | None], object] | int | None


class WriteStatus(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"  # new == old: nothing written, mtime untouched
    CHANGED_ON_DISK = "changed-on-disk"  # the file no longer has the bytes we read
    OUTSIDE_ROOTS = "outside-roots"  # resolves outside the roots and follow_symlinks is False
    READ_ONLY = "read-only"  # no write bit for anyone
    FAILED = "failed"  # an OSError at some step; the message says which and why


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    status: WriteStatus
    # The note: the symlink's target when `path` is a symlink that was resolved, else `path`.
    path: Path
    # '' when WRITTEN or UNCHANGED, else "not written: ..." in words a user understands.
    message: str


class _StepError(Exception):
    """An OSError, tagged with the step it interrupted so the message can name it."""

    def __init__(self, step: str, error: OSError) -> None:
        super().__init__(step)
        self.step = step
        self.error = error


class _ChangedOnDiskError(Exception):
    """The note lost the identity it had when re-read: someone else wrote or removed it."""


class FolderSync:
    """The folders whose renames are not yet durable: fsynced once each by `flush`."""

    def __init__(self) -> None:
        self._folders: dict[Path, None] = {}  # a dict keeps the order of the writes

    def add(self, folder: Path) -> None:
        self._folders[folder] = None

    def flush(self) -> None:
        folders, self._folders = list(self._folders), {}
        for folder in folders:
            _fsync_folder(folder)


@contextlib.contextmanager
def folder_syncs() -> Iterator[FolderSync]:
    """A `FolderSync` for a run's writes, flushed when the block ends, however it ends."""
    folders = FolderSync()
    try:
        yield folders
    finally:
        folders.flush()


def write_note(
    path: Path,
    original: bytes,
    new: bytes,
    *,
    roots: Sequence[Path],
    follow_symlinks: bool = False,
    folders: FolderSync | None = None,
) -> WriteOutcome:
    """Replace the note at `path`, read as `original`, by `new`, atomically and only if safe.

    `folders`: where to leave the note's folder for one fsync at the end of the run (see the
    module's docstring); None fsyncs it now."""
    if new == original:
        return WriteOutcome(WriteStatus.UNCHANGED, path, "")
    try:
        target = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return WriteOutcome(WriteStatus.CHANGED_ON_DISK, path, _REMOVED)
    except OSError as error:
        return _failed(path, "resolving the path", error)
    is_link = os.path.islink(path)
    if not follow_symlinks and not _is_inside(target, roots):
        how = "is a symlink to" if is_link else "resolves to"
        message = f"not written: it {how} {target}, outside the paths given"
        return WriteOutcome(WriteStatus.OUTSIDE_ROOTS, path, message)
    shown = target if is_link else path
    try:
        return _write_verified(target, original, new, shown, folders)
    except _StepError as failure:
        return _failed(shown, failure.step, failure.error)
    except _ChangedOnDiskError as changed:
        return WriteOutcome(WriteStatus.CHANGED_ON_DISK, shown, str(changed))


@contextlib.contextmanager
def deferred_signals(signums: Iterable[int] = HELD_SIGNALS) -> Iterator[None]:
    """Hold `signums` during the block, then deliver them with the handlers they had before.

    Only the main thread may install signal handlers; elsewhere this is a no-op (Python runs
    handlers in the main thread anyway). Nesting works: an inner block re-delivers to the outer
    one's holder. Signals set to be ignored, or handled outside Python, are left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        if signum not in pending:
            pending.append(signum)

    previous = _install(signums, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in pending:
            signal.raise_signal(signum)


def _install(
    signums: Iterable[int], hold: Callable[[int, FrameType | None], None]
) -> dict[int, _Handler]:
    previous: dict[int, _Handler] = {}
    for signum in signums:
        handler = signal.getsignal(signum)
        # None: a handler set from C, which signal.signal could not put back.
        if handler is None or handler == signal.SIG_IGN:
            continue
        previous[signum] = handler
        signal.signal(signum, hold)
    return previous


def _is_inside(target: Path, roots: Sequence[Path]) -> bool:
    # Both sides resolved, so the comparison is lexical; on a case-insensitive filesystem a root
    # spelled in another case counts as outside, which refuses rather than writes.
    for root in roots:
        resolved = Path(os.path.realpath(root))
        if target == resolved or target.is_relative_to(resolved):
            return True
    return False


def is_temporary_name(name: str) -> bool:
    """The name `_publish` gives its temporary files."""
    return _TEMP_NAME.fullmatch(name) is not None


def is_leftover(path: Path | str, now: float | None = None) -> bool:
    """A temporary file of ours that a killed run left: our naming, a regular file (not a link:
    lstat), not modified for `STALE_AFTER_SECONDS`."""
    if not is_temporary_name(os.path.basename(path)):
        return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    age = (time.time() if now is None else now) - info.st_mtime
    return stat.S_ISREG(info.st_mode) and age > STALE_AFTER_SECONDS


def remove_leftover(path: Path | str) -> str | None:
    """Remove a leftover temporary file; None when done, else why not (in a user's words)."""
    if not is_leftover(path):  # checked again: it may have changed since it was found
        return "not removed: it is no longer a left-over temporary file"
    try:
        os.unlink(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"not removed: {_reason(error)}"
    return None


def _write_verified(
    target: Path, original: bytes, new: bytes, shown: Path, folders: FolderSync | None
) -> WriteOutcome:
    current, before = _read_with_identity(target)
    if not stat.S_ISREG(before.st_mode):
        return WriteOutcome(WriteStatus.FAILED, shown, "not written: it is not a regular file")
    if before.st_mode & _WRITE_BITS == 0:
        message = f"not written: the note is read-only ({stat.filemode(before.st_mode)})"
        return WriteOutcome(WriteStatus.READ_ONLY, shown, message)
    if current != original:
        return WriteOutcome(WriteStatus.CHANGED_ON_DISK, shown, _CHANGED)
    with deferred_signals():
        _publish(target, new, before)
    if folders is None:
        _fsync_folder(target.parent)
    else:
        folders.add(target.parent)
    return WriteOutcome(WriteStatus.WRITTEN, shown, "")


def _read_with_identity(target: Path) -> tuple[bytes, os.stat_result]:
    """The note's bytes and the stat of the very file they came from (fstat, not a second path)."""
    try:
        note = open(target, "rb", opener=_open_for_reading)  # noqa: SIM115 (with below)
    except FileNotFoundError:
        raise _ChangedOnDiskError(_REMOVED) from None
    except OSError as error:
        raise _StepError("re-reading the note", error) from error
    with _during("re-reading the note"), note:
        before = os.fstat(note.fileno())
        if not stat.S_ISREG(before.st_mode):
            return b"", before
        return note.read(), before


def _open_for_reading(path: str, _flags: int) -> int:
    return os.open(path, _READ_FLAGS)


def _publish(target: Path, new: bytes, before: os.stat_result) -> None:
    """Temporary file beside the note, filled and flushed, then renamed over it; or no trace."""
    # Imported here: every run imports this module (for `is_leftover`), few write a note.
    import tempfile

    with _during("creating the temporary file"):
        fd, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}{TEMP_MARK}", suffix=TEMP_SUFFIX
        )
    try:
        _fill_and_close(fd, temp_name, new, before)
        _check_identity(target, before)
        with _during("replacing the note"):
            os.replace(temp_name, target)
    except BaseException:
        # BaseException: KeyboardInterrupt raised by code (not a held signal) must not leave it.
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _fill_and_close(fd: int, temp_name: str, new: bytes, before: os.stat_result) -> None:
    try:
        with _during("writing the temporary file"):
            _write_all(fd, new)
        _keep_owner(fd, before)
        with _during("copying the note's permissions"):
            # chmod by name: os.fchmod does not exist on Windows before Python 3.13.
            os.chmod(temp_name, stat.S_IMODE(before.st_mode))
        with _during("flushing the temporary file to disk"):
            os.fsync(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    # Not suppressed: on NFS a failed close can be the first sign that the data did not land.
    with _during("closing the temporary file"):
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    # os.write may write fewer bytes than asked (signals, pipes, some filesystems): loop.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _keep_owner(fd: int, before: os.stat_result) -> None:
    if not hasattr(os, "fchown"):
        return
    # Only root may give a file away; a plain user may still set a group they belong to.
    if os.geteuid() != 0 and before.st_uid != os.geteuid():
        return
    with _during("keeping the note's owner"), contextlib.suppress(PermissionError):
        os.fchown(fd, before.st_uid, before.st_gid)


def _check_identity(target: Path, before: os.stat_result) -> None:
    """Narrow the race: refuse if the note was edited while the temporary file was written."""
    with _during("checking the note before replacing it"):
        try:
            now = os.stat(target)
        except FileNotFoundError:
            raise _ChangedOnDiskError(_REMOVED) from None
    if _identity(now) != _identity(before):
        raise _ChangedOnDiskError(_CHANGED)


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_mode,
    )


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable. Best effort: the note is already whole and in place, and some
    filesystems (and Windows, which has no O_DIRECTORY) cannot fsync a folder."""
    directory_flag = getattr(os, "O_DIRECTORY", None)
    if directory_flag is None:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | directory_flag)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _during(step: str) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise _StepError(step, error) from error


def _failed(path: Path, step: str, error: OSError) -> WriteOutcome:
    return WriteOutcome(WriteStatus.FAILED, path, f"not written: {_reason(error)} while {step}")


def _reason(error: OSError) -> str:
    code = error.errno
    # OSError(errno.ENOSPC), with one argument, leaves .errno unset: take the code from args.
    if code is None and len(error.args) == 1 and isinstance(error.args[0], int):
        code = error.args[0]
    text = os.strerror(code) if code is not None else (str(error) or type(error).__name__)
    return text[:1].lower() + text[1:]
