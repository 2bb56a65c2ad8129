"""Every rule's ID, in the registry's order, known without importing the rules.

Importing `vaultlint.rules` loads every rule and what they use (PyYAML, the schema library):
a warm `check` that reads its findings from the cache must not pay for that just to validate
`--select` and `--ignore`, or to tell that the vault rules are turned off. A test holds these
equal to `rules.RULES` and `rules.VAULT_RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vaultlint.diagnostic import Severity
from vaultlint.errors import UsageError

RULE_IDS = (
    "file", "limit", "encoding", "mojibake", "unicode-normalization", "frontmatter-missing",
    "frontmatter-syntax", "schema", "time-sum", "tag-missing", "tag-conflict", "tag-format",
    "tag-unknown", "tag-duplicate", "tag-count", "value-unknown", "link-unquoted",
    "comment-truncation", "deprecated-key", "property-type", "title", "heading-missing",
    "heading-order", "heading-level", "heading-alias", "link-broken", "link-anchor",
    "duplicate-note", "file-name", "unused-suppression",
)  # fmt: skip
VAULT_RULE_IDS = frozenset({"link-broken", "link-anchor", "duplicate-note", "file-name"})
# Vault rules of names: a note's findings depend on its path, whether it can be read, and the
# vault's files named as the note but for case, never on another note's content. When they are
# the only vault rules that run, a run given a few notes reads no other note and lists only the
# folders on the way to them (`graph/phase.py`); a test holds each one to this.
NAME_RULE_IDS = frozenset({"file-name"})
_SEVERITY_NAMES = {"error": Severity.ERROR, "warning": Severity.WARNING}


def check_rule_ids(rule_ids: Iterable[str]) -> None:
    for rule in rule_ids:
        if rule not in RULE_IDS:
            known = ", ".join(RULE_IDS)
            raise UsageError(f"unknown rule {rule!r} (known rules: {known})")


@dataclass(frozen=True, slots=True)
class RuleChoice:
    """Which rules run and at which severity, worked out from the rule IDs alone.

    `engine.RuleSelection` is built from one (adding the rules' options), so the two never
    disagree; a warm run that needs only this (which vault rules run on a note, what severity a
    cached finding gets) imports no rule.
    """

    enabled: tuple[str, ...]  # rule IDs in registry order
    severities: Mapping[str, Severity]  # overrides of the rules' own severities


def choose_rules(
    select: Iterable[str] | None, ignore: Iterable[str], severity: Mapping[str, str]
) -> RuleChoice:
    """The rules `select` names (all when None), less those ignored or set to "off"."""
    selected = set(select) if select is not None else set(RULE_IDS)
    ignored = set(ignore) | {rule for rule, level in severity.items() if level == "off"}
    check_rule_ids((*selected, *ignored, *severity))
    enabled = tuple(rule for rule in RULE_IDS if rule in selected and rule not in ignored)
    levels = {rule: _SEVERITY_NAMES[level] for rule, level in severity.items() if level != "off"}
    return RuleChoice(enabled, levels)
