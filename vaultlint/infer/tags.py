"""Tags: prefix, case, separators, namespaces with their level, field links, vocabularies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from vaultlint.infer.common import JSON, TAGS_FIELD, Thresholds
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
