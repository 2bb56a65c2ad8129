"""Property tests: whatever bytes a note holds, no exception escapes the pipeline, every
diagnostic sits inside the file, and `fix` never writes a note whose data it cannot re-read.

Three sources of notes: arbitrary bytes, arbitrary text, and structured mutations of valid notes
(truncated, a line duplicated or dropped, a `---` moved, NUL or a BOM in the middle, a lone CR,
tabs, a very long line, deep nesting, YAML and Markdown tokens dropped anywhere). The invariants
live in `tests/fuzz/pipeline.py`, shared with the coverage-guided fuzz target.

Also here: the position conversions and the ATX heading parser, which were rewritten to be
linear, checked against the straightforward (quadratic) versions they replaced.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.pipeline import check_note, fix_note_checked
from tests.test_cli import clean_note
from vaultlint.markdown import parse_atx
from vaultlint.positions import BOM, CharToByte, LineIndex

CLEAN = clean_note()
SEEDS = (
    CLEAN,
    CLEAN.replace(b"\n", b"\r\n"),
    BOM + CLEAN,
    CLEAN.replace(b"temps_total: 230", b"temps_total: 20").replace(b'"#temps/long"', b"#Tps/x"),
    b'---\ntags: [ "#cuisine/thai", #oops ]\ntemps_total: 5\n---\n# T\n## Ingredients\n',
    b"---\na: &x [1, *x]\nb: {{date}}\nc: [[lien]]\n---\n",
    b"",
)
# fmt: off
TOKENS = (
    b"---\n", b"...\n", b"\n", b"\r", b"\r\n", b"\x00", BOM, b"\t", b" ", b"#", b"# ", b"## ",
    b"- ", b": ", b"? ", b"[", b"]", b"{", b"}", b"[[", b"]]", b"{{", b"}}", b",", b"&a ", b"*a",
    b"!!str ", b"!t ", b"|", b">-", b"'", b'"', b"\\", b"%%", b"```", b"~~~", b"%YAML 1.2\n",
    "é".encode(), "√©".encode(), "\u2028".encode(), "\u0085".encode(), b"\xff", b"\xe2\x82",
    b"\xef\xbf\xbe", b"9" * 1_200, b"0x" + b"f" * 1_200, b"tags:\n  - ", b"temps_total: ",
)
# fmt: on

# CI runs a modest number of examples; `VAULTLINT_HOSTILE_SCALE=50 pytest tests/test_hostile_*.py`
# runs fifty times more (a longer hunt, as for the numbers quoted in tests/fuzz/README.md).
SCALE = int(os.environ.get("VAULTLINT_HOSTILE_SCALE", "1"))
SETTINGS = settings(
    max_examples=120 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def mutate(raw: bytes, kind: str, where: float, size: int, token: bytes) -> bytes:
    """One structured mutation at a relative position `where` (0..1) of the note."""
    at = int(where * len(raw))
    lines = raw.splitlines(keepends=True) or [b""]
    line = min(int(where * len(lines)), len(lines) - 1)
    if kind == "truncate":
        return raw[:at]
    if kind == "duplicate-line":
        return b"".join(lines[: line + 1] + lines[line:])
    if kind == "drop-line":
        return b"".join(lines[:line] + lines[line + 1 :])
    if kind == "swap-lines" and line + 1 < len(lines):
        lines[line], lines[line + 1] = lines[line + 1], lines[line]
        return b"".join(lines)
    if kind == "fence-moved":
        without = [text for text in lines if text.rstrip(b"\r\n") != b"---"] or [b""]
        return b"".join([*without[:line], b"---\n", *without[line:]])
    if kind == "lone-cr":
        return raw[:at] + raw[at:].replace(b"\n", b"\r", 1)
    if kind == "long-line":  # up to 300 KB of one token, on one line
        piece = token.replace(b"\n", b"").replace(b"\r", b"") or b"x"
        return raw[:at] + (piece * (size * 1_000 // len(piece) + 1))[: size * 1_000] + raw[at:]
    if kind == "deep-nesting":
        return raw[:at] + b"[" * (size * 10) + raw[at:]
    return raw[:at] + token * max(1, size // 10) + raw[at:]  # "insert"


MUTATIONS = st.tuples(
    st.sampled_from(
        (
            "truncate",
            "duplicate-line",
            "drop-line",
            "swap-lines",
            "fence-moved",
            "lone-cr",
            "long-line",
            "deep-nesting",
            "insert",
            "insert",
            "insert",
        )
    ),
    st.floats(0, 1),
    st.integers(1, 300),
    st.sampled_from(TOKENS),
)


@st.composite
def mutated_notes(draw: st.DrawFn) -> bytes:
    raw = draw(st.sampled_from(SEEDS))
    for kind, where, size, token in draw(st.lists(MUTATIONS, min_size=1, max_size=4)):
        raw = mutate(raw, kind, where, size, token)
    return raw


def assert_survives(raw: bytes) -> None:
    check_note(raw)
    fix_note_checked(raw)


@SETTINGS
@given(st.binary(max_size=3_000))
@example(b"\xef\xbb\xbf# Title\n")  # a heading on line 1 after a BOM: was an AssertionError
@example(b"---\na: " + b"1" * 5_000 + b"\n---\n")  # int() refuses 4,300 digits: was ValueError
def test_arbitrary_bytes_survive_check_and_fix(raw: bytes) -> None:
    assert_survives(raw)


@SETTINGS
@given(st.text(max_size=2_000))
def test_arbitrary_text_survives_check_and_fix(text: str) -> None:
    assert_survives(text.encode("utf-8"))


@SETTINGS
@given(st.text(max_size=600), st.text(max_size=600))
def test_arbitrary_frontmatter_and_body_survive_check_and_fix(yaml: str, body: str) -> None:
    assert_survives(f"---\n{yaml}\n---\n{body}".encode())


@settings(SETTINGS, max_examples=400 * SCALE)
@given(mutated_notes())
def test_mutated_valid_notes_survive_check_and_fix(raw: bytes) -> None:
    assert_survives(raw)


# --- the linear rewrites against the straightforward versions they replaced ---------------------

POSITION_PIECES = (b"a", b"\n", b"\r", b"\r\n", "é".encode(), "😀".encode(), BOM, b"\x80", b"\xc3")
POSITION_BYTES = st.lists(st.sampled_from(POSITION_PIECES), max_size=3_000).map(b"".join)


def line_col_reference(raw: bytes, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(raw)))
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    if line == 1:
        start = min(len(BOM) if raw.startswith(BOM) else 0, offset)
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


@settings(SETTINGS, max_examples=200 * SCALE)
@given(POSITION_BYTES, st.lists(st.floats(0, 1), max_size=30))
def test_line_col_matches_decoding_from_the_line_start(raw: bytes, places: list[float]) -> None:
    lines = LineIndex(raw)
    for place in places:
        offset = int(place * len(raw))
        assert lines.line_col(offset) == line_col_reference(raw, offset)


@settings(SETTINGS, max_examples=200 * SCALE)
@given(
    st.text(alphabet=st.sampled_from("ab\né😀\u2028\r\x85"), max_size=5_000),
    st.lists(st.floats(0, 1), max_size=30),
)
def test_char_to_byte_matches_encoding_the_prefix(text: str, places: list[float]) -> None:
    convert = CharToByte(text, 3)
    for place in places:
        index = int(place * len(text))
        assert convert(index) == 3 + len(text[:index].encode("utf-8"))


# The regexes the heading parsers used before: right, but quadratic on runs of spaces and tabs.
OLD_SCAN = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
OLD_ATX = re.compile(r" {0,3}(#{1,6})[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*\r?")

HEADING_LINES = st.lists(
    st.sampled_from((" ", "\t", "#", "a", "é", "\r", "\x0b", "\xa0", "\u2003")), max_size=24
).map("".join)


@settings(SETTINGS, max_examples=500 * SCALE)
@given(HEADING_LINES)
@example("# a #")
@example("### ###")
@example("#\t#\r")
def test_heading_parse_matches_the_old_regex(line: str) -> None:
    old = OLD_SCAN.fullmatch(line)
    expected = (len(old.group(1)), (old.group(2) or "").strip()) if old else None
    assert parse_atx(line) == expected


@settings(SETTINGS, max_examples=300 * SCALE)
@given(HEADING_LINES)
@example("#\r\r")
def test_heading_text_span_matches_the_old_regex(line: str) -> None:
    from vaultlint.note import Note
    from vaultlint.rules._headings import heading_bytes

    seen = line.removesuffix("\r")  # what heading_bytes reads: the line without one CR
    old = OLD_ATX.fullmatch(seen)
    if old is None or parse_atx(line.rstrip("\r")) is None:
        return
    raw = line.encode()
    parts = heading_bytes(Note.from_bytes(raw), 1)

    def at(index: int) -> int:
        return len(seen[:index].encode())

    assert parts.marker == (at(old.start(1)), at(old.end(1)))
    assert parts.text == (at(old.start(2)), at(old.end(2)))
