"""Suggestions for mistyped values: the same letters is safe, one typing slip is unsafe, and a
suggestion never turns a value into another word (issue #12, §2.4)."""

from __future__ import annotations

import pytest

from vaultlint.suggest import Suggestion, normalise, suggest

TYPES = ["plat-principal", "entrée", "dessert", "soupe", "accompagnement", "sauce", "boisson"]
CUISINES = ["japonaise", "thaï", "française", "américaine", "coréenne"]
PROTEINS = ["poulet", "porc", "bœuf", "agneau", "poisson", "fruits-de-mer", "végétarien", "vegan"]
FLAVOURS = ["épicé", "sucré-salé", "umami", "crémeux", "acidulé"]
COOKING = ["air-fryer", "four", "poêle", "wok", "bouilli", "vapeur", "sans-cuisson"]


@pytest.mark.parametrize(
    ("value", "allowed", "expected"),
    [
        ("Thai", CUISINES, Suggestion("thaï", safe=True)),
        ("Americaine", CUISINES, Suggestion("américaine", safe=True)),
        ("americaine", CUISINES, Suggestion("américaine", safe=True)),
        ("epice", FLAVOURS, Suggestion("épicé", safe=True)),
        ("plat principal", TYPES, Suggestion("plat-principal", safe=True)),
        ("Plat_Principal", TYPES, Suggestion("plat-principal", safe=True)),
        ("airfryer", COOKING, Suggestion("air-fryer", safe=True)),
        ("desserts", TYPES, Suggestion("dessert", safe=True)),
        ("desert", TYPES, Suggestion("dessert", safe=False)),  # a letter missing
        ("dessertt", TYPES, Suggestion("dessert", safe=False)),  # a letter doubled
        ("desesrt", TYPES, Suggestion("dessert", safe=False)),  # two letters swapped
        ("japonais", CUISINES, Suggestion("japonaise", safe=False)),  # a letter left out
        ("dessert", TYPES, None),
        ("pizza", TYPES, None),
    ],
)
def test_suggestion(value: str, allowed: list[str], expected: Suggestion | None) -> None:
    assert suggest(value, allowed) == expected


@pytest.mark.parametrize(
    "value",
    [
        "oeuf",  # egg: `bœuf` (beef) is one letter away, but a first letter added
        "œuf",
        "Oeufs",
        "volaille",  # poultry: not `poulet`
        "veau",  # veal: no word in the vocabulary
        "mixte",
        "canard",
        "n/a",
        "aucune",
        "porcs-et-poulet",
    ],
)
def test_a_protein_outside_the_vocabulary_gets_no_suggestion(value: str) -> None:
    assert suggest(value, PROTEINS) is None


@pytest.mark.parametrize(
    ("typed", "allowed"),
    [
        ("oeuf", ["bœuf"]),  # a first letter added
        ("boeuf", ["œuf"]),  # a first letter removed
        ("porc", ["dorc"]),  # a first letter changed
        ("sauge", ["sauce"]),  # a letter replaced: another word, not a slip
        ("four", ["fours-x"]),  # another word count
        ("pore", ["porc"]),  # a word of four letters: one letter off is too easily another word
    ],
)
def test_what_changes_a_word_is_never_suggested(typed: str, allowed: list[str]) -> None:
    assert suggest(typed, allowed) is None


def test_two_values_with_one_normal_form_are_ambiguous() -> None:
    assert suggest("ete", ["été", "Été"]) is None


def test_two_values_one_slip_away_are_ambiguous() -> None:
    assert suggest("fromage", ["fromagee", "fromages-x", "froamge"]) is None


def test_normal_form_drops_case_accents_separators_and_plural() -> None:
    assert normalise("  Crèmes Brûlées ") == "creme-brulee"
    assert normalise("bœuf") == "boeuf"
