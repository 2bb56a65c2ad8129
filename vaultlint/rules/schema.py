"""A frontmatter value that breaks the note's JSON Schema.

Why: the schema is the vault's contract (which fields exist, their types, allowed values,
ranges, formats); a note that breaks it is misfiled, mistyped or incomplete.

Each violation is reported on its own, at the offending value (a missing field at the opening
`---`, an unexpected field at its key), with a message in the note's own words:
`portions 0 is less than the minimum of 1`, `type "plat principal" is not one of: ...`,
`date_ajout "2025-13-01" is not a valid date (YYYY-MM-DD)`.

Values are read as YAML 1.2 reads them (as Obsidian does): a date stays text, checked by
`format: date`.

Fix: an `enum` value with the same letters as exactly one allowed value up to case, accents,
separators and a plural `s` (`plat principal` -> `plat-principal`) is set to it, safely, and the
field's tag follows; a value one typing slip away inside a word of five or more letters
(`desert` -> `dessert`: a letter missing, doubled, extra, or two swapped, the first letter
kept) gets the same fix as unsafe. Any other value gets no suggestion and no fix: `protéine:
oeuf` (egg) is never turned into `bœuf` (beef), nor `volaille` into `poulet`. A value outside
the enum calls for no tag either: tag-missing and tag-conflict leave its namespace alone, since
its tags may be the truth (`protéine: mixte` with `#protéine/poulet` and `#protéine/veau`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note, node_span
from vaultlint.rules._frontmatter_values import field, one_line, schema_errors
from vaultlint.rules._value_fix import value_fix
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import Extension
from vaultlint.suggest import suggest

ID = "schema"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a frontmatter value breaks the JSON Schema (type, enum, range, format, required)"

_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}
_FORMAT_HINTS = {"date": "date (YYYY-MM-DD)", "date-time": "date and time", "uri": "URL"}


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    frontmatter = note.frontmatter
    if ctx.schema is None or frontmatter is None or frontmatter.data is None:
        return
    for error in schema_errors(note, ctx.schema):
        yield from _diagnostics(note, error, ctx.extension)


def _diagnostics(note: Note, error: Any, extension: Extension | None) -> Iterator[Diagnostic]:
    path = tuple(error.instance_path)
    kind = type(error.kind).__name__
    details = error.kind.as_dict()
    if kind == "AdditionalProperties":
        for name in details["unexpected"]:
            start, end = _place(note, (*path, name), key=True)
            shown = one_line(repr(_join(path, name)))
            message = f"unexpected field {shown}: the schema does not allow it"
            yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        return
    if kind == "Required":
        start, end = _place(note, path, key=True) if path else _opening_fence(note)
        message = f"missing required field {one_line(repr(_join(path, details['property'])))}"
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)
        return
    start, end = _place(note, path, key=False)
    message = one_line(_message(kind, details, path, error))
    fix = None
    if kind == "Enum" and len(path) == 1 and isinstance(error.instance, str):
        allowed = [option for option in details["options"] if isinstance(option, str)]
        suggestion = suggest(error.instance, allowed)
        found = field(note, str(path[0]))
        if suggestion is not None and found is not None:
            hint = "did you mean" if suggestion.safe else "perhaps"
            message += f' ({hint} "{suggestion.value}"?)'
            fix = value_fix(note, found, suggestion, extension)
    yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _message(kind: str, details: dict[str, Any], path: tuple[Any, ...], error: Any) -> str:
    where, value = _describe_path(path), _show(error.instance)
    if kind == "Type":
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in details["types"])
        shown = "" if error.instance is None else f" {value}"
        return f"{where} should be {wanted}, not {_kind_of(error.instance)}{shown}"
    if kind == "Enum":
        allowed = ", ".join(str(option) for option in details["options"])
        return f"{where} {value} is not one of: {allowed}"
    if kind == "Constant":
        return f"{where} should be {_show(details['expected_value'])}, not {value}"
    if kind == "Format":
        described = _FORMAT_HINTS.get(details["format"], details["format"])
        return f"{where} {value} is not a valid {described}"
    limits = {
        "Minimum": "is less than the minimum of",
        "Maximum": "is more than the maximum of",
        "ExclusiveMinimum": "should be more than",
        "ExclusiveMaximum": "should be less than",
        "MinLength": "is shorter than the minimum length of",
        "MaxLength": "is longer than the maximum length of",
        "MinItems": "has fewer items than the minimum of",
        "MaxItems": "has more items than the maximum of",
        "MultipleOf": "is not a multiple of",
    }
    if kind in limits:
        limit = details.get("limit", details.get("multiple_of"))
        return f"{where} {value} {limits[kind]} {limit}"
    if kind == "Pattern":
        return f"{where} {value} does not match the pattern {details['pattern']}"
    if kind == "UniqueItems":
        return f"{where} has duplicate items"
    return f"{where}: {error.message}"


def _place(note: Note, path: tuple[Any, ...], *, key: bool) -> tuple[int, int]:
    frontmatter = note.frontmatter
    assert frontmatter is not None
    key_node, value_node = frontmatter.node_at(path)
    node = key_node if key and key_node is not None else value_node
    if node is None:
        return _opening_fence(note)
    return node_span(note, node)


def _opening_fence(note: Note) -> tuple[int, int]:
    return note.bom_length, note.lines.line_end(1)


def _join(path: tuple[Any, ...], name: str) -> str:
    return _describe_path((*path, name))


def _describe_path(path: tuple[Any, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "the frontmatter"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "the number"
    if isinstance(value, str):
        return "the text"
    if value is None:
        return "an empty value"
    return "a list" if isinstance(value, list) else "a mapping"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return ""
    return str(value)
