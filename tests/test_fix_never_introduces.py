"""A property across every rule (issue #12): random notes with random problems, as a real vault
has them; after `fix` (safe or unsafe), checking again reports a subset of what the first check
reported (compared by rule and subject, positions aside), and no tag stands twice in the list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import recipe_schema, select
from tests.test_cli import clean_note
from vaultlint.diagnostic import Applicability
from vaultlint.engine import lint
from vaultlint.fixer import fix_note
from vaultlint.note import Note
from vaultlint.subjects import canonical, introduced, subjects

Mutation = Callable[[str, st.DataObject], str]


def _replace_line(text: str, start: str, data: st.DataObject, choices: list[str]) -> str:
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[index] = start + data.draw(st.sampled_from(choices))
    return "\n".join(lines)


def _tag_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if line.startswith('  - "#')]


def _on_a_tag(text: str, data: st.DataObject, change: Callable[[str], list[str]]) -> str:
    lines = text.split("\n")
    tags = _tag_lines(text)
    if not tags:
        return text
    index = data.draw(st.sampled_from(tags))
    lines[index : index + 1] = change(lines[index])
    return "\n".join(lines)


MUTATIONS: dict[str, Mutation] = {
    "total": lambda t, d: _replace_line(t, "temps_total: ", d, ["0", "45", "200", "1670", '"230"']),
    "protein": lambda t, d: _replace_line(
        t, "protéine: ", d, ["mixte", "oeuf", "œuf", "volaille", "canard", "n/a", "Porc", "porcs"]
    ),
    "type": lambda t, d: _replace_line(
        t, "type: ", d, ["ressource", "autre", "Dessert", "plat principal", "desert"]
    ),
    "cuisine": lambda t, d: _replace_line(
        t, "cuisine: ", d, ["Americaine", "multi-cuisine", "thai", "thaï", "belge"]
    ),
    "difficulty": lambda t, d: _replace_line(t, "difficulté: ", d, ["Débutant", "facile"]),
    "drop-tag": lambda t, d: _on_a_tag(t, d, lambda line: []),
    "double-tag": lambda t, d: _on_a_tag(t, d, lambda line: [line, line]),
    "unquote-tag": lambda t, d: _on_a_tag(t, d, lambda line: [line.replace('"', "")]),
    "no-hash": lambda t, d: _on_a_tag(t, d, lambda line: [line.replace('"#', '"')]),
    "upper-tag": lambda t, d: _on_a_tag(t, d, lambda line: [line.upper()]),
    "bucket": lambda t, d: t.replace(
        "#temps/long", "#temps/" + d.draw(st.sampled_from(["express", "rapide", "moyen"]))
    ),
    "placeholder-tag": lambda t, d: t.replace(
        '  - "#cuisine/', '  - #cuisine/[origine]\n  - "#cuisine/', 1
    ),
    "two-in-one": lambda t, d: t.replace(
        '"#occasion/festif"', '"#occasion/festif, #occasion/weekend"'
    ),
    "advance": lambda t, d: t.replace(
        '  - "#temps/long"', '  - "#temps/long"\n  - "#temps/préparation-avance"'
    ),
    "rest": lambda t, d: t.replace("portions:", "temps_repos: 60\nportions:", 1),
    "heading": lambda t, d: t.replace(
        "## Steps", d.draw(st.sampled_from(["### Steps", "## Étapes", "# Steps", "## Etapes"]))
    ),
    "nfd": lambda t, d: unicodedata.normalize("NFD", t),
    "crlf": lambda t, d: t.replace("\n", "\r\n"),
}


@st.composite
def dirty_notes(draw: st.DrawFn) -> bytes:
    data = draw(st.data())
    text = clean_note().decode("utf-8")
    names = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=4, unique=True))
    for name in sorted(names, key=lambda n: n in ("nfd", "crlf")):  # text first, then forms
        text = MUTATIONS[name](text, data)
    raw = text.encode("utf-8")
    if draw(st.booleans()) and draw(st.integers(0, 5)) == 0:
        raw = text.encode("utf-8").decode("mac_roman").encode("utf-8")  # the seed's mojibake
    return raw


def _tags(note: Note) -> list[str]:
    frontmatter = note.frontmatter
    data = frontmatter.data if frontmatter is not None else None
    tags = data.get("tags") if isinstance(data, dict) else None
    return (
        [canonical(tag) for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=dirty_notes(), unsafe=st.booleans())
def test_fix_then_check_reports_a_subset_and_no_tag_twice(raw: bytes, unsafe: bool) -> None:
    schema, selection = recipe_schema(), select()
    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    note = Note.from_bytes(raw)
    first = lint(note, schema, selection)
    outcome = fix_note(note, schema, selection, minimum, first=first)
    fixed = Note.from_bytes(outcome.fixed)
    again = lint(fixed, schema, selection)
    brought = introduced(subjects(first.stages()), subjects(again.stages()))
    assert not brought, (brought, outcome.fixed.decode("utf-8", "replace"))
    tags = _tags(fixed)
    if outcome.changed:
        twice = {tag for tag in tags if tags.count(tag) > 1}
        before = _tags(note)
        assert not twice - {tag for tag in before if before.count(tag) > 1}
