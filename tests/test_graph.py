"""The vault rules through the command line: the index covers the whole vault whatever the
paths given, a rename breaks links in notes nobody staged, names no clone can hold."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import invoke
from vaultlint.graph.keys import comparable
from vaultlint.graph.resolve import github_slug, heading_key

FM = "---\ntype: plat-principal\n---\n"
TRACKING = ("utm_*", "igsh", "si", "fbclid")


def note(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def diagnostics(*args: str, cwd: Path) -> list[tuple[str, int, str, str]]:
    code, out, err = invoke("check", "--output-format", "json", *args, cwd=cwd)
    assert code in (0, 1), err
    return [(d["path"], d["line"], d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    note(tmp_path, "Recettes/Tarte tatin.md", FM + "# Tarte tatin\n\n## Astuces\n")
    note(tmp_path, "Menus/Semaine.md", FM + "# Semaine\n\nLundi : [[Tarte tatin#Astuces]].\n")
    return tmp_path


def test_after_a_rename_checking_only_the_linking_note_reports_the_broken_link(
    vault: Path,
) -> None:
    select = ("--select", "link-broken,link-anchor")
    assert diagnostics(*select, "Menus/Semaine.md", cwd=vault) == []
    (vault / "Recettes/Tarte tatin.md").rename(vault / "Recettes/Tatin.md")
    # As pre-commit passes it: one file; the index still comes from the whole vault.
    assert diagnostics(*select, "Menus/Semaine.md", cwd=vault) == [
        ("Menus/Semaine.md", 6, "link-broken", 'no note or file named "Tarte tatin" in the vault')
    ]


def test_a_renamed_heading_is_reported_in_the_notes_that_link_to_the_note_given(
    vault: Path,
) -> None:
    target = vault / "Recettes/Tarte tatin.md"
    target.write_text(FM + "# Tarte tatin\n\n## Conseils\n", encoding="utf-8")
    assert diagnostics("--select", "link-anchor", "Recettes/Tarte tatin.md", cwd=vault) == [
        (
            "Menus/Semaine.md",
            6,
            "link-anchor",
            'no heading "Astuces" in "Recettes/Tarte tatin.md"',
        )
    ]


def test_the_vault_root_without_a_marker_is_the_folder_given_not_the_current_one(
    tmp_path: Path,
) -> None:
    note(tmp_path, "elsewhere/Tarte tatin.md", FM + "# Tarte tatin\n")
    note(tmp_path, "vault/Menus.md", FM + "# Menus\n\n[[Tarte tatin]]\n")
    found = diagnostics("--select", "link-broken", "--no-cache", "vault", cwd=tmp_path)
    assert found == [
        ("vault/Menus.md", 6, "link-broken", 'no note or file named "Tarte tatin" in the vault')
    ]


def test_a_warm_run_gives_the_same_findings_from_the_cached_facts(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note(vault, "Menus/Dimanche.md", FM + "# Dimanche\n\n[[Tarte#Astuces]] [[Tatin]]\n")
    # Notes changed (ctime) within the racy window are not stored: as if written long ago.
    monkeypatch.setattr("vaultlint.graph.gather.racy_window", lambda: -(10**18))
    cold = diagnostics(".", cwd=vault)
    assert list((vault / ".vaultlint_cache").rglob("*.facts"))
    assert diagnostics(".", cwd=vault) == cold
    assert [rule for _, _, rule, _ in cold if rule.startswith("link")] == ["link-broken"] * 2


def test_suppression_comments_cover_vault_findings_and_are_not_reported_unused(
    vault: Path,
) -> None:
    note(
        vault,
        "Menus/Dimanche.md",
        FM + "# Dimanche\n\n<!-- vaultlint-disable-next-line link-broken -->\n[[Tatin]]\n",
    )
    assert diagnostics("--select", "link-broken,unused-suppression", ".", cwd=vault) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Quiche: la vraie.md", 'the name has ":", which Windows does not allow'),
        ("Pourquoi?.md", 'the name has "?", which Windows does not allow'),
        ("CON.md", "the name is a name Windows reserves"),
        ("Dossier./Note.md", 'the name of the folder "Dossier." ends with a dot or a space'),
    ],
)
def test_names_windows_cannot_check_out_are_reported(
    tmp_path: Path, name: str, problem: str
) -> None:
    # Made here, not committed: such names would break this repository's own checkouts.
    note(tmp_path, name, FM + "# x\n")
    ((path, line, rule, message),) = diagnostics("--select", "file-name", ".", cwd=tmp_path)
    assert (path, line, rule) == (name, 1, "file-name")
    assert message.startswith(problem)


def test_two_names_that_differ_only_by_case_are_reported_on_the_later_one(
    tmp_path: Path,
) -> None:
    note(tmp_path, "Tarte.md", FM + "# x\n")
    note(tmp_path, "tarte.md", FM + "# x\n")
    assert diagnostics("--select", "file-name", ".", cwd=tmp_path) == [
        (
            "tarte.md",
            1,
            "file-name",
            'the name differs only by case from "Tarte.md" (one file on macOS and Windows)',
        )
    ]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://www.instagram.com/reel/X/?igsh=abc", "https://www.instagram.com/reel/X", True),
        ("https://a.fr/p?utm_source=x&id=3", "https://A.fr/p/?id=3&fbclid=9", True),
        ("https://youtube.com/watch?v=1&si=x", "https://youtube.com/watch?v=2", False),
        ("https://youtube.com/watch?v=1", "http://youtube.com/watch?v=1", True),
        ("Livre de Mamie", "livre de mamie ", True),
    ],
)
def test_urls_compare_without_tracking_parameters_and_trailing_slash(
    first: str, second: str, same: bool
) -> None:
    assert (comparable(first, TRACKING) == comparable(second, TRACKING)) is same


def test_headings_compare_as_obsidian_links_them() -> None:
    assert heading_key("Étapes : la cuisson") == heading_key("étapes  la cuisson")
    assert heading_key("Q&A?") == heading_key("Q&A")
    assert heading_key("Notes") != heading_key("Notes perso")
    assert github_slug("Notes personnelles") == "notes-personnelles"


def test_cached_vault_findings_are_dropped_when_a_linked_file_appears(vault: Path) -> None:
    note(vault, "Menus/Dimanche.md", FM + "# Dimanche\n\n![[photo.png]]\n")
    for path in vault.rglob("*.md"):  # older than the racy window: stored
        os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)
    select = ("--select", "link-broken")
    broken = [
        ("Menus/Dimanche.md", 6, "link-broken", 'no note or file named "photo.png" in the vault')
    ]
    assert diagnostics(*select, ".", cwd=vault) == broken
    assert diagnostics(*select, ".", cwd=vault) == broken  # from the cache
    (vault / "photo.png").write_bytes(b"\x89PNG")
    os.utime(vault / "photo.png", ns=(1_700_000_000_000_000_000,) * 2)
    assert diagnostics(*select, ".", cwd=vault) == []


def test_a_broken_facts_cache_is_rebuilt_silently(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note(vault, "Menus/Dimanche.md", FM + "# Dimanche\n\n[[Tatin]]\n")
    monkeypatch.setattr("vaultlint.graph.gather.racy_window", lambda: -(10**18))
    cold = diagnostics(".", cwd=vault)
    (facts,) = (vault / ".vaultlint_cache").rglob("*.facts")
    facts.write_bytes(b"\x00garbage")
    assert diagnostics(".", cwd=vault) == cold


def test_format_diff_refuses_a_link_out_of_the_vault_as_check_does(tmp_path: Path) -> None:
    """One load path for every command: a symlink leading out of the vault is read by none."""
    secret = note(tmp_path, "outside/secret.md", "---\nsecret_key:   private\n---\n# Secret\n")
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "link.md").symlink_to(secret)
    assert "outside the vault" in invoke("check", "--select", "file", ".", cwd=vault)[1]
    _, out, err = invoke("format", "--diff", ".", cwd=vault)
    assert "private" not in out + err
    assert "outside the vault" in out + err
    _, out, err = invoke("schema", "infer", ".", cwd=vault)
    assert "secret_key" not in out


def test_a_page_of_thousands_of_dead_links_gives_a_bounded_report(tmp_path: Path) -> None:
    from vaultlint.engine import MAX_PER_RULE

    links = "".join(f"[[Absente {index}]]\n" for index in range(MAX_PER_RULE + 5))
    note(tmp_path, "Index.md", "# Index\n\n" + links)
    found = diagnostics("--select", "link-broken", ".", cwd=tmp_path)
    assert len(found) == MAX_PER_RULE + 1
    summary = [message for _, _, _, message in found if message.startswith("and ")]
    assert summary == ["and 5 more link-broken problems in this note (not listed)"]


def test_the_html_report_shows_the_vault_findings(vault: Path) -> None:
    note(vault, "Menus/Dimanche.md", FM + "# Dimanche\n\n[[Tatin]]\n")
    code, _, err = invoke("report", "-o", "report.html", ".", cwd=vault)
    assert code in (0, 1), err
    html = (vault / "report.html").read_text(encoding="utf-8")
    assert "link-broken" in html
    assert "no note or file named" in html


def test_fix_diff_shows_a_notes_own_fixes_and_its_link_fixes_as_one_diff(tmp_path: Path) -> None:
    import unicodedata

    from tests.conftest import PROJECT

    (tmp_path / ".obsidian").mkdir()
    seed = (PROJECT / "seeds" / "Pad thaï aux crevettes.md").read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", "../Française/Pad.md")
    note(tmp_path, "Française/Pad.md", seed + f"\nVoir [la recette]({nfd}).\n")
    before = (tmp_path / "Française/Pad.md").read_bytes()
    code, out, _ = invoke("fix", "--diff", ".", cwd=tmp_path)
    assert code == 1
    assert out.count("+++ b/Française/Pad.md") == 1
    assert "+temps_total: 35" in out
    assert "+Voir [la recette](../Française/Pad.md)." in out  # now in NFC
    assert (tmp_path / "Française/Pad.md").read_bytes() == before  # --diff writes nothing


def test_a_realistic_vault_every_broken_link_and_duplicate_is_found_in_any_number_of_jobs(
    tmp_path: Path,
) -> None:
    """The shared generator's realistic vault, scored by the shared recall.py (--graph)."""
    import subprocess
    import sys

    from tests.conftest import shared_path

    generator, recall = shared_path("bench", "make_vault.py"), shared_path("bench", "recall.py")
    vault = tmp_path / "vault"
    arguments = ["--notes", "300", "--seed", "5", "--bad-fraction", "0.2", "--realistic"]
    subprocess.run([sys.executable, str(generator), str(vault), *arguments], check=True)
    outputs = []
    for jobs in ("1", "2"):
        report = tmp_path / f"report-{jobs}.json"
        options = ("--no-cache", "--jobs", jobs, "--output-format", "json", "-o", str(report))
        invoke("check", *options, "vault", cwd=tmp_path)
        outputs.append(report.read_bytes())
    assert outputs[0] == outputs[1]
    command = [sys.executable, str(recall), str(vault), str(tmp_path / "report-1.json"), "--graph"]
    scored = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    scored_lines = scored.stdout.splitlines()
    links = next(line for line in scored_lines if line.startswith("links:"))
    duplicates = next(line for line in scored_lines if line.startswith("duplicates:"))
    for line in (links, duplicates):
        found, wanted = line.split("found ")[1].split(" ")[0].split("/")
        assert found == wanted, line
        assert line.endswith("false positives 0"), line


def test_a_note_edited_while_fix_runs_gets_its_link_fixes_where_its_links_now_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link fixes' offsets come from facts taken when the note was first read (in the
    pool): a note another program edits since then is read again, and fixed as edited."""
    from vaultlint.runner import Runner

    (tmp_path / ".obsidian").mkdir()
    note(tmp_path, "Recettes/Pad.md", "# Pad\n")
    linking = note(tmp_path, "Index.md", "# Index\n\nVoir [la recette](recettes/pad.md).\n")
    edited = "# Index\n\nUne ligne écrite entre-temps.\n\nVoir [la recette](recettes/pad.md).\n"
    read_and_fixed = Runner.fixes

    def then_edited(self: Runner, *args: Any) -> Iterator[Any]:
        yield from read_and_fixed(self, *args)
        linking.write_text(edited, encoding="utf-8")  # after the pool read it, before phase 2

    monkeypatch.setattr(Runner, "fixes", then_edited)
    _, out, err = invoke("fix", ".", cwd=tmp_path)
    assert linking.read_text(encoding="utf-8") == edited.replace("recettes/pad", "Recettes/Pad")
    assert "Fixed 1 problem in Index.md (link-broken)" in out
    assert err == ""
