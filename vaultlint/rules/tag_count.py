"""A note with too few or too many tags.

Why: the vault's convention (here 6 to 10 tags, from `x-vaultlint.tags.count`) keeps notes
findable without drowning them in tags. Different tags are counted: a tag written twice
counts once (tag-duplicate reports the repeat), so removing a repeat never changes the count.

Example: a note with 4 tags: `the note has 4 tags; the vault wants 6 to 10`. Reported at the
`tags` key. No fix: which tags to add or drop is the author's choice.
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


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.tags is None:
        return
    spec = extension.tags
    tags = tag_list(note, spec)
    if tags is None or (spec.count_min is None and spec.count_max is None):
        return
    count = distinct_tags(note, spec)
    low, high = spec.count_min, spec.count_max
    if (low is not None and count < low) or (high is not None and count > high):
        wanted = (
            f"{low} to {high}"
            if low is not None and high is not None
            else f"at least {low}"
            if low is not None
            else f"at most {high}"
        )
        start, end = span(note, tags.field.key)
        message = f"the note has {count} tag{'s' if count != 1 else ''}; the vault wants {wanted}"
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
