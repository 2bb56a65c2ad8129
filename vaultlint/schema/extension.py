"""The `x-vaultlint` extension keyword, read into typed, frozen settings for the rules.

The extension is validated against `schemas/x-vaultlint.schema.json` before it reaches here, so
these constructors only convert; they do not re-check shapes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

REQUIRED, RECOMMENDED, OPTIONAL = "required", "recommended", "optional"


@dataclass(frozen=True, slots=True)
class Bucket:
    value: str
    max_minutes: int | None  # None: everything above the previous bucket


@dataclass(frozen=True, slots=True)
class TimeSpec:
    total: str
    parts: tuple[str, ...]
    rest: tuple[str, ...]
    advance_tag: str | None
    bucket_namespace: str | None
    buckets: tuple[Bucket, ...]

    def bucket_for(self, minutes: int) -> str | None:
        for bucket in self.buckets:
            if bucket.max_minutes is None or minutes <= bucket.max_minutes:
                return bucket.value
        return None

    @property
    def bucket_values(self) -> frozenset[str]:
        return frozenset(bucket.value for bucket in self.buckets)


@dataclass(frozen=True, slots=True)
class Namespace:
    name: str
    level: str
    field: str | None
    values: frozenset[str] | None  # None: open (any well-formed value)


@dataclass(frozen=True, slots=True)
class TagSpec:
    field: str
    prefix: str
    separator: str
    word_separator: str
    lowercase: bool
    count_min: int | None
    count_max: int | None
    closed: bool
    namespaces: dict[str, Namespace]
    # What the tag rules derive from a tag's text alone (its normal form...), once per text
    # rather than once per note: a vault repeats the same few hundred tags thousands of times.
    # Bounded (see `rules/_frontmatter_values.py`), never compared.
    derived: dict[tuple[str, ...], Any] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def tag(self, namespace: str, value: str) -> str:
        """The tag for a value in a namespace, in the vault's form: `#cuisine/thaï`."""
        words = value.strip().split()
        joined = self.word_separator.join(words)
        if self.lowercase:
            joined = joined.lower()
        return f"{self.prefix}{namespace}{self.separator}{joined}"

    def split(self, tag: str) -> tuple[str, str] | None:
        """(namespace, value) of a normalised tag, or None when it has no namespace."""
        body = tag[len(self.prefix) :] if self.prefix and tag.startswith(self.prefix) else tag
        namespace, separator, value = body.partition(self.separator)
        return (namespace, value) if separator else None


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    aliases: tuple[str, ...]
    required: bool


@dataclass(frozen=True, slots=True)
class SectionSpec:
    title_level: int | None  # None: the title is not checked
    title_required: bool
    level: int
    order: tuple[Section, ...]
    # Each name and alias, case-folded, to its section: built once with the spec (a vault
    # repeats the same few heading texts thousands of times), never compared.
    _by_name: dict[str, tuple[Section, bool]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_name: dict[str, tuple[Section, bool]] = {}
        for section in self.order:  # the first section to claim a name keeps it
            by_name.setdefault(section.name.casefold(), (section, False))
            for alias in section.aliases:
                by_name.setdefault(alias.casefold(), (section, True))
        object.__setattr__(self, "_by_name", by_name)

    def section_named(self, text: str) -> tuple[Section, bool] | None:
        """The section a heading text names, and whether it names it by an alias."""
        return self._by_name.get(text.casefold())


@dataclass(frozen=True, slots=True)
class DuplicateSpec:
    """What makes two notes one (rule duplicate-note): equal values of a key field, URLs
    compared without the query parameters that only track who shared them."""

    keys: tuple[str, ...]
    tracking_parameters: tuple[str, ...]  # shell-style patterns: `utm_*`


@dataclass(frozen=True, slots=True)
class Extension:
    known_values: dict[str, frozenset[str]]
    time: TimeSpec | None
    tags: TagSpec | None
    sections: SectionSpec | None
    duplicates: DuplicateSpec | None = None


def read_extension(raw: dict[str, Any], schema: dict[str, Any]) -> Extension:
    """Typed settings from a validated `x-vaultlint` object and the schema it belongs to."""
    known = {name: frozenset(spec["known"]) for name, spec in raw.get("fields", {}).items()}
    return Extension(
        known_values=known,
        time=_time(raw["time"]) if "time" in raw else None,
        tags=_tags(raw["tags"], schema, known) if "tags" in raw else None,
        sections=_sections(raw["sections"]) if "sections" in raw else None,
        duplicates=_duplicates(raw["duplicates"]) if "duplicates" in raw else None,
    )


def _duplicates(raw: dict[str, Any]) -> DuplicateSpec:
    return DuplicateSpec(tuple(raw["keys"]), tuple(raw.get("tracking_parameters", ())))


def _time(raw: dict[str, Any]) -> TimeSpec:
    buckets = raw.get("buckets", {})
    return TimeSpec(
        total=raw["total"],
        parts=tuple(raw["parts"]),
        rest=tuple(raw.get("rest", ())),
        advance_tag=raw.get("advance_tag"),
        bucket_namespace=buckets.get("namespace"),
        buckets=tuple(Bucket(b["value"], b.get("max")) for b in buckets.get("ranges", ())),
    )


def _tags(raw: dict[str, Any], schema: dict[str, Any], known: dict[str, frozenset[str]]) -> TagSpec:
    count = raw.get("count", {})
    namespaces = {
        name: Namespace(
            name=name,
            level=spec.get("level", OPTIONAL),
            field=spec.get("field"),
            values=_namespace_values(spec, schema, known),
        )
        for name, spec in raw.get("namespaces", {}).items()
    }
    return TagSpec(
        field=raw["field"],
        prefix=raw.get("prefix", "#"),
        separator=raw.get("separator", "/"),
        word_separator=raw.get("word_separator", "-"),
        lowercase=raw.get("case", "lower") == "lower",
        count_min=count.get("min"),
        count_max=count.get("max"),
        closed=raw.get("closed", True),
        namespaces=namespaces,
    )


def _namespace_values(
    spec: dict[str, Any], schema: dict[str, Any], known: dict[str, frozenset[str]]
) -> frozenset[str] | None:
    """A namespace's closed vocabulary: its `values`, else its field's `enum`; else open."""
    if "values" in spec:
        return frozenset(spec["values"])
    field = spec.get("field")
    if field is None:
        return None
    field_schema = schema.get("properties", {}).get(field, {})
    enum = field_schema.get("enum") if isinstance(field_schema, dict) else None
    if isinstance(enum, list) and all(isinstance(value, str) for value in enum):
        return frozenset(enum)
    return None  # an open field (e.g. with `known` values): any value may have its tag


def _sections(raw: dict[str, Any]) -> SectionSpec:
    title = raw.get("title")
    return SectionSpec(
        title_level=title.get("level", 1) if title is not None else None,
        title_required=title.get("required", True) if title is not None else False,
        level=raw.get("level", 2),
        order=tuple(
            Section(s["name"], tuple(s.get("aliases", ())), s.get("required", True))
            for s in raw.get("order", ())
        ),
    )
