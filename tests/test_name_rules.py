"""The vault rules of names (`rule_ids.NAME_RULE_IDS`) find, for a note given alone, what they
find for it in the whole vault: given a few notes, phase 2 then reads no other note."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_graph import FM, diagnostics, note
from vaultlint.rule_ids import NAME_RULE_IDS, VAULT_RULE_IDS

NAMES = [
    "Tarte.md",
    "tarte.md",  # differs only by case from the one above
    "Quiche: la vraie.md",
    "CON.md",
    "Dossier./Note.md",
    "Recettes/Soupe.md",
    "recettes/soupe.md",  # the same path as the one above but for the case of a folder and name
    "RECETTES/Sous/Soupe.md",
    "recettes/Potage.md",  # its folder differs only by case
    "Recettes/TARTE.md",
    "Plats/Pot#au#feu.md",
]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    for name in NAMES:
        note(tmp_path, name, FM + "# x\n\n[[Tarte]] [[Soupe#Bouillon]]\n")
    (tmp_path / "Plats/Vide.md").write_bytes(b"\xff\xfe not UTF-8")
    note(tmp_path, ".trash/tarte.md", FM + "# x\n")  # not a file of the vault: a dot-folder
    (tmp_path / "Lien").symlink_to(tmp_path / "Recettes")  # a symlinked folder is not walked
    note(tmp_path, "Tartes.pdf", "an attachment, not a note")
    return tmp_path


@pytest.mark.parametrize("rule", sorted(NAME_RULE_IDS))
@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_a_note_given_alone_gets_what_the_whole_vault_finds_for_it(
    vault: Path, rule: str, cache: tuple[str, ...]
) -> None:
    whole = diagnostics("--select", rule, "--no-cache", ".", cwd=vault)
    assert whole  # the vault has names to report
    for name in [*NAMES, "Plats/Vide.md"]:
        alone = diagnostics("--select", rule, *cache, name, cwd=vault)
        assert alone == [finding for finding in whole if finding[0] == name]


def test_a_note_that_cannot_be_read_gets_no_name_finding_alone_or_not(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    note(tmp_path, "outside.md", FM + "# x\n")
    (vault / "CON.md").symlink_to(tmp_path / "outside.md")  # leads out of the vault: refused
    select = ("--select", ",".join(sorted(NAME_RULE_IDS | {"file"})))
    whole = diagnostics(*select, "--no-cache", ".", cwd=vault)
    assert [rule for _, _, rule, _ in whole] == ["file"]
    assert diagnostics(*select, "CON.md", cwd=vault) == whole


def test_the_rules_of_names_are_vault_rules_checked_in_graph_names() -> None:
    from vaultlint.graph.names import NAME_RULES
    from vaultlint.rules import VAULT_RULES

    assert NAME_RULE_IDS <= VAULT_RULE_IDS
    assert set(NAME_RULES) == NAME_RULE_IDS
    for rule in NAME_RULE_IDS:
        assert rule == VAULT_RULES[rule].ID
