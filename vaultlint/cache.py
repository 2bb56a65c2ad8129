"""The results cache: each note's findings, reused while nothing they depend on has changed.

A note's findings depend on its bytes, its path in the vault, the schema that applies, the rules
selected with their severities and options, and the code of vaultlint and of the libraries that
read YAML and schemas. The cache is keyed on all of them:

- one file per vault root and configuration, `.vaultlint_cache/<version>/<key>`, where `key`
  hashes vaultlint's version and source files (so that an edited checkout never reuses stale
  results), the versions of PyYAML, jsonschema-rs, ftfy and ruamel.yaml, the settings that can
  change a finding (everything but the vault root, config path, include and exclude), the rule
  selection, and the identity strategy;
- in it, one entry per note (its path relative to the vault root) holding the note's identity,
  the digest of the schema it was checked against (`CompiledSchema.digest`: the schema file and
  every file it references) and its findings without their displayed path.

A note's identity (strategy `mtime`) is its size, mtime_ns, ctime_ns and inode: an edit that
keeps the size and sets the mtime back still changes the ctime, which no program can set, and a
file put in its place has another inode. A note changed less than `RACY_WINDOW_NS` before the
run also records a hash of its bytes, checked whenever the entry is used: a later edit in the
same clock tick would keep every stat field (git's "racy clean" problem). Strategy `content`
keys on the size and a BLAKE2b hash of the bytes only, for CI clones where every mtime is the
checkout time. Either way an entry copied from another machine (a cache committed to a
repository) never matches: its ctimes and inodes are not this machine's, or its hashes are
checked.

The schema digests are checked without compiling the schema: the file records, for every schema
it used, the files the digest was made of; a run re-hashes them (a few kilobytes, each read
within `MAX_SCHEMA_BYTES`) and compiles the schema only when they changed. A warm run therefore
imports neither jsonschema-rs nor PyYAML.

A vault may come from a stranger, with a `.vaultlint_cache` of their making (issue #15). So:

- the cache never follows a symbolic link: the cache folder, the version folder and the entry
  are opened relative to the folder that holds them, with O_NOFOLLOW; a link, or something
  that is not a folder, makes the whole cache untrusted: it is ignored with one warning;
- it writes only its own names (`CACHEDIR.TAG`, `.gitignore`, its entries, and its temporary
  files, created with O_EXCL), and deletes only regular files named as its entries (32 hex
  digits) or as its own temporary files, in its version folder;
- reading is bounded: a file larger than `MAX_CACHE_BYTES` is not read, and the format is JSON,
  which parses in time linear in its size (marshal, used before, could be made to allocate
  gigabytes from five bytes), then checked field by field before use.

The file is written atomically (a temporary file in the same folder, then a rename): two runs
racing each write a whole file and the last one wins; every entry is checked on use anyway. A
corrupt or unreadable file, or a folder that cannot be written, is ignored with one warning on
stderr, and the run goes on. `.vaultlint_cache/` holds a `CACHEDIR.TAG`
(https://bford.info/cachedir/) and a `.gitignore` of `*`, so that backups and git leave it alone.
On a system without `openat` (Windows) the cache is not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint import __version__
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.results import Finding

CACHE_DIR = ".vaultlint_cache"
STRATEGIES = ("mtime", "content")
FORMAT = 2
MAGIC = "vaultlint-results-cache"
# A note whose mtime or ctime is this close to the start of the run records a hash of its bytes.
RACY_WINDOW_NS = 2_000_000_000
# Bytes read to hash a note: `rules.limit.MAX_NOTE_BYTES` (not imported: it imports every rule).
READ_LIMIT = 10 * 1024 * 1024
# A cache file larger than this is not read (about 100 bytes a note: a million notes fit).
MAX_CACHE_BYTES = 256 * 1024 * 1024
# Configuration files kept per version folder; older ones are deleted when a new one is written.
KEEP_FILES = 8
# A temporary file of a killed run is removed after this long (a live run renames it at once).
STALE_TEMPORARY_NS = 3600 * 1_000_000_000

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by vaultlint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by vaultlint.\n*\n"

# The only names the cache ever deletes: its entries and its temporary files.
_ENTRY_NAME = re.compile(r"[0-9a-f]{32}")
_TEMPORARY_NAME = re.compile(r"\.tmp-[0-9a-f]{16}\.part")

# A finding without its path: line, column, end line, end column, rule, severity, message,
# fix applicability (-1: none), line text.
Row = tuple[int, int, int, int, str, str, str, int, str]
# As stored (JSON lists): size, mtime_ns, ctime_ns, inode (the three 0 under `content`), hex
# digest of the bytes ("" under `mtime` unless the note had just changed), schema digest (""
# when no schema applies), findings (rows as lists). Checked field by field when used.
Entry = list[Any]

_NO_FIX = -1
_SEVERITIES = {severity.value: severity for severity in Severity}
_APPLICABILITIES = {int(level): level for level in Applicability}
_ENTRY_FIELDS = 7

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
# Every step works relative to an open folder (openat and friends): without that, a folder
# swapped for a link between a check and a use could still redirect a write.
SUPPORTED = os.open in os.supports_dir_fd and os.scandir in os.supports_fd


# ------------------------------------------------------------------------------ identities


@dataclass(frozen=True, slots=True)
class Identity:
    """What a note was when it was checked: the part of an entry that must match to reuse it."""

    size: int
    mtime_ns: int  # 0 under `content`
    ctime_ns: int  # 0 under `content`
    inode: int  # 0 under `content`
    digest: str  # hex BLAKE2b of the bytes: always under `content`, when racy under `mtime`

    def recent(self, not_after_ns: int) -> bool:
        """Changed so recently that another edit in the same clock tick could go unseen."""
        return max(self.mtime_ns, self.ctime_ns) >= not_after_ns

    def with_digest(self, digest: str) -> Identity:
        return dataclasses.replace(self, digest=digest)


def stat_identity(path: Path | str) -> Identity | None:
    """The note's identity under `mtime`, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return identity_of(info)


