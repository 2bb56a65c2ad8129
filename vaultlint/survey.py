"""Tell a vault's pages and templates from its notes, for `vaultlint init` (issue #13).

A vault holds more than notes of one kind. What `init` writes to the config, and why:

- **Templates** are placeholders, not data (`{{date}}`, `<% tp.file.title %>`, `cuisine:
  [origine]`): a folder named `templates`, `Templates`, `_templates` (any case), or a file holding
  placeholders. They are excluded from every rule.
- **Pages** (READMEs, index pages, docs) are Markdown without frontmatter in a vault whose notes
  mostly have one: named README or index, made mostly of links, or in a folder holding only such
  files. They are not notes of the schema's kind, but their links are checked, so the config
  lists them under `pages` rather than excluding them.
- An empty note, a note whose frontmatter is broken, and a note without frontmatter that has the
  notes' usual sections stay notes: their findings are real.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

TEMPLATE_FOLDER_NAMES = frozenset({"templates", "_templates", "template", "_template"})
PAGE_NAMES = frozenset({"readme", "index"})
# The core Templates plugin knows {{date}}, {{time}} and {{title}} (with a format after a colon);
# Templater runs `<% tp.… %>` and `<%* … %>`. Other braces (Jinja, Handlebars in a code block)
# are a note's content, not a template's.
_PLACEHOLDER = re.compile(
    rb"\{\{\s*(date|time|title)(:[^{}\n]{0,40})?\s*\}\}|<%[*_-]?\s*(tp\.|\*)|<%\*",
    re.IGNORECASE,
)
# `cuisine: [origine]`, `date_ajout: YYYY-MM-DD`: a frontmatter line whose value is a blank to fill.
_BLANK_VALUE = re.compile(
    r"^[ \t]*[^\s:#][^:\n]*:[ \t]*(\[[^\],\[\n]+\]|Y{4}-M{2}-D{2})[ \t]*(#.*)?$", re.MULTILINE
)
_KEY_LINE = re.compile(r"^[^\s:#-][^:\n]*:", re.MULTILINE)
_LINK = re.compile(r"\[[^\]\n]*\]\([^)\n]+\)|\[\[[^\]\n]+\]\]")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
BLANK_VALUES_MIN = 3  # blanks to fill that make a frontmatter a template's
LINK_SHARE = 0.5  # share of the text lines holding a link that makes a page an index
SECTION_SHARE = 0.5  # share of the notes' usual sections that makes a bare file a note


@dataclass(frozen=True, slots=True)
class SurveyedFile:
    relative: str  # posix, relative to the vault root
    raw: bytes


@dataclass(frozen=True, slots=True)
class Decision:
    glob: str  # gitignore-style, relative to the vault root
    reason: str  # why, as the config's comment says it


@dataclass(frozen=True, slots=True)
class Survey:
    notes: tuple[str, ...]  # relative paths of the notes (checked against the schema)
    pages: tuple[Decision, ...]
    templates: tuple[Decision, ...]
    with_frontmatter: int  # notes with a frontmatter block


def has_frontmatter(raw: bytes) -> bool:
    text = raw.removeprefix(b"\xef\xbb\xbf")
    first = text.split(b"\n", 1)[0].rstrip(b"\r")
    return first == b"---"


def is_template_file(raw: bytes) -> bool:
    """Placeholders in the text, or a frontmatter of blanks to fill."""
    if _PLACEHOLDER.search(raw):
        return True
    if not has_frontmatter(raw):
        return False
    text = raw.decode("utf-8", "replace")
    block = text.split("\n---", 2)[0]
    blanks = len(_BLANK_VALUE.findall(block))
    # A note may hold a few one-item lists (`aliases: [Pad thaï]`); a template is mostly blanks.
    return blanks >= BLANK_VALUES_MIN and blanks > 0.5 * len(_KEY_LINE.findall(block))


def _in_template_folder(relative: str) -> str | None:
    """The template folder holding the file (`templates`), or None."""
    parts = PurePosixPath(relative).parts[:-1]
    for depth, name in enumerate(parts):
        if name.casefold() in TEMPLATE_FOLDER_NAMES:
            return "/".join(parts[: depth + 1])
    return None


def _headings(raw: bytes) -> set[str]:
    text = raw.decode("utf-8", "replace")
    return {match.group(1).casefold() for match in _HEADING.finditer(text)}


def _link_share(raw: bytes) -> float:
    lines = [
        line
        for line in raw.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return 0.0
    return sum(1 for line in lines if _LINK.search(line)) / len(lines)


def survey(files: Iterable[SurveyedFile]) -> Survey:
    every = sorted(files, key=lambda f: f.relative)
    templates, template_paths = _templates(every)
    rest = [f for f in every if f.relative not in template_paths]
    fronted = [f for f in rest if has_frontmatter(f.raw)]
    usual = _usual_sections(fronted)
    bare = [
        f
        for f in rest
        if not has_frontmatter(f.raw) and f.raw.strip() and not _looks_like_a_note(f.raw, usual)
    ]
    pages = _pages(bare, rest)
    page_paths = _matching(pages, [f.relative for f in bare])
    notes = tuple(f.relative for f in rest if f.relative not in page_paths)
    # Pages exist only beside notes that mostly have a frontmatter: else a bare file is a note.
    if not fronted or len(fronted) < len(notes) / 2:
        pages, notes = [], tuple(f.relative for f in rest)
    return Survey(notes, tuple(pages), tuple(templates), len(fronted))


def _usual_sections(fronted: list[SurveyedFile]) -> set[str]:
    counts: Counter[str] = Counter()
    for found in fronted:
        counts.update(_headings(found.raw))
    return {name for name, count in counts.items() if count >= 0.5 * len(fronted)}


def _looks_like_a_note(raw: bytes, usual: set[str]) -> bool:
    """A file without frontmatter that has most of the notes' usual sections lost its block."""
    return bool(usual) and len(_headings(raw) & usual) >= SECTION_SHARE * len(usual)


