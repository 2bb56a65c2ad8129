"""Every suppression form hides exactly what it names, where it says."""

from __future__ import annotations

import pytest

from tests.conftest import lint_bytes
from tests.test_cli import clean_note

ALIAS = "## Ingredients"


def rules_found(note: bytes) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_bytes(note).findings("n.md")]


def with_alias(before_heading: str = "", after_heading: str = "", top: str = "") -> bytes:
    heading = f"{before_heading}## Ingrédients\n{after_heading}"
    note = clean_note(**{ALIAS + "\n": heading})
    return note.replace(b"\n# ", f"\n{top}# ".encode(), 1) if top else note


def test_the_unsuppressed_alias_is_reported() -> None:
    assert ("heading-alias", 30) in rules_found(with_alias())


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- vaultlint-disable-next-line heading-alias -->\n",
        "<!-- vaultlint-disable-next-line -->\n",
        "%% vaultlint-disable-next-line heading-alias %%\n",
        "<!-- vaultlint-disable-next-line title, heading-alias -->\n",
    ],
)
def test_next_line_forms_hide_the_heading(comment: str) -> None:
    found = rules_found(with_alias(before_heading=comment))
    assert not [rule for rule, _ in found if rule in ("heading-alias", "unused-suppression")]


def test_next_line_of_another_rule_hides_nothing_and_is_unused() -> None:
    found = rules_found(with_alias(before_heading="<!-- vaultlint-disable-next-line title -->\n"))
    assert ("heading-alias", 31) in found
    assert ("unused-suppression", 30) in found


def test_a_range_hides_until_it_is_enabled_again() -> None:
    note = with_alias(
        before_heading="<!-- vaultlint-disable heading-alias -->\n",
        after_heading="<!-- vaultlint-enable heading-alias -->\n",
    )
    assert "heading-alias" not in [rule for rule, _ in rules_found(note)]


def test_a_range_left_open_runs_to_the_end() -> None:
    note = with_alias(top="%% vaultlint-disable heading-alias %%\n\n")
    assert "heading-alias" not in [rule for rule, _ in rules_found(note)]


def test_disable_file_anywhere_hides_the_rule_everywhere() -> None:
    note = with_alias() + b"\n<!-- vaultlint-disable-file heading-alias -->\n"
    assert "heading-alias" not in [rule for rule, _ in rules_found(note)]


def test_a_yaml_comment_hides_its_line_only() -> None:
    note = clean_note(**{"portions: 6": "portions: 0  # vaultlint: disable=schema"})
    assert rules_found(note) == []
    other_line = clean_note(
        **{
            "portions: 6": "portions: 0",
            "source: Instagram": "source: Instagram  # vaultlint: disable=schema",
        }
    )
    assert ("schema", 7) in rules_found(other_line)


def test_the_frontmatter_key_hides_the_rules_it_lists_in_the_whole_note() -> None:
    note = with_alias().replace(b"tags:\n", b"vaultlint-disable: [heading-alias]\ntags:\n", 1)
    assert rules_found(note) == []


def test_a_suppression_inside_a_code_fence_is_not_one() -> None:
    fenced = "```\n<!-- vaultlint-disable-file heading-alias -->\n```\n"
    note = with_alias(before_heading=fenced)
    assert "heading-alias" in [rule for rule, _ in rules_found(note)]
