"""Every output format on one small vault checked by the real runner: exact output, reviewed by
hand in `tests/reporters/expected/`, the same bytes every time, and each format's structure."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import vaultlint
from tests.reporters.support import check, context, copy_vault, expected, render
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.reporters import REPORTERS, reporter
from vaultlint.reporters.json import finding_dict
from vaultlint.results import FileReport, Finding, RunReport

TEXT_FORMATS = [
    ("concise", "concise.txt"),
    ("full", "full.txt"),
    ("github", "github.txt"),
    ("json-lines", "json-lines.jsonl"),
    ("gitlab", "gitlab.json"),
    ("junit", "junit.xml"),
]
CI_FORMATS = ("full", "json-lines", "github", "gitlab", "sarif", "junit")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return copy_vault(tmp_path / "vault")


@pytest.fixture
def report(vault: Path) -> RunReport:
    return check(vault)


def test_every_ci_format_is_registered() -> None:
    for name in CI_FORMATS:
        assert name in REPORTERS
        assert callable(reporter(name).render)


def test_the_fixture_vault_gives_the_findings_the_expected_files_show(report: RunReport) -> None:
    # If a rule's wording changes, this says so before every exact-output test fails.
    assert [file.path for file in report.files] == [
        "Desserts d'été/Crème brûlée.md",
        "clean.md",
        "dirty.md",
    ]
    assert [(f.path, f.line, f.rule, f.severity) for f in report.findings] == [
        ("Desserts d'été/Crème brûlée.md", 6, "time-sum", Severity.ERROR),
        ("dirty.md", 2, "value-unknown", Severity.WARNING),
        ("dirty.md", 13, "tag-conflict", Severity.ERROR),
        ("dirty.md", 19, "tag-unknown", Severity.ERROR),
        ("dirty.md", 28, "heading-alias", Severity.ERROR),
    ]


@pytest.mark.parametrize(("name", "expected_file"), TEXT_FORMATS)
def test_format_prints_exactly_the_reviewed_output(
    name: str, expected_file: str, report: RunReport, vault: Path
) -> None:
    assert render(name, report, context(vault)) == expected(expected_file)


def test_sarif_prints_exactly_the_reviewed_log(report: RunReport, vault: Path) -> None:
    document = json.loads(render("sarif", report, context(vault)))
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    # The parts that follow the registry and the version are checked where they belong
    # (test_reporters_sarif.py); the rest must match the reviewed file exactly.
    rules = driver.pop("rules")
    assert driver["version"] == vaultlint.__version__
    driver["version"] = "(vaultlint.__version__)"
    for result in run["results"]:
        assert rules[result.pop("ruleIndex")]["id"] == result["ruleId"]
    assert document == json.loads(expected("sarif.json"))


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_same_input_gives_the_same_bytes(name: str, vault: Path) -> None:
    first = render(name, check(vault), context(vault))
    again = render(name, check(vault), context(vault))
    assert first.encode("utf-8") == again.encode("utf-8")


@pytest.mark.parametrize("name", CI_FORMATS)
def test_format_renders_a_clean_vault(name: str, tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "vault")
    for note in ("dirty.md", "Desserts d'été/Crème brûlée.md"):
        (vault / note).unlink()
    output = render(name, check(vault), context(vault))
    if name in ("full", "github"):
        assert output == "All checks passed! (1 note checked)\n"
    elif name == "json-lines":
        assert output == ""
    elif name == "gitlab":
        assert json.loads(output) == []
    elif name == "sarif":
        assert json.loads(output)["runs"][0]["results"] == []
    else:
        suite = ET.fromstring(output.encode("utf-8")).find("testsuite")
        assert suite is not None
        assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


# ------------------------------------------------------------------------------ json-lines


def test_json_lines_is_one_finding_per_line_and_nothing_else(
    report: RunReport, vault: Path
) -> None:
    output = render("json-lines", report, context(vault))
    lines = output.split("\n")
    assert lines[-1] == ""  # every line ends with a newline, the last one too
    assert [json.loads(line) for line in lines[:-1]] == [finding_dict(f) for f in report.findings]


# ----------------------------------------------------------------------------------- gitlab

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _gitlab(report: RunReport, vault: Path, environ: dict[str, str] | None = None) -> Any:
    output = render("gitlab", report, context(vault, environ))
    assert not output.startswith("\ufeff")
    assert not output.encode("utf-8").startswith(b"\xef\xbb\xbf")
    return json.loads(output)


def test_gitlab_issues_have_the_documented_fields(report: RunReport, vault: Path) -> None:
    issues = _gitlab(report, vault)
    assert isinstance(issues, list)
    assert len(issues) == len(report.findings)
    for issue, finding in zip(issues, report.findings, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["description"] == finding.message
        assert issue["check_name"] == finding.rule
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["severity"] == {"error": "major", "warning": "minor"}[finding.severity.value]
        int(issue["fingerprint"], 16)
        assert issue["location"]["path"] == finding.path
        assert not Path(issue["location"]["path"]).is_absolute()
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int)
        assert begin == finding.line
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_fingerprints_are_unique_even_for_identical_problems(tmp_path: Path) -> None:
    finding = _finding("a.md", 3, "same message")
    twins = RunReport((FileReport("a.md", (finding, finding)),))
    issues = _gitlab(twins, tmp_path)
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_paths_are_relative_to_ci_project_dir(tmp_path: Path) -> None:
    project = tmp_path / "project"
    vault = copy_vault(project / "notes")
    report = check(vault)
    issues = _gitlab(report, vault, {"CI_PROJECT_DIR": str(project)})
    assert [issue["location"]["path"] for issue in issues] == [
        "notes/Desserts d'été/Crème brûlée.md",
        "notes/dirty.md",
        "notes/dirty.md",
        "notes/dirty.md",
        "notes/dirty.md",
    ]


def test_gitlab_paths_outside_ci_project_dir_are_kept(report: RunReport, vault: Path) -> None:
    issues = _gitlab(report, vault, {"CI_PROJECT_DIR": str(vault / "elsewhere")})
    assert [issue["location"]["path"] for issue in issues] == [f.path for f in report.findings]


def test_gitlab_project_dir_may_be_named_through_a_symbolic_link(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "real" / "notes")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    issues = _gitlab(check(vault), vault, {"CI_PROJECT_DIR": str(tmp_path / "link")})
    assert issues[0]["location"]["path"] == "notes/Desserts d'été/Crème brûlée.md"


# ------------------------------------------------------------------------------------ junit


def test_junit_has_one_test_case_per_note_and_one_failure_per_finding(
    report: RunReport, vault: Path
) -> None:
    output = render("junit", report, context(vault))
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(output.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "vaultlint"
    assert suite.get("tests") == "3"
    assert suite.get("failures") == "2"  # notes with findings; the clean one passes
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [file.path for file in report.files]
    for case, file in zip(cases, report.files, strict=True):
        assert case.get("classname") == "vaultlint"
        failures = case.findall("failure")
        assert len(failures) == len(file.findings)
        for failure, finding in zip(failures, file.findings, strict=True):
            assert failure.get("type") == finding.rule
            assert failure.get("message") == finding.message
            location = f"{finding.path}:{finding.line}:{finding.column}:"
            assert failure.text == f"{location} {finding.severity.value} {finding.rule} " + (
                finding.message
            )
    assert [len(case) for case in cases] == [1, 0, 4]


def test_junit_escapes_markup_and_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    message = 'a <b> & "c" \x00\x1b\r\n end'
    report = RunReport((FileReport("<a&b>.md", (_finding("<a&b>.md", 1, message),)),))
    output = render("junit", report, context(tmp_path))
    failure = ET.fromstring(output.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c" \\x00\\x1b\r\n end'
    assert failure.text is not None
    assert failure.text.startswith("<a&b>.md:1:1: error time-sum a <b> & ")


def _finding(path: str, line: int, message: str) -> Finding:
    return Finding(
        path, line, 1, line, 2, "time-sum", Severity.ERROR, message, Applicability.SAFE, "x"
    )
