"""A total time that does not add up from its parts.

Why: the total includes marinade and rest, so it can never be less than the active time; when
rest is written down (e.g. `temps_repos`), the total is exactly the sum of every part. A total
above its parts with nothing to explain it is probably a typo, or an unwritten marinade.

The fields come from the schema's `x-vaultlint.time` (`total`, `parts`, `rest`, `advance_tag`).

Example: `temps_prep: 20`, `temps_cuisson: 25`, `temps_total: 40`:
`temps_total (40) is less than temps_prep + temps_cuisson (45)`. Fix (safe): set it to 45.

Severity: an error when the total is below its parts or differs from the sum of all parts; a
warning when it exceeds the parts with no rest field and no advance tag (e.g.
`#temps/préparation-avance`), whose fix (lowering the total) is unsafe: the minutes may be a real
marinade. Reported at the total's value; the fix changes that value alone, in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import Field, int_field, span, tag_list
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import Extension, TimeSpec
from vaultlint.yaml_edit import has_anchor

ID = "time-sum"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "the total time is not the sum of its parts"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.time is None:
        return
    spec = extension.time
    total = int_field(note, spec.total)
    parts = [int_field(note, name) for name in spec.parts]
    if total is None or any(part is None for part in parts):
        return  # missing or non-integer values are the schema rule's to report
    active = [part for part in parts if part is not None]
    rests = [found for name in spec.rest if (found := int_field(note, name)) is not None]
    advance = _has_advance_tag(note, spec, extension)
    diagnostic = _compare(note, spec, _Times(total, active, rests), advance=advance)
    if diagnostic is not None:
        yield diagnostic


@dataclass(frozen=True, slots=True)
class _Times:
    total: Field
    active: list[Field]
    rests: list[Field]


def _compare(note: Note, spec: TimeSpec, times: _Times, *, advance: bool) -> Diagnostic | None:
    total, active, rests = times.total, times.active, times.rests
    active_sum = sum(_minutes(part) for part in active)
    if rests:
        everything = [*active, *rests]
        expected = active_sum + sum(_minutes(rest) for rest in rests)
        if total.value == expected:
            return None
        relation = "less than" if total.value < expected else "more than"
        message = f"{spec.total} ({total.value}) is {relation} {_names(everything)} ({expected})"
        return _diagnostic(note, total, expected, message)
    if total.value < active_sum:
        message = f"{spec.total} ({total.value}) is less than {_names(active)} ({active_sum})"
        return _diagnostic(note, total, active_sum, message)
    if total.value > active_sum and not advance:
        extra = total.value - active_sum
        hints = [f"a {spec.rest[0]} field"] if spec.rest else []
        if spec.advance_tag:
            hints.append(f"the tag {spec.advance_tag}")
        explain = " or ".join(hints)
        message = (
            f"{spec.total} ({total.value}) is {extra} min more than {_names(active)} "
            f"({active_sum}) and nothing explains it" + (f" (add {explain})" if explain else "")
        )
        return _diagnostic(note, total, active_sum, message, warning=True)
    return None


def _diagnostic(
    note: Note,
    total: Field,
    expected: int,
    message: str,
    *,
    warning: bool = False,
) -> Diagnostic:
    severity = Severity.WARNING if warning else Severity.ERROR
    applicability = Applicability.UNSAFE if warning else Applicability.SAFE
    start, end = span(note, total.node)
    fix = None
    if not has_anchor(note, total.node):  # its aliases would change too: left to the author
        edit = Edit(start, end, str(expected).encode())
        fix = Fix(
            f"set {total.name} to {expected}", (edit,), applicability, frozenset({total.name})
        )
    return Diagnostic(ID, message, start, end, severity, fix)


def _minutes(found: Field) -> int:
    return int(found.value)  # an integral float (40.0) is an integer to JSON Schema too


def _names(fields: list[Field]) -> str:
    return " + ".join(found.name for found in fields)


def _has_advance_tag(note: Note, spec: TimeSpec, extension: Extension) -> bool:
    if spec.advance_tag is None or extension.tags is None:
        return False
    tags = tag_list(note, extension.tags)
    return tags is not None and spec.advance_tag in tags.tags
