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

A note's identity is its size and mtime_ns (strategy `mtime`), or its size and a BLAKE2b hash of
its bytes (strategy `content`, for CI clones where every mtime is the checkout time). With
`mtime`, a note modified less than `RACY_WINDOW_NS` before the run is not stored: a later edit in
the same clock tick would keep its size and mtime (git's "racy clean" problem).

The schema digests are checked without compiling the schema: the file records, for every schema
it used, the files the digest was made of; a run re-hashes them (a few kilobytes) and compiles the
schema only when they changed. A warm run therefore imports neither jsonschema-rs nor PyYAML.

The file is written atomically (a temp file in the same folder, then `os.replace`): two runs
racing each write a whole file and the last one wins; every entry is checked on use anyway. A
corrupt or unreadable file, or a folder that cannot be written, is ignored with one warning on
stderr, and the run goes on. `.vaultlint_cache/` holds a `CACHEDIR.TAG` (https://bford.info/cachedir/)
and a `.gitignore` of `*`, so that backups and git leave it alone.

The format is `marshal` (a tuple of plain values, five times faster to load than JSON) checked
field by field on load. A cache is trusted like the vault it sits in: a cache file planted in a
repository could hide findings, so CI should start from an empty cache or its own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint import __version__
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.results import Finding

CACHE_DIR = ".vaultlint_cache"
STRATEGIES = ("mtime", "content")
FORMAT = 1
MAGIC = "vaultlint-results-cache"
# A note whose mtime is this close to the start of the run is not stored under `mtime`.
RACY_WINDOW_NS = 2_000_000_000
# Bytes read to hash a note: `rules.limit.MAX_NOTE_BYTES` (not imported: it imports every rule).
READ_LIMIT = 10 * 1024 * 1024
# Configuration files kept per version folder; older ones are deleted when a new one is written.
KEEP_FILES = 8

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by vaultlint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)

# A finding without its path: line, column, end line, end column, rule, severity, message,
# fix applicability (-1: none), line text.
Row = tuple[int, int, int, int, str, str, str, int, str]
# size, mtime_ns (0 under `content`), content digest (b"" under `mtime`), schema digest ("" when
# no schema applies), findings.
Entry = tuple[int, int, bytes, str, tuple[Row, ...]]

_NO_FIX = -1
_SEVERITIES = {severity.value: severity for severity in Severity}
_APPLICABILITIES = {int(level): level for level in Applicability}


# ------------------------------------------------------------------------------ identities


@dataclass(frozen=True, slots=True)
class Identity:
    """What a note was when it was checked: the part of an entry that must match to reuse it."""

    size: int
    mtime_ns: int  # 0 under `content`
    digest: bytes  # b"" under `mtime`


def stat_identity(path: Path | str) -> Identity | None:
    """The note's identity under `mtime`, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Identity(info.st_size, info.st_mtime_ns, b"")


def content_identity(raw: bytes) -> Identity:
    return Identity(len(raw), 0, hashlib.blake2b(raw, digest_size=16).digest())


def read_identity(path: Path | str) -> Identity | None:
    """The note's identity under `content`: its bytes are read and hashed (None: unreadable, or
    too large to be a note, which the check then reports)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(READ_LIMIT + 1)
    except OSError:
        return None
    return content_identity(raw) if len(raw) <= READ_LIMIT else None


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
        contents = []
        for path in self.files:
            try:
                with open(path, "rb") as handle:
                    contents.append(handle.read())
            except OSError:
                return False
        return hashlib.sha256(b"".join(contents)).hexdigest() == self.digest


# ---------------------------------------------------------------------------------- file


class CacheError(Exception):
    """The cache cannot be read or written; the message says why, in the user's words."""


