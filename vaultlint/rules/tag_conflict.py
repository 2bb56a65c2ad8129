"""A tag that contradicts its field, or a time bucket that does not match the times.

Why: the field is the source of truth; a tag that says otherwise (`type: dessert` with
`#type/plat-principal`) sends the note to the wrong place in searches and the tag pane. The time
bucket (`#temps/express` ≤ 15 min, `rapide` ≤ 30, `moyen` ≤ 60, `long` above, as the schema's
`x-vaultlint.time.buckets` declares) follows `temps_total`, or the active time when the note
carries the advance tag (`#temps/préparation-avance`).

A field outside its vocabulary or breaking the schema (`protéine: mixte` with `#protéine/poulet`
and `#protéine/veau`) is not a source of truth: the `schema` finding names the field, and
tag-conflict reports none of its namespace's tags, since they may well be right (both proteins
are real) and no tag could say `mixte`. Likewise a time the schema rejects sets no bucket.

Example: `temps_total: 45` with `#temps/rapide`: `tag "#temps/rapide" contradicts temps_total:
45 min (expected "#temps/moyen")`. Fix (safe): replace the tag in place, in its own quoting.
Only the first contradicting tag of a namespace is replaced, and none when the expected tag is
already in the list (or in an unquoted `- #tag` item): two tags must never become one tag twice.
Reported at the tag.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._expected_tags import contradicting, expected_tags
from vaultlint.rules._frontmatter_values import (
    TagList,
    check_tag_list,
    one_line,
    pending_tags,
    sequence_style,
    span,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec
from vaultlint.yaml_edit import replace_item

ID = "tag-conflict"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a tag contradicts its field, or the time bucket does not match the times"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    return check_tag_list(note, ctx, _check)


def _check(note: Note, ctx: RuleContext, spec: TagSpec, tags: TagList) -> Iterator[Diagnostic]:
    schema = ctx.schema
    assert schema is not None  # the tag spec comes from it
    for expected in expected_tags(note, schema):
        # Replacing a second tag too, or one whose expected tag is there, would leave it twice.
        replaceable = expected.tag not in pending_tags(note, spec)
        for item in contradicting(note, expected, tags.items, spec):
            assert item.normalized is not None
            message = (
                f'tag "{one_line(item.normalized)}" contradicts {one_line(expected.reason)} '
                f'(expected "{expected.tag}")'
            )
            start, end = span(note, item.node)
            fix = None
            if replaceable:
                replaceable = False
                style = sequence_style(note, tags.sequence)  # only when fixing: it costs
                edit = replace_item(note, item.node, expected.tag, style)
                title = f"replace {item.normalized} with {expected.tag}"
                fix = Fix(title, (edit,), Applicability.SAFE, frozenset({spec.field}))
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)