def identity_of(info: os.stat_result) -> Identity:
    return Identity(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, "")


def digest_of(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def content_identity(raw: bytes) -> Identity:
    return Identity(len(raw), 0, 0, 0, digest_of(raw))


def read_digest(path: Path | str) -> str | None:
    """The hash of the note's bytes (None: unreadable, not a regular file, or too large to be a
    note, which the check then reports)."""
    from vaultlint.bounded import BoundedReadError, read_regular_file

    try:
        return digest_of(read_regular_file(path, READ_LIMIT))
    except BoundedReadError:
        return None


def read_identity(path: Path | str) -> Identity | None:
    """The note's identity under `content`: its bytes are read and hashed."""
    from vaultlint.bounded import BoundedReadError, read_regular_file

    try:
        return content_identity(read_regular_file(path, READ_LIMIT))
    except BoundedReadError:
        return None


# -------------------------------------------------------------------------------- findings


def finding_row(finding: Finding) -> Row:
    fix = _NO_FIX if finding.fix is None else int(finding.fix)
    return (
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        finding.rule,
        finding.severity.value,
        finding.message,
        fix,
        finding.line_text,
    )


def findings_from_rows(display: str, rows: Iterable[Row]) -> tuple[Finding, ...]:
    return tuple(
        Finding(
            display,
            line,
            column,
            end_line,
            end_column,
            rule,
            _SEVERITIES[severity],
            message,
            None if fix == _NO_FIX else _APPLICABILITIES[fix],
            line_text,
        )
        for line, column, end_line, end_column, rule, severity, message, fix, line_text in rows
    )


# ---------------------------------------------------------------------------------- keys


def canonical(value: Any) -> Any:
    """A value rebuilt from lists, strings and numbers only, in an order that does not vary."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, canonical(_fields(value))]
    if isinstance(value, Mapping):
        return sorted([str(key), canonical(item)] for key, item in value.items())
    if isinstance(value, set | frozenset):
        return sorted(repr(item) for item in value)
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def _fields(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def configuration_key(parts: Any, strategy: str) -> str:
    """The name of the cache file for one configuration (see the module docstring)."""
    material = repr(canonical([FORMAT, strategy, _tool_fingerprint(), parts]))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


_tool: str | None = None

# Libraries whose behaviour shows in findings: a new version may change a message.
_LIBRARIES = ("yaml", "jsonschema_rs", "ftfy", "ruamel")


def _tool_fingerprint() -> str:
    """vaultlint's version and sources, the libraries' installed files, Python's version."""
    global _tool  # noqa: PLW0603 - computed once per process
    if _tool is None:
        package = Path(__file__).resolve().parent
        from vaultlint.schema.loader import bundled_schema

        extension_meta = bundled_schema("x-vaultlint.schema.json")
        parts: list[Any] = [__version__, sys.version, _sources(package), _stamp(extension_meta)]
        parts += [_library_stamp(name) for name in _LIBRARIES]
        _tool = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return _tool


def _sources(folder: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every `.py` file of the package: an edited checkout misses."""
    found: list[tuple[str, int, int]] = []
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                info = entry.stat()
                found.append((entry.path, info.st_size, info.st_mtime_ns))
            elif entry.is_dir() and not entry.name.startswith((".", "__")):
                stack.append(entry.path)
    return sorted(found)


def _stamp(path: Path) -> tuple[str, int, int] | str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}: absent"
    return (str(path), info.st_size, info.st_mtime_ns)


def _library_stamp(name: str) -> tuple[str, int, int] | str:
    """Where a library is installed and when: a reinstall of another version changes it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return f"{name}: absent"
    return _stamp(Path(spec.origin))


# ------------------------------------------------------------------------------- schemas


@dataclass(frozen=True, slots=True)
class SchemaSources:
    """A schema's digest and the files it was made of (the schema first, then its references)."""

    digest: str
    files: tuple[str, ...]

    def still_valid(self) -> bool:
        """The files hash as they did. They are named by the cache file, which a stranger may
        have written: each is read as a schema is, a regular file within the schema size cap."""
        from vaultlint.bounded import BoundedReadError, read_regular_file
        from vaultlint.schema.loader import MAX_SCHEMA_BYTES

        contents = []
        for path in self.files:
            try:
                contents.append(read_regular_file(path, MAX_SCHEMA_BYTES))
            except BoundedReadError:
                return False
        return hashlib.sha256(b"".join(contents)).hexdigest() == self.digest


# ---------------------------------------------------------------------------------- file


class CacheError(Exception):
    """The cache cannot be read or written; the message says why, in the user's words."""


class _UntrustedError(Exception):
    """The cache folder or file is not what vaultlint creates (a link, not a folder)."""


@dataclass(eq=False)
class ResultCache:
    """The cache file of one configuration in one vault: load, look up, store, save."""

    root: Path
    key: str
    strategy: str
    schemas: dict[str, SchemaSources] = field(default_factory=dict)
    problem: str | None = None  # why the file on disk was ignored
    untrusted: bool = False  # a link or a stranger's file: neither read nor written
    _entries: dict[str, Entry] | None = field(default_factory=dict)  # None: not parsed yet
    # What `load(lazy=True)` read: the file's text and where its table of entries starts, for
    # `entry` to find a few entries in without parsing the others (see `_find_entry`).
    _unparsed: tuple[str, int] | None = None
    _dirty: bool = False
    _loaded: bool = False
    _seen: set[str] = field(default_factory=set)
    _verified: dict[str, str | None] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def path(self) -> Path:
        return self.folder / __version__ / self.key

    # ------------------------------------------------------------------- reading

    @property
    def entries(self) -> dict[str, Entry]:
        """Every entry, by path relative to the vault root (the whole file parsed on first use
        after a lazy load; a broken file then sets `problem` and gives none)."""
        if self._entries is None:
            assert self._unparsed is not None, "set together by load"
            text, _ = self._unparsed
            self._unparsed = None
            self._entries = {}
            try:
                self._entries, self.schemas = _decode(text.encode("utf-8"), self.key)
            except (ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
                self._corrupt(error)
        return self._entries

    def entry(self, relative: str) -> Entry | None:
        """One entry; after a lazy load, found in the file's text without parsing the others."""
        if self._entries is not None:
            return self._entries.get(relative)
        assert self._unparsed is not None, "set together by load"
        try:
            return _find_entry(*self._unparsed, relative)
        except (ValueError, RecursionError):  # not where `_encode` puts it: parse it all
            return self.entries.get(relative)

    def _corrupt(self, error: BaseException) -> None:
        self.problem = f"{self.path} is corrupt ({_short(error)}); it will be rebuilt"
        self._entries, self.schemas = {}, {}
        self._dirty = True

    def load(self, *, lazy: bool = False) -> None:
        """Read the file; a missing one is an empty cache, a broken one sets `problem`.

        `lazy`: for a run that looks up a few notes (`check ONE.md`), the entries are parsed
        when first needed, and `entry` finds one without parsing the others. A file that is not
        in the shape `_encode` writes is parsed at once, as without `lazy`.
        """
        self._loaded = True
        if not SUPPORTED:
            self.untrusted = True
            return
        try:
            with _version_folder(self.root, create=False) as version_fd:
                data = _read_entry_file(self.key, version_fd) if version_fd is not None else None
        except _UntrustedError as error:
            self.problem = f"cannot read the cache {self.folder}: {error}; it is not used"
            self.untrusted = True
            return
        except OSError as error:
            self.problem = f"cannot read the cache {self.path}: {error.strerror or error}"
            return
        if data is None:
            return
        try:
            header = _split_header(data, self.key) if lazy else None
            if header is None:
                self._entries, self.schemas = _decode(data, self.key)
            else:
                self.schemas, self._unparsed = header[0], header[1:]
                self._entries = None
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
            self._corrupt(error)

    def schema_digest(self, schema_path: str) -> str | None:
        """The digest of a schema, when the files it was made of are unchanged since stored."""
        if schema_path not in self._verified:
            sources = self.schemas.get(schema_path)
            valid = sources is not None and sources.still_valid()
            self._verified[schema_path] = sources.digest if valid and sources else None
        return self._verified[schema_path]

    def lookup(
        self,
        relative: str,
        identity: Identity,
        schema_digest: str,
        current_digest: Callable[[], str | None],
        *,
        settled: bool = False,
    ) -> tuple[Row, ...] | None:
        """The stored findings of a note, if its identity and schema match; None otherwise.

        `current_digest` hashes the note's bytes, called only when the entry holds a hash (the
        note had just changed when stored). `settled`: the note is no longer recent, so a
        matching entry may drop its hash and be used on stat alone from now on.
        """
        self._seen.add(relative)
        entry = self.entry(relative)
        if entry is None:
            return None
        try:  # entries are checked when used, not all on load: a warm run reads them all
            if type(entry) is not list or len(entry) != _ENTRY_FIELDS:
                raise TypeError(f"bad entry for {relative}")
            size, mtime_ns, ctime_ns, inode, digest, stored_schema, rows = entry
            if (
                size != identity.size
                or mtime_ns != identity.mtime_ns
                or ctime_ns != identity.ctime_ns
                or inode != identity.inode
                or stored_schema != schema_digest
            ):
                return None  # a value of the wrong type never matches
            if digest and (identity.digest or current_digest()) != digest:
                return None
            if identity.digest and digest != identity.digest:
                return None
            checked = _checked_rows(relative, rows)
        except (TypeError, ValueError) as error:
            self.problem = f"{self.path} is corrupt ({error}); it will be rebuilt"
            self.entries.clear()
            self._dirty = True
            return None
        if digest and settled and not identity.digest:
            self.entries[relative] = [*entry[:4], "", *entry[5:]]
            self._dirty = True
        return checked

    def lookup_stat(
        self,
        relative: str,
        info: os.stat_result,
        schema_digest: str,
        path: str,
        not_after_ns: int,
    ) -> tuple[Row, ...] | None:
        """`lookup` under `mtime`, from the note's stat; the common case (an entry without
        findings or hash) is decided here without building an `Identity` (10,000 per warm run)."""
        entry = self.entry(relative)
        if (
            type(entry) is list
            and len(entry) == _ENTRY_FIELDS
            and entry[0] == info.st_size
            and entry[1] == info.st_mtime_ns
            and entry[2] == info.st_ctime_ns
            and entry[3] == info.st_ino
            and entry[4] == ""
            and entry[5] == schema_digest
            and entry[6] == []
        ):
            self._seen.add(relative)
            return ()
        settled = max(info.st_mtime_ns, info.st_ctime_ns) < not_after_ns
        identity = identity_of(info)
        return self.lookup(
            relative, identity, schema_digest, lambda: read_digest(path), settled=settled
        )

    def stored_rows(self, relative: str, rows: Any) -> tuple[Row, ...] | None:
        """The findings of an entry the caller found to match, as `lookup` checks them; None
        (and `problem` set) when they are not of the right shape."""
        self._seen.add(relative)
        if rows == []:
            return ()
        try:
            return _checked_rows(relative, rows)
        except (TypeError, ValueError) as error:
            self.problem = f"{self.path} is corrupt ({error}); it will be rebuilt"
            self.entries.clear()
            self._dirty = True
            return None

    def has_entry(self, relative: str) -> bool:
        return self.entry(relative) is not None

    # ------------------------------------------------------------------- writing

    def store(
        self, relative: str, identity: Identity, schema_digest: str, rows: tuple[Row, ...]
    ) -> None:
        self._seen.add(relative)
        entry: Entry = [
            identity.size,
            identity.mtime_ns,
            identity.ctime_ns,
            identity.inode,
            identity.digest,
            schema_digest,
            [list(row) for row in rows],
        ]
        if self.entries.get(relative) != entry:
            self.entries[relative] = entry
            self._dirty = True

    def forget(self, relative: str) -> None:
        self._seen.add(relative)
        if self.entries.pop(relative, None) is not None:
            self._dirty = True

    def add_schema(self, schema_path: str, sources: SchemaSources) -> None:
        if self.schemas.get(schema_path) != sources:
            self.schemas[schema_path] = sources
            self._dirty = True
        self._verified[schema_path] = sources.digest

    def prune(self, scopes: Iterable[str]) -> None:
        """Drop the entries under the scopes (root-relative folders, "" for all) not seen."""
        if not scopes:  # files named one by one (`check ONE.md`): nothing walked, none gone
            return
        prefixes = tuple(scope + "/" for scope in scopes if scope)
        everything = any(not scope for scope in scopes)
        gone = [
            relative
            for relative in self.entries
            if relative not in self._seen and (everything or relative.startswith(prefixes))
        ]
        for relative in gone:
            del self.entries[relative]
        if gone:
            self._dirty = True

    def save(self) -> None:
        """Write the file atomically when something changed; raises CacheError on failure."""
        if not self._dirty or self.untrusted:
            return
        try:
            with _version_folder(self.root, create=True) as version_fd:
                assert version_fd is not None, "created when missing"
                _atomic_write(self.key, _encode(self.key, self.entries, self.schemas), version_fd)
                _trim(version_fd, KEEP_FILES)
        except _UntrustedError as error:
            self.untrusted = True
            raise CacheError(f"cannot write the cache in {self.folder}: {error}") from None
        except OSError as error:
            raise CacheError(
                f"cannot write the cache in {self.folder}: {error.strerror or error}"
            ) from None
        self._dirty = False


def read_cache_file(root: Path, name: str) -> bytes | None:
    """Another file of vaultlint's own in `.vaultlint_cache/<version>/` (the vault rules'
    facts), read with the same care as the entries; None when absent. Raises CacheError when
    it cannot be read or the folder is not trusted (a link, not a folder)."""
    if not SUPPORTED:
        return None
    try:
        with _version_folder(root, create=False) as version_fd:
            return _read_entry_file(name, version_fd) if version_fd is not None else None
    except _UntrustedError as error:
        raise CacheError(f"cannot read the cache {root / CACHE_DIR}: {error}; not used") from None
    except OSError as error:
        raise CacheError(f"cannot read the cache {root / CACHE_DIR}: {_short(error)}") from None


def write_cache_file(root: Path, name: str, data: bytes) -> None:
    """Write such a file atomically, never through a link; raises CacheError on failure."""
    if not SUPPORTED:
        return
    try:
        with _version_folder(root, create=True) as version_fd:
            assert version_fd is not None, "created when missing"
            _atomic_write(name, data, version_fd)
    except _UntrustedError as error:
        raise CacheError(f"cannot write the cache in {root / CACHE_DIR}: {error}") from None
    except OSError as error:
        raise CacheError(f"cannot write the cache in {root / CACHE_DIR}: {_short(error)}") from None


# ------------------------------------------------------------------------ the folders


@contextmanager
def _version_folder(root: Path, *, create: bool) -> Iterator[int | None]:
    """An open descriptor of `.vaultlint_cache/<version>` (None: absent and not created).

    The vault root is the user's choice and may be a link; nothing below it is followed. When
    the folders are created, the cache folder gets its markers first.
    """
    with ExitStack() as stack:
        root_fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        stack.callback(os.close, root_fd)
        cache_fd = _open_folder(CACHE_DIR, root_fd, create=create)
        if cache_fd is None:
            yield None
            return
        stack.callback(os.close, cache_fd)
        if create:
            _ensure_marker("CACHEDIR.TAG", CACHEDIR_TAG, cache_fd)
            _ensure_marker(".gitignore", GITIGNORE, cache_fd)
        version_fd = _open_folder(__version__, cache_fd, create=create)
        if version_fd is not None:
            stack.callback(os.close, version_fd)
        yield version_fd


def _open_folder(name: str, parent_fd: int, *, create: bool) -> int | None:
    import errno
    import stat

    for _ in range(2):
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(name, 0o777, dir_fd=parent_fd)
            except FileExistsError:  # another run made it meanwhile: open it
                continue
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            # O_NOFOLLOW | O_DIRECTORY on a link fails with either code: lstat tells which
            info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a folder"
            raise _UntrustedError(f"{name} is {kind}") from None
    raise FileNotFoundError(f"{name} keeps disappearing")


def _ensure_marker(name: str, content: str, folder_fd: int) -> None:
    """Create the marker unless something (even a dangling link) already has its name."""
    try:
        descriptor = os.open(name, _CREATE_FLAGS, 0o666, dir_fd=folder_fd)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content.encode("utf-8"))


def _read_entry_file(name: str, folder_fd: int) -> bytes | None:
    """The cache file's bytes (None: absent); a link or a stranger's kind of file is refused."""
    import errno
    import stat

    try:
        descriptor = os.open(name, _READ_FLAGS, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _UntrustedError(f"{__version__}/{name} is a symbolic link") from None
        raise
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _UntrustedError(f"{__version__}/{name} is not a regular file")
        if info.st_size > MAX_CACHE_BYTES:
            raise OSError(f"too large ({info.st_size:,} bytes; the limit is {MAX_CACHE_BYTES:,})")
        data = handle.read(MAX_CACHE_BYTES + 1)
    if len(data) > MAX_CACHE_BYTES:
        raise OSError(f"too large (more than {MAX_CACHE_BYTES:,} bytes)")
    return data


def _atomic_write(name: str, data: bytes, folder_fd: int) -> None:
    import secrets

    temporary = f".tmp-{secrets.token_hex(8)}.part"
    # O_EXCL: never an existing file or link; mode 0666 less the umask, as open() gives.
    descriptor = os.open(temporary, _CREATE_FLAGS, 0o666, dir_fd=folder_fd)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # A link planted under the entry's name is replaced, never written through.
        os.rename(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def _trim(folder_fd: int, keep: int) -> None:
    """Delete all but the `keep` most recently written cache files of the version folder, and
    temporary files that a killed run left; only regular files of the cache's own naming."""
    import stat
    import time

    entries: list[tuple[int, str]] = []
    stale_before = time.time_ns() - STALE_TEMPORARY_NS
    with os.scandir(folder_fd) as listing:
        for item in listing:
            own_entry = _ENTRY_NAME.fullmatch(item.name) is not None
            if not own_entry and _TEMPORARY_NAME.fullmatch(item.name) is None:
                continue
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if own_entry:
                entries.append((info.st_mtime_ns, item.name))
            elif info.st_mtime_ns < stale_before:
                _unlink_quietly(item.name, folder_fd)
    for _, name in sorted(entries, reverse=True)[keep:]:
        _unlink_quietly(name, folder_fd)


def _unlink_quietly(name: str, folder_fd: int) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=folder_fd)


# ----------------------------------------------------------------------------- encoding


def _encode(key: str, entries: Mapping[str, Entry], schemas: Mapping[str, SchemaSources]) -> bytes:
    import json

    schema_table = {
        path: [sources.digest, list(sources.files)] for path, sources in schemas.items()
    }
    document = [MAGIC, FORMAT, key, schema_table, entries]
    # ASCII: a file name that is not UTF-8 holds surrogate escapes, which JSON's \u escapes keep
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def _decode(data: bytes, key: str) -> tuple[dict[str, Entry], dict[str, SchemaSources]]:
    import json

    document = json.loads(data)  # linear in the size; deep nesting raises RecursionError
    if not isinstance(document, list) or len(document) != 5:
        raise ValueError("not a vaultlint cache")
    *header, entries = document
    if not isinstance(entries, dict):
        raise TypeError("bad tables")
    return entries, _checked_header(header, key)


def _split_header(data: bytes, key: str) -> tuple[dict[str, SchemaSources], str, int] | None:
    """(schemas, the file's text, where its table of entries starts) of a file in the exact
    shape `_encode` writes (no spaces: `["vaultlint-results-cache",2,"KEY",{...},{...}]`), its
    header checked as `_decode` checks it; None: not in that shape."""
    import json

    try:
        text = data.decode("ascii")  # `_encode` writes ASCII only
    except UnicodeDecodeError:
        return None
    decoder = json.JSONDecoder()
    header, position = [], 1
    if not (text.startswith("[") and text.endswith("}]")):
        return None
    for _ in range(4):  # magic, format, key, schema table: each followed by a comma
        value, position = decoder.raw_decode(text, position)  # linear, as json.loads
        if text[position : position + 1] != ",":
            return None
        header.append(value)
        position += 1
    if text[position : position + 1] != "{":
        return None
    return _checked_header(header, key), text, position


def _find_entry(text: str, start: int, relative: str) -> Entry | None:
    """The entry of `relative` in the entries table that starts at `start`, parsed alone.

    In JSON as `_encode` writes it, `,"KEY":` (or `{"KEY":` first) can only be a key of that
    table: a quote inside a string is escaped, and the values hold no tables. The last one
    wins, as in `json.loads`. What is found is checked field by field when used, as always.
    Raises ValueError when the text there is not JSON.
    """
    import json

    name = json.dumps(relative)  # as `_encode` writes it: ASCII, \u escapes
    found = text.rfind(f",{name}:", start)
    if found == -1:
        found = start if text.startswith(f"{{{name}:", start) else -1
    if found == -1:
        return None
    value, _ = json.JSONDecoder().raw_decode(text, found + len(name) + 2)
    return value  # type: ignore[no-any-return]


def _checked_header(header: list[Any], key: str) -> dict[str, SchemaSources]:
    magic, version, stored_key, schema_table = header
    if magic != MAGIC or version != FORMAT or stored_key != key:
        raise ValueError("not a vaultlint cache of this version and configuration")
    if not isinstance(schema_table, dict):
        raise TypeError("bad tables")
    schemas = {}
    for path, record in schema_table.items():
        if not (isinstance(record, list) and len(record) == 2):
            raise TypeError("bad schema record")
        digest, files = record
        if not (isinstance(digest, str) and isinstance(files, list)):
            raise TypeError("bad schema record")
        if not all(isinstance(name, str) for name in files):
            raise TypeError("bad schema file list")
        schemas[path] = SchemaSources(digest, tuple(files))
    return schemas


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _checked_rows(relative: str, rows: Any) -> tuple[Row, ...]:
    if type(rows) is not list:
        raise TypeError(f"bad findings for {relative}")
    checked: list[Row] = []
    for row in rows:
        if type(row) is not list or len(row) != 9 or row[5] not in _SEVERITIES:
            raise TypeError(f"bad finding for {relative}")
        if row[7] != _NO_FIX and row[7] not in _APPLICABILITIES:
            raise TypeError(f"bad fix level for {relative}")
        if not all(type(v) is int for v in row[:4]) or not all(type(v) is str for v in row[4:7]):
            raise TypeError(f"bad finding for {relative}")
        if type(row[7]) is not int or type(row[8]) is not str:
            raise TypeError(f"bad finding for {relative}")
        checked.append(tuple(row))  # each field was checked above
    return tuple(checked)
