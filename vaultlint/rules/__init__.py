"""The one registry of rules, in the order the engine runs them (mojibake first).

Each value is a module; mypy checks every module against the `Rule` protocol here.
"""

from __future__ import annotations

from vaultlint.rules import (
    comment_truncation,
    deprecated_key,
    duplicate_note,
    encoding,
    file,
    file_name,
    frontmatter_missing,
    frontmatter_syntax,
    heading_alias,
    heading_level,
    heading_missing,
    heading_order,
    limit,
    link_anchor,
    link_broken,
    link_unquoted,
    mojibake,
    property_type,
    schema,
    tag_conflict,
    tag_count,
    tag_duplicate,
    tag_format,
    tag_missing,
    tag_unknown,
    time_sum,
    title,
    unicode_normalization,
    unused_suppression,
    value_unknown,
)
from vaultlint.rules.base import Rule, VaultRule

_MODULES: tuple[Rule, ...] = (
    file,
    limit,
    encoding,
    mojibake,
    unicode_normalization,
    frontmatter_missing,
    frontmatter_syntax,
    schema,
    time_sum,
    tag_missing,
    tag_conflict,
    tag_format,
    tag_unknown,
    tag_duplicate,
    tag_count,
    value_unknown,
    link_unquoted,
    comment_truncation,
    deprecated_key,
    property_type,
    title,
    heading_missing,
    heading_order,
    heading_level,
    heading_alias,
    link_broken,
    link_anchor,
    duplicate_note,
    file_name,
    unused_suppression,
)

RULES: dict[str, Rule] = {module.ID: module for module in _MODULES}

# Rules about the vault as a whole, run once every note's facts are known (phase 2).
_VAULT_MODULES: tuple[VaultRule, ...] = (link_broken, link_anchor, duplicate_note, file_name)
VAULT_RULES: dict[str, VaultRule] = {module.ID: module for module in _VAULT_MODULES}

# Rules that read the raw note and run before the mojibake repair is applied.
PRE_REPAIR = ("file", "limit", "encoding", "mojibake")
