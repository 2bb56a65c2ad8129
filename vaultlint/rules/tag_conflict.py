"""A tag that contradicts its field, or a time bucket that does not match the times.

Why: the field is the source of truth; a tag that says otherwise (`type: dessert` with
`#type/plat-principal`) sends the note to the wrong place in searches and the tag pane. The time
bucket (`#temps/express` ≤ 15 min, `rapide` ≤ 30, `moyen` ≤ 60, `long` above, as the schema's
`x-vaultlint.time.buckets` declares) follows `temps_total`, or the active time when the note
carries the advance tag (`#temps/préparation-avance`).

Example: `temps_total: 45` with `#temps/rapide`: `tag "#temps/rapide" contradicts temps_total:
45 min (expected "#temps/moyen")`. Fix (safe): replace the tag in place, in its own quoting.
Reported at the tag.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from vaultlint.diagnostic import Applicability, Diagnostic, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._expected_tags import contradicting, expected_tags
from vaultlint.rules._frontmatter_values import (
    guard_tag_fixes,
    sequence_style,
    span,
    tag_list,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.yaml_edit import replace_item

ID = "tag-conflict"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a tag contradicts its field, or the time bucket does not match the times"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    spec = ctx.extension.tags if ctx.extension is not None else None
    yield from guard_tag_fixes(note, spec, _check(note, ctx))


def _check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.tags is None:
        return
    spec = extension.tags
    tags = tag_list(note, spec)
    if tags is None:
        return
    assert isinstance(tags.field.node, yaml.SequenceNode)
    present = set(tags.tags)
    for expected in expected_tags(note, extension):
        for item in contradicting(expected, tags.items, spec):
            message = (
                f'tag "{item.normalized}" contradicts {expected.reason} (expected "{expected.tag}")'
            )
            start, end = span(note, item.node)
            fix = None
            if expected.tag not in present:  # else replacing would duplicate it
                style = sequence_style(note, tags.field.node)  # only when fixing: it costs
                edit = replace_item(note, item.node, expected.tag, style)
                title = f"replace {item.normalized} with {expected.tag}"
                fix = Fix(title, (edit,), Applicability.SAFE, frozenset({spec.field}))
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
