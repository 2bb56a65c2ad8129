"""Property: a clean note in any YAML style, broken in one fixable way, is fixed back to itself.

Hypothesis draws the style (key order, quotes, list style and indent, comments, CRLF, BOM, final
newline) and the problem (a wrong total, a missing field tag, a wrong time bucket, an English
heading). Fixing the broken note must give back the clean note byte for byte, so exactly the
broken line differs, the data is as expected, and a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import fix_bytes, lint_bytes

FIELDS = {
    "cuisine": "thaï",
    "type": "plat-principal",
    "temps_prep": 15,
    "temps_cuisson": 25,
    "temps_total": 40,
    "portions": 4,
    "difficulté": "débutant",
    "protéine": "poulet",
    "source": "YouTube",
    "date_ajout": "2025-10-12",
}
TAGS = [
    "#saveur/épicé",
    "#cuisson/wok",
    "#temps/moyen",
    "#difficulté/débutant",
    "#cuisine/thaï",
    "#type/plat-principal",
    "#protéine/poulet",
]


@dataclass(frozen=True)
class Style:
    order: tuple[str, ...]
    quote: str  # for the text fields
    tag_quote: str
    list_style: str  # block0 | block2 | block4 | flow | flow-tight | flow-spaced
    total_comment: bool
    header_comment: bool
    crlf: bool
    bom: bool
    final_newline: bool


styles = st.builds(
    Style,
    order=st.permutations(list(FIELDS)).map(tuple),
    quote=st.sampled_from(["", '"', "'"]),
    tag_quote=st.sampled_from(['"', "'"]),
    list_style=st.sampled_from(["block0", "block2", "block4", "flow", "flow-tight", "flow-spaced"]),
    total_comment=st.booleans(),
    header_comment=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    final_newline=st.booleans(),
)


def render(
    style: Style, tags: list[str], total: int = 40, ingredients: str = "Ingredients"
) -> bytes:
    lines = ["---"]
    if style.header_comment:
        lines.append("# importée depuis YouTube")
    for key in style.order:
        value = total if key == "temps_total" else FIELDS[key]
        text = f"{style.quote}{value}{style.quote}" if isinstance(value, str) else str(value)
        if key == "date_ajout":
            text = str(value)
        comment = "   # sans repos" if key == "temps_total" and style.total_comment else ""
        lines.append(f"{key}: {text}{comment}")
    quoted = [f"{style.tag_quote}{tag}{style.tag_quote}" for tag in tags]
    if style.list_style.startswith("block"):
        indent = {"block0": "", "block2": "  ", "block4": "    "}[style.list_style]
        lines += ["tags:", *(f"{indent}- {tag}" for tag in quoted)]
    else:
        separator = "," if style.list_style == "flow-tight" else ", "
        inside = separator.join(quoted)
        lines.append(
            f"tags: [ {inside} ]" if style.list_style == "flow-spaced" else f"tags: [{inside}]"
        )
    lines += ["---", "", "# Curry vert", "", "## Informations rapides", "", "Vite fait.", ""]
    lines += [
        f"## {ingredients}",
        "",
        "- 400 ml de lait de coco",
        "",
        "## Steps",
        "",
        "1. Cuire.",
        "",
    ]
    lines += ["## Source", "", "Lien : https://example.com"]
    newline = "\r\n" if style.crlf else "\n"
    text = newline.join(lines) + (newline if style.final_newline else "")
    return ("\ufeff" if style.bom else "").encode() + text.encode("utf-8")


def problems(note: bytes) -> list[str]:
    return [finding.rule for finding in lint_bytes(note).findings("note.md")]


@settings(max_examples=60, deadline=None)
@given(style=styles, kind=st.sampled_from(["total", "missing-tag", "bucket", "heading"]))
def test_one_injected_problem_is_fixed_back_to_the_clean_note(style: Style, kind: str) -> None:
    clean = render(style, TAGS)
    assert problems(clean) == []
    if kind == "total":
        broken = render(style, TAGS, total=35)  # below 15 + 25, same bucket
    elif kind == "missing-tag":
        broken = render(style, TAGS[:-1])  # the last tag, so that adding it back restores order
    elif kind == "bucket":
        broken = render(style, [t.replace("#temps/moyen", "#temps/rapide") for t in TAGS])
    else:
        broken = render(style, TAGS, ingredients="Ingrédients")
    assert len(problems(broken)) == 1
    fixed = fix_bytes(broken)
    assert fixed.fixed == clean
    again = fix_bytes(fixed.fixed)
    assert again.fixed == clean
    assert not again.applied


@settings(max_examples=30, deadline=None)
@given(style=styles)
def test_a_clean_note_in_any_style_is_left_alone(style: Style) -> None:
    clean = render(style, TAGS)
    outcome = fix_bytes(clean)
    assert outcome.fixed == clean
    assert not outcome.applied
