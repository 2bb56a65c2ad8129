"""A total time that does not add up from its parts.

Why: the total includes marinade and rest, so it can never be less than the active time; when
rest is written down (e.g. `temps_repos`), the total is exactly the sum of every part. A total
above its parts with nothing to explain it is most often an unwritten marinade or rest (a
canelé's night in the fridge), and the time is real: it is never deleted.

The fields come from the schema's `x-vaultlint.time` (`total`, `parts`, `rest`, `advance_tag`).
A number written as text (`temps_total: "70"`) is still checked; the `schema` rule reports its
type, and the fix here (then unsafe) writes it as a number.

Example: `temps_prep: 20`, `temps_cuisson: 25`, `temps_total: 40`:
`temps_total (40) is less than temps_prep + temps_cuisson (45)`. Fix (safe): set it to 45; when
the time-bucket tag followed the old total (`#temps/moyen` for 40) and the new total falls in
another bucket, the same fix moves the tag along (`#temps/long`), so that no tag-conflict
appears.

Severity and fixes:
- the total below its parts (or below the sum of all parts when a rest field is present): an
  error; the fix raises it to the sum (safe; unsafe when a time is written as text);
- the total above the sum of all parts when a rest field is present: an error with no fix,
  since a fix would lower the total and only the author knows which time is wrong;
- the total above its parts with no rest field and no advance tag (`#temps/préparation-avance`):
  a warning. Its fix (unsafe) follows the vault's convention: add the advance tag, and make the
  time-bucket tag that of the active time (replaced if present, added if absent), so that
  tag-conflict and tag-missing agree with it at once. The total stays. With no `advance_tag` in
  the schema, a tags list the fix cannot edit, more than one bucket tag, or a list already at
  the convention's most tags (tag-count), there is no fix.
Reported at the total's value; a fix of the total changes that value alone, in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    Field,
    field,
    pending_tags,
    room_for,
    sequence_style,
    span,
    tag_list,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import Extension, TimeSpec
from vaultlint.yaml_edit import add_list_key, has_anchor, insert_items_after, replace_item

if TYPE_CHECKING:
    from vaultlint.schema.extension import TagSpec

ID = "time-sum"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "the total time is not the sum of its parts"

_DIGITS = re.compile(r"\s*\d+\s*")


@dataclass(frozen=True, slots=True)
class _Minutes:
    found: Field
    value: int
    as_text: bool  # written as text (`"70"`): the schema rejects it, a fix writes a number

    @property
    def name(self) -> str:
        return self.found.name

    @property
    def shown(self) -> str:
        """The value in the note's words: `40`, `40.0`, `"40"`."""
        value = self.found.value
        return f'"{value.strip()}"' if isinstance(value, str) else str(value)


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.time is None:
        return
    spec = extension.time
    total = _minutes(note, spec.total)
    parts = [_minutes(note, name) for name in spec.parts]
    if total is None or any(part is None for part in parts):
        return  # missing or non-integer values are the schema rule's to report
    active = [part for part in parts if part is not None]
    rests = [found for name in spec.rest if (found := _minutes(note, name)) is not None]
    diagnostic = _compare(note, extension, _Times(total, active, rests))
    if diagnostic is not None:
        yield diagnostic


def _minutes(note: Note, name: str) -> _Minutes | None:
    """A field holding a whole number: an int, an integral float (40.0), or digits as text."""
    found = field(note, name)
    if found is None or isinstance(found.value, bool):
        return None
    value = found.value
    if isinstance(value, int):
        return _Minutes(found, value, as_text=False)
    if isinstance(value, float) and value.is_integer():
        return _Minutes(found, int(value), as_text=False)
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return _Minutes(found, int(value), as_text=True)
    return None


@dataclass(frozen=True, slots=True)
class _Times:
    total: _Minutes
    active: list[_Minutes]
    rests: list[_Minutes]

    @property
    def any_as_text(self) -> bool:
        return any(m.as_text for m in (self.total, *self.active, *self.rests))


def _compare(note: Note, extension: Extension, times: _Times) -> Diagnostic | None:
    spec = extension.time
    assert spec is not None
    total, active, rests = times.total, times.active, times.rests
    active_sum = sum(part.value for part in active)
    if rests:
        everything = [*active, *rests]
        expected = active_sum + sum(rest.value for rest in rests)
        if total.value == expected:
            return None
        relation = "less than" if total.value < expected else "more than"
        message = f"{spec.total} ({total.shown}) is {relation} {_names(everything)} ({expected})"
        raise_to = expected if total.value < expected else None  # never lower a total
        return _diagnostic(note, extension, times, raise_to, message)
    if total.value < active_sum:
        message = f"{spec.total} ({total.shown}) is less than {_names(active)} ({active_sum})"
        return _diagnostic(note, extension, times, active_sum, message)
    if total.value > active_sum and not _has_advance_tag(note, spec, extension):
        extra = total.value - active_sum
        hints = [f"a {spec.rest[0]} field"] if spec.rest else []
        if spec.advance_tag:
            hints.append(f"the tag {spec.advance_tag}")
        explain = " or ".join(hints)
        message = (
            f"{spec.total} ({total.shown}) is {extra} min more than {_names(active)} "
            f"({active_sum}) and nothing explains it" + (f" (add {explain})" if explain else "")
        )
        start, end = span(note, total.found.node)
        fix = _advance_fix(note, extension, times, active_sum)
        return Diagnostic(ID, message, start, end, Severity.WARNING, fix)
    return None


