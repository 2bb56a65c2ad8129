"""A fix is a promise (issue #12): it introduces no problem, a refused fix is a notice and not a
crash, a note whose YAML cannot be read gets no fix, and `check` promises only what `fix` does.

These tests break the rules on purpose (a rule made reckless by monkeypatching) or use the notes
that broke the promise on the real vault. `heading-alias` is left out where the note's headings
are not what the test is about, so that the tests hold whichever section names the bundled
schema calls canonical.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke
from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix
from vaultlint.note import Note
from vaultlint.rules import RULES, tag_missing
from vaultlint.rules.base import RuleContext

NOT_HEADINGS = ("--ignore", "heading-alias")


def _reckless_tag_missing(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    """tag-missing as it was on the real vault: it also asks for a tag the vocabulary rejects."""
    yield from ORIGINAL_TAG_MISSING(note, ctx)
    if b"#saveur/amer" in note.raw:
        return
    at = note.raw.index(b'  - "#cuisine/')
    edit = Edit(at, at, b'  - "#saveur/amer"\n')
    fix = Fix("add #saveur/amer", (edit,), Applicability.SAFE, frozenset({"tags"}))
    yield Diagnostic(
        "tag-missing", 'missing tag "#saveur/amer"', at, at, tag_missing.DEFAULT_SEVERITY, fix
    )


ORIGINAL_TAG_MISSING = tag_missing.check


def test_a_fix_that_would_introduce_a_finding_is_withheld_and_the_others_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RULES["tag-missing"], "check", _reckless_tag_missing)
    note = tmp_path / "a.md"
    before = clean_note(**{"temps_total: 230": "temps_total: 200"})
    note.write_bytes(before)
    code, out, err = invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert err == (
        "vaultlint: a.md: not fixed: tag-missing (add #saveur/amer) would introduce "
        "tag-unknown (saveur/amer)\n"
    )
    fixed = note.read_bytes()
    assert b"saveur/amer" not in fixed
    assert fixed == before.replace(b"temps_total: 200", b"temps_total: 230")  # time-sum applied
    assert "Fixed 1 problem in a.md (time-sum)" in out


def test_check_does_not_promise_a_fix_that_fix_withholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RULES["tag-missing"], "check", _reckless_tag_missing)
    (tmp_path / "a.md").write_bytes(clean_note())
    code, out, _ = invoke("check", "--no-cache", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert 'tag-missing missing tag "#saveur/amer"\n' in out  # reported, without [*]
    assert "fixable" not in out


def test_a_bom_turned_to_mojibake_is_reported_without_a_fix_and_fix_says_why(
    tmp_path: Path,
) -> None:
    # The BOM's bytes, read as Mac Roman and saved again as UTF-8: re-decoding gives back a BOM,
    # which the fixer does not write (it keeps the note's own BOM or its absence).
    text = clean_note().decode("utf-8")
    misread = ("\ufeff" + text).encode("utf-8").decode("mac_roman").encode("utf-8")
    note = tmp_path / "a.md"
    note.write_bytes(misread)
    code, out, _ = invoke("check", "--no-cache", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert "error mojibake" in out
    assert "[*]" not in out
    code, _, err = invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert err == (
        "vaultlint: a.md: not fixed: mojibake (re-decode the note from Mac Roman) failed "
        "verification: the fix changed the byte order mark\n"
    )
    assert note.read_bytes() == misread


def test_no_yaml_no_fix_not_even_in_the_body(tmp_path: Path) -> None:
    raw = clean_note(**{"portions: 6\n": "portions: 6\nportions: 6\n", "## Steps": "### Steps"})
    note = tmp_path / "a.md"
    note.write_bytes(raw)
    code, out, _ = invoke("check", "--no-cache", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert "frontmatter-syntax" in out
    assert "heading-level" in out
    assert "[*]" not in out
    code, _, _ = invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert note.read_bytes() == raw


def test_a_note_saved_in_nfd_gets_one_finding_and_is_fixed_to_nfc(tmp_path: Path) -> None:
    proper = clean_note()
    note = tmp_path / "a.md"
    note.write_bytes(unicodedata.normalize("NFD", proper.decode("utf-8")).encode("utf-8"))
    code, out, _ = invoke("check", "--no-cache", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert out.startswith("a.md:2:1: error unicode-normalization the note is not in Unicode NFC: ")
    assert out.count("\n") == 3  # the finding, the summary and the fixable line: nothing else
    code, _, _ = invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert note.read_bytes() == proper
    assert invoke("check", "--no-cache", *NOT_HEADINGS, "a.md", cwd=tmp_path)[0] == 0


def test_the_withheld_fix_is_not_offered_in_what_remains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RULES["tag-missing"], "check", _reckless_tag_missing)
    (tmp_path / "a.md").write_bytes(clean_note())
    code, out, _ = invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    assert code == 1
    assert 'missing tag "#saveur/amer"\n' in out
    assert "[*]" not in out


def test_a_reckless_fix_never_reaches_the_disk_whatever_else_the_note_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reckless_everywhere(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
        for diagnostic in ORIGINAL_TAG_MISSING(note, ctx):
            yield dataclasses.replace(diagnostic, fix=None)
        yield from list(_reckless_tag_missing(note, ctx))[-1:]

    monkeypatch.setattr(RULES["tag-missing"], "check", reckless_everywhere)
    note = tmp_path / "a.md"
    raw = clean_note(
        **{
            "temps_total: 230": "temps_total: 200",
            "difficulté: intermédiaire": "difficulté: Intermédiaire",
        }
    )
    note.write_bytes(raw)
    invoke("fix", *NOT_HEADINGS, "a.md", cwd=tmp_path)
    fixed = note.read_bytes()
    assert b"saveur/amer" not in fixed
    assert b"temps_total: 230" in fixed


def test_fixes_that_break_the_promise_only_together_are_withheld_as_few_as_can_be() -> None:
    # Each split adds tags; together they pass the ten tags the vault wants (tag-count). No
    # single fix is to blame: the fixer keeps, in order, what introduces nothing, and the
    # repeated tag is still removed. (Found by hypothesis in tests/test_tag_fix_properties.py.)
    from tests.conftest import fix_bytes, lint_bytes

    raw = (
        "---\ncuisine: thaï\ntype: plat-principal\ntemps_prep: 20\ntemps_cuisson: 25\n"
        "temps_total: 45\nportions: 4\ndifficulté: débutant\nprotéine: poulet\n"
        "source: YouTube\ndate_ajout: 2025-10-12\n"
        'tags: ["#cuisine/thaï", "#cuisine/thaï, #type/plat-principal", "#temps/long, '
        '#cuisson/wok", "#cuisine/thaï", "#protéine/poulet", "#protéine/porc", '
        '"#protéine/veau, #temps/moyen", "#temps/préparation-avance, #occasion/festif", '
        '"#type/dessert"]\n---\n\n# Pad thaï\n\n## Informations rapides\n\nx\n\n'
        "## Ingredients\n\n- riz\n\n## Steps\n\n1. cuire\n\n## Source\n\nYouTube\n"
    ).encode()
    outcome = fix_bytes(raw, unsafe=True)
    tags_line = next(line for line in outcome.fixed.split(b"\n") if line.startswith(b"tags: ["))
    assert tags_line.count('"#cuisine/thaï"'.encode()) == 1  # the repeat is gone
    assert ("tag-duplicate", "remove the second #cuisine/thaï") in [
        (rule, fix.title) for rule, fix in outcome.applied
    ]
    assert outcome.withheld  # what passes the most tags is left out, and says so
    before = {(d.rule, d.message) for d in lint_bytes(raw).diagnostics}
    assert all(
        d.rule != "tag-count" or (d.rule, d.message) in before
        for d in lint_bytes(outcome.fixed).diagnostics
    )
