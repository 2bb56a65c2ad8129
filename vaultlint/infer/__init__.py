"""Infer a vault's schema from its notes: JSON Schema 2020-12 plus `x-vaultlint` (issue #13).

Only the notes with frontmatter teach (pages and broken notes say nothing of what a note is);
keys, values and headings are read in Unicode NFC. What the notes mostly agree on becomes a rule;
what few notes do is left out and named, in the schema's `description`s and in `Inferred.doubts`,
so that `check` reports it and a person reviews it. The thresholds are in `Thresholds`; the README
("Setting up a vault") says each decision in the user's words:

- fields (`values.py`): required in >= 90% of the notes; types, formats and minimums; spellings
  of one value (`variant_key`) are one value, the others typos; a value needs `support` notes or
  a folder of its own; an `enum` for slugs or values a tag namespace mirrors, else `known`;
  free text neither;
- tags (`tags.py`): style, namespaces with a level, field links, vocabularies, count, closed;
- time (`time.py`): total and parts, rest fields, the advance tag, the buckets and their bounds;
- sections (`sections.py`): names and order by majority, aliases by slot or close spelling
  with support (at most two), required in >= 90%; a replaced schema's aliases are kept.

The output is deterministic: the same notes give the same bytes.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from vaultlint.infer.common import (
    JSON,
    LISTED_MAX,
    SCHEMA_DIALECT,
    TAGS_FIELD,
    NoteSample,
    Thresholds,
    plural,
    sample_note,
)
from vaultlint.infer.duplicates import infer_duplicates
from vaultlint.infer.sections import infer_sections
from vaultlint.infer.tags import TagReading, infer_tags, mirrored_values, read_tags
from vaultlint.infer.time import infer_time
from vaultlint.infer.values import FieldValues, property_schema

__all__ = ["Inferred", "NoteSample", "Thresholds", "infer_schema", "sample_note"]


@dataclass(frozen=True, slots=True)
class Inferred:
    schema: dict[str, JSON]
    notes: int
    frontmatters: int
    doubts: tuple[str, ...] = ()  # values and names a person should review, one sentence each

    def to_json(self) -> str:
        return json.dumps(self.schema, ensure_ascii=False, indent=2) + "\n"


def _fields(samples: Sequence[NoteSample]) -> dict[str, FieldValues]:
    from vaultlint.infer.values import variant_key

    fields: dict[str, FieldValues] = {}
    for sample in samples:
        if sample.data is None:
            continue
        folders = {variant_key(part) for part in sample.path.split("/")[:-1]}
        for position, (name, value) in enumerate(sample.data.items()):
            found = fields.setdefault(name, FieldValues(name))
            found.values.append(value)
            found.positions.append(position)
            if isinstance(value, str) and variant_key(value) in folders:
                found.at_home.add(variant_key(value))
    return fields


@dataclass
class _Draft:
    """The schema as it is put together, with the doubts each part adds."""

    properties: dict[str, dict[str, JSON]]
    required: list[str]
    extension: dict[str, JSON] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)


def infer_schema(
    samples: Sequence[NoteSample],
    *,
    title: str,
    thresholds: Thresholds | None = None,
    previous: JSON = None,
) -> Inferred:
    """The schema of the notes with frontmatter: only they say what a note of the vault is.

    `previous` is the schema this one replaces (its JSON), whose section aliases are kept.
    """
    limits = thresholds or Thresholds()
    noted = [sample for sample in samples if sample.data is not None]
    datas = [sample.data for sample in noted if sample.data is not None]
    total = len(datas)
    fields = _fields(noted)
    kept = [f for f in fields.values() if f.notes >= limits.rare * total]
    kept.sort(key=lambda f: (statistics.mean(f.positions), f.name))
    reading = read_tags(datas, limits) if any(f.name == TAGS_FIELD for f in kept) else None
    draft, linked = _properties(kept, datas, reading, limits)
    if reading is not None:
        facts = infer_tags(datas, reading, linked, limits)
        time = infer_time(datas, draft.properties, draft.required, facts, limits)
        if time is not None:
            draft.extension["time"] = time
        draft.extension["tags"] = facts.spec
        if facts.remarks:
            tags = draft.properties[TAGS_FIELD]
            tags["description"] = " ".join([str(tags["description"]), *facts.remarks])
            draft.doubts += [f"{TAGS_FIELD}: {remark}" for remark in facts.remarks]
    else:
        time = infer_time(datas, draft.properties, draft.required, None, limits)
        if time is not None:
            draft.extension["time"] = time
    bodies = [sample.headings for sample in noted if sample.headings is not None]
    sections = infer_sections(bodies, limits, previous_aliases(previous))
    if sections is not None:
        draft.extension["sections"] = sections
    duplicates = infer_duplicates(datas, [found.name for found in kept])
    if duplicates is not None:
        draft.extension["duplicates"] = duplicates
    schema: dict[str, JSON] = {
        "$schema": SCHEMA_DIALECT,
        "title": title,
        "description": _description(len(samples), total, limits),
        "type": "object",
        "required": draft.required,
        "properties": draft.properties,
    }
    rare_keys = sorted((f for f in fields.values() if f not in kept), key=lambda f: f.name)
    if rare_keys:
        schema["$comment"] = _rare_keys_comment(rare_keys, [f.name for f in kept])
        draft.doubts.append(schema["$comment"])
    if draft.extension:
        schema["x-vaultlint"] = draft.extension
    return Inferred(schema, len(samples), total, tuple(draft.doubts))


def _properties(
    kept: list[FieldValues],
    datas: list[dict[str, JSON]],
    reading: TagReading | None,
    limits: Thresholds,
) -> tuple[_Draft, frozenset[str]]:
    """The fields' schemas, their open vocabularies, and the fields a tag namespace mirrors."""
    mirrored: dict[str, Counter[str]] = {}
    if reading is not None:
        for found in kept:
            agreeing = mirrored_values(found.name, datas, reading, limits)
            if agreeing is not None:
                mirrored[found.name] = agreeing
    total = len(datas)
    found_schemas = {
        f.name: property_schema(
            f, total, limits, tags_field=f.name == TAGS_FIELD, mirrored=mirrored.get(f.name)
        )
        for f in kept
    }
    draft = _Draft(
        {name: found.schema for name, found in found_schemas.items()},
        [f.name for f in kept if f.notes >= limits.required * total],
    )
    draft.doubts = [
        f"{name}: {text}" for name, found in found_schemas.items() for text in found.remarks
    ]
    known = {name: {"known": found.known} for name, found in found_schemas.items() if found.known}
    if known:
        draft.extension["fields"] = known
    linked = frozenset(name for name in mirrored if "enum" in draft.properties[name])
    return draft, linked


