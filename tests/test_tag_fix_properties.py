"""Property: whatever shape a tags list takes, fixing never leaves a tag twice, never loses a
tag the list held, and never brings a finding the note did not have (issue #12, §2.2-§2.5, §3).

Hypothesis draws a list of items (vocabulary tags, wrong bucket or field tags, tags without `#`
or in upper case, unquoted `- #tag` comment items, two tags in one string, repeats), a block or
flow style, field values inside or outside the vocabulary, and a total above its parts or not.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RECIPE_SCHEMA, fix_bytes, lint_bytes
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import latent_tags, normalize_tag, tag_list
from vaultlint.schema.loader import load_schema

SPEC = load_schema(RECIPE_SCHEMA).extension.tags
assert SPEC is not None
VOCABULARY = [
    "#cuisine/thaï",
    "#type/plat-principal",
    "#type/dessert",
    "#protéine/poulet",
    "#protéine/porc",
    "#protéine/veau",
    "#temps/moyen",
    "#temps/long",
    "#temps/préparation-avance",
    "#difficulté/débutant",
    "#cuisson/wok",
    "#occasion/festif",
    "#occasion/weekend",
    "#saveur/epice",
    "#saveur/épicé",
]


@st.composite
def items(draw: st.DrawFn, flow: bool) -> str:
    tag = draw(st.sampled_from(VOCABULARY))
    shapes = ["quoted", "single", "no-hash", "upper", "pair"] + ([] if flow else ["comment"])
    shape = draw(st.sampled_from(shapes))
    if shape == "quoted":
        return f'"{tag}"'
    if shape == "single":
        return f"'{tag}'"
    if shape == "no-hash":
        return f'"{tag[1:]}"'
    if shape == "upper":
        return f'"{tag.upper()}"'
    if shape == "pair":
        return f'"{tag}, {draw(st.sampled_from(VOCABULARY))}"'
    return tag  # unquoted: YAML reads a comment


@st.composite
def notes(draw: st.DrawFn) -> bytes:
    flow = draw(st.booleans())
    listed = draw(st.lists(items(flow), min_size=1, max_size=11))
    protein = draw(st.sampled_from(["poulet", "mixte", "oeuf", "porc"]))
    kind = draw(st.sampled_from(["plat-principal", "ressource", "desert"]))
    total = draw(st.sampled_from([45, 40, 90, '"90"']))
    if flow:
        tags = "tags: [" + ", ".join(listed) + "]\n"
    else:
        tags = "tags:\n" + "".join(f"  - {item}\n" for item in listed)
    text = (
        "---\ncuisine: thaï\n"
        f"type: {kind}\ntemps_prep: 20\ntemps_cuisson: 25\ntemps_total: {total}\n"
        f"portions: 4\ndifficulté: débutant\nprotéine: {protein}\nsource: YouTube\n"
        f"date_ajout: 2025-10-12\n{tags}---\n\n# Pad thaï\n\n## Informations rapides\n\nx\n\n"
        "## Ingrédients\n\n- riz\n\n## Étapes\n\n1. cuire\n\n## Source\n\nYouTube\n"
    )
    return text.encode()


def _tags(raw: bytes) -> list[str]:
    assert SPEC is not None
    found = tag_list(Note.from_bytes(raw), SPEC)
    return found.tags if found is not None else []


def _held(raw: bytes) -> set[str]:
    """Every tag the note means, read or commented out, split where a string holds two."""
    assert SPEC is not None
    held = set()
    for line in raw.decode().split("---")[1].splitlines():
        for written in line.replace("[", ",").replace("]", ",").replace("- ", ",").split(","):
            piece = written.strip().strip("'\"")
            if piece.startswith(
                ("#", "cuisine", "type", "prot", "temps", "diff", "cuiss", "occ")
            ) and ("/" in piece):
                held.add(normalize_tag(piece, SPEC))
    return held


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes(), st.booleans())
def test_fixing_a_tags_list_leaves_no_tag_twice_and_brings_nothing_new(
    raw: bytes, unsafe: bool
) -> None:
    fixed = fix_bytes(raw, unsafe=unsafe).fixed
    after = _tags(fixed)
    assert [t for t, n in Counter(after).items() if n > 1] == []
    before, after_fix = lint_bytes(raw).diagnostics, lint_bytes(fixed).diagnostics
    new = {d.rule for d in after_fix} - {d.rule for d in before}
    # Quoting `- #protéine/veau` or splitting a string of two tags shows a tag YAML did not read
    # before: a finding about it (outside the vocabulary, contradicting its field) is then true
    # of what the author wrote, not brought by the fix.
    assert SPEC is not None
    revealed = set(latent_tags(Note.from_bytes(raw), SPEC))
    for rule in list(new):
        messages = [d.message for d in after_fix if d.rule == rule]
        if all(any(f'"{tag}"' in message for tag in revealed) for message in messages):
            new.discard(rule)
    # Several fixes adding tags in one pass may together pass the convention's most tags; each
    # checks its own addition only, and the fixer's re-lint (issue #12, §2.1) withholds the rest.
    new.discard("tag-count")
    assert new == set()
    # No tag the note held is lost, save a time bucket or a field tag replaced by the right one.
    lost = _held(raw) - _held(fixed)
    replaceable = ("#temps/", "#type/", "#protéine/", "#saveur/", "#cuisine/", "#difficulté/")
    assert {t for t in lost if not t.startswith(replaceable)} == set()
