"""A tag written twice in the tags list.

Why: a tag says a thing about the note once; the same tag twice (often a copy of a template
line, or `"#cuisine/thaï"` beside `"Cuisine/Thaï"`, which mean the same tag) is noise that
hides a count and makes every edit of it a two-place edit. Tags are compared as the vault
writes them: prefix, case and spaces normalised (`Cuisine/Thaï` is `#cuisine/thaï`).

Example: `#occasion/festif` in items 6 and 9: `tag "#occasion/festif" is already item 6`.
Reported at the later item.

Fix (safe): remove the later item: its whole line in a block list (a comment on that line
goes with it), the item and the separator before it in a flow list. The first occurrence
stays where it is, so the list keeps its order. No fix when the later item shares its line
with something else.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    TagList,
    check_tag_list,
    one_line,
    span,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec
from vaultlint.yaml_edit import remove_item

ID = "tag-duplicate"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "the same tag is written twice in the tags list"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    return check_tag_list(note, ctx, _check)


def _check(note: Note, ctx: RuleContext, spec: TagSpec, tags: TagList) -> Iterator[Diagnostic]:
    sequence = tags.sequence
    first_seen: dict[str, int] = {}
    for item in tags.items:
        if item.normalized is None:
            continue
        earlier = first_seen.setdefault(item.normalized, item.index)
        if earlier == item.index:
            continue
        start, end = span(note, item.node)
        message = f'tag "{one_line(item.normalized)}" is already item {earlier + 1}'
        edit = remove_item(note, sequence, item.index)
        fix = None
        if edit is not None:
            title = f"remove the second {item.normalized}"
            fix = Fix(title, (edit,), Applicability.SAFE, frozenset({spec.field}))
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
