"""Tags: prefix, case, separators, namespaces with their level, field links, vocabularies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from vaultlint.infer.common import JSON, TAGS_FIELD, Thresholds, plural
from vaultlint.infer.values import vocabulary


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
class TagReading:
    """The vault's tags, normalised to its own style, once per note."""

    style: TagStyle
    per_note: list[set[str] | None]  # normalised tags of each note with frontmatter
    # namespace -> the values of its tags, for each note with frontmatter (its tags split once)
    split: list[dict[str, list[str]]]


@dataclass
class TagFacts:
    """The vault's tags, normalised, with what the time inference needs."""

    style: TagStyle
    per_note: list[set[str] | None]
    split: list[dict[str, list[str]]]
    spec: dict[str, JSON]
    remarks: list[str]
    namespaces: dict[str, dict[str, JSON]]


def read_tags(datas: list[dict[str, JSON]], thresholds: Thresholds) -> TagReading | None:
    raw = [_note_tags(data) for data in datas]
    every = [tag for tags in raw if tags is not None for tag in tags]
    if not every:
        return None
    style = tag_style(every, thresholds)
    per_note = [{style.normalize(t) for t in tags} if tags is not None else None for tags in raw]
    split = [_split_tags(tags or set(), style) for tags in per_note]
    return TagReading(style, per_note, split)


def infer_tags(
    datas: list[dict[str, JSON]],
    reading: TagReading,
    linked: frozenset[str],
    thresholds: Thresholds,
) -> TagFacts:
    """The `x-vaultlint.tags` block; `linked`: the namespaces that mirror a field of theirs."""
    style, per_note, split = reading.style, reading.per_note, reading.split
    namespaces, remarks = _namespaces(datas, split, style=style, linked=linked, limits=thresholds)
    tagged = [tags for tags in per_note if tags]
    bare = sum(1 for tags in tagged if any(style.split(tag) is None for tag in tags))
    spec: dict[str, JSON] = {
        "field": TAGS_FIELD,
        "prefix": style.prefix,
        "separator": "/",
        "word_separator": style.word_separator,
        "case": "lower" if style.lowercase else "any",
    }
    count = tag_count([len(tags) for tags in per_note if tags is not None], thresholds)
    if count is not None:
        spec["count"] = count
    # Tags without a namespace in >= 1% of the notes: a namespace is not the only form.
    spec["closed"] = bare < thresholds.rare * len(tagged)
    spec["namespaces"] = namespaces
    return TagFacts(style, per_note, split, spec, remarks, namespaces)


def tag_count(counts: list[int], thresholds: Thresholds) -> dict[str, JSON] | None:
    """`{min, max}` that all but the tails of the distribution (`tail` at each end) respect."""
    if len(counts) < 2 * thresholds.least(len(counts)):
        return None
    ordered = sorted(counts)
    cut = int(thresholds.count_tail * len(ordered))
    low, high = ordered[cut], ordered[len(ordered) - 1 - cut]
    return {"min": low, "max": high} if high > 0 else None


def _split_tags(tags: set[str], style: TagStyle) -> dict[str, list[str]]:
    split: dict[str, list[str]] = {}
    for tag in sorted(tags):
        parts = style.split(tag)
        if parts is not None:
            split.setdefault(parts[0], []).append(parts[1])
    return split


def _level(notes: int, total: int, thresholds: Thresholds) -> str:
    """`required` only when (nearly) every note has one: `tag-missing` reports the others, so a
    namespace in 92% of the notes would make 8% of them wrong (`recommended` is asked for)."""
    if notes >= thresholds.strict * total:
        return "required"
    return "recommended" if notes >= thresholds.recommended * total else "optional"


def _typo_namespaces(notes_with: Counter[str], total: int, thresholds: Thresholds) -> list[str]:
    """Namespaces with too little support, or a rare spelling of a much bigger one."""
    from vaultlint.suggest import suggest

    typos = []
    for name, count in notes_with.items():
        bigger = [other for other, n in notes_with.items() if n * thresholds.rare_variant > count]
        hint = suggest(name, bigger) if bigger else None
        if count < thresholds.least(total) or hint is not None:
            typos.append(name)
    return sorted(typos)


def _namespaces(
    datas: list[dict[str, JSON]],
    split: list[dict[str, list[str]]],
    *,
    style: TagStyle,
    linked: frozenset[str],
    limits: Thresholds,
) -> tuple[dict[str, dict[str, JSON]], list[str]]:
    notes_with: Counter[str] = Counter()
    values: dict[str, Counter[str]] = {}
    for by_namespace in split:
        notes_with.update(by_namespace.keys())
        for namespace, found in by_namespace.items():
            values.setdefault(namespace, Counter()).update(found)
    total = sum(1 for by_namespace in split if by_namespace)  # the notes with namespaced tags
    specs: dict[str, dict[str, JSON]] = {}
    remarks: list[str] = []
    rare = _typo_namespaces(notes_with, total, limits)
    if rare:
        listed = ", ".join(
            f"{style.prefix}{name}/… ({plural(notes_with[name], 'note')})" for name in rare
        )
        remarks.append(f"Tag namespaces left out as typos to review: {listed}.")
    for name in sorted(set(notes_with) - set(rare)):
        spec: dict[str, JSON] = {"level": _level(notes_with[name], total, limits)}
        if name in linked:
            spec["field"] = name
        else:
            words = vocabulary(values[name], limits)
            if words is not None:
                spec["values"] = list(words.kept)
                remarks += words.doubts(f"{style.prefix}{name}/… tag")
        specs[name] = spec
    return specs, remarks


def mirrored_values(
    name: str, datas: list[dict[str, JSON]], reading: TagReading, thresholds: Thresholds
) -> Counter[str] | None:
    """Per value of a field, the notes whose tag of the field's name agrees (`cuisine: thaï`
    with `#cuisine/thaï`), when the tags mirror the field in most notes; else None."""
    if name == TAGS_FIELD:
        return None
    both = 0
    agreeing: Counter[str] = Counter()
    for data, tags in zip(datas, reading.per_note, strict=True):
        value = data.get(name)
        if tags is None or not isinstance(value, str) or not value.strip():
            continue
        both += 1
        if reading.style.tag(name, value) in tags:
            agreeing[value] += 1
    if both == 0 or agreeing.total() < thresholds.agreement * both:
        return None
    return agreeing
