"""JUnit XML: one test case per checked note, one `<failure>` per finding in it.

    <testsuites name="vaultlint" tests="2" failures="1">
      <testsuite name="vaultlint" tests="2" failures="1">
        <testcase classname="vaultlint" name="a.md" file="a.md">
          <failure message="..." type="time-sum">a.md:6:14: error time-sum ...</failure>
        </testcase>
        <testcase classname="vaultlint" name="b.md" file="b.md" />

A clean note is a passing test case, so CI dashboards count the notes checked. `tests` counts
notes and `failures` notes with findings (a test case fails once however many findings it has).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from vaultlint.reporters import ReportContext
from vaultlint.reporters.concise import finding_line
from vaultlint.results import RunReport

NAME = "vaultlint"
# Characters XML 1.0 cannot hold at all, even escaped (ElementTree would write them as they are).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    failing = sum(1 for file in report.files if file.findings)
    counts = {"tests": str(len(report.files)), "failures": str(failing)}
    root = ET.Element("testsuites", {"name": NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": NAME, **counts})
    for file in report.files:
        name = _xml_text(file.path)
        case = ET.SubElement(suite, "testcase", {"classname": NAME, "name": name, "file": name})
        for finding in file.findings:
            attributes = {"message": _xml_text(finding.message), "type": finding.rule}
            failure = ET.SubElement(case, "failure", attributes)
            failure.text = _xml_text(finding_line(finding, marker=False))
    ET.indent(root)
    # Written by hand: ElementTree would declare the locale's encoding for a text stream.
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode") + "\n")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
