"""Where a link leads, resolved as Obsidian (wikilinks) and GitHub (Markdown links) resolve it.

Wikilinks and embeds name a file anywhere in the vault: `.md` implied, without case; when the
name repeats, the linking note's folder first, then the shortest path (Obsidian's choice); a
name with a `/` matches the end of a path, one starting with `./` or `../` the linking note's
folder; else a note whose frontmatter `aliases` hold the name.

Markdown links are relative to the linking file (`/…` to the vault root), percent-decoded, and
case-sensitive, as GitHub renders the vault; nothing is implied.

A broken link may still name exactly one file once Unicode form (NFD/NFC), case and
percent-encoding are set aside: that file is the safe fix, written in the link's own style. When
only one file of that name exists elsewhere (a missing `../`), it is offered as an unsafe fix.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from vaultlint.graph import links as kinds
from vaultlint.graph.facts import LinkFact, NoteFacts
from vaultlint.graph.index import NOTE_SUFFIX, VaultIndex, fold, loose, stem


@dataclass(frozen=True, slots=True)
class Repair:
    replacement: str  # the link's new target text
    safe: bool
    title: str


class Resolution(NamedTuple):  # a tuple: 50,000 links are made in a 10,000-note vault
    targets: tuple[str, ...]  # the files the link may lead to, Obsidian's choice first
    anchor: str  # after `#` (percent-decoded for Markdown links), "" when none
    problem: str | None = None  # why the link is broken
    repair: Repair | None = None


def resolved_links(index: VaultIndex, source: str) -> list[tuple[LinkFact, Resolution]]:
    """Every link of a note with where it leads, resolved once per run for all the rules."""
    key = ("resolved", source)
    found: list[tuple[LinkFact, Resolution]] | None = index.memo.get(key)
    if found is None:
        links = index.facts[source].links
        folder = posixpath.dirname(source)
        # Index pages in one folder list the same notes: a link resolves once per folder.
        shared: dict[tuple[str, str, str], Resolution] = index.memo.setdefault("by_folder", {})
        found = []
        for link in links:
            by_folder = (folder, link.kind, link.target)
            resolution = shared.get(by_folder)
            if resolution is None:
                resolution = resolve(index, source, link, folder)
                if source not in resolution.targets:  # `[[#Heading]]` leads to its own note
                    shared[by_folder] = resolution
            found.append((link, resolution))
        index.memo[key] = found
    return found


def resolve(
    index: VaultIndex, source: str, link: LinkFact, folder: str | None = None
) -> Resolution:
    """Where one link of the note `source` (in `folder`, its folder) leads."""
    if link.kind == kinds.MARKDOWN:
        if folder is None:
            folder = posixpath.dirname(source)
        return _markdown(index, source, folder, link.target)
    return _wikilink(index, source, link.target)


# --------------------------------------------------------------------------- wikilinks


def wikilink_candidates(index: VaultIndex, source: str, name: str) -> list[str]:
    key = fold(name)
    if key.startswith(("./", "../")):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
        wanted = {fold(joined), fold(joined + NOTE_SUFFIX)}
        paths = [path for path in index.files if fold(path) in wanted]
    elif "/" in key:
        wanted_path = key.lstrip("/").removesuffix(NOTE_SUFFIX)
        paths = [
            path
            for path in index.files
            if (without := fold(path).removesuffix(NOTE_SUFFIX)) == wanted_path
            or without.endswith("/" + wanted_path)
        ]
    elif key.endswith(NOTE_SUFFIX):
        paths = list(index.notes_by_stem.get(key[: -len(NOTE_SUFFIX)], ()))
    else:
        paths = list(index.notes_by_stem.get(key, ())) or [
            path for path in index.files_by_name.get(key, ()) if not path.endswith(NOTE_SUFFIX)
        ]
    if not paths:
        paths = list(index.notes_by_alias.get(key, ()))
    folder = posixpath.dirname(source)
    return sorted(
        set(paths),
        key=lambda path: (posixpath.dirname(path) != folder, path.count("/"), len(path), path),
    )


def _wikilink(index: VaultIndex, source: str, target: str) -> Resolution:
    name, _, anchor = target.partition("#")
    name = name.strip()
    if not name:  # [[#Heading]]: this note
        return Resolution((source,), anchor.strip())
    found = wikilink_candidates(index, source, name)
    if found:
        return Resolution(tuple(found), anchor.strip())
    problem = f'no note or file named "{name}" in the vault'
    matches = [] if "/" in name else _loose_name_matches(index, name)
    if len(matches) != 1:
        return Resolution((), anchor, problem)
    actual = matches[0]
    if not actual.endswith(NOTE_SUFFIX):
        written = posixpath.basename(actual)
    else:
        written = stem(actual) + (NOTE_SUFFIX if name.lower().endswith(NOTE_SUFFIX) else "")
    problem += f'; the file is "{actual}" ({_difference(name, written)})'
    replacement = written + target[len(target.partition("#")[0]) :]
    return Resolution((), anchor, problem, Repair(replacement, True, f'link to "{written}"'))


def _loose_name_matches(index: VaultIndex, name: str) -> list[str]:
    key = loose(name)
    notes = index.notes_by_loose_stem.get(key.removesuffix(NOTE_SUFFIX), [])
    others = [p for p in index.files_by_loose_name.get(key, []) if not p.endswith(NOTE_SUFFIX)]
    return sorted(set(notes) | set(others))


# ---------------------------------------------------------------------- Markdown links


def _markdown(index: VaultIndex, source: str, folder: str, target: str) -> Resolution:
    written_path, _, raw_anchor = target.partition("#")
    anchor = _decoded(raw_anchor) if raw_anchor else ""
    decoded = _decoded(written_path)
    if not decoded:
        return Resolution((source,), anchor)
    if decoded.startswith("/"):
        folder = ""
    joined = _joined(folder, decoded.lstrip("/"))
    if joined in index.files:
        return Resolution((joined,), anchor)
    if joined == "." or joined in index.folders:
        return Resolution((), anchor)
    if joined == ".." or joined.startswith("../"):
        if _exists(index.root / joined):  # outside the vault, in the repository: not ours
            return Resolution((), anchor)
        return Resolution(
            (), anchor, f'link target "{decoded}" leads outside the vault and does not exist'
        )
    problem, repair = _broken_markdown(index, source, written_path, decoded, joined)
    if repair is not None and "#" in target:  # the anchor stays as written
        suffix = target[len(written_path) :]
        repair = Repair(repair.replacement + suffix, repair.safe, repair.title)
    return Resolution((), anchor, problem, repair)


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _decoded(text: str) -> str:
    """Percent-decoded as UTF-8, as `urllib.parse.unquote` does; an index page holds thousands
    of encoded links, so the usual case (ASCII, every `%` an escape) is decoded in C."""
    if "%" not in text:
        return text
    if text.isascii() and "\\" not in text:
        try:
            escaped = text.replace("%", "\\x").encode("ascii")
            return codecs.escape_decode(escaped)[0].decode("utf-8", "replace")
        except ValueError:  # a `%` that is not an escape: decoded below
            pass
    return _ESCAPES.sub(
        lambda run: bytes.fromhex(run.group().replace("%", "")).decode("utf-8", "replace"), text
    )


def _joined(folder: str, relative: str) -> str:
    """`normpath(join(folder, relative))`, with the common shapes of index pages (`../a/b.md`,
    `a/b.md`) done without the general work."""
    ups = 0
    while relative.startswith("../"):
        relative, ups = relative[3:], ups + 1
    parts = folder.split("/") if folder else []
    if (
        ups <= len(parts)
        and "/." not in relative
        and "//" not in relative
        and not relative.startswith(".")
        and not relative.endswith("/")
    ):
        base = "/".join(parts[: len(parts) - ups])
        return f"{base}/{relative}" if base and relative else base or relative or "."
    return posixpath.normpath(posixpath.join(folder, "../" * ups + relative))


def _broken_markdown(
    index: VaultIndex, source: str, written: str, decoded: str, joined: str
) -> tuple[str, Repair | None]:
    problem = f'link target "{decoded}" does not exist'
    same = index.files_by_loose_path.get(loose(joined), []) or index.files_by_loose_path.get(
        loose(unquote(joined)), []
    )
    if len(same) == 1:
        actual = same[0]
        difference = _difference(posixpath.basename(joined), posixpath.basename(actual))
        problem += f'; the file is "{actual}" ({difference})'
        repair = Repair(_respelt(written, actual, source), True, f'link to "{actual}"')
        return problem, repair
    from_root = posixpath.normpath(decoded.lstrip("/"))
    if from_root != joined and index.exists(from_root):
        problem += (
            f' relative to this note; "{from_root}" exists from the vault root, which Obsidian'
            " may accept but GitHub does not"
        )
    reason = index.skipped(joined)
    if reason is not None:
        problem += f" ({reason}: absent from a clone of the vault)"
    elsewhere = index.files_by_loose_name.get(loose(posixpath.basename(joined)), [])
    if len(elsewhere) == 1 and reason is None:
        actual = elsewhere[0]
        return problem, Repair(_render(written, actual, source), False, f'link to "{actual}"')
    return problem, None


def _folder(source: str) -> str:
    return posixpath.dirname(source) or "."


def _respelt(written: str, actual: str, source: str) -> str:
    """The link as written, each name in it spelt as the file system spells it (`..` and `.`
    kept): a link that differs only in Unicode form, case or encoding changes only there."""
    parts = written.split("/")
    named = [index for index, part in enumerate(parts) if part not in ("", ".", "..")]
    actual_parts = actual.split("/")
    if len(named) > len(actual_parts):
        return _render(written, actual, source)
    for index, name in zip(named, actual_parts[len(actual_parts) - len(named) :], strict=True):
        parts[index] = _spelt_like(parts[index], unicodedata.normalize("NFC", name))
    return "/".join(parts)


def _spelt_like(written: str, name: str) -> str:
    """`name` percent-encoded when `written` was (keeping the characters it left as they are)."""
    if "%" not in written and not any(c in name and c not in written for c in " ()"):
        return name
    kept = "".join(sorted({c for c in unquote(written) if c in _PUNCTUATION and c in written}))
    return quote(name, safe=kept)


def _render(written: str, actual: str, source: str) -> str:
    """The path to `actual` from the linking note, in the style of the link as written:
    percent-encoded (in NFC) when it was, else as is (`%20` where a space would end it)."""
    relative = unicodedata.normalize("NFC", posixpath.relpath(actual, _folder(source)))
    if written.startswith("/"):
        relative = "/" + actual
    # A link written without a space (bare) cannot take one; `<…>` can, and keeps it.
    needs_encoding = any(c in relative and c not in written for c in " ()")
    if "%" in written or needs_encoding:
        kept = "".join(sorted({c for c in unquote(written) if c in _PUNCTUATION and c in written}))
        return quote(relative, safe="/" + kept)
    return relative


_PUNCTUATION = "!$&'*+,;=:@-._~"


def _difference(written: str, actual: str) -> str:
    if unicodedata.normalize("NFC", written) == unicodedata.normalize("NFC", actual):
        return "the name is spelt in another Unicode form (NFD), which only macOS ignores"
    if loose(written) == loose(actual):
        return "the name differs in case"
    return "the name differs in Unicode form or percent-encoding"


# ----------------------------------------------------------------------------- anchors

# Characters Obsidian leaves out of a heading when it links to it (they cannot stand in a link).
_NOT_IN_LINKS = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\]")
_SPACES = re.compile(r"\s+")


def heading_key(text: str) -> str:
    """A heading as Obsidian compares it to a link's `#Heading`: punctuation that cannot stand
    in a link as spaces, runs of space as one, without case or Unicode form."""
    cleaned = _NOT_IN_LINKS.sub(" ", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", cleaned).strip().casefold()


def github_slug(text: str) -> str:
    """A heading's anchor on GitHub: lower case, punctuation dropped, spaces as hyphens."""
    lowered = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", lowered).replace(" ", "-")


def has_anchor(facts: NoteFacts, anchor: str, *, markdown: bool) -> bool:
    """Whether a note has the heading or block a link's `#…` names."""
    if anchor.startswith("^"):
        wanted = anchor[1:].strip().casefold()
        return any(block.casefold() == wanted for block in facts.block_ids)
    last = anchor.rsplit("#", 1)[-1]  # [[Note#Section#Sub]]: the innermost heading
    wanted = heading_key(last)
    if any(heading_key(heading) == wanted for heading in facts.headings):
        return True
    return markdown and any(github_slug(heading) == last.lower() for heading in facts.headings)


def _exists(path: Path) -> bool:
    """`path.exists()`, False where it cannot be told (a locked folder, a name too long)."""
    try:
        return path.exists()
    except OSError:
        return False
