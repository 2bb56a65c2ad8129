"""Suggestions for mistyped values: exact after normalising is safe, close is unsafe."""

from __future__ import annotations

import pytest

from vaultlint.suggest import Suggestion, normalise, suggest

TYPES = ["plat-principal", "entrée", "dessert", "soupe", "accompagnement", "sauce", "boisson"]
CUISINES = ["japonaise", "thaï", "française", "américaine", "coréenne"]


@pytest.mark.parametrize(
    ("value", "allowed", "expected"),
    [
        ("Thai", CUISINES, Suggestion("thaï", safe=True)),
        ("Americaine", CUISINES, Suggestion("américaine", safe=True)),
        ("plat principal", TYPES, Suggestion("plat-principal", safe=True)),
        ("Plat_Principal", TYPES, Suggestion("plat-principal", safe=True)),
        ("desserts", TYPES, Suggestion("dessert", safe=True)),
        ("desert", TYPES, Suggestion("dessert", safe=False)),
        ("japonais", CUISINES, Suggestion("japonaise", safe=False)),
        ("dessert", TYPES, None),
        ("pizza", TYPES, None),
    ],
)
def test_suggestion(value: str, allowed: list[str], expected: Suggestion | None) -> None:
    assert suggest(value, allowed) == expected


def test_two_values_with_one_normal_form_are_ambiguous() -> None:
    assert suggest("ete", ["été", "Été"]) is None


def test_normal_form_drops_case_accents_separators_and_plural() -> None:
    assert normalise("  Crèmes Brûlées ") == "creme-brulee"
    assert normalise("bœuf") == "boeuf"
