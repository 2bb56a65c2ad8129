"""Every rule's ID, in the registry's order, known without importing the rules.

Importing `vaultlint.rules` loads every rule and what they use (PyYAML, the schema library):
a warm `check` that reads its findings from the cache must not pay for that just to validate
`--select` and `--ignore`, or to tell that the vault rules are turned off. A test holds these
equal to `rules.RULES` and `rules.VAULT_RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def check_rule_ids(rule_ids: Iterable[str]) -> None:
    for rule in rule_ids:
        if rule not in RULE_IDS:
            known = ", ".join(RULE_IDS)
            raise UsageError(f"unknown rule {rule!r} (known rules: {known})")
