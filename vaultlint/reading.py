"""Read a note's bytes, or say in plain words why the path cannot be read as a note.

Never opens what is not a regular file: opening a FIFO named `*.md` would block the run.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from vaultlint.writer import LEFTOVER_MESSAGE, is_temporary_name

# A note larger than this is not read (the `limit` rule reports it). Defined here, not in
# rules/limit.py: reading a note must not import every rule (phase 2 reads notes without them).
MAX_NOTE_BYTES = 10 * 1024 * 1024


class NoteReadError(Exception):
    """The path cannot be read as a note; the message says why, in the user's words."""

    def __init__(self, message: str, *, too_large: int | None = None) -> None:
        super().__init__(message)
        self.too_large = too_large


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_note(path: Path | str, root: Path | None = None) -> bytes:
    """The note's bytes. With `root`, a symbolic link leading outside it is refused: a vault
    from strangers must not make vaultlint read (or report on) files elsewhere."""
    # Nearly every note is a plain regular file: one lstat tells so (no symbolic link to
    # follow, nothing to refuse), and it is read at its size, without a file object or a
    # buffer of the size limit. Anything else takes the careful path below, unchanged.
    name = os.fspath(path)
    try:
        info = os.lstat(name)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        if is_temporary_name(os.path.basename(name)):
            raise NoteReadError(LEFTOVER_MESSAGE)
        if info.st_size > MAX_NOTE_BYTES:
            raise NoteReadError("too large", too_large=info.st_size)
        try:
            return _read_regular(name, info.st_size)
        except OSError as error:
            raise NoteReadError(_explain(Path(name), error)) from None
    return _read_other(Path(name), root)


def _read_regular(name: str, size: int) -> bytes:
    """The first MAX_NOTE_BYTES + 1 bytes of a regular file (`size`: as lstat saw it), read as
    `open(name, "rb").read(MAX_NOTE_BYTES + 1)` would; O_NOFOLLOW: a symbolic link swapped in
    since the lstat is not followed."""
    descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        parts = []
        total, want = 0, size + 1  # one read at the size, one more that finds the end
        while total <= MAX_NOTE_BYTES:
            chunk = os.read(descriptor, min(want, MAX_NOTE_BYTES + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            want = _GROWN_CHUNK  # it grew since the lstat, or lies about its size (/proc)
    finally:
        os.close(descriptor)
    raw = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(raw) > MAX_NOTE_BYTES:
        raise NoteReadError("too large", too_large=len(raw))
    return raw


_GROWN_CHUNK = 1 << 16


def _read_other(path: Path, root: Path | None) -> bytes:
    """`read_note` for what is not a plain regular file: a symbolic link, a folder, a FIFO..."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise NoteReadError(_explain(path, error)) from None
    if stat.S_ISDIR(info.st_mode):
        _check_folder(path)
    if is_temporary_name(path.name):
        raise NoteReadError(LEFTOVER_MESSAGE)
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise NoteReadError(f"cannot read the note: it is {kind}, not a regular file")
    if root is not None and os.path.islink(path):
        target = Path(os.path.realpath(path))
        resolved_root = Path(os.path.realpath(root))
        if target != resolved_root and resolved_root not in target.parents:
            raise NoteReadError(
                f"not checked: a symbolic link to {target}, outside the vault ({resolved_root})"
            )
    if info.st_size > MAX_NOTE_BYTES:
        raise NoteReadError("too large", too_large=info.st_size)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as error:
        raise NoteReadError(_explain(path, error)) from None
    if len(raw) > MAX_NOTE_BYTES:  # it grew since the stat, or it lies about its size (/proc)
        raise NoteReadError("too large", too_large=len(raw))
    return raw


def _check_folder(path: Path) -> None:
    """A folder is a target when the walk could not list it (issue #15): say why, so that
    the run does not pass a vault it has not read. A listable folder named `*.md` is not."""
    try:
        with os.scandir(path):
            pass
    except OSError as error:
        reason = _explain(path, error).split(": ", 1)[-1]
        message = f"cannot read the folder: {reason}; its notes are not checked"
        raise NoteReadError(message) from None


def _explain(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOENT and path.is_symlink():
        return "cannot read the note: broken symbolic link (its target does not exist)"
    if error.errno == errno.ELOOP:
        return "cannot read the note: symbolic link loop"
    if error.errno == errno.ENOENT:
        return "cannot read the note: no such file"
    if error.errno == errno.EACCES:
        return "cannot read the note: permission denied"
    if error.errno == errno.ENAMETOOLONG:
        return "cannot read: the path is too long for the system (PATH_MAX)"
    return f"cannot read the note: {error.strerror or error}"