def _diagnostic(
    note: Note, extension: Extension, times: _Times, raise_to: int | None, message: str
) -> Diagnostic:
    total = times.total
    start, end = span(note, total.found.node)
    fix = None
    if raise_to is not None and not has_anchor(note, total.found.node):  # else aliases change
        edits = [Edit(start, end, str(raise_to).encode())]
        keys = {total.name}
        title = f"set {total.name} to {raise_to}"
        follows = _bucket_follows(note, extension, total.value, raise_to)
        if follows is not None:  # the bucket tag followed the old total: it follows the new one
            edit, old_tag, new_tag = follows
            edits.append(edit)
            keys.add(_tags_key(extension))
            title += f" and {old_tag} to {new_tag}"
        # A time read from text is a guess at what the author meant: a person should look.
        applicability = Applicability.UNSAFE if times.any_as_text else Applicability.SAFE
        fix = Fix(title, tuple(edits), applicability, frozenset(keys))
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _tags_key(extension: Extension) -> str:
    assert extension.tags is not None
    return extension.tags.field


def _bucket_follows(
    note: Note, extension: Extension, old_total: int, new_total: int
) -> tuple[Edit, str, str] | None:
    """The edit moving the bucket tag from the old total's bucket to the new one's, when the
    note carries exactly the old one (with the advance tag, the bucket follows the active
    time, which a new total does not change)."""
    time, spec = extension.time, extension.tags
    if time is None or spec is None or not time.bucket_namespace:
        return None
    if _has_advance_tag(note, time, extension):
        return None
    old_value, new_value = time.bucket_for(old_total), time.bucket_for(new_total)
    if old_value is None or new_value is None or old_value == new_value:
        return None
    old_tag = spec.tag(time.bucket_namespace, old_value)
    new_tag = spec.tag(time.bucket_namespace, new_value)
    tags = tag_list(note, spec)
    if tags is None or has_anchor(note, tags.sequence) or new_tag in tags.tags:
        return None
    holding = [item for item in tags.items if item.normalized == old_tag]
    if len(holding) != 1:
        return None
    style = sequence_style(note, tags.sequence)
    return replace_item(note, holding[0].node, new_tag, style), old_tag, new_tag


def _advance_fix(note: Note, extension: Extension, times: _Times, active: int) -> Fix | None:
    """Add the advance tag and set the bucket of the active time; the total stays (unsafe)."""
    time, spec = extension.time, extension.tags
    if time is None or time.advance_tag is None or spec is None:
        return None
    held = pending_tags(note, spec)
    if time.advance_tag in held:
        return None  # an unquoted `- #tag` holds it: quoting it (tag-format) is the repair
    edits = _tag_edits(note, spec, time, [time.advance_tag], active=active, held=held)
    if edits is None:
        return None  # the list cannot be edited, or has no room for another tag (tag-count)
    keys = {spec.field}
    total = times.total
    if total.as_text and not has_anchor(note, total.found.node):
        start, end = span(note, total.found.node)
        edits.append(Edit(start, end, str(total.value).encode()))  # the number, not text
        keys.add(total.name)
    title = f"add {time.advance_tag} and the time bucket of {_names(times.active)}"
    return Fix(title, tuple(edits), Applicability.UNSAFE, frozenset(keys))


def _tag_edits(
    note: Note,
    spec: TagSpec,
    time: TimeSpec,
    adding: list[str],
    *,
    active: int,
    held: frozenset[str],
) -> list[Edit] | None:
    """Edits adding `adding` and the active time's bucket tag (replacing the bucket present)."""
    import yaml

    bucket_value = time.bucket_for(active) if time.bucket_namespace else None
    wanted = (
        spec.tag(time.bucket_namespace, bucket_value)
        if time.bucket_namespace and bucket_value
        else None
    )
    tags = tag_list(note, spec)
    if tags is None:
        if field(note, spec.field) is not None:
            return None  # a tags value that is not a list: the schema rule says so
        return [add_list_key(note, spec.field, adding + ([wanted] if wanted else []))]
    sequence = tags.field.node
    if not isinstance(sequence, yaml.SequenceNode) or not sequence.value:
        return None
    if has_anchor(note, sequence):
        return None
    edits: list[Edit] = []
    present = [
        item
        for item in tags.items
        if item.normalized is not None
        and (parts := spec.split(item.normalized)) is not None
        and parts[0] == time.bucket_namespace
        and parts[1] in time.bucket_values
    ]
    if len(present) > 1:
        return None  # which bucket to keep is unclear; a repeat goes first (tag-duplicate)
    if wanted is not None and wanted not in held:
        if present:
            style = sequence_style(note, sequence)
            edits.append(replace_item(note, present[0].node, wanted, style))
        else:
            adding = [*adding, wanted]
    if not room_for(note, spec, len(adding)):
        return None
    last = len(sequence.value) - 1
    edits.append(insert_items_after(note, sequence, last, adding, spec.prefix))
    return edits


def _names(fields: list[_Minutes]) -> str:
    return " + ".join(found.name for found in fields)


def _has_advance_tag(note: Note, spec: TimeSpec, extension: Extension) -> bool:
    if spec.advance_tag is None or extension.tags is None:
        return False
    tags = tag_list(note, extension.tags)
    return tags is not None and spec.advance_tag in tags.tags
