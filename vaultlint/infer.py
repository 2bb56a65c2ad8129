"""Infer a starting schema from a vault's notes: JSON Schema 2020-12 plus `x-vaultlint`.

What the notes mostly agree on becomes a rule; what few notes do is left out and named in the
schema's `description`s as a probable typo, so that `check` reports it. The thresholds
(`Thresholds`, all shares of the notes that can say):

- a field is **required** when present in >= 90% of the notes with frontmatter;
- a field's **type** is every JSON type seen in >= 1% of its values (`integer` and `number`
  together give `number`); a rarer type is left out and named in its `$comment`;
- a text field becomes an **enum** when its values seen in >= 1% of the notes with the field
  (the common values) are at most 12 and each is used twice on average; rarer values stay out
  of the enum and are listed in the field's `description` as probable typos, with the common value
  each is probably a typo of (`vaultlint.suggest`);
- `format: date` / `format: uri` and `minLength: 1` when >= 99% of the strings allow it;
  `minimum: 1` (or 0) when >= 99% of the numbers are >= 1 (or >= 0);
- tags (the `tags` list): the prefix `#` when most tags have it, the separator `/`, lower case when
  >= 90% are; a namespace is listed when >= 1% of the notes use it, `required` when >= 90% do,
  else `optional`; it is linked to the field of its name when >= 90% of the notes carry the tag
  of their field's value (`cuisine: thaï` and `#cuisine/thaï`), else gets its common values
  (when few, as for an enum);
- time: an integer field that is the sum of other required integer fields in >= 80% of the notes
  is a total (`x-vaultlint.time`), an optional integer field that completes the sum a rest, a tag
  that >= 90% of the notes with unexplained extra minutes carry the advance tag, and a tag
  namespace whose values split the minutes into ranges (>= 90% agreement) the time buckets;
- sections: an H2 seen in >= 10% of the notes is a section, `required` when >= 90% have it, in
  the order most notes agree on; a heading that stands in for a section in the notes lacking it,
  and only there, is its alias (`Ingredients` for `Ingrédients`); the H1 is the title when >= 90%
  of the notes have exactly one.

A note whose whole text is mojibake is read repaired, as the rules read it. The output is
deterministic: the same notes give the same bytes.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vaultlint.markdown import Heading
from vaultlint.note import Note

JSON = Any  # what YAML read: str | int | float | bool | None | list | dict
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TAGS_FIELD = "tags"
SECTION_LEVEL = 2
# JSON types in the order a schema lists them.
TYPE_ORDER = ("string", "integer", "number", "boolean", "array", "object", "null")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+")
_LISTED_MAX = 20  # rare values named in a description, at most
MAX_TIME_FIELDS = 8  # required integer fields the time-sum search tries, at most
SEARCH_SAMPLE = 2000  # notes the time-sum search reads, at most
ROUND_STEPS = (60, 30, 15, 10, 5)  # bucket bounds people choose, roundest first


@dataclass(frozen=True, slots=True)
class Thresholds:
    required: float = 0.9  # share of the notes that have a field or tag namespace
    rare: float = 0.01  # below this share of the notes, a value, type or key is rare
    enum_max: int = 12  # at most this many common values make an enum
    strict: float = 0.99  # share of the values that formats, minLength, minimum must allow
    sum_agreement: float = 0.8  # notes whose total is the sum of its parts
    agreement: float = 0.9  # field-tag links, advance tag, time buckets, aliases
    section_min: float = 0.1  # share of the notes with an H2 that makes it a section


@dataclass(frozen=True, slots=True)
class NoteSample:
    """What inference reads of one note."""

    data: dict[str, JSON] | None  # the frontmatter mapping, None when there is none
    headings: tuple[Heading, ...] | None  # None when the body cannot be told apart


def sample_note(raw: bytes, path: str = "<note>") -> NoteSample:
    """Read a note as the rules read it: a note that is wholly mojibake, repaired."""
    note = Note(path, raw)
    text = note.text
    if text is not None and not text.isascii():
        from vaultlint.mojibake import repair_whole

        repair = repair_whole(text)
        if repair is not None:
            note = Note(path, raw[: note.bom_length] + repair.text.encode("utf-8"))
            text = repair.text
    frontmatter = note.frontmatter
    data = frontmatter.data if frontmatter is not None else None
    block = note.block
    known = text is not None and bool(text.strip()) and (block is None or block.terminated)
    return NoteSample(data if isinstance(data, dict) else None, note.headings if known else None)


def json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The values of a text field (or a tag namespace): the common ones, and the rare ones."""

    common: tuple[str, ...]  # sorted
    rare: tuple[tuple[str, int], ...]  # (value, notes), most frequent first

    def rare_sentence(self, what: str) -> str:
        """`Seen in fewer than 1% of the notes, left out of the enum (probable typos): …`."""
        from vaultlint.suggest import suggest

        listed = []
        for value, count in self.rare[:_LISTED_MAX]:
            hint = suggest(value, self.common)
            like = f", probably {json.dumps(hint.value, ensure_ascii=False)}" if hint else ""
            listed.append(
                f"{json.dumps(value, ensure_ascii=False)} ({_plural(count, 'note')}{like})"
            )
        more = len(self.rare) - _LISTED_MAX
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
    seen = ", ".join(f"{kind} in {_plural(count, 'note')}" for kind, count in left)
    return f"Also seen as {seen}: left out as probable mistakes."


