"""The HTML report's note links open Obsidian where the vault has `.obsidian/` (issue #16)."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest

from tests.test_cli import clean_note
from vaultlint.commands.report import ReportRequest, run_report
from vaultlint.html.links import ObsidianLinks, obsidian_uri
from vaultlint.runner import RunOptions

BAD = {"portions: 6": "portions: 0"}


def hrefs(page: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"#][^"]*)"', page)]


def report(folder: Path, *paths: Path, links: str = "obsidian") -> str:
    output = folder / "report.html"
    request = ReportRequest(paths=paths, output=output, links=links)
    run_report(RunOptions(cache=False), request, io.StringIO(), io.StringIO())
    return output.read_text(encoding="utf-8")


def test_an_obsidian_uri_names_the_vault_folder_and_the_note_path_encoded() -> None:
    vault = Path("/home/me/Mes recettes")
    note = vault / "Recettes" / "Thaï" / "Curry & co #2.md"
    assert obsidian_uri(vault, note) == (
        "obsidian://open?vault=Mes%20recettes"
        "&file=Recettes%2FTha%C3%AF%2FCurry%20%26%20co%20%232.md"
    )


def test_notes_of_an_obsidian_vault_link_into_obsidian(tmp_path: Path) -> None:
    vault = tmp_path / "Mes recettes"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Plats").mkdir()
    (vault / "Plats" / "bad.md").write_bytes(clean_note(**BAD))
    page = report(tmp_path, vault)
    expected = "obsidian://open?vault=Mes%20recettes&file=Plats%2Fbad.md"
    assert set(hrefs(page)) == {expected}
    assert "Links open the notes in Obsidian" in page
    assert ">7:11</a>" in page  # the line and column of the problem, beside the link
    assert "portions: 0" in page  # and the text of its line


def test_links_file_keeps_file_uris(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "bad.md").write_bytes(clean_note(**BAD))
    page = report(tmp_path, vault, links="file")
    assert set(hrefs(page)) == {(vault / "bad.md").resolve().as_uri()}
    assert "Links open the notes as files" in page


def test_notes_outside_any_obsidian_vault_keep_file_links(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "bad.md").write_bytes(clean_note(**BAD))
    (folder / ".git").mkdir()  # a vault root for the config, not an Obsidian vault
    page = report(tmp_path, folder)
    assert set(hrefs(page)) == {(folder / "bad.md").resolve().as_uri()}


@pytest.mark.parametrize("depth", [0, 3])
def test_the_nearest_obsidian_folder_above_a_note_is_its_vault(tmp_path: Path, depth: int) -> None:
    vault = tmp_path / "outer" / "inner"
    (vault / ".obsidian").mkdir(parents=True)
    (tmp_path / "outer" / ".obsidian").mkdir()
    folder = vault.joinpath(*[f"d{i}" for i in range(depth)])
    note = folder / "n.md"
    assert ObsidianLinks()(note) == obsidian_uri(vault, note)
    assert "vault=inner" in ObsidianLinks()(note)
