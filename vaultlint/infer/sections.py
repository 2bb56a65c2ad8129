"""Sections: the title, the canonical sections in their usual order, their aliases."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vaultlint.infer.common import JSON, SECTION_LEVEL, Thresholds
from vaultlint.infer.values import variant_key
from vaultlint.markdown import Heading


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
    least = thresholds.least(notes)  # a stand-in in fewer notes is a typo, not a spelling
    for section in order:
        have = len(where.get(section, ()))
        if have < 0.5 * notes or section in aliases:
            continue
        found = []
        for alias in sorted(where):
            count = len(where[alias])
            if alias == section or alias in aliases or count >= have:
                continue
            # A spelling of the name itself (`Ingrédients`) is the section however rare; another
            # heading in its place (`Étapes` for `Steps`) needs support to be more than chance.
            if count < least and variant_key(alias) != variant_key(section):
                continue
            holding = [facts.sequences[index] for index in where[alias]]
            if _stands_in(
                holding, alias, section, counts=(have, notes), order=order, limits=thresholds
            ):
                found.append((-count, alias))
        # The most used stand-ins only: a third spelling of a section is a typo to fix.
        for _, alias in sorted(found)[: thresholds.max_aliases]:
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
    if variant_key(alias) == variant_key(section):  # `Ingrédients` for `Ingredients`
        return both <= (1 - limits.agreement) * len(holding)
    rank = {name: index for index, name in enumerate(order)}
    in_place = 0
    for sequence in holding:
        if section in sequence:
            continue
        ranks = [rank[section if n == alias else n] for n in sequence if n in rank or n == alias]
        in_place += ranks == sorted(ranks)
    return in_place >= limits.agreement * len(holding)


def infer_sections(
    bodies: list[tuple[Heading, ...]],
    thresholds: Thresholds,
    previous: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, JSON] | None:
    """The `sections` block. `previous`: section name -> the aliases the schema being replaced
    gave it. They are kept: once `fix` has renamed every alias, the notes no longer show it."""
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
        others = {facts.names[n].casefold() for n in order}
        for alias in (previous or {}).get(facts.names[name], ()):
            if alias not in spelled and alias.casefold() not in others:
                spelled.append(alias)
        spelled = sorted(spelled[: thresholds.max_aliases])
        if spelled:
            entry["aliases"] = spelled
        if having < thresholds.required * notes:
            entry["required"] = False
        sections.append(entry)
    if not sections and "title" not in spec:
        return None
    spec["order"] = sections
    return spec
