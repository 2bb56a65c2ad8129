"""`vaultlint init [PATH]`: a commented `.vaultlint.toml` and a schema inferred from the vault.

The vault root is the nearest folder upward holding `.obsidian/`, else the git top level
(`config.find_vault_root`), else the folder given. `init` reads the vault and never waits for
input; it prints what it decided and why:

- **templates** (a folder named `templates`, any case, one named by Obsidian's Templates or
  Templater settings, or a file with placeholders) go to `exclude`;
- **pages** (READMEs, index pages, docs: Markdown without frontmatter, see `vaultlint.survey`) go
  to `pages`: they are checked as Markdown files, not against the notes' schema;
- by default it also infers a schema from the notes (`vaultlint.infer`), writes it beside the
  config as `vault.schema.json` and points `schema` at it. `--no-infer` leaves the bundled
  schema, `--schema FILE` names one.

Every key is written with what it means and its default; keys left at their default stay
commented out. An existing file is never overwritten without `--force`; a `[tool.vaultlint]`
table in the root's `pyproject.toml` is never shadowed (a new file there would silently take its
place). Nothing is written until everything has been read and decided.
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from vaultlint.config import CONFIG_NAMES
from vaultlint.errors import UsageError
from vaultlint.rules import RULES
from vaultlint.survey import Decision, Survey, SurveyedFile, escape_glob, survey

CONFIG_NAME = CONFIG_NAMES[0]  # .vaultlint.toml
SCHEMA_NAME = "vault.schema.json"  # the inferred schema, beside the config


@dataclass(frozen=True, slots=True)
class InitRequest:
    start: Path  # a folder inside the vault (the command line's PATH, default ".")
    schema: Path | None = None  # `--schema`: the schema every note is checked against
    infer: bool = True  # infer a schema from the notes (`--no-infer`: keep the bundled one)
    force: bool = False  # replace an existing config and schema


def run_init(request: InitRequest, out: TextIO) -> int:
    start = request.start.resolve()
    if not start.is_dir():
        raise UsageError(f"{request.start}: not a folder")
    root = _vault_root(start)
    target = root / CONFIG_NAME
    _refuse_existing(root, force=request.force)
    schema = _schema_setting(request.schema, root) if request.schema is not None else None
    found = survey_vault(root)
    excluded = [*_settings_templates(root), *found.templates]
    inferred_text = None
    said = io.StringIO()  # the inference's summary, printed after the survey's decisions
    if schema is None and request.infer:
        inferred_text = _inferred_schema(root, found, said)
        if inferred_text is not None:
            schema = SCHEMA_NAME
            _refuse_file(root / SCHEMA_NAME, force=request.force)
    text = config_text(schema=schema, exclude=excluded, pages=found.pages)
    if inferred_text is not None:
        _write(root / SCHEMA_NAME, inferred_text, force=request.force)
    try:
        _write(target, text, force=request.force)
    except UsageError:
        if inferred_text is not None and not request.force:
            (root / SCHEMA_NAME).unlink(missing_ok=True)  # ours, just written: all or nothing
        raise
    out.write(_decisions(found, excluded, root))
    out.write(said.getvalue())
    if inferred_text is not None:
        out.write(f"Wrote {_shown(root / SCHEMA_NAME)}\n")
    out.write(f"Wrote {_shown(target)}\n")
    return 0


def _vault_root(start: Path) -> Path:
    """The nearest folder upward holding `.obsidian/`, else `.git`, else the folder given (not
    the current folder, which `check` falls back on: `init vault` from its parent means vault)."""
    for marker in (".obsidian", ".git"):
        for folder in (start, *start.parents):
            if (folder / marker).exists():
                return folder
    return start


def survey_vault(root: Path) -> Survey:
    """The vault's files as every command finds them (dot-folders, .gitignore, Obsidian's
    excluded files and template folders left out), sorted into notes, pages and templates."""
    from vaultlint.discovery import walk_notes
    from vaultlint.obsidian import vault_skips
    from vaultlint.reading import NoteReadError, read_note

    skips = vault_skips(root)
    files = []
    for path in walk_notes(root):
        relative = path.relative_to(root).as_posix()
        if skips.skipped(relative):
            continue
        try:
            raw = read_note(path, root)
        except NoteReadError:
            raw = b""  # unreadable: a note, whose `file` finding is real
        files.append(SurveyedFile(relative, raw))
    return survey(files)


def _inferred_schema(root: Path, found: Survey, out: TextIO) -> str | None:
    from vaultlint.commands.infer import read_previous, read_samples, summary
    from vaultlint.infer import infer_schema
    from vaultlint.reading import read_note

    samples = read_samples(
        (functools.partial(read_note, root / relative, root), relative) for relative in found.notes
    )
    if not any(sample.data is not None for sample in samples):
        out.write("No note has frontmatter: no schema inferred, the bundled one applies.\n")
        return None
    previous = read_previous(root / SCHEMA_NAME)  # with --force: its aliases are kept
    inferred = infer_schema(samples, title=f"Notes in {root.name or root}", previous=previous)
    out.write(summary(inferred, _shown(root / SCHEMA_NAME)) + "\n")
    return inferred.to_json()


def _decisions(found: Survey, excluded: Sequence[Decision], root: Path) -> str:
    lines = [f"Vault root: {_shown(root)}"]
    lines += [f"Template, excluded: {d.glob} ({d.reason})" for d in excluded]
    lines += [f"Page, not checked against the schema: {d.glob} ({d.reason})" for d in found.pages]
    from vaultlint.obsidian import user_ignore_filters

    filters = user_ignore_filters(root)
    if filters:
        shown = ", ".join(filters)
        lines.append(f"Excluded files of Obsidian's settings, honoured by every command: {shown}")
    # A block, read or not: the inference below counts only the frontmatter YAML can read.
    lines.append(f"Notes: {len(found.notes)} ({found.with_frontmatter} with a frontmatter block)")
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> Path:
    """The path relative to the current folder when inside it, as `check` shows paths."""
    from vaultlint.discovery import display_path

    return display_path(path, Path.cwd().resolve())


def _refuse_file(path: Path, *, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")


def _write(path: Path, text: str, *, force: bool) -> None:
    """The whole file or nothing: a temporary file beside it, then one rename."""
    data = text.encode("utf-8")
    try:
        if not force:
            with open(path, "xb") as handle:  # never overwrite, even if it appeared meanwhile
                handle.write(data)
            return
        handle_fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle_fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise UsageError(f"{path} already exists; use --force to replace it") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None


def _refuse_existing(root: Path, *, force: bool) -> None:
    target = root / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; edit it, or use --force to replace it")
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


def _settings_templates(root: Path) -> list[Decision]:
    """The template folders that Obsidian's Templates or Templater settings name."""
    from vaultlint.obsidian import template_folders

    return [
        Decision(escape_glob(folder) + "/", "the template folder of Obsidian's settings")
        for folder in template_folders(root)
    ]


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


def _decided(name: str, decisions: Sequence[Decision], example: list[str]) -> list[str]:
    """`name = [...]` with one glob a line and why it is there, else the example commented out."""
    if not decisions:
        return [_key(name, None, example)]
    items = [f"  {_toml(d.glob)},  # {d.reason}" for d in decisions]
    return [f"{name} = [", *items, "]"]


def config_text(
    *,
    schema: str | None = None,
    exclude: Sequence[Decision] = (),
    pages: Sequence[Decision] = (),
) -> str:
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
        "# `vaultlint schema infer . -o vault.schema.json` writes one from your notes;",
        "# `vaultlint init` does, unless given --no-infer or --schema.",
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
        "# Default: []. `vaultlint init` lists the templates it found, and why.",
        *_decided("exclude", exclude, ["Templates/", "Archives/**/*.draft.md"]),
        "",
        "# Pages: Markdown files that are not notes of the schema's kind (READMEs, index pages,",
        "# docs), as gitignore-style globs. Only the rules that hold for any Markdown file run on",
        "# them (file, encoding, limit, mojibake, and the link rules), not the schema's.",
        "# Default: []. `vaultlint init` lists the pages it found, and why.",
        *_decided("pages", pages, ["README.md", "index/"]),
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
