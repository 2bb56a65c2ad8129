"""SARIF 2.1.0, as GitHub code scanning reads it: every rule described, every finding placed.

One run; `tool.driver.rules` lists every registered rule (id, a PascalCase `name`, the summary,
the docstring's first paragraph and the whole docstring as help); each result names its rule,
level, message, location (a URI reference relative to `GITHUB_WORKSPACE` when set and holding
the note, else relative to the current folder) and region, and carries a `partialFingerprints`
entry (see `fingerprints.py`) so that GitHub tracks it across commits. Columns count Unicode code
points, end exclusive (`columnKind: unicodeCodePoints`). GitHub rejects empty strings: none is
written.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from typing import Any, TextIO

import vaultlint
from vaultlint.reporters import ReportContext
from vaultlint.reporters.fingerprints import VERSION as FINGERPRINT_VERSION
from vaultlint.reporters.fingerprints import fingerprints
from vaultlint.reporters.paths import GITHUB_WORKSPACE, project_path, uri_reference
from vaultlint.results import Finding, RunReport
from vaultlint.rules import RULES
from vaultlint.rules.base import Rule

# The `id` of the official schema (OASIS SARIF 2.1.0 with Errata 01).
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/vaultlint/vaultlint"


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    json.dump(sarif_log(report, context), out, ensure_ascii=False, indent=2)
    out.write("\n")


def sarif_log(report: RunReport, context: ReportContext) -> dict[str, Any]:
    findings = [
        dataclasses.replace(finding, path=project_path(finding.path, context, GITHUB_WORKSPACE))
        for finding in report.findings
    ]
    rule_ids = list(RULES)
    rule_ids += sorted({finding.rule for finding in findings} - set(RULES))
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    results = [
        _result(finding, index[finding.rule], fingerprint)
        for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
    ]
    driver = {
        "name": "vaultlint",
        "version": vaultlint.__version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule_descriptor(rule_id, RULES.get(rule_id)) for rule_id in rule_ids],
    }
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _rule_descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    summary = rule.SUMMARY if rule is not None else rule_id
    documentation = inspect.cleandoc(rule.__doc__ or "") if rule is not None else ""
    documentation = documentation or summary
    first_paragraph = " ".join(documentation.split("\n\n", 1)[0].split())
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": pascal_case(rule_id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": first_paragraph},
        "help": {"text": documentation},
    }
    if rule is not None:
        descriptor["defaultConfiguration"] = {"level": rule.DEFAULT_SEVERITY.value}
    return descriptor


def pascal_case(rule_id: str) -> str:
    """`tag-missing` -> `TagMissing`: SARIF's friendly rule name, distinct from the id."""
    return "".join(word[:1].upper() + word[1:] for word in rule_id.split("-"))


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    location = {"artifactLocation": {"uri": uri_reference(finding.path)}, "region": region}
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": finding.message or finding.rule},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_VERSION: fingerprint},
    }