def previous_aliases(previous: JSON) -> dict[str, tuple[str, ...]]:
    """Section name -> aliases, read leniently from a schema's JSON (anything else: none)."""
    try:
        order = previous["x-vaultlint"]["sections"]["order"]
        return {
            entry["name"]: tuple(a for a in entry.get("aliases", ()) if isinstance(a, str))
            for entry in order
            if isinstance(entry, dict) and isinstance(entry.get("name"), str)
        }
    except (KeyError, TypeError, AttributeError):
        return {}


def _description(notes: int, frontmatters: int, limits: Thresholds) -> str:
    return (
        f"Inferred by `vaultlint schema infer` from {plural(notes, 'note')} "
        f"({frontmatters} with frontmatter): required = in >= {limits.required:.0%} of them; "
        f"types and keys in fewer than {limits.rare:.0%} of them, values in fewer than "
        f"{plural(limits.least(frontmatters), 'note')} (unless a folder bears their name) and "
        "spelling variants of a value are left out as probable typos. Review it before use."
    )


def _rare_keys_comment(rare: list[FieldValues], common: list[str]) -> str:
    from vaultlint.suggest import suggest

    listed = []
    for found in rare[:LISTED_MAX]:
        hint = suggest(found.name, common)
        like = f", probably {hint.value!r}" if hint else ""
        listed.append(f"{found.name!r} ({plural(found.notes, 'note')}{like})")
    return "Rare keys left out of the properties (probable typos): " + ", ".join(listed) + "."
