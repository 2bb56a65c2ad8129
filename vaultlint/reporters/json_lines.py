"""One JSON object per finding per line (the `json` format's diagnostics), and nothing else.

Each line stands alone, so the output can be streamed, grepped and concatenated.
"""

from __future__ import annotations

import json
from typing import TextIO

from vaultlint.reporters import ReportContext
from vaultlint.reporters.json import finding_dict
from vaultlint.results import RunReport


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    for finding in report.findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False) + "\n")
