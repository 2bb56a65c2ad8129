"""The `github` format: workflow commands escaped as actions/toolkit does (command.ts), paths
relative to the repository, the plain lines after the annotations, and no command smuggled in
through a note's name or values."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.reporters.support import check, context, copy_vault, render
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.reporters.github import escape_data, escape_property
from vaultlint.results import FileReport, Finding, RunReport


def _report(*findings: Finding) -> RunReport:
    paths = sorted({finding.path for finding in findings})
    return RunReport(
        tuple(FileReport(path, tuple(f for f in findings if f.path == path)) for path in paths)
    )


def _finding(
    path: str = "a.md",
    message: str = "m",
    severity: Severity = Severity.ERROR,
    rule: str = "time-sum",
) -> Finding:
    return Finding(path, 3, 5, 4, 2, rule, severity, message, None, "line")


def test_message_escapes_percent_cr_and_lf_and_properties_also_colon_and_comma(
    tmp_path: Path,
) -> None:
    finding = _finding("notes, misc/a:b%.md", "50% done\r\nthen: a, b")
    output = render("github", _report(finding), context(tmp_path))
    assert output == (
        "::error file=notes%2C misc/a%3Ab%25.md,line=3,col=5,endLine=4,endColumn=2,"
        "title=vaultlint (time-sum)::50%25 done%0D%0Athen: a, b\n"
        "notes, misc/a:b%.md:3:5: error time-sum 50% done\r\nthen: a, b\n"
        "Found 1 error and 0 warnings in 1 note.\n"
    )


def test_a_warning_is_a_warning_command(tmp_path: Path) -> None:
    output = render("github", _report(_finding(severity=Severity.WARNING)), context(tmp_path))
    assert output.splitlines()[0] == (
        "::warning file=a.md,line=3,col=5,endLine=4,endColumn=2,title=vaultlint (time-sum)::m"
    )


def test_annotations_come_first_then_every_plain_line_then_the_summary(tmp_path: Path) -> None:
    findings = [_finding(f"n{i:02}.md", f"problem {i}") for i in range(12)]
    output = render("github", _report(*findings), context(tmp_path))
    lines = output.splitlines()
    # More than GitHub shows as annotations (10 errors per step): the plain lines carry all.
    assert [line.startswith("::error ") for line in lines[:12]] == [True] * 12
    assert lines[12:24] == [f"n{i:02}.md:3:5: error time-sum problem {i}" for i in range(12)]
    assert lines[24:] == ["Found 12 errors and 0 warnings in 12 notes."]


def test_quiet_leaves_out_the_summary(tmp_path: Path) -> None:
    output = render("github", _report(_finding()), context(tmp_path, show_summary=False))
    assert output.splitlines()[1:] == ["a.md:3:5: error time-sum m"]


def test_paths_are_relative_to_github_workspace(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "repo" / "vault")
    output = render(
        "github", check(vault), context(vault, {"GITHUB_WORKSPACE": str(tmp_path / "repo")})
    )
    first = output.splitlines()[0]
    assert first.startswith("::error file=vault/Desserts d'été/Crème brûlée.md,line=6,col=14,")
    # The plain lines keep the path as the user typed it (relative to where vaultlint ran).
    assert "\nDesserts d'été/Crème brûlée.md:6:14: error time-sum " in output


def test_plain_lines_that_look_like_commands_are_fenced_off(tmp_path: Path) -> None:
    smuggled = _finding("::add-mask::x.md", "value\n::warning file=evil.md::pwned")
    output = render("github", _report(smuggled), context(tmp_path, show_summary=False))
    plain = "::add-mask::x.md:3:5: error time-sum value\n::warning file=evil.md::pwned\n"
    token = hashlib.sha256(plain.encode("utf-8")).hexdigest()
    assert output == (
        "::error file=%3A%3Aadd-mask%3A%3Ax.md,line=3,col=5,endLine=4,endColumn=2,"
        "title=vaultlint (time-sum)::value%0A::warning file=evil.md::pwned\n"
        f"::stop-commands::{token}\n{plain}::{token}::\n"
    )


def test_ordinary_plain_lines_are_not_fenced(tmp_path: Path) -> None:
    output = render("github", _report(_finding(message="a :: b")), context(tmp_path))
    assert "stop-commands" not in output


def _unescape_property(text: str) -> str:
    # The runner's order (actions/runner ActionCommand.cs): `%25` last.
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def _unescape_data(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


@given(st.text(alphabet=st.sampled_from("%:,\r\n0ADCa2 5")))
def test_escaping_round_trips_through_the_runner_unescaping(text: str) -> None:
    data, prop = escape_data(text), escape_property(text)
    assert not any(char in data for char in "\r\n")
    assert not any(char in prop for char in "\r\n:,")
    assert _unescape_data(data) == text
    assert _unescape_property(prop) == text


def test_fixable_marker_stays_in_the_plain_lines_only(tmp_path: Path) -> None:
    fixable = Finding("a.md", 1, 1, 1, 2, "time-sum", Severity.ERROR, "m", Applicability.SAFE, "")
    lines = render("github", _report(fixable), context(tmp_path)).splitlines()
    assert lines[0].endswith("::m")
    assert lines[1] == "a.md:1:1: error time-sum m [*]"
