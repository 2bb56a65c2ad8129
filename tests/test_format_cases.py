"""Fixture pairs for `vaultlint format`: `tests/format_cases/<case>.md` and what it becomes.

Beside each case:
- `<case>.formatted.md`: the exact bytes `format` writes (the same bytes when already in style);
- `<case>.toml`: a `[format]` table, when the case needs settings other than the defaults;
- `<case>.notices.txt`: the notices the case must give, one `kind: message` a line (none without).
Every case is checked for its exact output, its notices, idempotence (a second run changes
nothing), and, independently of the formatter's own checks, that the frontmatter reads to the
same data and the body renders to the same HTML.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import recipe_schema
from vaultlint.formatter import FormatOutcome, FormatSettings, LineEndings, format_note
from vaultlint.note import Note

CASES = Path(__file__).parent / "format_cases"
CASE_FILES = sorted(path for path in CASES.glob("*.md") if not path.name.endswith(".formatted.md"))


def settings_for(case: Path) -> FormatSettings:
    table_file = case.with_suffix(".toml")
    if not table_file.exists():
        return FormatSettings()
    return FormatSettings.from_table(tomllib.loads(table_file.read_text("utf-8"))["format"])


def formatted_file(case: Path) -> Path:
    return case.with_name(case.stem + ".formatted.md")


def expected_notices(case: Path) -> list[str]:
    notices = case.with_suffix(".notices.txt")
    return notices.read_text("utf-8").splitlines() if notices.exists() else []


def format_bytes(raw: bytes, settings: FormatSettings, name: str = "<note>") -> FormatOutcome:
    return format_note(Note.from_bytes(raw, name), recipe_schema(), settings)


def readable_diff(expected: bytes, found: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(keepends=True),
        found.decode("utf-8", "replace").splitlines(keepends=True),
        "expected",
        "found",
    )
    return "".join(repr(line) + "\n" for line in lines)


def test_there_are_cases_and_each_declares_its_output() -> None:
    assert len(CASE_FILES) >= 30
    missing = [case.name for case in CASE_FILES if not formatted_file(case).exists()]
    assert missing == []


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda path: path.stem)
def test_case_formats_to_its_expected_bytes(case: Path) -> None:
    outcome = format_bytes(case.read_bytes(), settings_for(case), case.name)
    expected = formatted_file(case).read_bytes()
    assert outcome.formatted == expected, readable_diff(expected, outcome.formatted)
    found = [f"{notice.kind.value}: {notice.message}" for notice in outcome.notices]
    assert found == expected_notices(case)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda path: path.stem)
def test_formatting_a_formatted_case_changes_nothing(case: Path) -> None:
    settings = settings_for(case)
    formatted = format_bytes(case.read_bytes(), settings).formatted
    again = format_bytes(formatted, settings)
    assert again.formatted == formatted, readable_diff(formatted, again.formatted)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda path: path.stem)
def test_case_keeps_its_data_rendering_bom_and_line_endings(case: Path) -> None:
    settings = settings_for(case)
    raw = case.read_bytes()
    before, after = Note.from_bytes(raw), Note.from_bytes(format_bytes(raw, settings).formatted)
    assert data_of(after) == data_of(before)
    assert rendered_body(after) == rendered_body(before)
    assert after.has_bom == before.has_bom
    crlf, lf = after.raw.count(b"\r\n"), after.raw.count(b"\n")
    if settings.line_endings is LineEndings.LF:
        assert crlf == 0
    elif settings.line_endings is LineEndings.CRLF or before.newline == "\r\n":
        assert crlf == lf
    else:
        assert crlf == 0


def data_of(note: Note) -> str | None:
    parsed = note.frontmatter
    return json.dumps(parsed.data, sort_keys=True) if parsed is not None else None


def rendered_body(note: Note) -> str:
    """The body as HTML (markdown-it, not the formatter's token comparison), without the spaces
    at the ends of lines and the line ending at the end of a code block, which no browser shows."""
    from markdown_it import MarkdownIt

    text = note.text or ""
    block = note.block
    body = text[block.body_start :] if block is not None and block.terminated else text
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(body)
    # A final line ending added to a code or HTML block that ends the note shows as a newline.
    html = re.sub(r"\n(?=</code></pre>)", "", html).rstrip("\n")
    return re.sub(r"[ \t]+\n", "\n", html)
