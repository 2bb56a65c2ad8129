"""Fingerprints (SARIF partialFingerprints, GitLab fingerprint, the coming baseline): the same
problem keeps its fingerprint when lines are added above it, different problems differ, and
identical problems in one note are told apart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.reporters.support import VAULT, check, context, copy_vault, expected, render
from vaultlint.diagnostic import Severity
from vaultlint.reporters.fingerprints import fingerprints
from vaultlint.results import Finding

# clean.md with: a total below its parts (frontmatter), `## Ingrédients` twice (two identical
# heading-alias problems, and a heading-order problem that cites the first one's line).
CLEAN = (VAULT / "clean.md").read_text(encoding="utf-8")
PROBLEMS = (
    CLEAN.replace("temps_total: 60", "temps_total: 50")
    .replace("## Ingredients", "## Ingrédients")
    .replace("## Source", "## Ingrédients\n\n## Source")
)


def _ten_lines_above_everything(note: str) -> str:
    """Ten YAML comments at the top of the frontmatter and ten lines atop the body."""
    comments = "".join(f"# comment {n}\n" for n in range(10))
    text = "".join(f"Une ligne de plus, la {n}e.\n" for n in range(10))
    edited = note.replace("---\n", "---\n" + comments, 1)
    return edited.replace("# Tarte tatin\n\n", "# Tarte tatin\n\n" + text, 1)


def _check_note(folder: Path, text: str, name: str = "note.md") -> list[Finding]:
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return check(folder).findings


def test_the_problem_note_has_the_findings_this_file_relies_on(tmp_path: Path) -> None:
    findings = _check_note(tmp_path / "a", PROBLEMS)
    assert [(f.rule, f.line) for f in findings] == [
        ("time-sum", 6),
        ("heading-alias", 27),
        ("heading-alias", 36),
        ("heading-order", 36),
    ]
    assert findings[3].message == 'section "Ingredients" appears twice (first on line 27)'


def test_fingerprints_survive_ten_lines_added_above(tmp_path: Path) -> None:
    before = _check_note(tmp_path / "before", PROBLEMS)
    after = _check_note(tmp_path / "after", _ten_lines_above_everything(PROBLEMS))
    assert [f.rule for f in after] == [f.rule for f in before]
    assert [f.line for f in after] == [16, 47, 56, 56]  # every problem moved ...
    assert after[3].message == 'section "Ingredients" appears twice (first on line 47)'
    assert fingerprints(after) == fingerprints(before)  # ... and kept its fingerprint


def test_identical_problems_in_one_note_get_distinct_fingerprints(tmp_path: Path) -> None:
    findings = _check_note(tmp_path / "a", PROBLEMS)
    first, second = findings[1], findings[2]
    assert (first.rule, first.message, first.line_text) == (
        second.rule,
        second.message,
        second.line_text,
    )
    prints = fingerprints(findings)
    assert prints[1] != prints[2]
    assert len(set(prints)) == len(prints)


def test_the_same_problem_in_two_notes_gets_two_fingerprints(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text(PROBLEMS, encoding="utf-8")
    prints = fingerprints(check(folder).findings)
    assert len(prints) == 8
    assert len(set(prints)) == 8


def test_a_different_problem_at_the_same_place_gets_another_fingerprint(tmp_path: Path) -> None:
    forty = _check_note(tmp_path / "a", PROBLEMS.replace("temps_total: 50", "temps_total: 40"))
    fifty = _check_note(tmp_path / "b", PROBLEMS)
    assert (forty[0].rule, forty[0].line) == (fifty[0].rule, fifty[0].line)
    assert fingerprints(forty)[0] != fingerprints(fifty)[0]
    assert fingerprints(forty)[1:] == fingerprints(fifty)[1:]


def test_reindenting_the_line_keeps_the_fingerprint() -> None:
    finding = Finding("a.md", 3, 5, 3, 9, "tag-format", Severity.ERROR, "m", None, "  - x")
    moved = Finding("a.md", 9, 3, 9, 7, "tag-format", Severity.ERROR, "m", None, "- x  ")
    assert fingerprints([finding]) == fingerprints([moved])


def test_fingerprints_follow_the_documented_definition(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "vault")
    findings = check(vault).findings
    occurrences: dict[tuple[str, str, str, str], int] = {}
    documented = []
    for f in findings:
        key = (f.rule, f.path, f.message, f.line_text.strip())
        occurrence = occurrences.get(key, 0)
        occurrences[key] = occurrence + 1
        data = json.dumps([*key, occurrence], ensure_ascii=False, separators=(",", ":"))
        documented.append(hashlib.sha256(data.encode("utf-8")).hexdigest())
    assert fingerprints(findings) == documented
    # The reviewed GitLab output pins them: a change breaks every stored baseline, and must be
    # deliberate (bump fingerprints.VERSION).
    gitlab = json.loads(expected("gitlab.json"))
    assert [issue["fingerprint"] for issue in gitlab] == documented
    assert render("gitlab", check(vault), context(vault)) == expected("gitlab.json")


_findings = st.builds(
    Finding,
    path=st.sampled_from(["a.md", "b.md"]),
    line=st.integers(1, 3),
    column=st.just(1),
    end_line=st.just(3),
    end_column=st.just(1),
    rule=st.sampled_from(["time-sum", "title"]),
    severity=st.sampled_from(Severity),
    message=st.sampled_from(["m", "n", "first on line 2", "first on line 3"]),
    fix=st.none(),
    line_text=st.sampled_from(["x", " x", "y"]),
)


@given(st.lists(_findings, max_size=12))
def test_fingerprints_are_unique_in_any_report(findings: list[Finding]) -> None:
    prints = fingerprints(findings)
    assert len(prints) == len(findings)
    assert len(set(prints)) == len(prints)
