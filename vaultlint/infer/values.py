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


def variant_key(value: str) -> str:
    """What spellings of one value share: case, accents, `œ`, separators and a plural `s` aside
    (`Instagram`/`instagram`, `airfryer`/`air-fryer`, `oeuf`/`œuf`)."""
    from vaultlint.suggest import normalise

    return normalise(value).replace("-", "")


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def is_slug(value: str) -> bool:
    return value == value.lower() and not any(c.isspace() for c in value)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The values of a text field (or a tag namespace): those kept, and those doubted."""

    kept: tuple[str, ...]  # sorted
    variants: tuple[tuple[str, str, int], ...]  # (variant, the kept spelling, notes)
    rare: tuple[tuple[str, int], ...]  # too little support: (value, notes), most frequent first

    @property
    def slugs(self) -> bool:
        """Every kept value is lower case without spaces: a category, not a name."""
        return all(is_slug(value) for value in self.kept)

    def doubts(self, what: str) -> list[str]:
        """One sentence per kind of doubt, naming the values a person should review."""
        from vaultlint.suggest import suggest

        sentences = []
        if self.variants:
            listed = [
                f"{_quoted(v)} ({plural(n, 'note')}) for {_quoted(kept)}"
                for v, kept, n in self.variants[:LISTED_MAX]
            ]
            sentences.append(
                f"Spelling variants of {what} values, left out as typos to review: "
                + ", ".join(listed)
                + _more(len(self.variants))
                + "."
            )
        if self.rare:
            listed = []
            for value, count in self.rare[:LISTED_MAX]:
                hint = suggest(value, self.kept)
                like = f", probably {_quoted(hint.value)}" if hint else ""
                listed.append(f"{_quoted(value)} ({plural(count, 'note')}{like})")
            sentences.append(
                f"Rare {what} values, left out (add the real ones): "
                + ", ".join(listed)
                + _more(len(self.rare))
                + "."
            )
        return sentences


def _more(count: int) -> str:
    return f" and {count - LISTED_MAX} more" if count > LISTED_MAX else ""


def vocabulary(
    counts: Counter[str],
    thresholds: Thresholds,
    *,
    support: Counter[str] | None = None,
    at_home: frozenset[str] = frozenset(),
) -> Vocabulary | None:
    """The values worth naming, or None for free text (titles, sources written by hand).

    Spellings of one value (`variant_key`) count as one: the most used is kept, the others are
    typos. A value is kept with `thresholds.support` notes or more (`support`: the notes that
    vouch for it, such as those whose tag agrees; default: every note with it), or with a folder
    of its own (`at_home`, by variant key): `grecque` in 4 notes of `Recettes/Grecque/` is real.
    """
    vouching = support if support is not None else counts
    groups: dict[str, list[str]] = {}
    for value in counts:
        groups.setdefault(variant_key(value), []).append(value)
    notes = sum(counts.values())
    if not counts or len(groups) > thresholds.free_text_share * notes:
        return None  # nearly every note has its own value: text, not a category
    if any(len(value) > thresholds.free_text_length for value in counts):
        return None
    kept: list[str] = []
    variants: list[tuple[str, str, int]] = []
    rare: list[tuple[str, int]] = []
    for key, spellings in groups.items():
        main = min(spellings, key=lambda value: (-counts[value], value))
        variants += [(v, main, counts[v]) for v in spellings if v != main]
        if vouching[main] >= thresholds.least(notes) or key in at_home:
            kept.append(main)
        else:
            rare.append((main, counts[main]))
    if not kept or len(kept) > thresholds.enum_max or notes < 2 * len(kept):
        return None
    return Vocabulary(
        tuple(sorted(kept)),
        tuple(sorted(variants, key=lambda item: (-item[2], item[0]))),
        tuple(sorted(rare, key=lambda item: (-item[1], item[0]))),
    )


@dataclass
class FieldValues:
    """Every value one frontmatter key takes, and where the key stands among the others."""

    name: str
    values: list[JSON] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    # variant keys of the values found in a folder named like them (`Grecque/` for `grecque`)
    at_home: set[str] = field(default_factory=set)

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


@dataclass(frozen=True, slots=True)
class ValueSchema:
    schema: dict[str, JSON]
    remarks: list[str]  # for the description: what was left out, and why
    known: list[str] | None = None  # an open vocabulary (`x-vaultlint.fields.<name>.known`)


def value_schema(
    values: list[JSON],
    thresholds: Thresholds,
    *,
    mirrored: Counter[str] | None = None,
    at_home: frozenset[str] = frozenset(),
    what: str = "the field's",
) -> ValueSchema:
    """The schema of a list of values (a field's, or an array's items), and its remarks.

    A text field gets an `enum` when its values are categories: few, each with support, and
    slugs (lower case, no spaces) or mirrored by a tag namespace (`mirrored`: per value, the
    notes whose tag agrees). Other categories (`Instagram`, `YouTube`) are `known`: an open
    list, whose other values are warnings. Free text gets neither.
    """
    kinds = Counter(json_type(value) for value in values)
    kept = common_kinds(kinds, len(values), thresholds)
    schema: dict[str, JSON] = {"type": _type_keyword(kept)}
    remarks = [comment] if (comment := _rare_kinds_comment(kinds, kept)) else []
    strings = [value for value in values if isinstance(value, str)]
    known = None
    if kept in (["string"], ["string", "null"]):
        keywords = string_keywords(strings, thresholds)
        # Dates and links are not categories, however few of them a small vault has.
        words = None
        if "format" not in keywords:
            words = vocabulary(Counter(strings), thresholds, support=mirrored, at_home=at_home)
        if words is not None and (words.slugs or mirrored is not None):
            enum: list[JSON] = list(words.kept) + ([None] if "null" in kept else [])
            schema = {"enum": enum}
        else:
            schema.update(keywords)
        if words is not None:
            known = None if "enum" in schema else list(words.kept)
            remarks += words.doubts(what)
    elif kept in (["integer"], ["number"]):
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        schema.update(number_keywords(numbers, thresholds))
    return ValueSchema(schema, remarks, known)


def property_schema(
    values: FieldValues,
    frontmatters: int,
    thresholds: Thresholds,
    *,
    tags_field: bool,
    mirrored: Counter[str] | None = None,
) -> ValueSchema:
    at_home = frozenset(values.at_home)
    found = value_schema(
        values.values, thresholds, mirrored=mirrored, at_home=at_home, what=values.name
    )
    schema, remarks = found.schema, list(found.remarks)
    if schema.get("type") == "array":
        items = [item for value in values.values if isinstance(value, list) for item in value]
        if tags_field:
            # An unquoted `- #tag` reads as an empty item: tag-format says so, better.
            schema["items"] = {"type": ["string", "null"]}
        elif items:
            item_schema = value_schema(items, thresholds, what=f"{values.name} item")
            schema["items"] = item_schema.schema
            remarks += item_schema.remarks
    description = f"In {values.notes} of {plural(frontmatters, 'note')} with frontmatter."
    schema["description"] = " ".join([description, *remarks])
    return ValueSchema(schema, remarks, found.known)
