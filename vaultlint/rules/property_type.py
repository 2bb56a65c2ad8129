"""A property whose value does not have the type Obsidian declares for it.

Why: Obsidian gives each property name one type for the whole vault (`.obsidian/types.json`:
text, list, number, checkbox, date, date & time). A note whose value has another type shows a
warning sign in Obsidian's property editor, and searches and sorting skip it.

Example: `portions` typed as number in the vault, `portions: "4"` in a note: `portions is a
number property in this vault (.obsidian/types.json), but its value is text "4"`. Reported at
the value. No fix. Checked only where `.obsidian/types.json` exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note, node_span
from vaultlint.rules.base import Fixability, RuleContext

ID = "property-type"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.NEVER
SUMMARY = "a property's value does not have the type .obsidian/types.json declares"
# Set by vaultlint from `.obsidian/types.json` (a config may give it too): property -> type.
OPTIONS = {"types": dict}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_NAMES = {
    "text": "a text",
    "multitext": "a list",
    "aliases": "a list",
    "tags": "a list",
    "number": "a number",
    "checkbox": "a checkbox",
    "date": "a date",
    "datetime": "a date & time",
}


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    types = ctx.options.get("types") or {}
    frontmatter = note.frontmatter
    if not types or frontmatter is None or frontmatter.data is None:
        return
    for name, value in frontmatter.data.items():
        declared = types.get(name)
        if declared is None or value is None or _fits(declared, value):
            continue
        _, node = frontmatter.node_at((name,))
        if node is None:
            continue
        start, end = node_span(note, node)
        kind = _NAMES.get(declared, declared)
        message = (
            f"{name} is {kind} property in this vault (.obsidian/types.json), "
            f"but its value is {_describe(value)}"
        )
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)


def _fits(declared: str, value: Any) -> bool:
    if declared == "text":
        return isinstance(value, str)
    if declared in ("multitext", "aliases", "tags"):
        return isinstance(value, list | str)  # Obsidian reads a single text as a one-item list
    if declared == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if declared == "checkbox":
        return isinstance(value, bool)
    if declared == "date":
        return isinstance(value, str) and _DATE.fullmatch(value) is not None
    if declared == "datetime":
        return isinstance(value, str) and _DATETIME.fullmatch(value) is not None
    return True  # a type this version does not know: nothing to say


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the checkbox value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'text "{value}"'
    return "a list" if isinstance(value, list) else "a mapping"
