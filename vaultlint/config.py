"""Configuration: `.vaultlint.toml` or `[tool.vaultlint]` in `pyproject.toml` -> frozen Settings.

The file is found by walking up from the checked path; in one folder `.vaultlint.toml` wins. The
folder holding it is the vault root. Without a config, the vault root is the nearest folder upward
holding `.obsidian/`, else the git top level, else the folder given on the command line (the
vault rules index the whole root: it must not be whatever folder the command runs in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from vaultlint.errors import ConfigError
from vaultlint.formatter.settings import FormatSettings
from vaultlint.schema.loader import DEFAULT_SCHEMA, bundled_schema

CONFIG_NAMES = (".vaultlint.toml", "pyproject.toml")
# The rules that run on a page (`pages`): what holds for any Markdown file, not a note's schema.
# The link rules belong here too (a page's links are checked like a note's).
# Pages are not notes of the schema's kind, but their links are links (issue #14).
PAGE_RULES = frozenset(
    {"file", "encoding", "limit", "mojibake", "link-broken", "link-anchor", "file-name"}
)
SEVERITIES = ("error", "warning", "off")
_KNOWN_KEYS = frozenset(
    {
        "schema",
        "schemas",
        "include",
        "pages",
        "exclude",
        "select",
        "ignore",
        "per-file-ignores",
        "severity",
        "rules",
        "format",
        "baseline",
    }
)


@dataclass(frozen=True, slots=True)
class SchemaMapping:
    glob: str
    schema: Path


@dataclass(frozen=True)
class Settings:
    root: Path
    config_path: Path | None = None
    schema: Path | None = field(default_factory=lambda: bundled_schema(DEFAULT_SCHEMA))
    schemas: tuple[SchemaMapping, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Gitignore-style globs of the vault's pages: READMEs, index pages, docs. They are not notes
    # of the schema's kind, so only the rules of PAGE_RULES run on them (issue #13).
    pages: tuple[str, ...] = ()
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    format: FormatSettings = field(default_factory=FormatSettings)  # the [format] table
    # glob -> rules not to report for the notes it matches (`per-file-ignores`)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    # The baseline file of recorded problems (`baseline`), resolved against the config's folder:
    # `check`, `fix`, the hooks and the server leave out what it records (issue #16).
    baseline: Path | None = None

    def ignored_for(self, relative: str) -> frozenset[str]:
        """The rules `per-file-ignores` turns off for this note (relative to the vault root)."""
        ignored: set[str] = set()
        for (_, rules), spec in zip(self.per_file_ignores, self._per_file_specs, strict=True):
            if spec.match_file(relative):
                ignored |= rules
        return frozenset(ignored)

    @cached_property
    def _per_file_specs(self) -> tuple[Any, ...]:
        return tuple(_globs((glob,)) for glob, _ in self.per_file_ignores)

    def schema_for(self, relative: str) -> Path | None:
        """The schema that applies to a note (path relative to the vault root)."""
        for mapping, spec in zip(self.schemas, self._schema_specs, strict=True):
            if spec.match_file(relative):
                return mapping.schema
        return self.schema

    def excluded(self, relative: str) -> bool:
        if self._exclude_spec is not None and self._exclude_spec.match_file(relative):
            return True
        return self._include_spec is not None and not self._include_spec.match_file(relative)

    def is_page(self, relative: str) -> bool:
        """Whether a file (relative to the vault root) is a page, not a note of the schema."""
        return self._pages_spec is not None and bool(self._pages_spec.match_file(relative))

    @cached_property
    def _pages_spec(self) -> Any:
        return _globs(self.pages) if self.pages else None

    @cached_property
    def _schema_specs(self) -> tuple[Any, ...]:
        return tuple(_globs((m.glob,)) for m in self.schemas)

    @cached_property
    def _exclude_spec(self) -> Any:
        return _globs(self.exclude) if self.exclude else None

    @cached_property
    def _include_spec(self) -> Any:
        return _globs(self.include) if self.include else None

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _globs(patterns: tuple[str, ...]) -> Any:
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", patterns)


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start` (a folder)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return b"[tool.vaultlint" in pyproject.read_bytes()
    except OSError:
        return False


def find_vault_root(start: Path, default: Path | None = None) -> Path:
    """The nearest folder upward holding `.obsidian/`, else `.git`, else `default` (the folder
    the user gave; the current folder when None)."""
    for folder in (start, *start.parents):
        if (folder / ".obsidian").is_dir():
            return folder
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return default if default is not None else Path.cwd().resolve()


def load_settings(
    config_path: Path | None, start: Path, default_root: Path | None = None
) -> Settings:
    """Settings from an explicit config file, or from the one found upward from `start`;
    without any, the vault root is found upward from `start`, else `default_root`."""
    path = config_path if config_path is not None else find_config(start)
    if path is None:
        return Settings(root=find_vault_root(start, default_root))
    table = _read_table(path)
    return _settings_from_table(table, path)


def _read_table(path: Path) -> dict[str, Any]:
    import tomllib  # here: most runs find no config file, and start-up counts (issue #17)

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("vaultlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.vaultlint] must be a table")
        return table
    return document


def _settings_from_table(table: dict[str, Any], path: Path) -> Settings:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(_KNOWN_KEYS))
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known keys: {known})")
    root = path.parent.resolve()
    reader = _TableReader(path, root)
    settings = Settings(root=root, config_path=path)
    if "schema" in table:
        settings = replace(settings, schema=reader.file_path("schema", table["schema"]))
    if "baseline" in table:
        settings = replace(settings, baseline=reader.file_path("baseline", table["baseline"]))
    return replace(
        settings,
        schemas=reader.schema_mappings(table.get("schemas", [])),
        include=reader.strings("include", table.get("include", [])),
        exclude=reader.strings("exclude", table.get("exclude", [])),
        pages=reader.strings("pages", table.get("pages", [])),
        select=frozenset(reader.strings("select", table["select"])) if "select" in table else None,
        ignore=frozenset(reader.strings("ignore", table.get("ignore", []))),
        severity=reader.severities(table.get("severity", {})),
        rule_options=reader.rule_options(table.get("rules", {})),
        format=reader.format_settings(table.get("format", {})),
        per_file_ignores=reader.per_file_ignores(table.get("per-file-ignores", {})),
    )


@dataclass(frozen=True, slots=True)
class _TableReader:
    """Reads and type-checks config values, naming the file and key in every error."""

    source: Path
    root: Path

    def fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key} must be {expected}")

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a list of strings")
        return tuple(value)

    def file_path(self, key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value:
            raise self.fail(key, "a path (a string)")
        return (self.root / value).resolve()

    def schema_mappings(self, value: Any) -> tuple[SchemaMapping, ...]:
        if not isinstance(value, list):
            raise self.fail("schemas", "a list of {glob, schema} tables")
        mappings = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or set(item) != {"glob", "schema"}:
                raise self.fail(f"schemas[{i}]", 'a table with exactly "glob" and "schema"')
            if not isinstance(item["glob"], str):
                raise self.fail(f"schemas[{i}].glob", "a string")
            mappings.append(
                SchemaMapping(item["glob"], self.file_path(f"schemas[{i}].schema", item["schema"]))
            )
        return tuple(mappings)

    def severities(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail("severity", "a table of rule ID = error|warning|off")
        for rule, level in value.items():
            if level not in SEVERITIES:
                raise self.fail(f"severity.{rule}", "one of error, warning, off")
        return dict(value)

    def per_file_ignores(self, value: Any) -> tuple[tuple[str, frozenset[str]], ...]:
        if not isinstance(value, dict):
            raise self.fail("per-file-ignores", 'a table of glob = ["RULE", ...]')
        return tuple(
            (glob, frozenset(self.strings(f"per-file-ignores.{glob!r}", rules)))
            for glob, rules in value.items()
        )

    def format_settings(self, value: Any) -> FormatSettings:
        if not isinstance(value, dict):
            raise self.fail("format", "a table of format settings")
        try:
            return FormatSettings.from_table(value)
        except ConfigError as error:
            raise ConfigError(f"{self.source}: {error}") from None

    def rule_options(self, value: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise self.fail("rules", "a table of [rules.RULE-ID] tables")
        return {rule: dict(options) for rule, options in value.items()}
