"""A note with too few or too many tags.

Why: the vault's convention (here 6 to 10 tags, from `x-vaultlint.tags.count`) keeps notes
findable without drowning them in tags. Different tags are counted: a tag written twice
counts once (tag-duplicate reports the repeat), so removing a repeat never changes the count.

Example: a note with 4 tags: `the note has 4 tags; the vault wants 6 to 10`. Reported at the
`tags` key, or on line 1 when the note has no `tags` key at all (0 tags). No fix: which tags to
add or drop is the author's choice.

The finding is about the note as a whole: adding a missing tag to a note of 0 tags leaves one
`tag-count` finding (now 1 tag), not a new one.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import distinct_tags, span, tag_list
from vaultlint.rules.base import Fixability, RuleContext

ID = "tag-count"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.NEVER
SUMMARY = "the note has fewer or more tags than the vault's convention"
SUBJECT = "note"  # one finding per note, whatever its place (see `subjects.py`)


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.tags is None:
        return
    spec = extension.tags
    if spec.count_min is None and spec.count_max is None:
        return
    tags = tag_list(note, spec)
    data = note.frontmatter.data if note.frontmatter is not None else None
    absent = isinstance(data, dict) and spec.field not in data
    if tags is None and not absent:
        return  # a tags value that is not a list: the schema rule says so
    count = distinct_tags(note, spec) if tags is not None else 0
    low, high = spec.count_min, spec.count_max
    if (low is not None and count < low) or (high is not None and count > high):
        wanted = (
            f"{low} to {high}"
            if low is not None and high is not None
            else f"at least {low}"
            if low is not None
            else f"at most {high}"
        )
        if tags is not None:
            start, end = span(note, tags.field.key)
        else:
            start, end = note.bom_length, note.lines.line_end(1)
        message = f"the note has {count} tag{'s' if count != 1 else ''}; the vault wants {wanted}"
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
