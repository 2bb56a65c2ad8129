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
`introduced` says which findings a fix brought: the new ones, less those on a list item that was
already flagged, or on a tag such an item holds (quoting the unquoted `- #cuisson/wok: four`,
or splitting `"#a, #b"` in two, shows the tags the author wrote; what is true of them, such as
`tag-unknown`, was true before, hidden by the YAML comment or the comma).
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


def introduced(before: Counter[Subject], after: Counter[Subject]) -> Counter[Subject]:
    """The findings of `after` that `before` did not have, by rule and subject (see above)."""
    new = after - before
    shown = set()  # the items already flagged, and the tags they hold once split at commas
    for subject in before:
        if _is_item(subject):
            _, kind, key, text = subject
            shown.add((kind, key, text))
            shown.update((kind, key, canonical(part)) for part in text.split(","))
    return Counter({s: n for s, n in new.items() if not (_is_item(s) and s[1:] in shown)})


def _is_item(subject: Subject) -> bool:
    """(rule, "key", name, item): a finding on one item of a list."""
    return len(subject) == 4 and subject[1] == "key"


def subject_of(note: Note, diagnostic: Diagnostic) -> Subject:
    if _about_the_note(diagnostic.rule):
        return ("note",)
    block = note.block
    if block is not None and block.terminated and note.text is not None:
        body_byte = note.char_to_byte(block.body_start)
        if note.bom_length < diagnostic.start < body_byte:
            in_frontmatter = _frontmatter_subject(note, diagnostic)
            if in_frontmatter is not None:
                return in_frontmatter
            return ("message", diagnostic.message)
    if note.text is not None:
        line = note.lines.line_of(diagnostic.start)
        rank = next((i for i, h in enumerate(note.headings) if h.line == line), None)
        if rank is not None:
            return ("heading", str(rank))
    return ("message", diagnostic.message)


def _frontmatter_subject(note: Note, diagnostic: Diagnostic) -> Subject | None:
    offset = diagnostic.start
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
            return ("key", name, _item_text(note, value, diagnostic))
        return ("key", name)  # the key itself, or its value as a whole
    return None


def _item_text(note: Note, sequence: yaml.SequenceNode, diagnostic: Diagnostic) -> str:
    """The list item the diagnostic stands on; for an unquoted `- #tag`, which YAML reads as a
    comment, the text the diagnostic names, else its line."""
    offset = diagnostic.start
    for item in sequence.value:
        start, end = node_span(note, item)
        if isinstance(item, yaml.ScalarNode) and item.value and start <= offset <= end:
            return canonical(str(item.value))
    named = note.raw[diagnostic.start : diagnostic.end]
    if named.strip() and b"\n" not in named:
        return canonical(named.decode("utf-8", "replace"))
    line = note.lines.line_of(offset)
    raw_line = note.raw[note.lines.line_start(line) : note.lines.line_end(line)]
    return canonical(raw_line.decode("utf-8", "replace"))


def _line_end(note: Note, offset: int) -> int:
    return note.lines.line_end(note.lines.line_of(offset))


def canonical(text: str) -> str:
    """Text as a person reads it: no list dash, quotes, `#`, case or Unicode-form differences."""
    text = unicodedata.normalize("NFC", text).strip().removeprefix("- ").strip()
    return text.strip("'\"").lstrip("#").strip().casefold()


def _about_the_note(rule: str) -> bool:
    """A rule that reports once per note, about the note as a whole (`SUBJECT = "note"`)."""
    from vaultlint.rules import RULES

    module = RULES.get(rule)
    return module is not None and getattr(module, "SUBJECT", None) == "note"
