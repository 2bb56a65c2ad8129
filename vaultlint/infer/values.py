"""Field values: types, formats, minimums, and the vocabulary of a text field."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from vaultlint.infer.common import (
    DATE,
    JSON,
    LISTED_MAX,
    TYPE_ORDER,
    URI,
    Thresholds,
    json_type,
    plural,
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The values of a text field (or a tag namespace): the common ones, and the rare ones."""

    common: tuple[str, ...]  # sorted
    rare: tuple[tuple[str, int], ...]  # (value, notes), most frequent first

    def rare_sentence(self, what: str) -> str:
        """`Seen in fewer than 1% of the notes, left out of the enum (probable typos): …`."""
        from vaultlint.suggest import suggest

        listed = []
        for value, count in self.rare[:LISTED_MAX]:
            hint = suggest(value, self.common)
            like = f", probably {json.dumps(hint.value, ensure_ascii=False)}" if hint else ""
            listed.append(
                f"{json.dumps(value, ensure_ascii=False)} ({plural(count, 'note')}{like})"
            )
        more = len(self.rare) - LISTED_MAX
        tail = f" and {more} more" if more > 0 else ""
        return (
            f"Rare values left out of {what} (probable typos; add the real ones): "
            + ", ".join(listed)
            + tail
            + "."
        )


def vocabulary(counts: Counter[str], notes: int, thresholds: Thresholds) -> Vocabulary | None:
    """The common values when they are few and repeat (an enum), else None."""
    floor = thresholds.rare * notes
    common = sorted(value for value, count in counts.items() if count >= floor)
    if not common or len(common) > thresholds.enum_max or notes < 2 * len(common):
        return None
    rare = sorted(
        ((v, c) for v, c in counts.items() if c < floor), key=lambda item: (-item[1], item[0])
    )
    return Vocabulary(tuple(common), tuple(rare))


@dataclass
class FieldValues:
    """Every value one frontmatter key takes, and where the key stands among the others."""

    name: str
    values: list[JSON] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    @property
    def notes(self) -> int:
        return len(self.values)

    def kinds(self) -> Counter[str]:
        return Counter(json_type(value) for value in self.values)


def common_kinds(kinds: Counter[str], total: int, thresholds: Thresholds) -> list[str]:
    """The JSON types seen often enough to be allowed, in schema order."""
    kept = {kind for kind, count in kinds.items() if count >= thresholds.rare * total}
    if not kept and kinds:
        kept = {kinds.most_common(1)[0][0]}
    if {"integer", "number"} <= kept:
        kept.discard("integer")
    return [kind for kind in TYPE_ORDER if kind in kept]


def _type_keyword(kinds: list[str]) -> str | list[str]:
    return kinds[0] if len(kinds) == 1 else kinds


def _rare_kinds_comment(kinds: Counter[str], kept: list[str]) -> str | None:
    allowed = set(kept) | ({"integer"} if "number" in kept else set())
    left = [(kind, count) for kind, count in sorted(kinds.items()) if kind not in allowed]
    if not left:
        return None
    seen = ", ".join(f"{kind} in {plural(count, 'note')}" for kind, count in left)
    return f"Also seen as {seen}: left out as probable mistakes."


def _strict(count: int, total: int, thresholds: Thresholds) -> bool:
    return total > 0 and count >= thresholds.strict * total


def string_keywords(strings: list[str], thresholds: Thresholds) -> dict[str, JSON]:
    """`format` and `minLength` that (nearly) every string of a field allows."""
    keywords: dict[str, JSON] = {}
    total = len(strings)
    if _strict(sum(1 for s in strings if _is_date(s)), total, thresholds):
        keywords["format"] = "date"
    elif _strict(sum(1 for s in strings if URI.fullmatch(s)), total, thresholds):
        keywords["format"] = "uri"
    if _strict(sum(1 for s in strings if s), total, thresholds):
        keywords["minLength"] = 1
    return keywords


def _is_date(text: str) -> bool:
    if not DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def number_keywords(numbers: list[int | float], thresholds: Thresholds) -> dict[str, JSON]:
    total = len(numbers)
    for minimum in (1, 0):
        if _strict(sum(1 for n in numbers if n >= minimum), total, thresholds):
            return {"minimum": minimum}
    return {}


def value_schema(
    values: list[JSON], notes: int, thresholds: Thresholds
) -> tuple[dict[str, JSON], list[str]]:
    """The schema of a list of values (a field's, or an array's items), and its remarks."""
    kinds = Counter(json_type(value) for value in values)
    kept = common_kinds(kinds, len(values), thresholds)
    schema: dict[str, JSON] = {"type": _type_keyword(kept)}
    remarks = [comment] if (comment := _rare_kinds_comment(kinds, kept)) else []
    strings = [value for value in values if isinstance(value, str)]
    if kept in (["string"], ["string", "null"]):
        keywords = string_keywords(strings, thresholds)
        # Dates and links are not categories, however few of them a small vault has.
        words = None if "format" in keywords else vocabulary(Counter(strings), notes, thresholds)
        if words is not None:
            enum: list[JSON] = list(words.common) + ([None] if "null" in kept else [])
            schema = {"enum": enum}
            if words.rare:
                remarks.append(words.rare_sentence("the enum"))
        else:
            schema.update(keywords)
    elif kept in (["integer"], ["number"]):
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        schema.update(number_keywords(numbers, thresholds))
    return schema, remarks


def property_schema(
    values: FieldValues, frontmatters: int, thresholds: Thresholds, *, tags_field: bool
) -> dict[str, JSON]:
    schema, remarks = value_schema(values.values, values.notes, thresholds)
    if schema.get("type") == "array":
        items = [item for value in values.values if isinstance(value, list) for item in value]
        if tags_field:
            # An unquoted `- #tag` reads as an empty item: tag-format says so, better.
            schema["items"] = {"type": ["string", "null"]}
        elif items:
            schema["items"], item_remarks = value_schema(items, values.notes, thresholds)
            remarks += item_remarks
    description = f"In {values.notes} of {plural(frontmatters, 'note')} with frontmatter."
    schema["description"] = " ".join([description, *remarks])
    return schema
