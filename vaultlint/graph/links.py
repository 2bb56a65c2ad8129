"""Find a note's outgoing links in its text, as Obsidian and GitHub read them.

- Wikilinks and embeds: `[[Note]]`, `[[Note|text]]`, `[[Note#Heading]]`, `[[Note#^block]]`,
  `![[image.png]]`, in the body and in frontmatter values (`related: "[[Note]]"`).
- Markdown links and images to local files: `[text](../folder/Note%20name.md#part)`,
  `[text](<folder/Note name.md>)`. Links with a scheme (`https:`, `mailto:`, `obsidian:`) and
  same-note anchors (`#part`) are not files.

What is not text is not a link: fenced code blocks, code spans, HTML comments `<!-- -->` and
Obsidian comments `%% %%` are blanked (replaced by spaces of the same length) before the search,
so that every offset found still points into the note's text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vaultlint.markdown import closes_fence

WIKI, EMBED, MARKDOWN = "wikilink", "embed", "markdown"

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]*)\]\]")
# [text](destination "title"): the destination in <…>, or without spaces, with balanced
# parentheses one level deep (CommonMark); the text may hold one level of brackets.
_MARKDOWN = re.compile(
    r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\([ \t]*"
    r"(?:<(?P<angled>[^<>\n]*)>|(?P<bare>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_INLINE = re.compile(r"`+|<!--|%%")


@dataclass(frozen=True, slots=True)
class FoundLink:
    """A link as written: its kind, its target text and where that text is (code points)."""

    kind: str  # WIKI, EMBED or MARKDOWN
    target: str  # wikilink: before any `|`; markdown: the destination, still percent-encoded
    start: int  # the target text's span in the text searched
    end: int


def blank_code_and_comments(text: str) -> str:
    """`text` with fenced code, code spans and comments replaced by spaces (newlines kept)."""
    if "`" not in text and "~~~" not in text and "%%" not in text and "<!--" not in text:
        return text
    return _blank_inline(_blank_fences(text))


def _blank(segment: str) -> str:
    return re.sub(r"[^\n]", " ", segment)


def _blank_fences(text: str) -> str:
    if "```" not in text and "~~~" not in text:
        return text
    pieces: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is not None:
            pieces.append(_blank(line))
            if closes_fence(bare, fence):
                fence = None
            continue
        opening = _FENCE.fullmatch(bare)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            pieces.append(_blank(line))
            continue
        pieces.append(line)
    return "".join(pieces)


def _blank_inline(text: str) -> str:
    """Blank code spans, `<!-- -->` and `%% %%`, left to right: what opens first wins.

    A code span closes at the next run of as many backticks. The runs are found once and
    indexed by length, so that a hostile note of many unmatched runs costs a search each, not
    a scan of the rest of the note each (CommonMark's own method)."""
    runs: dict[int, list[int]] = {}  # run length -> start offsets, ascending
    for run in _BACKTICKS.finditer(text):
        runs.setdefault(len(run.group()), []).append(run.start())
    pieces: list[str] = []
    position = search_from = 0
    while True:
        opening = _INLINE.search(text, search_from)
        if opening is None:
            break
        token = opening.group()
        if token.startswith("`"):
            starts = runs.get(len(token), [])
            later = bisect.bisect_right(starts, opening.start())
            if later == len(starts):  # a lone run of backticks is literal text
                search_from = opening.end()
                continue
            end = starts[later] + len(token)
        else:
            closer = "-->" if token == "<!--" else "%%"
            found = text.find(closer, opening.end())
            end = len(text) if found == -1 else found + len(closer)  # open: to the end
        pieces.append(text[position : opening.start()])
        pieces.append(_blank(text[opening.start() : end]))
        position = search_from = end
    pieces.append(text[position:])
    return "".join(pieces)


_BACKTICKS = re.compile(r"`+")


def wikilinks(text: str, offset: int = 0) -> Iterator[FoundLink]:
    """The wikilinks and embeds of a (blanked) text; spans shifted by `offset`."""
    for match in _WIKILINK.finditer(text):
        inner = match.group(2)
        pipe = inner.find("|")
        target = inner if pipe == -1 else inner[:pipe]
        if target.endswith("\\"):  # `[[Note\|text]]` in a table: the backslash escapes the pipe
            target = target[:-1]
        stripped = target.strip()
        if not stripped:
            continue
        start = match.start(2) + target.find(stripped)
        kind = EMBED if match.group(1) else WIKI
        yield FoundLink(kind, stripped, offset + start, offset + start + len(stripped))


def markdown_links(text: str, offset: int = 0) -> Iterator[FoundLink]:
    """The Markdown links and images to local files of a (blanked) text."""
    for match in _MARKDOWN.finditer(text):
        group = "angled" if match.group("angled") is not None else "bare"
        destination = match.group(group)
        if not destination or destination.startswith(("#", "//")) or _SCHEME.match(destination):
            continue
        start, end = match.span(group)
        yield FoundLink(MARKDOWN, destination, offset + start, offset + end)


def body_links(body: str, offset: int) -> list[FoundLink]:
    """Every link of a note's body (`offset`: where the body starts in the note's text)."""
    if "[" not in body:
        return []
    blanked = blank_code_and_comments(body)
    found = list(wikilinks(blanked, offset))
    if "](" in blanked:
        without_wikilinks = _WIKILINK.sub(lambda m: _blank(m.group()), blanked)
        found += markdown_links(without_wikilinks, offset)
    return sorted(found, key=lambda link: link.start)


_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*\r?$", re.MULTILINE)


def block_ids(body: str) -> list[str]:
    """The `^block-id` marks at the end of lines (outside code and comments)."""
    if "^" not in body:
        return []
    return [match.group(1) for match in _BLOCK_ID.finditer(blank_code_and_comments(body))]
