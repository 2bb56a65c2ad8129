"""`check -`, `fix -` and `format -`: a note from stdin, standing for `--stdin-filename PATH`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.server.test_lsp_stdio import NOTE, SCHEMA
from vaultlint.cli import main

RAW = NOTE.encode("utf-8")
FIXED = NOTE.replace("## Ingrédients", "## Ingredients").encode("utf-8")


def run(*args: str, stdin: bytes, cwd: Path) -> tuple[int, bytes, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A vault with its own schema in `tmp_path/vault`; `tmp_path` itself has no config."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".vaultlint.toml").write_text(
        f'schema = {str(SCHEMA)!r}\nexclude = ["Templates/"]\n', encoding="utf-8"
    )
    return vault


def test_check_stdin_uses_the_config_and_path_of_the_stdin_filename(vault: Path) -> None:
    code, out, _ = run(
        "check", "--stdin-filename", "vault/Plats/curry.md", "-", stdin=RAW, cwd=vault.parent
    )
    assert code == 1
    assert out.decode().splitlines()[0] == (
        'vault/Plats/curry.md:7:1: error heading-alias "Ingrédients" is an alias of the '
        'section "Ingredients" [*]'
    )


def test_check_stdin_without_a_filename_shows_a_dash_and_uses_the_current_folders_config(
    vault: Path,
) -> None:
    code, out, _ = run("check", "-", stdin=RAW, cwd=vault)
    assert code == 1
    assert out.decode().startswith("-:7:1: error heading-alias ")
    # From a folder without a config, the bundled schema applies: other findings, still `-`.
    _, out, _ = run("check", "-", stdin=RAW, cwd=vault.parent)
    assert all(line.startswith("-:") for line in out.decode().splitlines()[:-2])


def test_check_stdin_with_a_clean_note_passes(vault: Path) -> None:
    code, out, _ = run("check", "--stdin-filename", "x.md", "-", stdin=FIXED, cwd=vault)
    assert (code, out) == (0, b"All checks passed! (1 note checked)\n")


def test_an_excluded_stdin_filename_is_skipped_with_force_exclude(vault: Path) -> None:
    args = ("--stdin-filename", "Templates/recipe.md", "-")
    assert run("check", "--force-exclude", *args, stdin=RAW, cwd=vault)[0] == 0
    assert run("check", *args, stdin=RAW, cwd=vault)[0] == 1  # named: checked, as a file is
    code, out, _ = run("fix", "--force-exclude", *args, stdin=RAW, cwd=vault)
    assert (code, out) == (0, RAW)  # passed through unchanged
    code, out, _ = run("format", "--force-exclude", *args, stdin=RAW, cwd=vault)
    assert (code, out) == (0, RAW)


def test_fix_stdin_writes_the_fixed_note_to_stdout_and_nothing_to_disk(vault: Path) -> None:
    on_disk = vault / "curry.md"
    on_disk.write_bytes(b"the file on disk is not what is fixed\n")
    code, out, err = run("fix", "--stdin-filename", "curry.md", "-", stdin=RAW, cwd=vault)
    assert (code, out) == (0, FIXED)
    assert err == "All checks passed! (1 note checked)\n"
    assert on_disk.read_bytes() == b"the file on disk is not what is fixed\n"


def test_fix_stdin_keeps_crlf_and_the_bom(vault: Path) -> None:
    raw = b"\xef\xbb\xbf" + RAW.replace(b"\n", b"\r\n")
    code, out, _ = run("fix", "--stdin-filename", "curry.md", "-", stdin=raw, cwd=vault)
    assert code == 0
    assert out == b"\xef\xbb\xbf" + FIXED.replace(b"\n", b"\r\n")


def test_fix_stdin_reports_what_remains_on_stderr_and_exits_1(vault: Path) -> None:
    raw = RAW.replace("cuisine: thaï".encode(), b"cuisine: mexicaine")
    code, out, err = run("fix", "--stdin-filename", "curry.md", "-", stdin=raw, cwd=vault)
    assert code == 1
    assert out == FIXED.replace("cuisine: thaï".encode(), b"cuisine: mexicaine")
    assert err.startswith("curry.md:2:10: error schema ")


def test_fix_stdin_diff_prints_a_diff_and_exits_1(vault: Path) -> None:
    code, out, _ = run("fix", "--diff", "--stdin-filename", "n.md", "-", stdin=RAW, cwd=vault)
    assert code == 1
    assert out.decode().startswith("--- a/n.md\n+++ b/n.md\n")
    assert "-## Ingrédients\n+## Ingredients\n" in out.decode()


def test_format_stdin_writes_the_formatted_note_to_stdout(vault: Path) -> None:
    (vault / "n.md").write_bytes(RAW)
    assert run("format", "n.md", stdin=b"", cwd=vault)[0] == 1  # the file, formatted on disk
    code, out, err = run("format", "--stdin-filename", "n.md", "-", stdin=RAW, cwd=vault)
    assert (code, out, err) == (0, (vault / "n.md").read_bytes(), "")
    assert out != RAW


def test_format_stdin_check_says_it_would_reformat_and_exits_1(vault: Path) -> None:
    code, out, _ = run("format", "--check", "--stdin-filename", "n.md", "-", stdin=RAW, cwd=vault)
    assert (code, out) == (1, b"Would reformat: n.md\n")


def test_check_stdin_honours_the_config_baseline(vault: Path) -> None:
    (vault / "curry.md").write_bytes(RAW)
    assert run("check", "--write-baseline", "b.json", ".", stdin=b"", cwd=vault)[0] == 0
    toml = (vault / ".vaultlint.toml").read_text(encoding="utf-8")
    (vault / ".vaultlint.toml").write_text(toml + 'baseline = "b.json"\n', encoding="utf-8")
    code, _, _ = run("check", "--stdin-filename", "curry.md", "-", stdin=RAW, cwd=vault)
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "-", "other.md"), "`-` (read the note from stdin) cannot be given with"),
        (("check", "--stdin-filename", "a.md", "b.md"), "--stdin-filename is for a note read"),
        (
            ("check", "--write-baseline", "b.json", "-"),
            "--write-baseline, --changed-since, --watch and --statistics",
        ),
    ],
)
def test_stdin_misuse_is_a_usage_error(vault: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args, stdin=RAW, cwd=vault)
    assert code == 2
    assert message in err


def test_a_real_pipe_gives_the_same_bytes(vault: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vaultlint", "fix", "--stdin-filename", "n.md", "-"],
        input=RAW,
        capture_output=True,
        cwd=vault,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, FIXED)


def test_check_stdin_stands_in_for_its_file_in_the_vault_index(vault: Path) -> None:
    (vault / "Tarte.md").write_bytes(FIXED.replace(b"# Curry vert", b"# Tarte"))
    linking = FIXED + "\n[[Tarte]] et [[Gâteau]]\n".encode()
    code, out, _ = run("check", "--stdin-filename", "Menu.md", "-", stdin=linking, cwd=vault)
    assert code == 1
    assert 'Menu.md:15:16: error link-broken no note or file named "Gâteau" in the vault' in (
        out.decode("utf-8")
    )
    repaired = linking.replace("[[Gâteau]]".encode(), b"[[Tarte]]")
    code, out, _ = run("check", "--stdin-filename", "Menu.md", "-", stdin=repaired, cwd=vault)
    assert (code, b"link-" in out) == (0, False)
