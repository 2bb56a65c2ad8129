"""Property: any note, in any style, formats to the same data and the same rendered document, and
formatting it again changes nothing.

Hypothesis draws the key order, comments above and beside keys, blank lines, spacing after the
colon, quotes, block scalars, anchors and aliases, the tags list's style, and a body of headings,
paragraphs (with trailing spaces and hard breaks), fences, `%%` comments, callouts, HTML blocks
and lists, joined with or without blank lines; then CRLF, a BOM, a final newline or not, and the
format settings themselves.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import recipe_schema
from tests.test_format_cases import data_of, rendered_body
from vaultlint.formatter import (
    FormatSettings,
    LineEndings,
    NoticeKind,
    Quote,
    TagsStyle,
    format_note,
)
from vaultlint.note import Note

KNOWN_KEYS = ("cuisine", "type", "temps_prep", "temps_total", "portions", "source", "date_ajout")
OTHER_KEYS = ("rating", "aliases", "notes", "summary", "extra")
TAGS = ("#cuisine/thaï", "#type/plat-principal", "cuisine/thaï", "it's", "with space", "l'été")
WORDS = ("thaï", "plat-principal", "YouTube", "yes", "deux mots", "O'Hara", "a: b", "#x")


def quoted(value: str, quote: str) -> str:
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    if quote == '"' or not value.replace(" ", "").replace("-", "").isalpha():
        return '"' + value.replace('"', '\\"') + '"'
    return value


@st.composite
def scalar_value(draw: st.DrawFn, key: str) -> list[str]:
    """The value's text: first the rest of the key line, then any further lines."""
    if key in ("temps_prep", "temps_total", "portions", "rating"):
        return [str(draw(st.integers(0, 500)))]
    if key == "date_ajout":
        return [draw(st.sampled_from(["2025-11-02", "'2025-11-02'"]))]
    if key in ("notes", "summary"):
        indicator = draw(st.sampled_from(["|", ">-", "|+"]))
        body = ["  # a line of text, not a comment  ", "  second line   ", "", "    indented"]
        return [indicator, *body[: draw(st.integers(1, len(body)))]]
    if key == "extra" and draw(st.booleans()):
        return ["", "  a: 1  ", "  b: [x, y]  # inner", "  c:", "    - d   "]
    if key == "aliases":
        return [draw(st.sampled_from(["[Curry, 'Thai curry']", "[]", '["a",\n  "b"]']))]
    word = draw(st.sampled_from(WORDS))
    return [quoted(word, draw(st.sampled_from(["", '"', "'"])))]


@st.composite
def tags_entry(draw: st.DrawFn) -> list[str]:
    tags = draw(st.lists(st.sampled_from(TAGS), max_size=5))
    quote = draw(st.sampled_from(['"', "'", ""]))
    items = [quoted(tag, quote) for tag in tags]
    style = draw(st.sampled_from(["block", "flow", "wrapped"]))
    comment = draw(st.sampled_from(["", "  # the tags"]))
    if style == "block" and items:
        indent = " " * draw(st.sampled_from([0, 2, 4]))
        lines = [f"tags:{comment}", *(f"{indent}- {item}" for item in items)]
        oddity = draw(st.sampled_from(["", "", "", f'{indent}  # - "#old"', f"{indent}- #week"]))
        return [*lines[:2], oddity, *lines[2:]] if oddity else lines
    if style == "wrapped" and len(items) > 2:
        return [f"tags: [{', '.join(items[:2])},", f"  {', '.join(items[2:])}]{comment}"]
    return [f"tags: [{', '.join(items)}]{comment}"]


@st.composite
def frontmatter(draw: st.DrawFn) -> list[str]:
    keys = draw(st.lists(st.sampled_from(KNOWN_KEYS + OTHER_KEYS), unique=True, max_size=8))
    keys = draw(st.permutations(keys))
    if draw(st.booleans()):
        keys.insert(draw(st.integers(0, len(keys))), "tags")
    single = [key for key in keys if key not in ("tags", "notes", "summary", "aliases")]
    anchor_key = alias_key = None
    if len(single) >= 2 and draw(st.booleans()):
        first, second = sorted(
            draw(st.lists(st.sampled_from(range(len(single))), min_size=2, max_size=2, unique=True))
        )
        anchor_key, alias_key = single[first], single[second]
    lines: list[str] = []
    for position, key in enumerate(keys):
        if position and draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "  "])))
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"# about {key}")
        if key == "tags":
            lines += draw(tags_entry())
            continue
        value = draw(scalar_value(key))
        if key == anchor_key:
            value = [f"&anchor {value[0]}"]
        elif key == alias_key:
            value = ["*anchor"]
        space = draw(st.sampled_from([" ", "   ", "\t"]))
        end = draw(st.sampled_from(["", "  # note", "   "])) if len(value) == 1 else ""
        lines.append(f"{key}:{space}{value[0]}{end}")
        lines += value[1:]
    return lines


BLOCKS = (
    "# Title",
    "## Section",
    "### Sub  ",
    "A paragraph line  \nwith a hard break   \nand a tab\t\nend ",
    "Plain text.",
    "```\n# not a heading  \ncode   \n```",
    "%%\n# hidden heading  \n%%",
    "> [!note] Callout  \n> # inside",
    "> a quote  \n> continued",
    "<div>\n# html  \n</div>",
    "- item  \n  more\n- other ",
    "1. one\n2. two",
    "    indented code  ",
    "| a | b |\n|---|---|\n| 1 | 2 |  ",
    "---",
    "Setext  \n===",
)


@st.composite
def body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.sampled_from(BLOCKS), max_size=8))
    text = "\n" * draw(st.integers(0, 2))
    for block in blocks:
        text += block + "\n" + draw(st.sampled_from(["", "", "\n", "\n\n", "  \n"]))
    return text


@st.composite
def format_settings(draw: st.DrawFn) -> FormatSettings:
    return FormatSettings(
        tags_style=draw(st.sampled_from(TagsStyle)),
        tags_quote=draw(st.sampled_from(Quote)),
        tags_indent=draw(st.integers(0, 4)),
        string_quote=draw(st.sampled_from(Quote)),
        blank_line_after_frontmatter=draw(st.booleans()),
        final_newline=draw(st.booleans()),
        line_endings=draw(st.sampled_from(LineEndings)),
    )


@st.composite
def notes(draw: st.DrawFn) -> bytes:
    text = "---\n" + "".join(line + "\n" for line in draw(frontmatter())) + "---\n" + draw(body())
    if draw(st.integers(0, 3)) == 0:
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    prefix = "\ufeff" if draw(st.integers(0, 4)) == 0 else ""
    return (prefix + text).encode("utf-8")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=notes(), chosen=format_settings())
def test_formatting_keeps_data_and_rendering_and_is_idempotent(
    raw: bytes, chosen: FormatSettings
) -> None:
    note = Note.from_bytes(raw)
    assert note.frontmatter is not None, raw
    assert note.frontmatter.problem is None, raw
    outcome = format_note(note, recipe_schema(), chosen)
    assert not [n for n in outcome.notices if n.kind is not NoticeKind.KEPT], outcome.notices
    formatted = Note.from_bytes(outcome.formatted)
    assert data_of(formatted) == data_of(note)
    assert rendered_body(formatted) == rendered_body(note)
    assert formatted.has_bom == note.has_bom
    again = format_note(formatted, recipe_schema(), chosen)
    assert again.formatted == outcome.formatted
