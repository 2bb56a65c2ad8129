"""The `sarif` format: valid against the official SARIF 2.1.0 schema (read, never retyped), and
holding what GitHub code scanning requires on top of it."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from tests.reporters.support import check, context, copy_vault, render
from vaultlint.diagnostic import Severity
from vaultlint.reporters.paths import uri_reference
from vaultlint.reporters.sarif import pascal_case
from vaultlint.results import FileReport, Finding, RunReport
from vaultlint.rules import RULES

# The OASIS schema, copied byte for byte into the shared folder beside the repository
# (/work/shared/schemas/SOURCES.md says from where).
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-2.1.0.json"


def _official_schema() -> Any:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent: the official SARIF 2.1.0 schema is needed to validate")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _sarif(report: RunReport, cwd: Path, environ: dict[str, str] | None = None) -> Any:
    return json.loads(render("sarif", report, context(cwd, environ)))


def _assert_valid(document: Any) -> None:
    validator = jsonschema_rs.validator_for(_official_schema(), validate_formats=True)
    errors = [
        f"{error.instance_path}: {error.message}" for error in validator.iter_errors(document)
    ]
    assert errors == []


def _assert_uri_references(document: Any) -> None:
    # The schema says `format: uri-reference`, a format draft-04 validators do not know (it came
    # with draft-06), so the validation above does not check it: check it under draft-07.
    uri_reference_format = jsonschema_rs.validator_for(
        {"$schema": "http://json-schema.org/draft-07/schema#", "format": "uri-reference"},
        validate_formats=True,
    )
    for result in document["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri_reference_format.is_valid(uri), uri


def _strings(value: Any, where: str = "$") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, key
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _edge_report() -> RunReport:
    """Findings at the edges: a point, a span over lines, an absolute path, odd characters."""
    findings = (
        Finding("/abs/Ma note.md", 1, 1, 1, 1, "file", Severity.ERROR, "m", None, ""),
        Finding("a:b #1?.md", 2, 3, 5, 1, "schema", Severity.WARNING, "x", None, "  y"),
        Finding("z.md", 1, 1, 1, 2, "not-a-registered-rule", Severity.ERROR, "n", None, "z"),
    )
    return RunReport(tuple(FileReport(f.path, (f,)) for f in findings))


def test_the_log_declares_the_official_schema_it_follows(tmp_path: Path) -> None:
    document = _sarif(RunReport(()), tmp_path)
    assert document["$schema"] == _official_schema()["id"]
    assert document["version"] == "2.1.0"


def test_the_vault_log_is_valid_sarif(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "vault")
    _assert_valid(_sarif(check(vault), vault))


def test_edge_findings_give_valid_sarif(tmp_path: Path) -> None:
    _assert_valid(_sarif(_edge_report(), tmp_path))


def test_an_empty_run_is_valid_sarif(tmp_path: Path) -> None:
    _assert_valid(_sarif(RunReport(()), tmp_path))


@pytest.mark.parametrize("edge", [False, True])
def test_github_requirements_hold(edge: bool, tmp_path: Path) -> None:
    if edge:
        document = _sarif(_edge_report(), tmp_path)
    else:
        vault = copy_vault(tmp_path / "vault")
        document = _sarif(check(vault), vault)
    assert [where for where, text in _strings(document) if not text] == []
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vaultlint"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"]
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        assert result["partialFingerprints"]["vaultlint/v1"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"]
        region = location["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
    _assert_uri_references(document)
    fingerprints = [result["partialFingerprints"]["vaultlint/v1"] for result in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_driver_describes_every_registered_rule(tmp_path: Path) -> None:
    driver = _sarif(RunReport(()), tmp_path)["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for descriptor, (rule_id, rule) in zip(driver["rules"], RULES.items(), strict=True):
        documentation = inspect.cleandoc(rule.__doc__ or "")
        assert descriptor["name"] == pascal_case(rule_id)
        assert descriptor["name"] != rule_id
        assert descriptor["shortDescription"] == {"text": rule.SUMMARY}
        assert descriptor["help"] == {"text": documentation}
        assert descriptor["defaultConfiguration"] == {"level": rule.DEFAULT_SEVERITY.value}
        full = descriptor["fullDescription"]["text"]
        assert "\n" not in full
        assert " ".join(documentation.split()).startswith(full)
    time_sum = driver["rules"][list(RULES).index("time-sum")]
    assert time_sum["name"] == "TimeSum"
    assert time_sum["fullDescription"] == {
        "text": "A total time that does not add up from its parts."
    }


def test_a_rule_outside_the_registry_is_still_described(tmp_path: Path) -> None:
    run = _sarif(_edge_report(), tmp_path)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert rules[-1] == {
        "id": "not-a-registered-rule",
        "name": "NotARegisteredRule",
        "shortDescription": {"text": "not-a-registered-rule"},
        "fullDescription": {"text": "not-a-registered-rule"},
        "help": {"text": "not-a-registered-rule"},
    }
    assert run["results"][2]["ruleIndex"] == len(rules) - 1


def test_uris_are_percent_encoded_references() -> None:
    assert uri_reference("Desserts d'été/Crème.md") == "Desserts%20d%27%C3%A9t%C3%A9/Cr%C3%A8me.md"
    # A colon in the first segment would read as a URI scheme; `#` and `?` as fragment, query.
    assert uri_reference("a:b #1?.md") == "a%3Ab%20%231%3F.md"
    assert uri_reference("/abs/Ma note.md") == "file:///abs/Ma%20note.md"
    assert uri_reference("100%.md") == "100%25.md"


def test_uris_are_relative_to_github_workspace(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path / "repo" / "my vault")
    document = _sarif(check(vault), vault, {"GITHUB_WORKSPACE": str(tmp_path / "repo")})
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
    ]
    assert uris[0] == "my%20vault/Desserts%20d%27%C3%A9t%C3%A9/Cr%C3%A8me%20br%C3%BBl%C3%A9e.md"
    assert uris[1:] == ["my%20vault/dirty.md"] * 4
