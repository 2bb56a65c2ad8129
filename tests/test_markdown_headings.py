"""The heading scan finds what the Markdown renders as top-level headings (issue #12 §3).

markdown-it-py (CommonMark) is the reference for what both know: ATX and setext headings,
thematic breaks, fences, HTML comments, lists, quotes and indented code. Obsidian's `%% … %%`
comments and `$$ … $$` math blocks, which markdown-it does not know, have their own examples.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from vaultlint.markdown import Heading, _LineScan, scan_headings

# Lines that open, continue, end or hide headings. Not here: a 4-space or tab line right after
# a list marker wider than 4 columns (`2024. année`), where markdown-it departs from the
# CommonMark spec (it reads a thematic break or a heading where the spec reads lazy text).
LINES = (
    "Texte", "Deux mots", "# Titre", "## Steps", "### Étapes ###", "#tag", "===", "---", "-",
    "  ---", "    ---", "- - -", "***", "- item", "* x", "+", "1. étape", "1.", "12. x",
    "  - sous", "  suite", "> cité", ">", "", "```", "~~~", "<!--", "-->", "<!-- x -->",
    "    code", "\t# tab",
)  # fmt: skip
BODIES = st.lists(st.sampled_from(LINES), max_size=14).map(lambda lines: "\n".join(lines) + "\n")


def rendered_headings(body: str) -> list[tuple[int, str, int]]:
    """(level, text, first line) of each top-level heading markdown-it finds."""
    tokens = MarkdownIt("commonmark").parse(body)
    found = []
    for position, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map is not None:
            lines = tokens[position + 1].content.split("\n")
            text = " ".join(line.strip(" \t") for line in lines)
            found.append((int(token.tag[1]), text, token.map[0] + 1))
    return found


def scanned(body: str) -> list[tuple[int, str, int]]:
    return [(h.level, h.text, h.line) for h in scan_headings(body, 1)]


@settings(max_examples=1000, deadline=None)
@given(BODIES)
@example("Pad thaï\n========\n")  # a setext title
@example("Texte\n\n---\n")  # a thematic break after a blank line
@example("- Steps\n---\n")  # ... and after a list item
@example("-\n===\n")  # an empty list item holds no paragraph
@example("<!--\n## Steps\n-->\n")  # a multi-line HTML comment
@example("Notes\npersonnelles\n---\n")  # a setext heading over two lines
def test_the_scan_finds_the_headings_markdown_renders(body: str) -> None:
    assert scanned(body) == rendered_headings(body)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(("Texte", "# Titre", "## Steps", "- item", "", "#tag")), max_size=10)
)
def test_the_fast_path_and_the_line_scan_agree(lines: list[str]) -> None:
    body = "\n".join(lines) + "\n"
    assert scan_headings(body, 3) == _LineScan(3).run(body)


def test_nothing_in_a_math_block_is_a_heading() -> None:
    body = "# Titre\n\n$$\n# x = 2\nSteps\n---\n$$\n\n$$ y $$\n## Steps\n"
    assert scanned(body) == [(1, "Titre", 1), (2, "Steps", 10)]


def test_an_unclosed_math_block_runs_to_the_end() -> None:
    assert scanned("# Titre\n$$\n## Steps\n") == [(1, "Titre", 1)]


def test_nothing_in_an_obsidian_comment_is_a_heading() -> None:
    body = "%%\nBrouillon\n===\n## Steps\n%%\nSource\n------\n"
    assert scan_headings(body, 10) == (Heading(2, "Source", 15, 16),)


def test_a_setext_heading_knows_its_underline_line() -> None:
    assert scan_headings("\nPad thaï\naux crevettes\n===\n", 20) == (
        Heading(1, "Pad thaï aux crevettes", 21, 23),
    )