def _templates(files: list[SurveyedFile]) -> tuple[list[Decision], set[str]]:
    folders: Counter[str] = Counter()
    singles: list[str] = []
    for found in files:
        folder = _in_template_folder(found.relative)
        if folder is not None:
            folders[folder] += 1
        elif is_template_file(found.raw):
            singles.append(found.relative)
    decisions = [
        Decision(f"{escape_glob(folder)}/", f"{_plural(count, 'file')} in a folder named {name!r}")
        for folder, count in sorted(folders.items())
        for name in [PurePosixPath(folder).name]
    ]
    decisions += [
        Decision("/" + escape_glob(path), "placeholders ({{…}}, <% … %> or [blanks] to fill)")
        for path in singles
    ]
    covered = {f.relative for f in files if _in_template_folder(f.relative) is not None}
    return decisions, covered | set(singles)


def _pages(bare: list[SurveyedFile], everything: list[SurveyedFile]) -> list[Decision]:
    """Globs for the pages: a folder of nothing but pages, README/index by name, then each."""
    covered: set[str] = set()
    decisions = _page_folders(bare, everything, covered)
    decisions += _named_pages(bare, everything, covered)
    decisions += [
        Decision("/" + escape_glob(found.relative), "no frontmatter, mostly links")
        for found in bare
        if found.relative not in covered and _link_share(found.raw) >= LINK_SHARE
    ]
    return decisions


def _page_folders(
    bare: list[SurveyedFile], everything: list[SurveyedFile], covered: set[str]
) -> list[Decision]:
    """Folders (not the vault itself) holding nothing but pages, outermost first."""
    bare_paths = {f.relative for f in bare}
    folders = {str(PurePosixPath(found.relative).parent) for found in everything} - {"."}
    decisions = []
    for folder in sorted(folders):
        under = _under(folder, everything)
        if any(path in covered for path in under):
            continue  # inside a folder of pages already listed
        if all(path in bare_paths for path in under):
            why = f"{_plural(len(under), 'file')} without frontmatter: a folder of pages"
            decisions.append(Decision(f"{escape_glob(folder)}/", why))
            covered.update(under)
    return decisions


def _named_pages(
    bare: list[SurveyedFile], everything: list[SurveyedFile], covered: set[str]
) -> list[Decision]:
    """README and index pages: one glob for a name when every file of that name is a page."""
    named: dict[str, list[str]] = {}
    for found in bare:
        name = PurePosixPath(found.relative).name
        if found.relative not in covered and PurePosixPath(name).stem.casefold() in PAGE_NAMES:
            named.setdefault(name, []).append(found.relative)
    decisions = []
    for name, paths in sorted(named.items()):
        every_one = [f.relative for f in everything if PurePosixPath(f.relative).name == name]
        why = f"{name} without frontmatter"
        if sorted(every_one) == sorted(paths):
            decisions.append(Decision(escape_glob(name), f"{len(paths)} {why}"))
        else:
            decisions += [Decision("/" + escape_glob(path), why) for path in paths]
        covered.update(paths)
    return decisions


def _under(folder: str, everything: list[SurveyedFile]) -> list[str]:
    if folder == ".":
        return [f.relative for f in everything]
    return [f.relative for f in everything if f.relative.startswith(folder + "/")]


def _matching(decisions: list[Decision], paths: list[str]) -> set[str]:
    import pathspec

    spec = pathspec.PathSpec.from_lines("gitignore", [d.glob for d in decisions])
    return {path for path in paths if spec.match_file(path)}


def escape_glob(name: str) -> str:
    """A path as a gitignore-style glob that matches it alone."""
    return "".join("\\" + c if c in "*?[]!#\\" else c for c in name)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
