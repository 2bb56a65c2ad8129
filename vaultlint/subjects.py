"""What a finding is about, positions aside: how the fixer tells a new problem from an old one.

A fix must never introduce a problem (issue #12). To check that, the fixer lints the note again
and compares the findings before and after, but not by position (a fix moves text) nor by
message alone (`temps_total (40) is less than ...` quotes a value the fix changed). A finding is
compared by its rule and its *subject*:

- in the frontmatter, the top-level key it stands on, and for an item of a list (a tag) the
  item's text, without quotes, `#`, case or Unicode form: a new `tag-unknown` on a tag that was
  not flagged before is new, the same `time-sum` on `temps_total` with another value is not;
- in the body, the heading it stands on, by its rank among the note's headings (a fix renames
  a heading or changes its level, never adds or removes one), else its message;
- anywhere else (line 1, a whole-note problem), its message.

Findings are counted: two `tag-duplicate` on one tag where there was one is a new problem.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

import yaml

from vaultlint.diagnostic import Diagnostic
from vaultlint.note import Note, node_span

Subject = tuple[str, ...]


def subjects(stages: Iterable[tuple[Note, Iterable[Diagnostic]]]) -> Counter[Subject]:
    """Every finding's (rule, subject), counted, over a lint result's stages."""
    counted: Counter[Subject] = Counter()
    for note, diagnostics in stages:
        for diagnostic in diagnostics:
            counted[(diagnostic.rule, *subject_of(note, diagnostic))] += 1
    return counted


def subject_of(note: Note, diagnostic: Diagnostic) -> Subject:
    block = note.block
    if block is not None and block.terminated and note.text is not None:
        body_byte = note.char_to_byte(block.body_start)
        if note.bom_length < diagnostic.start < body_byte:
            in_frontmatter = _frontmatter_subject(note, diagnostic.start)
            if in_frontmatter is not None:
                return in_frontmatter
            return ("message", diagnostic.message)
    if note.text is not None:
        line = note.lines.line_of(diagnostic.start)
        rank = next((i for i, h in enumerate(note.headings) if h.line == line), None)
        if rank is not None:
            return ("heading", str(rank))
    return ("message", diagnostic.message)


def _frontmatter_subject(note: Note, offset: int) -> Subject | None:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.root is None:
        return None
    for key, value in frontmatter.root.value:
        key_start = node_span(note, key)[0]
        value_end = node_span(note, value)[1]
        if not key_start <= offset <= max(value_end, _line_end(note, key_start)):
            continue
        name = str(key.value)
        if isinstance(value, yaml.SequenceNode) and offset >= node_span(note, value)[0] > key_start:
            return ("key", name, _item_text(note, value, offset))
        return ("key", name)  # the key itself, or its value as a whole
    return None


def _item_text(note: Note, sequence: yaml.SequenceNode, offset: int) -> str:
    """The list item at `offset`, or the text of its line (an unquoted `- #tag` is a comment)."""
    for item in sequence.value:
        start, end = node_span(note, item)
        if isinstance(item, yaml.ScalarNode) and item.value and start <= offset <= end:
            return canonical(str(item.value))
    line = note.lines.line_of(offset)
    raw_line = note.raw[note.lines.line_start(line) : note.lines.line_end(line)]
    return canonical(raw_line.decode("utf-8", "replace"))


def _line_end(note: Note, offset: int) -> int:
    return note.lines.line_end(note.lines.line_of(offset))


def canonical(text: str) -> str:
    """Text as a person reads it: no list dash, quotes, `#`, case or Unicode-form differences."""
    text = unicodedata.normalize("NFC", text).strip().removeprefix("- ").strip()
    return text.strip("'\"").lstrip("#").strip().casefold()
