"""Read a file that someone else may have chosen: a regular file only, and never past a cap.

A path from a vault or its config can name `/dev/zero` (endless), a FIFO (blocks forever on
open), or a huge file. `read_regular_file` opens without blocking (O_NONBLOCK), checks on the
opened descriptor that it is a regular file and not larger than the cap, then reads at most
cap + 1 bytes (a file can grow, or lie about its size as /proc files do). Issue #15.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class BoundedReadError(Exception):
    """The file cannot be read within the rules; the message says why, without its content."""


def read_regular_file(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The file's bytes, if it is a regular file of at most `limit` bytes."""
    flags = _FLAGS if follow_symlinks else _FLAGS | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise BoundedReadError(_reason(error, follow_symlinks)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise BoundedReadError("not a regular file")
        if info.st_size > limit:
            raise BoundedReadError(f"too large ({info.st_size:,} bytes; the limit is {limit:,})")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise BoundedReadError(_reason(error, follow_symlinks)) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise BoundedReadError(f"too large (more than {limit:,} bytes)")
    return data


def _reason(error: OSError, follow_symlinks: bool) -> str:
    import errno

    if error.errno == errno.ELOOP:
        return "a symbolic link loop" if follow_symlinks else "a symbolic link (not followed)"
    if error.errno == errno.ENAMETOOLONG:
        return "the path is too long for the system"
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
