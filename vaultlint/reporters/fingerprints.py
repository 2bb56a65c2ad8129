"""Stable identities for findings, for SARIF `partialFingerprints`, GitLab `fingerprint` and
(later) a baseline of accepted problems.

A fingerprint is the SHA-256 (hex) of the JSON array

    [rule, path, message, line text stripped, occurrence]

where `occurrence` counts, from 0 in report order, the earlier findings with the same first four
values. No line or column goes in, so a problem keeps its fingerprint when lines are added or
removed above it; the occurrence tells apart identical problems in one note (two equal headings),
so every fingerprint of a report is unique. A message that cites another line ("first on line
12") has the number replaced by `#` first, for the same reason.

Change any of this and every stored fingerprint changes: bump `VERSION` (the SARIF key) with it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from vaultlint.results import Finding

VERSION = "vaultlint/v1"
_LINE_REFERENCE = re.compile(r"\bline (\d+)")


def identity(finding: Finding) -> tuple[str, str, str, str]:
    """What makes two findings the same problem, wherever in the note it sits."""
    message = _LINE_REFERENCE.sub("line #", finding.message)
    return (finding.rule, finding.path, message, finding.line_text.strip())


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One hex fingerprint per finding, in order; unique within the list."""
    seen: dict[tuple[str, str, str, str], int] = {}
    result = []
    for finding in findings:
        key = identity(finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        data = json.dumps([*key, occurrence], ensure_ascii=False, separators=(",", ":"))
        # surrogatepass: a path from a non-UTF-8 file name still gets a fingerprint
        result.append(hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest())
    return result
