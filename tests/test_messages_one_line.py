"""A message never holds a raw line break (issue #12 §3): one line per finding, whatever the note.

Every reporter prints a finding on one line (text, GitHub annotations, JSON lines readers): a
message quoting a key, a value or a heading that holds a line break would forge a second line.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import lint_bytes
from tests.test_cli import clean_note
from vaultlint.diagnostic import Diagnostic, Severity

# Everything `str.splitlines` breaks a line at.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# (what to replace in the clean note, what with): each puts a line break where a rule quotes it.
BROKEN_NOTES = {
    "a key with a line break": ("temps_total: 230", '"temps\\ntotal": 230'),
    "an enum value": ("type: plat-principal", 'type: "plat\\nprincipal"'),
    "an open value": ("cuisine: américaine", 'cuisine: "améri\\r\\ncaine"'),
    "a required field's value": ("difficulté: intermédiaire", 'difficulté: "inter\\u2028médiaire"'),
    "a tag": ('  - "#cuisine/américaine"', '  - "#cuisine/améri\\ncaine"'),
    "a tag without its prefix": ('  - "#occasion/festif"', '  - "occasion/\\nfestif"'),
    "a tag namespace": ('  - "#occasion/festif"', '  - "#occa\\nsion/festif"'),
    "a time": ("temps_total: 230", 'temps_total: "2\\n30"'),
    "a truncated value's key": ("source: Instagram", '"sour\\nce": Recette #3'),
    "a truncated list item": (
        "source: Instagram",
        'source: Instagram\naliases:\n  - "a\\nb"\n  - Pad #2',
    ),
    "a setext heading over two lines": ("## Steps\n", "Notes\npersonnelles\n===\n\n## Steps\n"),
    "a heading with a vertical tab": ("## Steps\n", "## Steps\x0bbis\n\n### Steps\x0b\n"),
    "a section heading ending in CRs": ("## Steps\n", "### Steps\r\r\n\n## Steps\n"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_NOTES))
def test_no_message_holds_a_line_break(case: str) -> None:
    old, new = BROKEN_NOTES[case]
    raw = clean_note(**{old: new})
    findings = lint_bytes(raw).findings("note.md")
    assert findings, f"{case}: the note must give findings for this test to mean anything"
    for finding in findings:
        assert not any(ch in finding.message for ch in LINE_BREAKS), (case, finding.message)
        assert len(finding.message.splitlines()) == 1


def test_a_line_break_in_a_message_is_written_as_its_escape() -> None:
    diagnostic = Diagnostic("x", 'value "a\nb\r\u2028c"', 0, 0, Severity.ERROR)
    assert diagnostic.message == 'value "a\\nb\\r\\u2028c"'


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(f"ab \\{LINE_BREAKS}"), max_size=20))
def test_any_message_is_one_line(message: str) -> None:
    escaped = Diagnostic("x", message, 0, 0, Severity.ERROR).message
    assert not any(ch in escaped for ch in LINE_BREAKS)
    assert escaped.count("\\") >= message.count("\\")  # nothing is lost, only escaped
