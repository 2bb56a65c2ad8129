"""JSON output with fixes (issue #16): each diagnostic's `fix` (applicability, title, edits in
the line/column convention with their new text) and `url`, the other fields as they were."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.server.test_lsp_stdio import NOTE, SCHEMA
from tests.test_cli import clean_note, invoke

FIELDS = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "severity",
    "message",
    "fixable",
    "fix",
    "url",
]


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply a JSON fix's edits: 1-based lines, columns in characters, end exclusive."""
    lines = [*text.splitlines(keepends=True), ""]

    def offset(line: int, column: int) -> int:
        return sum(len(x) for x in lines[: line - 1]) + column - 1

    for edit in sorted(edits, key=lambda e: (e["line"], e["column"]), reverse=True):
        start = offset(edit["line"], edit["column"])
        end = offset(edit["end_line"], edit["end_column"])
        text = text[:start] + edit["content"] + text[end:]
    return text


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    return tmp_path


def diagnostics(vault: Path, *args: str) -> list[dict[str, Any]]:
    _, out, _ = invoke("check", "--output-format", "json", *args, cwd=vault)
    found: list[dict[str, Any]] = json.loads(out)["diagnostics"]
    return found


def test_a_safe_fix_has_its_edits_and_applying_them_is_what_fix_writes(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text(f"schema = {str(SCHEMA)!r}\n", encoding="utf-8")
    (vault / "curry.md").write_text(NOTE, encoding="utf-8")
    [diagnostic] = diagnostics(vault, "curry.md")
    assert list(diagnostic) == FIELDS
    assert diagnostic["fix"] == {
        "applicability": "safe",
        "title": "rename it Ingredients",
        "edits": [
            {"line": 7, "column": 4, "end_line": 7, "end_column": 15, "content": "Ingredients"}
        ],
    }
    assert diagnostic["url"].startswith("https://github.com/vaultlint/vaultlint")
    fixed = apply(NOTE, diagnostic["fix"]["edits"])
    assert invoke("fix", "curry.md", cwd=vault)[0] == 1
    assert fixed == (vault / "curry.md").read_text(encoding="utf-8")


def test_an_unsafe_fix_says_so_and_its_edits_are_what_unsafe_fixes_write(vault: Path) -> None:
    text = clean_note(**{'- "#occasion/festif"': "- #occasion/festif"}).decode()
    (vault / "n.md").write_text(text, encoding="utf-8")
    [diagnostic] = [d for d in diagnostics(vault, "n.md") if d["rule"] == "tag-format"]
    assert diagnostic["fixable"] is False
    assert diagnostic["fix"]["applicability"] == "unsafe"
    fixed = apply(text, diagnostic["fix"]["edits"])
    invoke("fix", "--unsafe-fixes", "--select", "tag-format", "n.md", cwd=vault)
    assert fixed == (vault / "n.md").read_text(encoding="utf-8")


def test_a_problem_without_a_fix_has_fix_null(vault: Path) -> None:
    (vault / "n.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    [diagnostic] = diagnostics(vault, "n.md")
    assert diagnostic["fix"] is None


def test_the_fix_edits_are_the_same_from_a_warm_cache(vault: Path) -> None:
    (vault / "n.md").write_bytes(clean_note(**{"temps_total: 230": "temps_total: 200"}))
    os.utime(vault / "n.md", (1_700_000_000, 1_700_000_000))  # old enough to be cached
    cold = diagnostics(vault, ".")
    assert (vault / ".vaultlint_cache").is_dir()
    warm = diagnostics(vault, ".")
    assert warm == cold
    assert cold[0]["fix"]["edits"][0]["content"] == "230"


def test_json_lines_carries_the_fix_too(vault: Path) -> None:
    (vault / "n.md").write_bytes(clean_note(**{"temps_total: 230": "temps_total: 200"}))
    _, out, _ = invoke("check", "--output-format", "json-lines", ".", cwd=vault)
    [line] = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert line["fix"]["edits"][0]["content"] == "230"


def test_fix_reports_the_remaining_unsafe_fix_with_edits_in_the_written_note(vault: Path) -> None:
    text = clean_note(
        **{'- "#occasion/festif"': "- #occasion/festif", "temps_total: 230": "temps_total: 200"}
    ).decode()
    (vault / "n.md").write_text(text, encoding="utf-8")
    code, out, _ = invoke("fix", "--output-format", "json", "n.md", cwd=vault)
    assert code == 1
    written = (vault / "n.md").read_text(encoding="utf-8")
    assert "temps_total: 230" in written  # the safe fix was applied
    [remaining] = json.loads(out)["diagnostics"]
    assert remaining["fix"]["applicability"] == "unsafe"
    assert "- #occasion/festif" not in apply(written, remaining["fix"]["edits"])


def test_details_come_from_the_settled_lint_only_when_two_fixes_share_a_finding() -> None:
    """The JSON report's lint again skips settling (a fix in memory) unless a finding's place,
    rule and message do not tell which of two fixes it has (fix_details.py)."""
    from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
    from vaultlint.engine import LintResult
    from vaultlint.fix_details import unambiguous_details_of
    from vaultlint.note import Note

    note = Note("n.md", b"---\na: 1\n---\n")

    def fixed(title: str, start: int = 4) -> Diagnostic:
        fix = Fix(title, (Edit(start, start + 1, b"b"),), Applicability.SAFE)
        return Diagnostic("schema", "bad key", start, start + 1, Severity.ERROR, fix)

    distinct = LintResult(note, (fixed("one"), fixed("two", start=7)))
    assert unambiguous_details_of(distinct, "n.md") is not None
    shared = LintResult(note, (fixed("one"), fixed("two")))
    assert unambiguous_details_of(shared, "n.md") is None
