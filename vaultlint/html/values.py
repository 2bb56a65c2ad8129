"""How often each value of a closed-vocabulary field is used: where a vault's typos show up.

A field has a vocabulary when its schema gives it an `enum` (at the top level of the property,
through a local `$ref`, or on the items of a list) or `x-vaultlint.fields.<field>.known` values.
Every value the notes use is counted, allowed or not, so that `thai` stands beside `thaï`, with
the allowed value it is probably a typo of (`vaultlint.suggest`), or the note that two values
differ only in their Unicode form (NFD `thaï` beside NFC `thaï` look the same).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ENUM, KNOWN = "enum", "known values"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    field: str
    source: str  # ENUM or KNOWN
    allowed: tuple[Any, ...]
    items: bool  # the values are the items of a list

    def allows(self, value: Any) -> bool:
        return any(type(value) is type(a) and value == a for a in self.allowed)


@dataclass(frozen=True, slots=True)
class ValueCount:
    value: str  # as written: a string as is, anything else as JSON
    count: int
    allowed: bool
    hint: str | None  # for a value outside the vocabulary: what it probably means
    like: str | None  # and the allowed value (shown) it probably is a typo of


@dataclass(frozen=True, slots=True)
class Distribution:
    field: str
    source: str
    schema: str  # the schema's title (or file name), to tell vaults with several schemas apart
    notes: int  # notes checked against this schema
    missing: int  # of which without a value for the field
    values: tuple[ValueCount, ...]  # allowed values most used first, each followed by its typos

    @property
    def outside(self) -> int:
        return sum(1 for value in self.values if not value.allowed)


def vocabularies(document: dict[str, Any]) -> list[Vocabulary]:
    """The fields of a schema document that have a closed or known vocabulary, by name."""
    found: dict[str, Vocabulary] = {}
    properties = document.get("properties")
    for name, spec in (properties if isinstance(properties, dict) else {}).items():
        resolved = _resolve(spec, document)
        enum = resolved.get("enum")
        items = _resolve(resolved.get("items"), document)
        if isinstance(enum, list):
            found[name] = Vocabulary(name, ENUM, tuple(enum), items=False)
        elif isinstance(items.get("enum"), list):
            found[name] = Vocabulary(name, ENUM, tuple(items["enum"]), items=True)
    extension = document.get("x-vaultlint")
    fields = extension.get("fields", {}) if isinstance(extension, dict) else {}
    for name, spec in fields.items():
        if name not in found and isinstance(spec, dict) and isinstance(spec.get("known"), list):
            found[name] = Vocabulary(name, KNOWN, tuple(spec["known"]), items=False)
    return [found[name] for name in sorted(found)]


def _resolve(spec: Any, document: dict[str, Any]) -> dict[str, Any]:
    """A subschema, following one local `$ref` (`#/$defs/minutes`)."""
    if not isinstance(spec, dict):
        return {}
    reference = spec.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        target: Any = document
        for escaped in reference[2:].split("/"):
            part = escaped.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        return target if isinstance(target, dict) else {}
    return spec


def _shown(value: Any) -> str:
    """A string as is, unless it would read as another value (`"1"`, `"true"`, `""`); the rest
    as JSON."""
    if isinstance(value, str) and value.strip() and not _reads_as_json(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def hint_for(value: Any, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """What a value outside the vocabulary probably means, in a few words, and that value."""
    if not isinstance(value, str):
        return None
    allowed = [a for a in vocabulary.allowed if isinstance(a, str)]
    composed = unicodedata.normalize("NFC", value)
    if composed != value and composed in allowed:
        return f"the letters of “{composed}” in another Unicode form (NFD)", composed
    from vaultlint.suggest import suggest

    suggestion = suggest(value, allowed)
    if suggestion is None:
        return None
    return f"probably “{suggestion.value}”", suggestion.value


def _ordered(counted: list[ValueCount], unused: list[ValueCount]) -> tuple[ValueCount, ...]:
    """Allowed values, most used first, each followed by the typos of it (`thai` after `thaï`);
    then the values outside that resemble none; then the allowed values never used."""
    near: dict[str, list[ValueCount]] = {}
    for value in counted:
        if value.like is not None:
            near.setdefault(value.like, []).append(value)
    allowed = {value.value for value in [*counted, *unused] if value.allowed}
    ordered: list[ValueCount] = []
    for value in counted:
        if value.allowed:
            ordered += [value, *near.get(value.value, [])]
    ordered += [v for v in counted if not v.allowed and (v.like is None or v.like not in allowed)]
    for value in unused:
        ordered += [value, *near.get(value.value, [])]
    return tuple(ordered)


@dataclass
class _FieldTally:
    vocabulary: Vocabulary
    schema: str
    notes: int = 0
    missing: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, Any] = field(default_factory=dict)  # shown form -> a value read


class ValueTally:
    """Counts, note by note, the values of every field that a note's schema gives a vocabulary."""

    def __init__(self) -> None:
        self._fields: dict[tuple[str, str], _FieldTally] = {}
        self._vocabularies: dict[int, tuple[str, list[Vocabulary]]] = {}

    def add(self, schema_key: str, document: dict[str, Any], data: dict[str, Any] | None) -> None:
        """One note checked against `document` (named `schema_key`), with its frontmatter data."""
        cached = self._vocabularies.get(id(document))
        if cached is None:
            cached = (schema_key, vocabularies(document))
            self._vocabularies[id(document)] = cached
        for vocabulary in cached[1]:
            key = (schema_key, vocabulary.field)
            tally = self._fields.setdefault(key, _FieldTally(vocabulary, schema_key))
            tally.notes += 1
            value = data.get(vocabulary.field) if data is not None else None
            if value is None or value in ([], ""):
                tally.missing += 1
                continue
            values = value if vocabulary.items and isinstance(value, list) else [value]
            for item in values:
                shown = _shown(item)
                tally.counts[shown] += 1
                tally.first.setdefault(shown, item)

    def distributions(self) -> list[Distribution]:
        found = []
        for (schema_key, name), tally in sorted(self._fields.items()):
            vocabulary = tally.vocabulary
            counted = []
            for shown, count in sorted(tally.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                value = tally.first[shown]
                if vocabulary.allows(value):
                    counted.append(ValueCount(shown, count, allowed=True, hint=None, like=None))
                    continue
                hint = hint_for(value, vocabulary)
                counted.append(
                    ValueCount(
                        shown,
                        count,
                        allowed=False,
                        hint=hint[0] if hint else None,
                        like=_shown(hint[1]) if hint else None,
                    )
                )
            unused = [
                ValueCount(_shown(a), 0, allowed=True, hint=None, like=None)
                for a in vocabulary.allowed
                if _shown(a) not in tally.counts
            ]
            found.append(
                Distribution(
                    name,
                    vocabulary.source,
                    schema_key,
                    tally.notes,
                    tally.missing,
                    _ordered(counted, unused),
                )
            )
        return found
