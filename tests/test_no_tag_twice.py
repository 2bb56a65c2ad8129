"""No fix, nor any combination of fixes, leaves a tag twice or turns real tags into one
(issue #12, §2.2, §2.3, §3): checked on every fixture and on the shapes of the real vault."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import RECIPE_SCHEMA, fix_bytes
from vaultlint.cli import main
from vaultlint.fixer import FixVerificationError
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import tag_list
from vaultlint.schema.loader import load_schema

CASES = Path(__file__).parent / "cases"
BASE = (CASES / "tag-duplicate" / "clean.md").read_bytes()
WOK = b'  - "#cuisson/wok"\n'


def _tags(raw: bytes) -> list[str]:
    spec = load_schema(RECIPE_SCHEMA).extension.tags
    assert spec is not None
    tags = tag_list(Note.from_bytes(raw), spec)
    return tags.tags if tags is not None else []


def _repeated(raw: bytes) -> list[str]:
    return [tag for tag, count in Counter(_tags(raw)).items() if count > 1]


def _note(old: bytes, new: bytes) -> bytes:
    assert old in BASE
    return BASE.replace(old, new, 1)


CASE_FILES = sorted(
    path
    for path in CASES.glob("*/*.md")
    if not path.name.endswith((".fixed.md", ".fixed-unsafe.md"))
    and path.parent.name != "tag-duplicate"
)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_rule_fixing_a_fixture_leaves_no_tag_twice(case: Path, unsafe: bool) -> None:
    raw = case.read_bytes()
    if _repeated(raw):
        pytest.skip("the fixture repeats a tag on purpose")
    try:
        fixed = fix_bytes(raw, unsafe=unsafe).fixed
    except FixVerificationError:
        pytest.skip("the fixer refuses this note: nothing is written")
    assert _repeated(fixed) == []


def test_a_missing_tag_held_by_an_unquoted_item_is_quoted_not_added_twice() -> None:
    raw = _note(
        b'  - "#difficult\xc3\xa9/d\xc3\xa9butant"\n', "  - #difficulté/débutant\n".encode()
    )
    safe = fix_bytes(raw).fixed
    assert safe == raw  # the safe fix would have added it, and quoting then repeated it
    unsafe = fix_bytes(raw, unsafe=True).fixed
    assert _repeated(unsafe) == []
    assert "#difficulté/débutant" in _tags(unsafe)


def test_a_conflict_whose_expected_tag_an_unquoted_item_holds_is_not_replaced() -> None:
    raw = _note(b'"#type/plat-principal"', b'"#type/dessert"')
    raw = raw.replace(WOK, WOK + b"  - #type/plat-principal\n")
    unsafe = fix_bytes(raw, unsafe=True).fixed
    assert _repeated(unsafe) == []
    assert "#type/dessert" in _tags(unsafe)  # reported, but no fix may write the tag twice


def test_mixte_keeps_both_real_proteins() -> None:
    raw = _note("protéine: poulet".encode(), "protéine: mixte".encode())
    raw = raw.replace(
        '  - "#protéine/poulet"\n'.encode(),
        '  - "#protéine/poulet"\n  - "#protéine/veau"\n'.encode(),
    )
    for unsafe in (False, True):
        fixed = fix_bytes(raw, unsafe=unsafe).fixed
        assert {"#protéine/poulet", "#protéine/veau"} <= set(_tags(fixed))
        assert b"mixte" not in fixed.split(b"tags:")[1].split(b"---")[0]
        assert _repeated(fixed) == []


def test_a_value_outside_the_enum_gets_no_tag_from_any_fix() -> None:
    raw = _note(b"type: plat-principal", b"type: ressource").replace(
        b'  - "#type/plat-principal"\n', b""
    )
    for unsafe in (False, True):
        assert fix_bytes(raw, unsafe=unsafe).fixed == raw


def test_fix_unsafe_quotes_the_template_bracket_tag_and_exits_1(tmp_path: Path) -> None:
    note = tmp_path / "recette-template.md"
    note.write_bytes(BASE.replace(WOK, WOK + b"  - #cuisine/[origine]\n"))
    runner = CliRunner()
    result = runner.invoke(main, ["fix", "--unsafe-fixes", str(note)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert b'  - "#cuisine/[origine]"\n' in note.read_bytes()
