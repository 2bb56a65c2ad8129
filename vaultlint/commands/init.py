"""`vaultlint init`: write a commented `.vaultlint.toml` at the vault root.

The vault root is the nearest folder upward holding `.obsidian/`, else the git top level
(`config.find_vault_root`), else the folder given. Every key is written with what it means and
its default; keys left at their default stay commented out, so the file changes nothing until
edited.
An existing config is never overwritten: a `.vaultlint.toml`, or a `[tool.vaultlint]` table in the
root's `pyproject.toml` (a new file there would silently take its place).

Two things are filled in when known: `schema` from `--schema`, and `exclude` with the templates
folder that Obsidian's Templates or the Templater plugin use (templates hold `{{date}}` and
`<% … %>` placeholders, not data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from vaultlint.config import CONFIG_NAMES, find_vault_root
from vaultlint.errors import UsageError
from vaultlint.rules import RULES

CONFIG_NAME = CONFIG_NAMES[0]  # .vaultlint.toml
# Where the core Templates plugin and Templater keep their folder setting, and under which key.
TEMPLATE_SETTINGS = (
    (".obsidian/templates.json", "folder"),
    (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"),
)


@dataclass(frozen=True, slots=True)
class InitRequest:
    start: Path  # a folder inside the vault (the command line's PATH, default ".")
    schema: Path | None = None  # `--schema`: the schema every note is checked against


def run_init(request: InitRequest, out: TextIO) -> int:
    start = request.start.resolve()
    if not start.is_dir():
        raise UsageError(f"{request.start}: not a folder")
    root = find_vault_root(start)
    if root != start and root not in start.parents:  # the current folder, elsewhere: not ours
        root = start
    target = root / CONFIG_NAME
    _refuse_existing(root)
    schema = _schema_setting(request.schema, root) if request.schema is not None else None
    text = config_text(schema=schema, exclude=template_folders(root))
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:  # never overwrite
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{target} already exists; edit it, or delete it to start again") from None
    except OSError as error:
        raise UsageError(f"{target}: cannot write the config: {error.strerror or error}") from None
    out.write(f"Wrote {target}\n")
    return 0


def _refuse_existing(root: Path) -> None:
    target = root / CONFIG_NAME
    if target.exists():
        raise UsageError(f"{target} already exists; edit it, or delete it to start again")
    pyproject = root / "pyproject.toml"
    try:
        configured = b"[tool.vaultlint" in pyproject.read_bytes()
    except OSError:
        configured = False
    if configured:
        raise UsageError(
            f"{pyproject} already configures vaultlint ([tool.vaultlint]); a {CONFIG_NAME} "
            "would take its place: edit that table instead"
        )


def _schema_setting(schema: Path, root: Path) -> str:
    """The schema path as the config writes it: relative to the root when inside it."""
    from vaultlint.schema.loader import load_schema

    absolute = schema.resolve()
    load_schema(absolute)  # a broken schema is said now, not at the first check
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def template_folders(root: Path) -> list[str]:
    """The templates folders the vault's settings name, as exclude globs (`Templates/`)."""
    folders: list[str] = []
    for settings, key in TEMPLATE_SETTINGS:
        value = _json_value(root / settings, key)
        if isinstance(value, str) and value.strip("/ "):
            glob = _escape_glob(value.strip("/ ")) + "/"
            if glob not in folders:
                folders.append(glob)
    return folders


def _json_value(path: Path, key: str) -> Any:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document.get(key) if isinstance(document, dict) else None


def _escape_glob(name: str) -> str:
    return "".join("\\" + c if c in "*?[]!#\\" else c for c in name)


def _toml(value: str | list[str]) -> str:
    # A JSON string is a TOML basic string: same quotes, same backslash and \uXXXX escapes.
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _key(name: str, value: str | list[str] | None, example: str | list[str]) -> str:
    """`name = value` when set, else the example commented out."""
    if value is None:
        return f"# {name} = {_toml(example)}"
    return f"{name} = {_toml(value)}"


def config_text(*, schema: str | None = None, exclude: list[str] | None = None) -> str:
    lines = [
        "# vaultlint configuration for this vault, written by `vaultlint init`.",
        "#",
        "# This folder is the vault root: paths and globs below are relative to it. Every key is",
        "# optional; a commented-out key shows an example, and its default is said above it.",
        "# `vaultlint rules` lists the rules, `vaultlint rules RULE-ID` explains one.",
        "",
        "# The JSON Schema (2020-12, with its `x-vaultlint` extension) that notes are checked",
        "# against, unless `schemas` maps them to another one.",
        "# Default: the recipe schema bundled with vaultlint.",
        "# `vaultlint schema infer . -o vault.schema.json` writes one from your notes.",
        _key("schema", schema, "vault.schema.json"),
        "",
        "# One schema per kind of note, chosen by a gitignore-style glob; the first match wins,",
        "# a note that matches none gets `schema`.",
        "# Default: [] (every note gets `schema`).",
        "# schemas = [",
        '#   { glob = "Recettes/**", schema = "schemas/recipe.schema.json" },',
        '#   { glob = "Journal/", schema = "schemas/journal.schema.json" },',
        "# ]",
        "",
        "# The notes to check, as gitignore-style globs.",
        "# Default: [] (every `*.md`). Dot-folders (.obsidian/, .trash/) are always skipped.",
        _key("include", None, ["Recettes/", "Inbox/"]),
        "",
        "# Notes to skip, as gitignore-style globs (templates are placeholders, not data).",
        "# Default: [].",
        _key("exclude", exclude or None, ["Templates/", "Archives/**/*.draft.md"]),
        "",
        "# Rule IDs to run: when set, only these rules run.",
        "# Default: every rule.",
        _key("select", None, ["frontmatter-syntax", "schema", "time-sum"]),
        "",
        "# Rule IDs not to run.",
        "# Default: [] (none).",
        _key("ignore", None, ["value-unknown"]),
        "",
        '# The severity of each rule: "error" (exit code 1), "warning" (reported, exit code 0) or',
        '# "off" (not run). Default: each rule\'s own, as listed here.',
        "# [severity]",
        *(f'# {rule_id} = "{rule.DEFAULT_SEVERITY.value}"' for rule_id, rule in RULES.items()),
        "",
        "# Options of single rules, one table per rule.",
        "# [rules.tag-missing]",
        '# Also report a missing tag of a "recommended" namespace, not only of a "required" one.',
        "# Default: false.",
        "# recommended = true",
    ]
    return "\n".join(lines) + "\n"