def _strict(count: int, total: int, thresholds: Thresholds) -> bool:
    return total > 0 and count >= thresholds.strict * total


def string_keywords(strings: list[str], thresholds: Thresholds) -> dict[str, JSON]:
    """`format` and `minLength` that (nearly) every string of a field allows."""
    keywords: dict[str, JSON] = {}
    total = len(strings)
    if _strict(sum(1 for s in strings if _is_date(s)), total, thresholds):
        keywords["format"] = "date"
    elif _strict(sum(1 for s in strings if _URI.fullmatch(s)), total, thresholds):
        keywords["format"] = "uri"
    if _strict(sum(1 for s in strings if s), total, thresholds):
        keywords["minLength"] = 1
    return keywords


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
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
    description = f"In {values.notes} of {_plural(frontmatters, 'note')} with frontmatter."
    schema["description"] = " ".join([description, *remarks])
    return schema


# -------------------------------------------------------------------------------- tags


@dataclass(frozen=True, slots=True)
class TagStyle:
    prefix: str
    lowercase: bool
    word_separator: str

    def normalize(self, value: str) -> str:
        """As `rules._frontmatter_values.normalize_tag`: the tag in the vault's form."""
        body = value.strip()
        body = body.removeprefix(self.prefix) if self.prefix else body.removeprefix("#")
        body = self.word_separator.join(body.split())
        return self.prefix + (body.lower() if self.lowercase else body)

    def split(self, tag: str) -> tuple[str, str] | None:
        namespace, separator, value = tag[len(self.prefix) :].partition("/")
        return (namespace, value) if separator and namespace else None

    def tag(self, namespace: str, value: str) -> str:
        joined = self.word_separator.join(value.strip().split())
        return f"{self.prefix}{namespace}/{joined.lower() if self.lowercase else joined}"


def tag_style(tags: list[str], thresholds: Thresholds) -> TagStyle:
    prefixed = sum(1 for tag in tags if tag.strip().startswith("#"))
    lower = sum(1 for tag in tags if tag == tag.lower())
    dashes = sum(tag.count("-") for tag in tags)
    underscores = sum(tag.count("_") for tag in tags)
    return TagStyle(
        prefix="#" if prefixed * 2 >= len(tags) else "",
        lowercase=lower >= thresholds.agreement * len(tags),
        word_separator="_" if underscores > dashes else "-",
    )


def _note_tags(data: dict[str, JSON] | None) -> list[str] | None:
    value = data.get(TAGS_FIELD) if data is not None else None
    if not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, str) and item.strip()]


@dataclass
class TagFacts:
    """The vault's tags, normalised, with what the time inference needs."""

    style: TagStyle
    per_note: list[set[str] | None]  # normalised tags of each note with frontmatter
    # namespace -> the values of its tags, for each note with frontmatter (its tags split once)
    split: list[dict[str, list[str]]]
    spec: dict[str, JSON]
    remarks: list[str]
    namespaces: dict[str, dict[str, JSON]]


