"""Time: the total and its parts, rest fields, the advance tag and the time buckets."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from vaultlint.infer.common import JSON, MAX_TIME_FIELDS, ROUND_STEPS, SEARCH_SAMPLE, Thresholds
from vaultlint.infer.tags import TagFacts


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
    # The tag that explains: carried by most notes whose total exceeds the parts (the others
    # are what the rule is for: a missing tag, an unexplained total), and rarely elsewhere.
    candidates = [
        tag
        for tag, count in excess.items()
        if count >= 0.5 * excess_notes and count >= thresholds.agreement * (count + exact[tag])
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
