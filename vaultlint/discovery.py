"""Paths given on the command line -> the note files to check, in a stable order.

Folders are walked for `*.md`, skipping every dot-folder (`.obsidian/` can be renamed, `.trash/`,
`.git/`) and what the config excludes. A file named on the command line is always checked unless
`force_exclude` asks to apply the excludes to it too (what a pre-commit hook wants).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

NOTE_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A path to check, as given or found, and where it sits relative to the vault root."""

    path: Path  # as the user would write it (relative to the current folder when possible)
    relative: str  # posix path relative to the vault root, for globs


def walk_notes(folder: Path) -> Iterator[Path]:
    """Every `*.md` under `folder`, sorted; dot-folders and symlinked folders are not entered.

    A folder that cannot be listed (no permission, a path past PATH_MAX) is yielded itself, so
    that reading it reports why rather than the run passing notes it never saw (issue #15).
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        yield folder
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith("."):
            if entry.name.endswith(".tmp") and _is_leftover(entry.path):
                yield Path(entry.path)  # a killed run's temporary file: reading it reports it
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            subfolders.append(entry)
        elif entry.name.endswith(NOTE_SUFFIX):
            yield Path(entry.path)
    for sub in subfolders:
        yield from walk_notes(Path(sub.path))


def _is_leftover(path: str) -> bool:
    from vaultlint.writer import is_leftover

    return is_leftover(path)


def is_folder(path: Path) -> bool:
    """A real folder (not a link to one) to walk; False when the path cannot even be stat'ed
    (a locked parent, a path past PATH_MAX): reading it then reports why."""
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def display_path(path: Path, cwd: Path) -> Path:
    """The path relative to the current folder when it is inside it, else absolute."""
    absolute = path if path.is_absolute() else cwd / path
    try:
        return absolute.relative_to(cwd)
    except ValueError:
        return absolute


def relative_to_root(path: Path, root: Path, cwd: Path) -> str:
    absolute = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def is_hidden(relative: str) -> bool:
    """True when a path lies in a dot-folder (or is a dot-file) under the vault root."""
    return any(part.startswith(".") and part not in (".", "..") for part in relative.split("/"))


def expand(paths: Sequence[Path]) -> Iterator[tuple[Path, bool]]:
    """(path, explicitly named) for every note the paths name or contain, files first as given."""
    for path in paths:
        if is_folder(path):
            for found in walk_notes(path):
                yield found, False
        else:
            yield path, True


# Shown escaped, never raw: control characters (an ESC sequence would reach the terminal, a
# newline would split a line of output), undecodable bytes of a file name (surrogate escapes,
# which a UTF-8 stream refuses), line separators and bidirectional overrides.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(name: str) -> str:
    """A path as it may be printed: what a terminal or a report would misread, escaped."""
    if name.isprintable():
        return name
    return "".join(_escaped(character) for character in name)


def _escaped(character: str) -> str:
    import unicodedata

    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of the file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    category = unicodedata.category(character)
    if category in ("Cc", "Cs", "Zl", "Zp") or character in _BIDI:
        return character.encode("unicode_escape").decode("ascii")
    return character