def infer_tags(
    datas: list[dict[str, JSON]], properties: dict[str, dict[str, JSON]], thresholds: Thresholds
) -> TagFacts | None:
    raw = [_note_tags(data) for data in datas]
    every = [tag for tags in raw if tags is not None for tag in tags]
    if TAGS_FIELD not in properties or not every:
        return None
    style = tag_style(every, thresholds)
    per_note = [{style.normalize(t) for t in tags} if tags is not None else None for tags in raw]
    split = [_split_tags(tags or set(), style) for tags in per_note]
    namespaces, remarks = _namespaces(
        datas, per_note, split, style=style, properties=properties, thresholds=thresholds
    )
    tagged = [tags for tags in per_note if tags]
    bare = sum(1 for tags in tagged if any(style.split(tag) is None for tag in tags))
    spec: dict[str, JSON] = {
        "field": TAGS_FIELD,
        "prefix": style.prefix,
        "separator": "/",
        "word_separator": style.word_separator,
        "case": "lower" if style.lowercase else "any",
        # Tags without a namespace in >= 1% of the notes: a namespace is not the only form.
        "closed": bare < thresholds.rare * len(tagged),
        "namespaces": namespaces,
    }
    return TagFacts(style, per_note, split, spec, remarks, namespaces)


def _split_tags(tags: set[str], style: TagStyle) -> dict[str, list[str]]:
    split: dict[str, list[str]] = {}
    for tag in sorted(tags):
        parts = style.split(tag)
        if parts is not None:
            split.setdefault(parts[0], []).append(parts[1])
    return split


def _namespaces(
    datas: list[dict[str, JSON]],
    per_note: list[set[str] | None],
    split: list[dict[str, list[str]]],
    *,
    style: TagStyle,
    properties: dict[str, dict[str, JSON]],
    thresholds: Thresholds,
) -> tuple[dict[str, dict[str, JSON]], list[str]]:
    notes_with: Counter[str] = Counter()
    values: dict[str, Counter[str]] = {}
    for by_namespace in split:
        notes_with.update(by_namespace.keys())
        for namespace, found in by_namespace.items():
            values.setdefault(namespace, Counter()).update(found)
    total = len(datas)
    specs: dict[str, dict[str, JSON]] = {}
    remarks: list[str] = []
    rare = sorted(name for name, count in notes_with.items() if count < thresholds.rare * total)
    if rare:
        listed = ", ".join(f"{style.prefix}{name}/…" for name in rare)
        remarks.append(f"Rare tag namespaces left out (probable typos): {listed}.")
    for name in sorted(set(notes_with) - set(rare)):
        level = "required" if notes_with[name] >= thresholds.required * total else "optional"
        spec: dict[str, JSON] = {"level": level}
        if _linked(
            name, datas, per_note, style=style, properties=properties, thresholds=thresholds
        ):
            spec["field"] = name
        else:
            words = vocabulary(values[name], notes_with[name], thresholds)
            if words is not None:
                spec["values"] = list(words.common)
                if words.rare:
                    remarks.append(words.rare_sentence(f"the {name} tags' values"))
        specs[name] = spec
    return specs, remarks


def _linked(
    name: str,
    datas: list[dict[str, JSON]],
    per_note: list[set[str] | None],
    *,
    style: TagStyle,
    properties: dict[str, dict[str, JSON]],
    thresholds: Thresholds,
) -> bool:
    """Whether the namespace repeats the field of its name: `cuisine: thaï`, `#cuisine/thaï`."""
    if name not in properties or name == TAGS_FIELD:
        return False
    both = agreeing = 0
    for data, tags in zip(datas, per_note, strict=True):
        value = data.get(name)
        if tags is None or not isinstance(value, str) or not value.strip():
            continue
        both += 1
        agreeing += style.tag(name, value) in tags
    return both > 0 and agreeing >= thresholds.agreement * both


# -------------------------------------------------------------------------------- time


@dataclass(frozen=True, slots=True)
class TimeSum:
    total: str
    parts: tuple[str, ...]
    rest: tuple[str, ...]


