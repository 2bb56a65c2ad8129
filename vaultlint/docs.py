"""Where each rule's documentation lives, for the JSON report's `url` and the editor's links.

One place, so that a move of the documentation is one change. The README's rules table is the
reference, and `vaultlint rules ID` prints a rule's full explanation.
"""

from __future__ import annotations

RULES_URL = "https://github.com/vaultlint/vaultlint#rules"


def rule_url(rule_id: str) -> str:
    """The documentation of `rule_id`: the README's rules table, which has a row per rule (a
    page per rule would get its own address here)."""
    del rule_id  # every rule is documented in the one table, for now
    return RULES_URL
