"""The `full` format: the line under each finding, carets under exactly its span however the line
is drawn (tabs, wide and combining characters, control characters)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reporters.support import context, render
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.reporters.full import TAB_WIDTH, snippet
from vaultlint.results import FileReport, Finding, RunReport


def _finding(text: str, column: int, end_column: int, *, end_line: int = 7) -> Finding:
    return Finding(
        "a.md", 7, column, end_line, end_column, "tag-format", Severity.WARNING, "m", None, text
    )


@pytest.mark.parametrize(
    ("text", "column", "end_column", "shown", "carets"),
    [
        # columns count characters; a tab runs to the next multiple of TAB_WIDTH (4) cells
        ("abc def", 5, 8, "abc def", "    ^^^"),
        ("a\tb\tc", 3, 4, "a   b   c", "    ^"),
        ("temps_total:\t50", 14, 16, "temps_total:    50", "                ^^"),
        ("\t- x", 1, 2, "    - x", "^^^^"),  # the tab itself is the span: under all its cells
        # wide characters take two cells, combining marks none, an emoji with VS16 two
        ("中文 x", 4, 5, "中文 x", "     ^"),
        ("中文 x", 1, 3, "中文 x", "^^^^"),
        ("e\u0301 x", 4, 5, "e\u0301 x", "  ^"),
        ("⏱️ x", 4, 5, "⏱️ x", "   ^"),
        ("🔥x", 2, 3, "🔥x", "  ^"),
        # control characters are drawn as one visible cell
        ("a\rb\x1bc", 5, 6, "a␍b␛c", "    ^"),
        ("a\x7fb", 3, 4, "a\ufffdb", "  ^"),
        # a bidirectional override would show the line reversed: shown as one replacement cell
        ("a\u202eb c", 5, 6, "a\ufffdb c", "    ^"),
        ("\ufe0fx", 2, 3, "\ufe0fx", "^"),  # VS16 with nothing to widen takes no cell
        ("\t\ufe0fx", 3, 4, "    \ufe0fx", "    ^"),
        # trailing blanks are shown, so carets under them are under something
        ("x  ", 2, 4, "x  ", " ^^"),
        # an empty span (a point) gets one caret; so does a span at the end of the line
        ("abc", 2, 2, "abc", " ^"),
        ("abc", 4, 4, "abc", "   ^"),
        ("", 1, 1, "", "^"),
        # a span past the end of the line stops at the end of the line
        ("abc", 2, 9, "abc", " ^^"),
    ],
)
def test_carets_sit_under_the_span(
    text: str, column: int, end_column: int, shown: str, carets: str
) -> None:
    assert snippet(_finding(text, column, end_column)) == (shown, carets)


def test_a_span_over_several_lines_is_underlined_to_the_end_of_its_first_line() -> None:
    assert snippet(_finding("key: |\tx", 6, 2, end_line=9)) == ("key: |  x", "     ^^^^")


@given(
    st.text(alphabet=st.sampled_from("ab \t-#"), max_size=30),
    st.integers(1, 32),
    st.integers(0, 8),
)
def test_ascii_and_tabs_are_drawn_as_expandtabs_draws_them(
    text: str, column: int, length: int
) -> None:
    shown, carets = snippet(_finding(text, column, column + length))
    assert shown == text.expandtabs(TAB_WIDTH)
    start = min(column - 1, len(text))
    end = min(column - 1 + length, len(text))
    caret_start = len(text[:start].expandtabs(TAB_WIDTH))
    # expandtabs places a tab by what precedes it, so measure the span inside the whole prefix
    caret_end = len(text[:end].expandtabs(TAB_WIDTH))
    assert carets == " " * caret_start + "^" * max(1, caret_end - caret_start)


def test_each_finding_is_a_block_then_the_summary(tmp_path: Path) -> None:
    findings = (
        Finding(
            "a.md", 3, 8, 3, 10, "time-sum", Severity.ERROR, "x", Applicability.SAFE, "total:\t40"
        ),
        Finding("a.md", 12, 1, 12, 2, "title", Severity.WARNING, "y", None, "# T"),
    )
    report = RunReport((FileReport("a.md", findings),))
    assert render("full", report, context(tmp_path)) == (
        "a.md:3:8: error time-sum x [*]\n"
        "3 | total:  40\n"
        "  |         ^^\n"
        "\n"
        "a.md:12:1: warning title y\n"
        "12 | # T\n"
        "   | ^\n"
        "\n"
        "Found 1 error and 1 warning in 1 note.\n"
        "[*] 1 fixable with `vaultlint fix`.\n"
    )
    assert render("full", report, context(tmp_path, show_summary=False)) == (
        "a.md:3:8: error time-sum x [*]\n"
        "3 | total:  40\n"
        "  |         ^^\n"
        "\n"
        "a.md:12:1: warning title y\n"
        "12 | # T\n"
        "   | ^\n"
    )


def test_colour_marks_the_carets_by_severity(tmp_path: Path) -> None:
    finding = Finding("a.md", 1, 1, 1, 3, "title", Severity.WARNING, "y", None, "# T")
    report = RunReport((FileReport("a.md", (finding,)),))
    output = render("full", report, context(tmp_path, color=True, show_summary=False))
    assert output.splitlines()[2] == "  | \x1b[33m^^\x1b[0m"