def _ints(data: dict[str, JSON], names: Iterable[str]) -> list[int] | None:
    found = []
    for name in names:
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        found.append(value)
    return found


def infer_time_sum(
    datas: list[dict[str, JSON]], required: list[str], optional: list[str], thresholds: Thresholds
) -> TimeSum | None:
    """A required integer field that is the sum of 2-4 others in most notes.

    The search tries every total and set of parts: it stops at MAX_TIME_FIELDS required integer
    fields and reads an even sample of at most SEARCH_SAMPLE notes.
    """
    if len(required) > MAX_TIME_FIELDS:
        return None
    bare = [data for data in datas if not any(name in data for name in optional)]
    rows = [numbers for data in bare if (numbers := _ints(data, required)) is not None]
    rows = rows[:: max(1, len(rows) // SEARCH_SAMPLE)]
    if len(rows) < 5:
        return None
    best: tuple[float, int, int, tuple[int, ...]] | None = None
    for total in range(len(required)):
        others = [index for index in range(len(required)) if index != total]
        for size in range(2, min(4, len(others)) + 1):
            for parts in itertools.combinations(others, size):
                exact = sum(1 for row in rows if row[total] == sum(row[i] for i in parts))
                share = exact / len(rows)
                key = (-share, size, total, parts)
                if share >= thresholds.sum_agreement and (best is None or key < best):
                    best = key
    if best is None:
        return None
    total_name, part_names = required[best[2]], tuple(required[i] for i in best[3])
    rest = tuple(
        name for name in optional if _rest_share(datas, total_name, part_names, name, thresholds)
    )
    return TimeSum(total_name, part_names, rest)


def _sum_share(datas: list[dict[str, JSON]], total: str, parts: tuple[str, ...]) -> float | None:
    exact = evaluated = 0
    for data in datas:
        numbers = _ints(data, (total, *parts))
        if numbers is None:
            continue
        evaluated += 1
        exact += numbers[0] == sum(numbers[1:])
    return exact / evaluated if evaluated >= 5 else None


def _rest_share(
    datas: list[dict[str, JSON]],
    total: str,
    parts: tuple[str, ...],
    rest: str,
    thresholds: Thresholds,
) -> bool:
    with_rest = [data for data in datas if _ints(data, (rest,)) is not None]
    share = _sum_share(with_rest, total, (*parts, rest))
    return share is not None and share >= thresholds.sum_agreement


def infer_advance_tag(
    datas: list[dict[str, JSON]], facts: TagFacts, time: TimeSum, thresholds: Thresholds
) -> str | None:
    """The tag that explains a total above its parts (marinade, rest), when one does."""
    excess: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    excess_notes = exact_notes = 0
    for data, tags in zip(datas, facts.per_note, strict=True):
        numbers = _ints(data, (time.total, *time.parts))
        if numbers is None or tags is None or any(name in data for name in time.rest):
            continue
        if numbers[0] > sum(numbers[1:]):
            excess_notes += 1
            excess.update(tags)
        elif numbers[0] == sum(numbers[1:]):
            exact_notes += 1
            exact.update(tags)
    if excess_notes < 3:
        return None
    candidates = [
        tag
        for tag, count in excess.items()
        if count >= thresholds.agreement * excess_notes
        and exact[tag] <= (1 - thresholds.agreement) * exact_notes
    ]
    return min(candidates, key=lambda tag: (-excess[tag], tag)) if candidates else None


def infer_buckets(
    datas: list[dict[str, JSON]],
    facts: TagFacts,
    time: TimeSum,
    advance: str | None,
    thresholds: Thresholds,
) -> tuple[str, list[dict[str, JSON]]] | None:
    """The tag namespace whose values split the minutes into ranges (`#temps/rapide`)."""
    found = []
    for name, spec in facts.namespaces.items():
        values = spec.get("values")
        if "field" in spec or not isinstance(values, list) or len(values) > 8:
            continue
        samples = _bucket_samples(datas, facts, time, advance, name)
        ranges = _ranges(samples, thresholds)
        if ranges is not None:
            found.append((-ranges[0], name, ranges[1]))
    if not found:
        return None
    _, best, best_ranges = min(found, key=lambda item: (item[0], item[1]))
    return best, best_ranges


def _bucket_samples(
    datas: list[dict[str, JSON]],
    facts: TagFacts,
    time: TimeSum,
    advance: str | None,
    namespace: str,
) -> list[tuple[str, int]]:
    """(bucket value, minutes) per note: the active time with the advance tag, else the total."""
    advance_value = None
    if advance is not None and (parts := facts.style.split(advance)) and parts[0] == namespace:
        advance_value = parts[1]
    samples = []
    for data, tags, split in zip(datas, facts.per_note, facts.split, strict=True):
        values = [value for value in split.get(namespace, ()) if value != advance_value]
        if len(values) != 1 or tags is None:
            continue
        numbers = _ints(data, (time.total, *time.parts))
        if numbers is not None:
            minutes = sum(numbers[1:]) if advance in tags else numbers[0]
            samples.append((values[0], minutes))
    return samples


def _ranges(
    samples: list[tuple[str, int]], thresholds: Thresholds
) -> tuple[float, list[dict[str, JSON]]] | None:
    """Upper bounds that put (nearly) every sample in its bucket, and the share they do."""
    groups: dict[str, list[int]] = {}
    for value, minutes in samples:
        groups.setdefault(value, []).append(minutes)
    if len(groups) < 2 or len(samples) < 5:
        return None
    ordered = sorted(groups, key=lambda value: (statistics.median(groups[value]), value))
    medians = [statistics.median(groups[value]) for value in ordered]
    if any(a >= b for a, b in itertools.pairwise(medians)):
        return None
    bounds = [_bound(groups[low], groups[high]) for low, high in itertools.pairwise(ordered)]
    if any(a >= b for a, b in itertools.pairwise(bounds)):
        return None

    def bucket(minutes: int) -> str:
        return next((v for v, b in zip(ordered, bounds, strict=False) if minutes <= b), ordered[-1])

    agreeing = sum(1 for value, minutes in samples if bucket(minutes) == value)
    share = agreeing / len(samples)
    if share < thresholds.agreement:
        return None
    ranges: list[dict[str, JSON]] = [
        {"max": bound, "value": value} for value, bound in zip(ordered, bounds, strict=False)
    ]
    return share, [*ranges, {"value": ordered[-1]}]


def _bound(lower: list[int], upper: list[int]) -> int:
    """The bound between two neighbouring buckets: it misplaces the fewest of their notes, and
    among such bounds it is the roundest (people choose 15, 30, 60), else the smallest."""
    seen = sorted({*lower, *upper})

    def misplaced(bound: int) -> int:
        return sum(1 for m in lower if m > bound) + sum(1 for m in upper if m <= bound)

    fewest = min(misplaced(bound) for bound in seen)
    # A bound misplaces as many notes from a seen value up to the next one, excluded.
    spans = [
        (bound, following - 1)
        for bound, following in zip(seen, [*seen[1:], seen[-1] + 1], strict=True)
        if misplaced(bound) == fewest
    ]
    for step in ROUND_STEPS:
        for low, high in spans:
            multiple = -(-low // step) * step  # the first multiple of step from low
            if multiple <= high:
                return multiple
    return spans[0][0]


def infer_time(
    datas: list[dict[str, JSON]],
    properties: dict[str, dict[str, JSON]],
    required: list[str],
    facts: TagFacts | None,
    thresholds: Thresholds,
) -> dict[str, JSON] | None:
    integers = [name for name, schema in properties.items() if schema.get("type") == "integer"]
    time = infer_time_sum(
        datas,
        [name for name in integers if name in required],
        [name for name in integers if name not in required],
        thresholds,
    )
    if time is None:
        return None
    spec: dict[str, JSON] = {"total": time.total, "parts": list(time.parts)}
    if time.rest:
        spec["rest"] = list(time.rest)
    if facts is None:
        return spec
    advance = infer_advance_tag(datas, facts, time, thresholds)
    if advance is not None:
        spec["advance_tag"] = advance
    buckets = infer_buckets(datas, facts, time, advance, thresholds)
    if buckets is not None:
        spec["buckets"] = {"namespace": buckets[0], "ranges": buckets[1]}
    return spec


# ---------------------------------------------------------------------------- sections


@dataclass
class SectionFacts:
    names: dict[str, str]  # casefolded -> the most common spelling
    sequences: list[list[str]]  # per note: casefolded section-level headings, first occurrences
    h2_notes: Counter[str]  # casefolded H2 -> notes with it


def _section_facts(bodies: list[tuple[Heading, ...]]) -> SectionFacts:
    spellings: dict[str, Counter[str]] = {}
    sequences = []
    h2_notes: Counter[str] = Counter()
    for headings in bodies:
        sequence: list[str] = []
        for heading in headings:
            if heading.level < SECTION_LEVEL or not heading.text:
                continue
            key = heading.text.casefold()
            spellings.setdefault(key, Counter())[heading.text] += 1
            if key not in sequence:
                sequence.append(key)
        sequences.append(sequence)
        h2_notes.update(
            {h.text.casefold() for h in headings if h.level == SECTION_LEVEL and h.text}
        )
    names = {key: min(c, key=lambda s: (-c[s], s)) for key, c in spellings.items()}
    return SectionFacts(names, sequences, h2_notes)


def _order(names: Iterable[str], sequences: list[list[str]]) -> list[str]:
    """The order most notes agree on (Copeland: how many others each precedes in most notes)."""
    chosen = sorted(names)
    before: Counter[tuple[str, str]] = Counter()
    present: Counter[str] = Counter()
    for sequence in sequences:
        kept = [name for name in sequence if name in chosen]
        present.update(kept)
        before.update(itertools.combinations(kept, 2))
    wins = {a: sum(1 for b in chosen if before[a, b] > before[b, a]) for a in chosen}
    return sorted(chosen, key=lambda name: (-wins[name], -present[name], name))


def _aliases(facts: SectionFacts, order: list[str], thresholds: Thresholds) -> dict[str, str]:
    """alias -> section: a heading seen only where its section is missing, in its place.

    Each check reads only the notes holding the would-be alias, so that a vault with thousands of
    distinct sub-headings costs one pass per section.
    """
    notes = len(facts.sequences)
    where: dict[str, list[int]] = {}
    for index, sequence in enumerate(facts.sequences):
        for name in sequence:
            where.setdefault(name, []).append(index)
    aliases: dict[str, str] = {}
    for section in order:
        have = len(where.get(section, ()))
        if have < 0.5 * notes or section in aliases:
            continue
        for alias in sorted(where):
            count = len(where[alias])
            if alias == section or alias in aliases or count >= have:
                continue
            holding = [facts.sequences[index] for index in where[alias]]
            if _stands_in(
                holding, alias, section, counts=(have, notes), order=order, limits=thresholds
            ):
                aliases[alias] = section
    return aliases


def _stands_in(
    holding: list[list[str]],
    alias: str,
    section: str,
    *,
    counts: tuple[int, int],
    order: list[str],
    limits: Thresholds,
) -> bool:
    """Whether `alias` replaces `section` in the notes `holding` it, and only there."""
    have, notes = counts
    both = sum(1 for sequence in holding if section in sequence)
    without = notes - len(holding)  # notes without the alias: nearly all have the section
    if without <= 0 or have - both < limits.agreement * without:
        return False
    rank = {name: index for index, name in enumerate(order)}
    in_place = 0
    for sequence in holding:
        if section in sequence:
            continue
        ranks = [rank[section if n == alias else n] for n in sequence if n in rank or n == alias]
        in_place += ranks == sorted(ranks)
    return in_place >= limits.agreement * len(holding)


def infer_sections(
    bodies: list[tuple[Heading, ...]], thresholds: Thresholds
) -> dict[str, JSON] | None:
    if not bodies:
        return None
    facts = _section_facts(bodies)
    notes = len(bodies)
    candidates = [
        n for n, count in facts.h2_notes.items() if count >= thresholds.section_min * notes
    ]
    aliases = _aliases(facts, _order(candidates, facts.sequences), thresholds)
    order = _order([name for name in candidates if name not in aliases], facts.sequences)
    spec: dict[str, JSON] = {}
    titled = sum(1 for headings in bodies if sum(h.level == 1 for h in headings) == 1)
    if titled >= thresholds.agreement * notes:
        spec["title"] = {"level": 1}
    spec["level"] = SECTION_LEVEL
    sections: list[JSON] = []
    for name in order:
        names = {name} | {alias for alias, section in aliases.items() if section == name}
        having = sum(1 for sequence in facts.sequences if names & set(sequence))
        entry: dict[str, JSON] = {"name": facts.names[name]}
        spelled = sorted(facts.names[alias] for alias in names - {name})
        if spelled:
            entry["aliases"] = spelled
        if having < thresholds.required * notes:
            entry["required"] = False
        sections.append(entry)
    if not sections and "title" not in spec:
        return None
    spec["order"] = sections
    return spec


# ---------------------------------------------------------------------------- the schema


@dataclass(frozen=True, slots=True)
class Inferred:
    schema: dict[str, JSON]
    notes: int
    frontmatters: int

    def to_json(self) -> str:
        return json.dumps(self.schema, ensure_ascii=False, indent=2) + "\n"


def _fields(datas: list[dict[str, JSON]]) -> dict[str, FieldValues]:
    fields: dict[str, FieldValues] = {}
    for data in datas:
        for position, (name, value) in enumerate(data.items()):
            found = fields.setdefault(name, FieldValues(name))
            found.values.append(value)
            found.positions.append(position)
    return fields


def infer_schema(
    samples: Sequence[NoteSample], *, title: str, thresholds: Thresholds | None = None
) -> Inferred:
    limits = thresholds or Thresholds()
    datas = [sample.data for sample in samples if sample.data is not None]
    total = len(datas)
    fields = _fields(datas)
    kept = [f for f in fields.values() if f.notes >= limits.rare * total]
    kept.sort(key=lambda f: (statistics.mean(f.positions), f.name))
    properties = {
        f.name: property_schema(f, total, limits, tags_field=f.name == TAGS_FIELD) for f in kept
    }
    required = [f.name for f in kept if f.notes >= limits.required * total]
    extension: dict[str, JSON] = {}
    facts = infer_tags(datas, properties, limits)
    time = infer_time(datas, properties, required, facts, limits)
    if time is not None:
        extension["time"] = time
    if facts is not None:
        extension["tags"] = facts.spec
        if facts.remarks:
            tags = properties[TAGS_FIELD]
            tags["description"] = " ".join([str(tags["description"]), *facts.remarks])
    bodies = [sample.headings for sample in samples if sample.headings is not None]
    sections = infer_sections(bodies, limits)
    if sections is not None:
        extension["sections"] = sections
    schema: dict[str, JSON] = {
        "$schema": SCHEMA_DIALECT,
        "title": title,
        "description": _description(len(samples), total, limits),
        "type": "object",
        "required": required,
        "properties": properties,
    }
    rare_keys = sorted((f for f in fields.values() if f not in kept), key=lambda f: f.name)
    if rare_keys:
        schema["$comment"] = _rare_keys_comment(rare_keys, [f.name for f in kept])
    if extension:
        schema["x-vaultlint"] = extension
    return Inferred(schema, len(samples), total)


def _description(notes: int, frontmatters: int, limits: Thresholds) -> str:
    return (
        f"Inferred by `vaultlint schema infer` from {_plural(notes, 'note')} "
        f"({frontmatters} with frontmatter): required = in >= {limits.required:.0%} of them; "
        f"values, types and keys in fewer than {limits.rare:.0%} are left out as probable typos. "
        "A starting point: review it before use."
    )


def _rare_keys_comment(rare: list[FieldValues], common: list[str]) -> str:
    from vaultlint.suggest import suggest

    listed = []
    for found in rare[:_LISTED_MAX]:
        hint = suggest(found.name, common)
        like = f", probably {hint.value!r}" if hint else ""
        listed.append(f"{found.name!r} ({_plural(found.notes, 'note')}{like})")
    return "Rare keys left out of the properties (probable typos): " + ", ".join(listed) + "."
