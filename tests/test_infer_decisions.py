"""Each decision of `schema infer`, on a small hand-made vault (issue #13).

A majority heading and its alias, a bucket boundary, a typo variant, a free-text field, a field
linked to a tag namespace; then what only the vault around the notes says (pages, folders), and
the schema a person keeps (aliases carried over, stable after `fix`).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from vaultlint.commands.infer import InferRequest, run_infer
from vaultlint.infer import NoteSample, infer_schema, sample_note
from vaultlint.runner import RunOptions


def note(frontmatter: str, body: str = "# Titre\n", path: str = "<note>") -> NoteSample:
    return sample_note(f"---\n{frontmatter}---\n\n{body}".encode(), path)


def infer(samples: list[NoteSample], **options: Any) -> dict[str, Any]:
    return infer_schema(samples, title="test", **options).schema


def sections_of(bodies: list[str]) -> list[dict[str, Any]]:
    order = infer([note("a: 1\n", body) for body in bodies])["x-vaultlint"]["sections"]["order"]
    assert isinstance(order, list)
    return order


def headings(*names: str) -> str:
    return "# Titre\n\n" + "".join(f"## {name}\n\ntexte\n\n" for name in names)


# ------------------------------------------------------------------------- sections


def test_the_majority_heading_is_the_name_and_a_translation_in_its_place_an_alias() -> None:
    bodies = [headings("Ingredients", "Steps", "Source")] * 30
    bodies += [headings("Ingredients", "Étapes", "Source")] * 4  # in the place of Steps
    assert sections_of(bodies) == [
        {"name": "Ingredients"},
        {"name": "Steps", "aliases": ["Étapes"]},
        {"name": "Source"},
    ]


def test_a_heading_in_a_sections_place_in_too_few_notes_is_no_alias() -> None:
    bodies = [headings("Ingredients", "Steps", "Source")] * 300
    bodies += [headings("Ingredients", "Méthode", "Source")] * 2  # 2 notes: chance, or a typo
    assert sections_of(bodies) == [{"name": "Ingredients"}, {"name": "Steps"}, {"name": "Source"}]


def test_a_close_spelling_of_the_name_is_an_alias_even_in_one_note() -> None:
    bodies = [headings("Ingredients", "Steps")] * 300 + [headings("Ingrédients", "Steps")]
    assert sections_of(bodies)[0] == {"name": "Ingredients", "aliases": ["Ingrédients"]}


def test_a_section_has_at_most_two_aliases_the_most_used() -> None:
    bodies = [headings("Ingredients", "Steps")] * 100
    for alias, count in (("Étapes", 6), ("Méthode", 5), ("Préparation", 4)):
        bodies += [headings("Ingredients", alias)] * count
    assert sections_of(bodies)[1] == {"name": "Steps", "aliases": ["Méthode", "Étapes"]}


def test_pages_without_frontmatter_teach_no_section() -> None:
    notes = [note("a: 1\n", headings("Ingredients", "Steps"))] * 20
    pages = [
        sample_note(f"# Index\n\n## 🍝 Italienne {i}\n\n- [a](a.md)\n".encode()) for i in range(20)
    ]
    order = infer([*notes, *pages])["x-vaultlint"]["sections"]["order"]
    assert order == [{"name": "Ingredients"}, {"name": "Steps"}]


def test_the_aliases_of_the_replaced_schema_are_kept_once_fix_renamed_them() -> None:
    # After `fix`, no note says `Étapes` any more: the owner's schema still does.
    previous = {"x-vaultlint": {"sections": {"order": [{"name": "Steps", "aliases": ["Étapes"]}]}}}
    bodies = [headings("Ingredients", "Steps")] * 20
    order = infer([note("a: 1\n", b) for b in bodies], previous=previous)["x-vaultlint"]
    assert order["sections"]["order"][1] == {"name": "Steps", "aliases": ["Étapes"]}


# ----------------------------------------------------------------------------- time


def timed(total: int, bucket: str, extra: str = "") -> NoteSample:
    tags = json.dumps([f"#temps/{bucket}", *([extra] if extra else [])])
    return note(f"prep: {total - total // 2}\ncook: {total // 2}\ntotal: {total}\ntags: {tags}\n")


def test_the_bucket_boundary_comes_from_the_data_and_is_the_roundest() -> None:
    samples = [timed(minutes, "rapide") for minutes in (10, 14, 18, 20, 25, 28) * 5]
    samples += [timed(minutes, "long") for minutes in (35, 40, 50, 90, 120) * 5]
    ranges = infer(samples)["x-vaultlint"]["time"]["buckets"]["ranges"]
    # Any bound from 28 to 34 splits the notes; people write 30.
    assert ranges == [{"max": 30, "value": "rapide"}, {"value": "long"}]


def test_the_advance_tag_explains_most_totals_above_the_parts() -> None:
    samples = [timed(minutes, "rapide") for minutes in (10, 20, 30) * 20]
    marinated = 'prep: 10\ncook: 10\ntotal: 140\ntags: ["#temps/rapide", "#temps/avance"]\n'
    samples += [note(marinated)] * 8
    # Two totals above their parts without the tag: the problems the rule is for.
    samples += [note('prep: 10\ncook: 10\ntotal: 90\ntags: ["#temps/rapide"]\n')] * 2
    assert infer(samples)["x-vaultlint"]["time"]["advance_tag"] == "#temps/avance"


# ---------------------------------------------------------------------------- values


def test_a_typo_variant_is_reported_not_kept() -> None:
    values = ["air-fryer"] * 30 + ["four"] * 40 + ["airfryer"] * 3 + ["Four"] * 2
    schema = infer([note(f"cuisson: {value}\n") for value in values])
    cuisson = schema["properties"]["cuisson"]
    assert cuisson["enum"] == ["air-fryer", "four"]
    assert cuisson["description"] == (
        "In 75 of 75 notes with frontmatter. Spelling variants of cuisson values, left out as "
        'typos to review: "airfryer" (3 notes) for "air-fryer", "Four" (2 notes) for "four".'
    )


def test_case_variants_of_a_name_make_one_open_value_not_an_enum() -> None:
    values = ["Instagram"] * 40 + ["instagram"] * 8 + ["YouTube"] * 30 + ["Livre"] * 5
    schema = infer([note(f"source: {value}\n") for value in values])
    assert schema["properties"]["source"] == {
        "type": "string",
        "minLength": 1,
        "description": "In 83 of 83 notes with frontmatter. Spelling variants of source values, "
        'left out as typos to review: "instagram" (8 notes) for "Instagram".',
    }
    assert schema["x-vaultlint"]["fields"] == {
        "source": {"known": ["Instagram", "Livre", "YouTube"]}
    }


def test_free_text_is_never_an_enum() -> None:
    titles = [
        note(f"titre: Recette numéro {i}\nauteur: {['Léa', 'Tom'][i % 2]} B.\n") for i in range(40)
    ]
    schema = infer(titles)
    assert schema["properties"]["titre"] == {
        "type": "string",
        "minLength": 1,
        "description": "In 40 of 40 notes with frontmatter.",
    }
    assert "titre" not in schema.get("x-vaultlint", {}).get("fields", {})
    assert schema["x-vaultlint"]["fields"] == {"auteur": {"known": ["Léa B.", "Tom B."]}}


def test_small_but_real_support_is_kept_and_a_folder_of_its_own_vouches() -> None:
    samples = [note("cuisine: française\n")] * 300 + [note("cuisine: grecque\n")] * 3
    samples += [note("cuisine: belge\n", path="Recettes/Belge/Waterzooi.md")]
    samples += [note("cuisine: fete\n")]  # one note, no folder: a typo to review
    cuisine = infer(samples)["properties"]["cuisine"]
    assert cuisine["enum"] == ["belge", "française", "grecque"]
    assert (
        'Rare cuisine values, left out (add the real ones): "fete" (1 note).'
        in (cuisine["description"])
    )


def tagged_note(protein: str, tag: str) -> NoteSample:
    return note(f'protéine: {protein}\ntags: ["#protéine/{tag}", "#type/plat"]\n')


def test_a_field_linked_to_a_tag_namespace_takes_the_values_its_tags_vouch_for() -> None:
    samples = [tagged_note("poulet", "poulet")] * 40 + [tagged_note("Porc", "porc")] * 30
    samples += [tagged_note("mixte", "poulet")] * 5  # its tag disagrees: not a protein of theirs
    schema = infer(samples)
    # Mirrored by #protéine/…, `Porc` is a category even with a capital: an enum, in its spelling.
    assert schema["properties"]["protéine"]["enum"] == ["Porc", "poulet"]
    assert (
        'Rare protéine values, left out (add the real ones): "mixte" (5 notes).'
        in (schema["properties"]["protéine"]["description"])
    )
    namespaces = schema["x-vaultlint"]["tags"]["namespaces"]
    assert namespaces["protéine"] == {"level": "required", "field": "protéine"}
    assert namespaces["type"] == {"level": "required", "values": ["plat"]}


def test_the_tag_count_leaves_out_only_the_tails() -> None:
    def with_tags(count: int) -> NoteSample:
        return note(f"tags: {json.dumps([f'#t/v{i}' for i in range(count)])}\n")

    samples = [with_tags(6 + i % 5) for i in range(400)] + [with_tags(1), with_tags(20)]
    assert infer(samples)["x-vaultlint"]["tags"]["count"] == {"min": 6, "max": 10}


def test_nfd_keys_and_values_are_the_same_field() -> None:
    nfc = note("difficulté: débutant\n")
    nfd = note("difficulte\u0301: de\u0301butant\n")
    schema = infer([nfc] * 10 + [nfd] * 2)
    assert list(schema["properties"]) == ["difficulté"]
    assert schema["properties"]["difficulté"]["enum"] == ["débutant"]


# ------------------------------------------------------------------ the command itself


def test_infer_skips_the_configs_pages(tmp_path: Path) -> None:
    (tmp_path / ".vaultlint.toml").write_text('pages = ["index/"]\n', "utf-8")
    (tmp_path / "index").mkdir()
    for i in range(5):
        (tmp_path / f"n{i}.md").write_text(f"---\na: {i}\n---\n# N\n\n## Étapes\n", "utf-8")
        (tmp_path / "index" / f"p{i}.md").write_text("---\nb: 1\n---\n# P\n\n## Liens\n", "utf-8")
    output = tmp_path / "out.json"
    err = io.StringIO()
    assert (
        run_infer(RunOptions(cache=False), InferRequest([tmp_path], output), io.StringIO(), err)
        == 0
    )
    schema = json.loads(output.read_text("utf-8"))
    assert list(schema["properties"]) == ["a"]
    assert [s["name"] for s in schema["x-vaultlint"]["sections"]["order"]] == ["Étapes"]
    assert "from 5 notes (5 with frontmatter)" in err.getvalue()
