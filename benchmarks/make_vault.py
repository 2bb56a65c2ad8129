"""Write a deterministic vault of French recipe notes, some with one injected problem each.

    python -m benchmarks.make_vault OUT --notes N [--seed S] [--bad-fraction F]

Standard library only. Every note looks like the sample vault's: a frontmatter with cuisine,
type, times, portions, difficulté, protéine, source, url, date_ajout and 6-10 namespaced tags,
then `# Title` and the sections of the vault's template: Informations rapides, Ingredients,
Steps, (Notes personnelles,) Source. Clean notes vary as real ones do: flow or block tag lists,
quoted or plain values, a comment, a rest time (`temps_repos`, with
`#temps/préparation-avance`), CRLF line endings, a BOM, no final newline, an H3 sub-heading, a
fenced code block, an English body. Notes sit in
`Recettes/<Cuisine>/<Type>/`, `Inbox/` and `Archives/<year>/`; `.obsidian/` holds settings and
`.trash/` a deleted note that a linter must skip.

A note depends only on the seed and its index (vaults of different sizes share their first
notes). round(N * F) notes, spread evenly, each get one problem, the kinds taking turns; the
manifest (`OUT/../<name>.manifest.jsonl`, one JSON object a line: path, kind, rule, line) lists
them, so that a run's recall can be checked (`benchmarks/run.py` prints it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# cuisine -> [(dish, type, cooking method, protein)]
DISHES: dict[str, list[tuple[str, str, str, str]]] = {
    "française": [
        ("Blanquette de veau", "plat-principal", "four", "bœuf"),
        ("Quiche lorraine", "plat-principal", "four", "porc"),
        ("Tarte tatin", "dessert", "four", "végétarien"),
        ("Soupe à l'oignon", "soupe", "bouilli", "végétarien"),
        ("Gratin dauphinois", "accompagnement", "four", "végétarien"),
        ("Sauce béarnaise", "sauce", "poêle", "végétarien"),
    ],
    "italienne": [
        ("Risotto aux champignons", "plat-principal", "poêle", "végétarien"),
        ("Lasagnes à la bolognaise", "plat-principal", "four", "bœuf"),
        ("Tiramisu", "dessert", "sans-cuisson", "végétarien"),
        ("Minestrone", "soupe", "bouilli", "vegan"),
    ],
    "japonaise": [
        ("Ramen au porc", "plat-principal", "bouilli", "porc"),
        ("Karaage", "plat-principal", "poêle", "poulet"),
        ("Soupe miso", "soupe", "bouilli", "vegan"),
        ("Gyoza aux crevettes", "entrée", "vapeur", "fruits-de-mer"),
    ],
    "thaï": [
        ("Curry vert au poulet", "plat-principal", "wok", "poulet"),
        ("Pad thaï aux crevettes", "plat-principal", "wok", "fruits-de-mer"),
        ("Riz gluant à la mangue", "dessert", "vapeur", "vegan"),
    ],
    "coréenne": [
        ("Bibimbap au bœuf", "plat-principal", "poêle", "bœuf"),
        ("Kimchi jjigae", "soupe", "bouilli", "porc"),
        ("Japchae", "accompagnement", "wok", "vegan"),
    ],
    "vietnamienne": [
        ("Phở au bœuf", "soupe", "bouilli", "bœuf"),
        ("Bánh mì au poulet", "plat-principal", "four", "poulet"),
        ("Rouleaux de printemps", "entrée", "sans-cuisson", "fruits-de-mer"),
    ],
    "grecque": [
        ("Moussaka", "plat-principal", "four", "agneau"),
        ("Tzatziki", "sauce", "sans-cuisson", "végétarien"),
    ],
    "américaine": [
        ("Pulled pork", "plat-principal", "four", "porc"),
        ("Cheesecake new-yorkais", "dessert", "four", "végétarien"),
        ("Pancakes moelleux", "dessert", "poêle", "végétarien"),
    ],
    "chinoise": [
        ("Porc au caramel", "plat-principal", "wok", "porc"),
        ("Bao au poulet", "plat-principal", "vapeur", "poulet"),
    ],
}
FOLDERS = {
    "plat-principal": "Plats",
    "entrée": "Entrées",
    "dessert": "Desserts",
    "soupe": "Soupes",
    "accompagnement": "Accompagnements",
    "sauce": "Sauces",
    "boisson": "Boissons",
}
TITLE_SUFFIXES = ["", " de Mamie", " express", " d'Ottolenghi", " façon bistrot", " du dimanche"]
DIFFICULTIES = ["débutant", "intermédiaire", "avancé"]
SOURCES = [
    ("Instagram", "https://www.instagram.com/reel/{code}/"),
    ("TikTok", "https://www.tiktok.com/@cuisine/video/{code}"),
    ("Marmiton", "https://www.marmiton.org/recettes/recette_{code}.aspx"),
    ("Livre", None),
]
OCCASIONS = ["semaine", "weekend", "festif", "batch-cooking"]
FLAVOURS = ["épicé", "sucré-salé", "umami", "crémeux", "acidulé"]
INGREDIENTS = [
    "200 g de farine",
    "3 œufs",
    "1 oignon jaune, ciselé",
    "2 gousses d'ail, émincées",
    "20 cl de crème fraîche",
    "1 c. à soupe de sauce soja",
    "1 bouquet de coriandre",
    "sel, poivre du moulin",
    "1 c. à café de paprika fumé",
    "400 g de lait de coco",
    "1 citron vert",
    "50 g de beurre demi-sel",
]
STEPS = [
    ("Préparer", "Éplucher et émincer les légumes, réserver."),
    ("Saisir", "Faire chauffer l'huile à feu vif et saisir 3 minutes de chaque côté."),
    ("Mijoter", "Couvrir et laisser mijoter à feu doux en remuant de temps en temps."),
    ("Assembler", "Mélanger délicatement tous les éléments dans un grand saladier."),
    ("Dresser", "Répartir dans des assiettes chaudes et parsemer d'herbes fraîches."),
    ("Rectifier", "Goûter et rectifier l'assaisonnement avec un peu de sel ou de citron."),
]
NOTES = [
    "Les enfants ont adoré, à refaire.",
    "Moins de sucre la prochaine fois.",
    "Se congèle très bien en portions.",
    "Servi avec un riesling, parfait.",
]
ENGLISH_STEPS = ["Prep the vegetables.", "Sear on high heat.", "Simmer gently.", "Serve hot."]

# kind -> the rule that must report it
KINDS = {
    "wrong-total": "time-sum",
    "missing-tag": "tag-missing",
    "wrong-time-bucket": "tag-conflict",
    "unquoted-tag": "tag-format",
    "unknown-tag": "tag-unknown",
    "bad-enum": "schema",
    "french-heading": "heading-alias",
    "wrong-heading-level": "heading-level",
    "mojibake": "mojibake",
    "duplicate-key": "frontmatter-syntax",
    "unterminated-frontmatter": "frontmatter-syntax",
    "invalid-utf8": "encoding",
    "empty-file": "frontmatter-missing",
}


def time_bucket(minutes: int) -> str:
    if minutes <= 15:
        return "express"
    if minutes <= 30:
        return "rapide"
    return "moyen" if minutes <= 60 else "long"


@dataclass
class Recipe:
    """One note being built: its fields, tags and body lines, before it is written out."""

    title: str
    folder: str
    fields: list[tuple[str, str]]  # (key, value as written)
    tags: list[str]
    body: list[str]
    flow_tags: bool = False
    crlf: bool = False
    bom: bool = False
    final_newline: bool = True
    comment: str | None = None
    problem: dict[str, object] | None = field(default=None)


def make_recipe(rng: random.Random, index: int) -> Recipe:
    cuisine = rng.choice(sorted(DISHES))
    dish, kind, method, protein = rng.choice(DISHES[cuisine])
    title = dish + rng.choice(TITLE_SUFFIXES)
    prep, cook = rng.choice([5, 10, 15, 20, 30, 45]), rng.choice([0, 10, 20, 35, 60, 180])
    rest = rng.choice([0, 0, 0, 0, 60, 240])
    total = prep + cook + rest
    quote = rng.choice(["", "", "'", '"'])
    difficulty = rng.choice(DIFFICULTIES)
    source, url = rng.choice(SOURCES)
    code = "".join(rng.choice("abcdefghijkLMNOPQ0123456789") for _ in range(11))
    fields = [
        ("cuisine", f"{quote}{cuisine}{quote}"),
        ("type", f"{quote}{kind}{quote}"),
        ("temps_prep", str(prep)),
        ("temps_cuisson", str(cook)),
        ("temps_total", str(total)),
        ("portions", str(rng.choice([1, 2, 4, 6, 8]))),
        ("difficulté", f"{quote}{difficulty}{quote}"),
        ("protéine", f"{quote}{protein}{quote}"),
        ("source", source),
    ]
    if rest:
        fields.insert(4, ("temps_repos", str(rest)))
    if url is not None:
        fields.append(("url", url.format(code=code)))
    fields.append(
        ("date_ajout", f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    )
    bucket = "préparation-avance" if rest else time_bucket(total)
    tags = [
        f"#cuisine/{cuisine}",
        f"#type/{kind}",
        f"#protéine/{protein}",
        f"#temps/{bucket}",
        f"#cuisson/{method}",
        f"#difficulté/{difficulty}",
        f"#occasion/{rng.choice(OCCASIONS)}",
    ]
    tags += [f"#saveur/{flavour}" for flavour in rng.sample(FLAVOURS, rng.randint(0, 2))]
    if index % 3 == 0:
        folder = f"Recettes/{cuisine.capitalize()}/{FOLDERS[kind]}"
    elif index % 3 == 1:
        folder = f"Recettes/{cuisine.capitalize()}"
    else:
        folder = rng.choice(["Inbox", f"Archives/20{rng.randint(22, 24)}"])
    recipe = Recipe(title, folder, fields, tags, [])
    recipe.body = _body(
        rng,
        recipe,
        prep=prep,
        cook=cook,
        difficulty=difficulty,
        url=url.format(code=code) if url else None,
    )
    recipe.flow_tags = rng.random() < 0.15
    recipe.crlf = rng.random() < 0.05
    recipe.bom = rng.random() < 0.03
    recipe.final_newline = rng.random() >= 0.05
    if rng.random() < 0.1:
        recipe.comment = "# à refaire en hiver"
    return recipe


def _body(
    rng: random.Random, recipe: Recipe, *, prep: int, cook: int, difficulty: str, url: str | None
) -> list[str]:
    english = rng.random() < 0.1
    lines = [f"# {recipe.title}", "", "## Informations rapides", ""]
    lines += [
        f"⏱️ Préparation : {prep} min | 🔥 Cuisson : {cook} min | 📊 Difficulté : "
        f"{difficulty.capitalize()}",
        "",
        "## Ingredients",
        "",
    ]
    lines += [f"- {item}" for item in rng.sample(INGREDIENTS, rng.randint(4, 9))]
    if rng.random() < 0.2:
        lines += ["", "### Pour la sauce", "", f"- {rng.choice(INGREDIENTS)}"]
    lines += ["", "## Steps", ""]
    if english:
        lines += [f"{n}. {step}" for n, step in enumerate(ENGLISH_STEPS, 1)]
    else:
        for number, (verb, text) in enumerate(rng.sample(STEPS, rng.randint(3, 6)), 1):
            lines.append(f"{number}. **{verb}** - {text}")
    if rng.random() < 0.05:
        lines += ["", "```", "# température du four : 180 °C", "```"]
    if rng.random() < 0.5:
        lines += ["", "## Notes personnelles", ""]
        lines += [f"- {note}" for note in rng.sample(NOTES, rng.randint(1, 3))]
    lines += ["", "## Source", ""]
    lines.append(f"[Voir la recette]({url})" if url else "Livre de cuisine de Mamie, p. 42")
    return lines


# --------------------------------------------------------------------------- problems


def _set_field(recipe: Recipe, key: str, value: str) -> None:
    at = [name for name, _ in recipe.fields].index(key)
    recipe.fields[at] = (key, value)


def _wrong_bucket(recipe: Recipe) -> None:
    bucket = next(i for i, tag in enumerate(recipe.tags) if tag.startswith("#temps/"))
    old = recipe.tags[bucket]
    if old == "#temps/préparation-avance":  # the rest time explains the total: drop it
        recipe.fields = [(key, value) for key, value in recipe.fields if key != "temps_repos"]
        values = dict(recipe.fields)
        total = int(values["temps_prep"]) + int(values["temps_cuisson"])
        _set_field(recipe, "temps_total", str(total))
        old = f"#temps/{time_bucket(total)}"
    recipe.tags[bucket] = "#temps/express" if old != "#temps/express" else "#temps/long"


def _replace_line(lines: list[str], old: str, new: str) -> None:
    lines[lines.index(old)] = new


def _unquote_last_tag(recipe: Recipe) -> None:
    recipe.flow_tags = False
    recipe.tags[-1] = "UNQUOTED:" + recipe.tags[-1]


def _repeat_portions(recipe: Recipe) -> None:
    keys = [key for key, _ in recipe.fields]
    recipe.fields.insert(keys.index("source") + 1, ("portions", "4"))


# kind -> how the recipe is changed (the byte-level kinds are applied by `render`)
_INJECTIONS: dict[str, Callable[[Recipe], None]] = {
    "wrong-total": lambda recipe: _set_field(recipe, "temps_total", "1"),
    "missing-tag": lambda recipe: setattr(
        recipe, "tags", [tag for tag in recipe.tags if not tag.startswith("#protéine/")]
    ),
    "wrong-time-bucket": _wrong_bucket,
    "unquoted-tag": _unquote_last_tag,
    "unknown-tag": lambda recipe: recipe.tags.__setitem__(-1, "#saveur/amer"),
    "bad-enum": lambda recipe: _set_field(recipe, "difficulté", "facile"),
    # The French headings are the aliases of the template's (issue #12).
    "french-heading": lambda recipe: _replace_line(recipe.body, "## Ingredients", "## Ingrédients"),
    "wrong-heading-level": lambda recipe: _replace_line(recipe.body, "## Steps", "### Steps"),
    "duplicate-key": _repeat_portions,
}


def inject(recipe: Recipe, kind: str) -> None:
    """Change the recipe so that it has exactly this problem."""
    change = _INJECTIONS.get(kind)
    if change is not None:
        change(recipe)
    recipe.problem = {"kind": kind, "rule": KINDS[kind]}


def render(recipe: Recipe, kind: str | None) -> bytes:
    lines = ["---"]
    for key, value in recipe.fields:
        lines.append(f"{key}: {value}")
        if recipe.comment and key == "source":
            lines.append(recipe.comment)
    if recipe.flow_tags:
        lines.append("tags: [" + ", ".join(f'"{tag}"' for tag in recipe.tags) + "]")
    else:
        lines.append("tags:")
        for tag in recipe.tags:
            if tag.startswith("UNQUOTED:"):
                lines.append(f"  - {tag.removeprefix('UNQUOTED:')}")
            else:
                lines.append(f'  - "{tag}"')
    if kind != "unterminated-frontmatter":
        lines.append("---")
    lines += recipe.body
    newline = "\r\n" if recipe.crlf else "\n"
    text = newline.join(lines) + (newline if recipe.final_newline else "")
    data = text.encode("utf-8")
    if kind == "mojibake":
        data = text.encode("utf-8").decode("mac_roman").encode("utf-8")
    elif kind == "invalid-utf8":
        data = data.replace("Préparation :".encode(), "Préparation :".encode("latin-1"), 1)
    elif kind == "empty-file":
        return b""
    return (b"\xef\xbb\xbf" if recipe.bom else b"") + data


def problem_line(data: bytes, kind: str) -> int | None:
    """The 1-based line a rule reports the problem on (None: the whole file)."""
    if kind == "empty-file":
        return None
    text = data.decode("utf-8", "replace")
    needles = {
        "wrong-total": "temps_total:",
        "missing-tag": "tags:",
        "wrong-time-bucket": "#temps/",
        "unknown-tag": "#saveur/amer",
        "bad-enum": "difficulté: facile",
        "french-heading": "## Ingrédients",
        "wrong-heading-level": "### Steps",
        "unterminated-frontmatter": "---",
        "invalid-utf8": "paration :",
    }
    if kind == "duplicate-key":
        first = text.index("portions:")
        return text.count("\n", 0, text.index("portions:", first + 1)) + 1
    if kind == "unquoted-tag":
        lines = text.split("\n")
        return next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith("- #"))
    needle = needles.get(kind)
    if needle is None:
        return None
    return text.count("\n", 0, text.index(needle)) + 1


# ------------------------------------------------------------------------------ vault


def bad_indexes(notes: int, fraction: float) -> dict[int, str]:
    """Which notes get a problem (evenly spread) and which kind (taking turns)."""
    count = round(notes * fraction)
    kinds = list(KINDS)
    return (
        {(position * notes) // count: kinds[position % len(kinds)] for position in range(count)}
        if count
        else {}
    )


def write_vault(out: Path, notes: int, seed: int, bad_fraction: float) -> Path:
    """Write the vault and its manifest; returns the manifest's path."""
    out.mkdir(parents=True, exist_ok=False)
    (out / ".obsidian").mkdir()
    (out / ".obsidian" / "app.json").write_text('{"alwaysUpdateLinks": true}\n', encoding="utf-8")
    (out / ".trash").mkdir()
    (out / ".trash" / "Ancienne recette.md").write_text("---\ncuisine: [\n", encoding="utf-8")
    bad = bad_indexes(notes, bad_fraction)
    manifest = out.parent / f"{out.name}.manifest.jsonl"
    used: set[str] = set()
    with open(manifest, "w", encoding="utf-8") as listing:
        for index in range(notes):
            rng = random.Random(f"{seed}:{index}")
            recipe = make_recipe(rng, index)
            kind = bad.get(index)
            if kind is not None:
                inject(recipe, kind)
            data = render(recipe, kind)
            relative = _unique(f"{recipe.folder}/{recipe.title}", used)
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            line = problem_line(data, kind) if kind is not None else None
            entry = {"path": relative, "kind": kind, "rule": KINDS.get(kind or ""), "line": line}
            listing.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return manifest


def _unique(stem: str, used: set[str]) -> str:
    candidate, number = f"{stem}.md", 2
    while candidate.casefold() in used:
        candidate, number = f"{stem} {number}.md", number + 1
    used.add(candidate.casefold())
    return candidate


def age(folder: Path, seconds: float = 86_400.0) -> None:
    """Set every file's mtime `seconds` in the past (a vault is rarely edited this second)."""
    stamp = int((os.path.getmtime(folder) - seconds) * 1e9)
    for current, _, files in os.walk(folder):
        for name in files:
            os.utime(os.path.join(current, name), ns=(stamp, stamp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bad-fraction", type=float, default=0.1)
    arguments = parser.parse_args(argv)
    manifest = write_vault(arguments.out, arguments.notes, arguments.seed, arguments.bad_fraction)
    age(arguments.out)
    print(f"{arguments.out}: {arguments.notes} notes; manifest {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