@dataclass(eq=False)
class ResultCache:
    """The cache file of one configuration in one vault: load, look up, store, save."""

    root: Path
    key: str
    strategy: str
    entries: dict[str, Entry] = field(default_factory=dict)
    schemas: dict[str, SchemaSources] = field(default_factory=dict)
    problem: str | None = None  # why the file on disk was ignored
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

    def load(self) -> None:
        """Read the file; a missing one is an empty cache, a broken one sets `problem`."""
        self._loaded = True
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return
        except OSError as error:
            self.problem = f"cannot read the cache {self.path}: {error.strerror or error}"
            return
        try:
            self.entries, self.schemas = _decode(data, self.key)
        except (ValueError, TypeError, EOFError, KeyError, IndexError) as error:
            self.problem = f"{self.path} is corrupt ({error}); it will be rebuilt"
            self.entries, self.schemas = {}, {}
            self._dirty = True

    def schema_digest(self, schema_path: str) -> str | None:
        """The digest of a schema, when the files it was made of are unchanged since stored."""
        if schema_path not in self._verified:
            sources = self.schemas.get(schema_path)
            valid = sources is not None and sources.still_valid()
            self._verified[schema_path] = sources.digest if valid and sources else None
        return self._verified[schema_path]

    def lookup(
        self, relative: str, size: int, mtime_ns: int, digest: bytes, schema_digest: str
    ) -> tuple[Row, ...] | None:
        """The stored findings of a note, if its identity (size, mtime_ns, content digest: see
        `Identity`) and schema match; None otherwise."""
        self._seen.add(relative)
        entry = self.entries.get(relative)
        if entry is None:
            return None
        try:  # entries are checked when used, not all on load: a warm run reads them all
            stored_size, stored_mtime_ns, stored_digest, stored_schema, rows = entry
            if (
                stored_size != size
                or stored_mtime_ns != mtime_ns
                or stored_digest != digest
                or stored_schema != schema_digest
            ):
                return None  # a value of the wrong type never matches
            if rows:
                _check_entry(relative, entry)
            elif rows != ():
                raise TypeError(f"bad findings for {relative}")
        except (TypeError, ValueError) as error:
            self.problem = f"{self.path} is corrupt ({error}); it will be rebuilt"
            self.entries.clear()
            self._dirty = True
            return None
        return rows

    def has_entry(self, relative: str) -> bool:
        return relative in self.entries

    # ------------------------------------------------------------------- writing

    def store(
        self, relative: str, identity: Identity, schema_digest: str, rows: tuple[Row, ...]
    ) -> None:
        self._seen.add(relative)
        entry: Entry = (identity.size, identity.mtime_ns, identity.digest, schema_digest, rows)
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
        if not self._dirty:
            return
        try:
            version_folder = self.path.parent
            version_folder.mkdir(parents=True, exist_ok=True)
            _ensure_marker(self.folder / "CACHEDIR.TAG", CACHEDIR_TAG)
            _ensure_marker(self.folder / ".gitignore", "# Created by vaultlint.\n*\n")
            _atomic_write(self.path, _encode(self.key, self.entries, self.schemas))
            _trim(version_folder, KEEP_FILES)
        except OSError as error:
            raise CacheError(
                f"cannot write the cache in {self.folder}: {error.strerror or error}"
            ) from None
        self._dirty = False


def _ensure_marker(path: Path, content: str) -> None:
    if not path.exists():
        _atomic_write(path, content.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    import tempfile  # only when writing: a warm run writes nothing

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if hasattr(os, "fchmod"):  # as open() would, rather than mkstemp's 0600 (POSIX)
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _trim(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently written cache files of a version folder."""
    files = []
    for entry in os.scandir(folder):
        if entry.is_file() and not entry.name.startswith("."):
            try:
                files.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    for _, path in sorted(files, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(path)


# ----------------------------------------------------------------------------- encoding


def _encode(key: str, entries: Mapping[str, Entry], schemas: Mapping[str, SchemaSources]) -> bytes:
    schema_table = {path: (sources.digest, sources.files) for path, sources in schemas.items()}
    return marshal.dumps((MAGIC, FORMAT, key, schema_table, dict(entries)))


def _decode(data: bytes, key: str) -> tuple[dict[str, Entry], dict[str, SchemaSources]]:
    document = marshal.loads(data)
    if not isinstance(document, tuple) or len(document) != 5:
        raise ValueError("not a vaultlint cache")
    magic, version, stored_key, schema_table, entries = document
    if magic != MAGIC or version != FORMAT or stored_key != key:
        raise ValueError("not a vaultlint cache of this version and configuration")
    if not isinstance(schema_table, dict) or not isinstance(entries, dict):
        raise TypeError("bad tables")
    schemas = {}
    for path, (digest, files) in schema_table.items():
        if not (isinstance(path, str) and isinstance(digest, str) and isinstance(files, tuple)):
            raise TypeError("bad schema record")
        if not all(isinstance(name, str) for name in files):
            raise TypeError("bad schema file list")
        schemas[path] = SchemaSources(digest, files)
    return entries, schemas


def _check_entry(relative: Any, entry: Any) -> None:
    if not isinstance(relative, str) or not isinstance(entry, tuple) or len(entry) != 5:
        raise TypeError("bad entry")
    size, mtime_ns, digest, schema_digest, rows = entry
    if not (
        type(size) is int
        and type(mtime_ns) is int
        and type(digest) is bytes
        and type(schema_digest) is str
        and type(rows) is tuple
    ):
        raise TypeError(f"bad entry for {relative}")
    for row in rows:
        if type(row) is not tuple or len(row) != 9 or row[5] not in _SEVERITIES:
            raise TypeError(f"bad finding for {relative}")
        if row[7] != _NO_FIX and row[7] not in _APPLICABILITIES:
            raise TypeError(f"bad fix level for {relative}")
        if not all(type(v) is int for v in row[:4]) or not all(type(v) is str for v in row[4:7]):
            raise TypeError(f"bad finding for {relative}")
        if type(row[8]) is not str:
            raise TypeError(f"bad finding for {relative}")
