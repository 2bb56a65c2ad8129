"""A message is one line: a value holding a line break is shown with `\\n` (issue #12, §3)."""

from __future__ import annotations

from tests.conftest import lint_bytes

NOTE = """---
cuisine: |-
  thaï
  rouge
type: "plat\\nprincipal"
temps_prep: 20
temps_cuisson: 25
temps_total: "4\\n0"
portions: 4
difficulté: "débutant\\r\\n"
protéine: "porc\\nou poulet"
source: YouTube
date_ajout: "2025-10-12\\n"
tags:
  - "#cuisine/thaï\\nrouge"
  - "Type/Plat\\nprincipal"
  - "#occasion/festif,\\n#occasion/weekend"
  - "#saveur/a\\nb"
  - "#saveur/a\\nb"
---

# Pad thaï
"""


def test_no_message_of_any_rule_holds_a_line_break() -> None:
    diagnostics = lint_bytes(NOTE.encode()).diagnostics
    assert len({d.rule for d in diagnostics}) >= 6
    broken = [d.message for d in diagnostics if "\n" in d.message or "\r" in d.message]
    assert broken == []
