"""`vaultlint schema infer`: a starting schema that loads, and that flags what the vault gets wrong.

Unit tests build notes from bytes; the end-to-end tests infer from the bundled sample vault and
from a generated vault of 1,000 notes with injected problems, then check the vault against the
inferred schema and score the findings with the shared `recall.py`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, shared_path
from vaultlint.commands.infer import InferRequest, run_infer
from vaultlint.errors import UsageError
from vaultlint.infer import NoteSample, Thresholds, infer_schema, sample_note
from vaultlint.reporters import ReportContext
from vaultlint.reporters import json as json_reporter
from vaultlint.runner import Runner, RunOptions
from vaultlint.schema.loader import load_schema

SEEDS = PROJECT / "seeds"


def note(frontmatter: str, body: str = "# Titre\n") -> NoteSample:
    return sample_note(f"---\n{frontmatter}---\n\n{body}".encode())


def infer(samples: list[NoteSample], **thresholds: Any) -> dict[str, Any]:
    return infer_schema(samples, title="test", thresholds=Thresholds(**thresholds)).schema


def write_schema(schema: dict[str, Any], folder: Path) -> Path:
    path = folder / "inferred.schema.json"
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def many(count: int, make: Callable[[int], NoteSample]) -> list[NoteSample]:
    return [make(i) for i in range(count)]


# --------------------------------------------------------------------------- fields


def test_required_means_in_at_least_90_percent_of_the_notes_with_frontmatter() -> None:
    samples = [
        note("a: 1\n" + ("b: 1\n" if i < 9 else "") + ("c: 1\n" if i < 8 else ""))
        for i in range(10)
    ]
    samples.append(sample_note(b"# A note without frontmatter\n"))
    assert infer(samples)["required"] == ["a", "b"]  # a 10/10, b 9/10; c 8/10 is optional


def test_types_and_minimum_from_the_values() -> None:
    samples = many(
        20,
        lambda i: note(
            f"count: {i}\nportions: {i + 1}\nratio: {i / 2}\nflag: {'true' if i % 2 else 'false'}\n"
            f"items: [x{i}, y{i}]\nwhen: 2025-01-{i + 1:02}\nlink: https://example.org/{i}\n"
            f"nested: {{k: {i}}}\nname: Recette numéro {i}\n"
        ),
    )
    properties = infer(samples)["properties"]
    assert properties["count"] | {"description": ""} == {
        "type": "integer",
        "minimum": 0,
        "description": "",
    }
    assert properties["portions"]["minimum"] == 1
    assert properties["ratio"]["type"] == "number"
    assert properties["flag"]["type"] == "boolean"
    assert properties["items"]["type"] == "array"
    assert properties["items"]["items"] == {"type": "string", "minLength": 1}
    assert properties["when"]["format"] == "date"
    assert properties["link"]["format"] == "uri"
    assert properties["nested"]["type"] == "object"
    assert properties["name"] == {
        "type": "string",
        "minLength": 1,
        "description": "In 20 of 20 notes with frontmatter.",
    }


def test_a_rare_type_is_left_out_and_named() -> None:
    samples = [note(f"portions: {i % 6 + 1}\n") for i in range(199)]
    samples.append(note('portions: "quatre"\n'))
    portions = infer(samples)["properties"]["portions"]
    assert portions["type"] == "integer"
    assert portions["minimum"] == 1
    assert (
        "Also seen as string in 1 note: left out as probable mistakes." in (portions["description"])
    )


def test_integers_beside_frequent_floats_make_a_number() -> None:
    samples = [note(f"rating: {i % 5 + 0.5 if i % 2 else i % 5}\n") for i in range(20)]
    assert infer(samples)["properties"]["rating"]["type"] == "number"


def test_low_cardinality_text_is_an_enum_and_rare_values_are_named_as_typos() -> None:
    values = ["thaï"] * 120 + ["japonaise"] * 78 + ["thai", "Japonaise "]
    cuisine = infer([note(f"cuisine: {value!r}\n") for value in values])["properties"]["cuisine"]
    assert cuisine["enum"] == ["japonaise", "thaï"]
    assert cuisine["description"] == (
        "In 200 of 200 notes with frontmatter. Spelling variants of cuisine values, left out as "
        'typos to review: "Japonaise " (1 note) for "japonaise", "thai" (1 note) for "thaï".'
    )


def test_many_distinct_values_are_no_enum() -> None:
    samples = [note(f"source: source-{i % 30}\n") for i in range(300)]  # 30 > 12 values
    assert "enum" not in infer(samples)["properties"]["source"]
    unique = [note(f"chef: chef-{i}\n") for i in range(5)]  # used once each: not categories
    assert "enum" not in infer(unique)["properties"]["chef"]


def test_dates_and_links_are_formats_not_enums() -> None:
    samples = many(10, lambda i: note(f"date_ajout: 2025-11-0{1 + i % 2}\n"))
    assert infer(samples)["properties"]["date_ajout"] == {
        "type": "string",
        "format": "date",
        "minLength": 1,
        "description": "In 10 of 10 notes with frontmatter.",
    }


def test_rare_keys_are_left_out_and_named_in_the_comment() -> None:
    samples = [note("cuisine: thaï\n") for _ in range(199)] + [note("cusine: thaï\n")]
    schema = infer(samples)
    assert list(schema["properties"]) == ["cuisine"]
    assert schema["$comment"] == (
        "Rare keys left out of the properties (probable typos): 'cusine' (1 note, probably "
        "'cuisine')."
    )


def test_properties_follow_the_vaults_usual_key_order() -> None:
    samples = [note("zeta: 1\nalpha: 2\nmid: 3\n"), note("zeta: 1\nmid: 3\nalpha: 2\n")] * 3
    assert list(infer(samples)["properties"]) == ["zeta", "alpha", "mid"]


# ----------------------------------------------------------------------------- tags


def tagged(i: int, *, cuisine: str | None = None, extra: str = "") -> NoteSample:
    cuisine = cuisine or ("thaï" if i % 2 else "italienne")
    tags = [f"#cuisine/{cuisine}", f"#occasion/{'semaine' if i % 3 else 'festif'}"]
    if i % 4:
        tags.append("#diet/léger")
    listed = "".join(f'  - "{tag}"\n' for tag in [*tags, *([extra] if extra else [])])
    return note(f"cuisine: {cuisine}\ntags:\n{listed}")


def test_tag_conventions_namespaces_levels_and_field_links() -> None:
    samples = many(100, tagged)
    tags = infer(samples)["x-vaultlint"]["tags"]
    assert tags == {
        "field": "tags",
        "prefix": "#",
        "separator": "/",
        "word_separator": "-",
        "case": "lower",
        "count": {"min": 2, "max": 3},
        "closed": True,
        "namespaces": {
            "cuisine": {"level": "required", "field": "cuisine"},
            "diet": {"level": "recommended", "values": ["léger"]},
            "occasion": {"level": "required", "values": ["festif", "semaine"]},
        },
    }


def test_rare_tag_values_and_namespaces_are_named_as_typos() -> None:
    samples = [*many(199, tagged), tagged(3, extra="#ocasion/festif")]
    samples[5] = tagged(5, extra="#occasion/semiane")
    schema = infer(samples)
    assert "ocasion" not in schema["x-vaultlint"]["tags"]["namespaces"]
    description = schema["properties"]["tags"]["description"]
    assert "Tag namespaces left out as typos to review: #ocasion/… (1 note)." in description
    assert (
        'Rare #occasion/… tag values, left out (add the real ones): "semiane" (1 note, probably '
        '"semaine").'
    ) in description


def test_tags_without_prefix_and_many_bare_tags_open_the_vocabulary() -> None:
    samples = many(20, lambda i: note(f"tags: [cuisine/thaï, recette{i % 2}]\n"))
    tags = infer(samples)["x-vaultlint"]["tags"]
    assert tags["prefix"] == ""
    assert tags["closed"] is False


def test_the_tags_list_allows_null_items_for_tag_format_to_report() -> None:
    samples = [note('tags:\n  - "#a/b"\n  - #c/d\n')] * 3
    assert infer(samples)["properties"]["tags"]["items"] == {"type": ["string", "null"]}


# ----------------------------------------------------------------------------- time


def timed(i: int) -> NoteSample:
    prep, cook = 5 + (i * 7) % 40, (i * 13) % 120
    rest = [0, 0, 0, 0, 60, 0, 120][i % 7]
    written_rest = rest and i % 2
    total = prep + cook + rest
    active = prep + cook
    bucket = "express" if active <= 15 else "rapide" if active <= 30 else "moyen"
    bucket = bucket if active <= 60 else "long"
    if not rest:
        bucket = (
            "express"
            if total <= 15
            else "rapide"
            if total <= 30
            else "moyen"
            if total <= 60
            else "long"
        )
    tags = [f"#temps/{bucket}"] + (["#temps/avance"] if rest else [])
    fields = f"prep: {prep}\ncook: {cook}\n" + (f"repos: {rest}\n" if written_rest else "")
    return note(f"{fields}total: {total}\nservings: {i % 4 + 1}\ntags: {json.dumps(tags)}\n")


def test_time_sum_rest_advance_tag_and_buckets() -> None:
    time = infer(many(300, timed))["x-vaultlint"]["time"]
    assert time == {
        "total": "total",
        "parts": ["prep", "cook"],
        "rest": ["repos"],
        "advance_tag": "#temps/avance",
        "buckets": {
            "namespace": "temps",
            "ranges": [
                {"max": 15, "value": "express"},
                {"max": 30, "value": "rapide"},
                {"max": 60, "value": "moyen"},
                {"value": "long"},
            ],
        },
    }


def test_no_time_sum_when_totals_do_not_add_up() -> None:
    samples = many(20, lambda i: note(f"a: {i}\nb: {i * 2}\nc: {i * 5 + 1}\n"))
    assert "time" not in infer(samples)["x-vaultlint"]


# ------------------------------------------------------------------------- sections


def body(*headings: str) -> str:
    return "# Titre\n\n" + "".join(f"{heading}\n\ntexte\n\n" for heading in headings)


def test_sections_in_their_usual_order_with_aliases_and_required() -> None:
    usual = ["## Ingrédients", "## Étapes", "## Notes", "## Source"]
    samples = []
    for i in range(40):
        headings = [h for h in usual if h != "## Notes" or i % 3 == 0]
        if i % 10 == 7:
            headings[0] = "## Ingredients"  # stands in for Ingrédients, in its place
        if i == 8:
            headings[1] = "### Étapes"  # a mis-levelled section still counts as present
        samples.append(note("a: 1\n", body(*headings)))
    sections = infer(samples)["x-vaultlint"]["sections"]
    assert sections == {
        "title": {"level": 1},
        "level": 2,
        "order": [
            {"name": "Ingrédients", "aliases": ["Ingredients"]},
            {"name": "Étapes"},
            {"name": "Notes", "required": False},
            {"name": "Source"},
        ],
    }


def test_an_optional_section_is_no_alias_of_another() -> None:
    samples = [
        note("a: 1\n", body("## Ingrédients", "## Variante" if i % 2 else "## Étapes", "## Fin"))
        for i in range(40)
    ]
    order = infer(samples)["x-vaultlint"]["sections"]["order"]
    assert {"name": "Variante", "required": False} in order
    assert all("aliases" not in section for section in order)


# ---------------------------------------------------------------------- the whole schema


def test_a_mojibake_note_is_read_repaired() -> None:
    text = "---\ndifficulté: débutant\n---\n\n# Crème brûlée\n"
    broken = text.encode("utf-8").decode("mac_roman").encode("utf-8")
    assert sample_note(broken).data == {"difficulté": "débutant"}


def test_notes_without_frontmatter_give_an_empty_but_valid_schema(tmp_path: Path) -> None:
    samples = [sample_note(b""), sample_note(b"---\n- a list\n---\n"), sample_note(b"text\n")]
    schema = infer(samples)
    assert (schema["required"], schema["properties"]) == ([], {})
    assert "x-vaultlint" not in schema
    load_schema(write_schema(schema, tmp_path))


def test_output_does_not_depend_on_the_order_of_the_notes() -> None:
    samples = many(60, tagged) + many(60, timed)
    forward = infer_schema(samples, title="t").to_json()
    assert infer_schema(samples[::-1], title="t").to_json() == forward


def test_the_inferred_schema_passes_its_meta_schemas(tmp_path: Path) -> None:
    samples = many(100, tagged) + many(300, timed)
    load_schema(write_schema(infer(samples), tmp_path))


def test_from_the_sample_vault(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    output = tmp_path / "seeds.schema.json"
    options = RunOptions(cache=False)
    assert run_infer(options, InferRequest([SEEDS], output), out, err) == 0
    assert out.getvalue() == ""
    assert err.getvalue() == (
        f"Inferred a schema in {output} from 8 notes (8 with frontmatter): 12 fields "
        "(12 required, 2 enums), 8 tag namespaces, 4 sections, a time sum. Review it before use.\n"
        "Sections: Informations rapides, Ingredients (alias Ingrédients), "
        "Steps (alias Étapes), Source.\n"
        "Time: temps_total = temps_prep + temps_cuisson; buckets temps/…: express <= 20, "
        "rapide <= 30, moyen <= 60, long.\n"
        "Tags: prefix '#', case lower; 6 to 8 a note; 8 namespaces (5 required, 1 recommended, "
        "2 optional); mirroring the fields difficulté, type; closed.\n"
        "Closed lists (enum): type, difficulté; open lists (known, a warning): source.\n"
    )
    schema = load_schema(output)
    assert schema.document["title"] == "Notes in seeds"
    # The mojibake note was read repaired: its keys are the others'.
    assert "difficulté" in schema.document["required"]
    report = Runner(RunOptions(schema=output, cache=False)).run([SEEDS])
    found = sorted((Path(f.path).name, f.rule) for f in report.findings)
    # Most notes write the template's `## Ingredients`/`## Steps`: the French headings of the
    # real note and of Ramen are the aliases, as in the bundled schema.
    assert found == [
        ("Gyoza au porc.md", "tag-format"),
        ("Pad thaï aux crevettes.md", "time-sum"),
        ("Pork Belly Burnt Ends - Miso Butterscotch Glaze.md", "heading-alias"),
        ("Pork Belly Burnt Ends - Miso Butterscotch Glaze.md", "heading-alias"),
        ("Pork Belly Burnt Ends - Miso Butterscotch Glaze.md", "mojibake"),
        ("Ramen au porc.md", "heading-alias"),
        ("Salade grecque.md", "heading-level"),
    ]


@pytest.fixture(scope="module")
def generated_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    make_vault = shared_path("bench", "make_vault.py")
    vault = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run(
        [sys.executable, str(make_vault), str(vault), "--notes", "1000", "--bad-fraction", "0.2"],
        check=True,
        capture_output=True,
    )
    return vault


def test_from_a_generated_vault_every_injected_problem_is_found(
    generated_vault: Path, tmp_path: Path
) -> None:
    recall = shared_path("bench", "recall.py")
    schema_path = tmp_path / "vault.schema.json"
    options = RunOptions(cache=False)
    run_infer(options, InferRequest([generated_vault], schema_path), io.StringIO(), io.StringIO())
    extension = load_schema(schema_path).extension
    assert extension.time is not None
    assert extension.time.bucket_values == {"express", "rapide", "moyen", "long"}
    assert extension.sections is not None
    aliases = {s.name: s.aliases for s in extension.sections.order}
    # The generator writes the template's headings and injects the French ones (french-heading).
    assert aliases["Ingredients"] == ("Ingrédients",)
    assert aliases["Steps"] == ("Étapes",)

    runner = Runner(RunOptions(schema=schema_path, cache=False), cwd=generated_vault)
    report = runner.run([generated_vault])
    report_path = tmp_path / "report.json"
    with report_path.open("w", encoding="utf-8") as handle:
        json_reporter.render(report, handle, ReportContext())
    scored = subprocess.run(
        [sys.executable, str(recall), str(generated_vault), str(report_path)],
        capture_output=True,
        text=True,
        cwd=generated_vault,
        check=False,
    )
    assert scored.stdout.splitlines()[-1] == "recall 200/200, false positives 0"
    assert scored.returncode == 0


def test_infer_to_standard_output(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    run_infer(RunOptions(cache=False), InferRequest([SEEDS], title="Recettes"), out, err)
    assert json.loads(out.getvalue())["title"] == "Recettes"
    assert err.getvalue().startswith("Inferred a schema from 8 notes")


def test_an_existing_schema_is_replaced_only_with_force(tmp_path: Path) -> None:
    output = tmp_path / "vault.schema.json"
    output.write_text("{}", encoding="utf-8")
    request = InferRequest([SEEDS], output)
    with pytest.raises(UsageError, match=r"already exists; use --force to replace it"):
        run_infer(RunOptions(cache=False), request, io.StringIO(), io.StringIO())
    assert output.read_text(encoding="utf-8") == "{}"
    forced = InferRequest([SEEDS], output, force=True)
    assert run_infer(RunOptions(cache=False), forced, io.StringIO(), io.StringIO()) == 0
    load_schema(output)


def test_no_notes_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no notes found in .*: nothing to infer a schema from"):
        run_infer(RunOptions(cache=False), InferRequest([tmp_path]), io.StringIO(), io.StringIO())
