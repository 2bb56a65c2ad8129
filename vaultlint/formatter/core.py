"""Format one note in memory: frontmatter, the lines around it, body; then verify, or refuse.

The promise, checked on every note before its bytes are returned:
- the frontmatter reads back to the same data (same keys, values and types; key order aside),
  compared as vaultlint.fixer compares (JSON text, so 1 and 1.0 and true stay apart);
- the body renders to the same Markdown document (body.py compares markdown-it token streams);
- the BOM stays, and the line endings are the note's own (or the `line_endings` setting's).
Otherwise the note is returned unchanged with a REFUSED notice. Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vaultlint.formatter.body import format_body
from vaultlint.formatter.frontmatter import format_yaml
from vaultlint.formatter.lines import convert_endings, ending_of, split_lines
from vaultlint.formatter.outcome import FormatOutcome, Notice, NoticeKind
from vaultlint.formatter.settings import FormatSettings
from vaultlint.note import FENCE, Note
from vaultlint.positions import BOM
from vaultlint.schema.loader import CompiledSchema

DEFAULT_TAGS_KEY = "tags"


def format_note(
    note: Note, schema: CompiledSchema | None, settings: FormatSettings
) -> FormatOutcome:
    """`note` in the configured style, verified; unchanged (with the reason) when it cannot be."""
    text = note.text
    if text is None:
        problem = note.decode_problem.message if note.decode_problem else "it is not UTF-8 text"
        return _unchanged(note, NoticeKind.SKIPPED, f"not formatted: {problem}")
    block = note.block
    notices: list[Notice] = []
    if block is None:
        head, body = "", text
    else:
        head_part = _formatted_head(note, text, schema, settings)
        if isinstance(head_part, FormatOutcome):
            return head_part
        head, notices = head_part[0], head_part[1]
        body = text[block.body_start :]
    body_part = format_body(
        body, settings, after_frontmatter=block is not None, newline=note.newline
    )
    notices += body_part.notices
    if any(notice.kind is NoticeKind.REFUSED for notice in notices):
        return FormatOutcome(note.raw, note.raw, tuple(notices))
    formatted = (BOM if note.has_bom else b"") + (head + body_part.text).encode("utf-8")
    failure = verify(note, Note(note.path, formatted), body_part.text)
    if failure is not None:
        notices.append(Notice(NoticeKind.REFUSED, f"not formatted: {failure} (a vaultlint bug)"))
        return FormatOutcome(note.raw, note.raw, tuple(notices))
    return FormatOutcome(note.raw, formatted, tuple(notices))


def _formatted_head(
    note: Note, text: str, schema: CompiledSchema | None, settings: FormatSettings
) -> tuple[str, list[Notice]] | FormatOutcome:
    """The `---` lines and the YAML between them, formatted; or why the note is skipped."""
    block = note.block
    assert block is not None
    if not block.terminated:
        message = "not formatted: the frontmatter has no closing ---"
        return _unchanged(note, NoticeKind.SKIPPED, message)
    parsed = note.frontmatter
    if parsed is None or parsed.problem is not None:
        reason = parsed.problem.message if parsed and parsed.problem else "it cannot be read"
        return _unchanged(note, NoticeKind.SKIPPED, f"not formatted: frontmatter: {reason}")
    order, tags_key = key_order_for(schema, settings), tags_key_for(schema, settings)
    yaml_part = format_yaml(parsed.yaml_text, settings, order, tags_key)
    opening = FENCE + ending_of(split_lines(text[: block.content_start])[0])
    closing = FENCE + ending_of(text[block.content_end : block.body_start])
    if closing == FENCE and settings.final_newline:  # the note ends on its closing `---`
        closing += note.newline
    head = convert_endings(opening + yaml_part.text + closing, settings.line_endings)
    return head, list(yaml_part.notices)


def _unchanged(note: Note, kind: NoticeKind, message: str) -> FormatOutcome:
    return FormatOutcome(note.raw, note.raw, (Notice(kind, message),))


def key_order_for(schema: CompiledSchema | None, settings: FormatSettings) -> Sequence[str]:
    """`key_order`, else the order of the schema's top-level `properties`."""
    if settings.key_order:
        return settings.key_order
    properties = schema.document.get("properties") if schema is not None else None
    return list(properties) if isinstance(properties, dict) else []


def tags_key_for(schema: CompiledSchema | None, settings: FormatSettings) -> str:
    if settings.tags_key:
        return settings.tags_key
    tags = schema.extension.tags if schema is not None else None
    return tags.field if tags is not None else DEFAULT_TAGS_KEY


def verify(before: Note, after: Note, body: str) -> str | None:
    """Why `after` is not `before` in another style, or None when it is."""
    if after.has_bom != before.has_bom or after.text is None:
        return "the byte order mark or the encoding changed"
    old_block, new_block = before.block, after.block
    if (old_block is None) != (new_block is None):
        return "the frontmatter block appeared or vanished"
    if new_block is not None:
        old, new = before.frontmatter, after.frontmatter
        if old is None or new is None or new.problem is not None:
            return "the frontmatter no longer reads"
        if not _same(old.data, new.data):
            changed = sorted(_changed_keys(old.data or {}, new.data or {}))
            return "the frontmatter data changed (" + ", ".join(changed) + ")"
    start = new_block.body_start if new_block is not None else 0
    if after.text[start:] != body:
        return "the body moved"
    return None


def _same(a: Any, b: Any) -> bool:
    # JSON text compares NaN equal to itself and keeps int, float and bool apart.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {
        key
        for key in old.keys() | new.keys()
        if key not in old or key not in new or not _same(old[key], new[key])
    }
