"""`vaultlint rules [ID]`: the rules with their severity and fixability, or one rule's docs."""

from __future__ import annotations

import inspect
from typing import TextIO

from vaultlint.errors import UsageError
from vaultlint.rules import RULES


def list_rules(out: TextIO) -> int:
    width = max(len(rule_id) for rule_id in RULES)
    out.write(f"{'ID'.ljust(width)}  SEVERITY  FIX        SUMMARY\n")
    for rule_id, rule in RULES.items():
        severity = rule.DEFAULT_SEVERITY.value.ljust(8)
        fix = rule.FIX.value.ljust(9)
        out.write(f"{rule_id.ljust(width)}  {severity}  {fix}  {rule.SUMMARY}\n")
    return 0


def explain_rule(rule_id: str, out: TextIO) -> int:
    rule = RULES.get(rule_id)
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r}; `vaultlint rules` lists them")
    out.write(f"{rule_id} ({rule.DEFAULT_SEVERITY.value}, fix: {rule.FIX.value})\n\n")
    out.write(inspect.cleandoc(rule.__doc__ or rule.SUMMARY) + "\n")
    return 0
