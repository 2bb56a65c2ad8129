"""The command line as users run it: exit codes, exact output, and no traceback on bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import PROJECT, shared_path
from vaultlint.cli import main

SEED = PROJECT / "seeds" / "Pork Belly Burnt Ends - Miso Butterscotch Glaze.md"


def proper_seed_bytes() -> bytes:
    return SEED.read_bytes().decode("utf-8").encode("mac_roman")


def clean_note(**replacements: str) -> bytes:
    """The repaired seed with the vault template's section headings: a note with no problem.

    The seed itself writes the French `## Ingrédients`/`## Étapes`, which the template (and so
    the bundled schema) calls aliases of `## Ingredients`/`## Steps` (issue #12 §1).
    """
    text = proper_seed_bytes().decode("utf-8")
    text = text.replace("\n## Ingrédients\n", "\n## Ingredients\n", 1)
    text = text.replace("\n## Étapes\n", "\n## Steps\n", 1)
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return text.encode("utf-8")


def invoke(*args: str, cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    return tmp_path


# The seed writes `## Ingrédients`/`## Étapes`, the French minority form of its vault, whose
# template says `## Ingredients`/`## Steps`: once repaired, those two headings are aliases.
SEED_ALIASES = (
    'seed.md:30:1: error heading-alias "Ingrédients" is an alias of the section "Ingredients"',
    'seed.md:49:1: error heading-alias "Étapes" is an alias of the section "Steps"',
)


def test_seed_note_reports_one_mojibake_and_its_french_headings_and_exits_1(vault: Path) -> None:
    shutil.copy(SEED, vault / "seed.md")
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert out == (
        "seed.md:2:1: error mojibake the note is UTF-8 text that was decoded as Mac Roman: "
        "25 broken sequences, e.g. 'am√©ricaine' for 'américaine' [*]\n"
        f"{SEED_ALIASES[0]} [*]\n{SEED_ALIASES[1]} [*]\n"
        "Found 3 errors and 0 warnings in 1 note.\n"
        "[*] 3 fixable with `vaultlint fix`.\n"  # the headings once the repair is written
    )


def test_seed_note_decoded_properly_has_only_its_french_headings(vault: Path) -> None:
    (vault / "seed.md").write_bytes(proper_seed_bytes())
    code, out, _ = invoke("check", "seed.md", cwd=vault)
    assert code == 1
    assert out.splitlines()[:2] == [line + " [*]" for line in SEED_ALIASES]


def test_seed_note_decoded_properly_with_the_template_headings_passes(vault: Path) -> None:
    (vault / "seed.md").write_bytes(clean_note())
    code, out, _ = invoke("check", "seed.md", cwd=vault)
    assert (code, out) == (0, "All checks passed! (1 note checked)\n")


def test_fix_repairs_the_seed_and_its_french_headings_then_check_passes(vault: Path) -> None:
    note = vault / "seed.md"
    shutil.copy(SEED, note)
    note.chmod(0o644)
    code, out, _ = invoke("fix", ".", cwd=vault)
    assert code == 1  # a file changed: pre-commit must see it
    assert out == (
        "Fixed 3 problems in seed.md (heading-alias, mojibake)\n"
        "Fixed 3 problems in 1 note; 0 remain.\n"
    )
    assert note.read_bytes() == clean_note()
    assert invoke("check", ".", cwd=vault)[0] == 0


def test_fix_twice_changes_nothing_the_second_time(vault: Path) -> None:
    note = vault / "seed.md"
    note.write_bytes(clean_note(**{"temps_total: 230": "temps_total: 200"}))
    assert invoke("fix", ".", cwd=vault)[0] == 1
    fixed, mtime = note.read_bytes(), note.stat().st_mtime_ns
    code, out, _ = invoke("fix", ".", cwd=vault)
    assert (code, out) == (0, "Fixed 0 problems in 0 notes; 0 remain.\n")
    assert note.read_bytes() == fixed
    assert note.stat().st_mtime_ns == mtime


def test_fix_diff_prints_the_change_and_writes_nothing(vault: Path) -> None:
    note = vault / "seed.md"
    before = clean_note(**{"temps_total: 230": "temps_total: 200"})
    note.write_bytes(before)
    code, out, _ = invoke("fix", "--diff", "seed.md", cwd=vault)
    assert code == 1
    assert "-temps_total: 200\n+temps_total: 230\n" in out
    assert out.startswith("--- a/seed.md\n+++ b/seed.md\n")
    assert note.read_bytes() == before


def test_check_never_writes(vault: Path) -> None:
    note = vault / "seed.md"
    shutil.copy(SEED, note)
    before, mtime = note.read_bytes(), note.stat().st_mtime_ns
    invoke("check", ".", cwd=vault)
    assert (note.read_bytes(), note.stat().st_mtime_ns) == (before, mtime)


def test_json_output_is_the_documented_document(vault: Path) -> None:
    (vault / "a.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    code, out, _ = invoke("check", "--output-format", "json", ".", cwd=vault)
    assert code == 1
    assert json.loads(out) == {
        "version": 1,
        "files": 1,
        "diagnostics": [
            {
                "path": "a.md",
                "line": 7,
                "column": 11,
                "end_line": 7,
                "end_column": 12,
                "rule": "schema",
                "severity": "error",
                "message": "portions 0 is less than the minimum of 1",
                "fixable": False,
                "fix": None,
                "url": "https://github.com/vaultlint/vaultlint#rules",
            }
        ],
    }


def test_warnings_alone_exit_0(vault: Path) -> None:
    (vault / "a.md").write_bytes(clean_note(**{"cuisine: américaine": "cuisine: péruvienne"}))
    code, out, _ = invoke("check", "--select", "value-unknown", ".", cwd=vault)
    assert code == 0
    assert out.startswith('a.md:2:10: warning value-unknown cuisine "péruvienne" is not a known')


def test_select_and_ignore_choose_the_rules(vault: Path) -> None:
    (vault / "a.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    assert invoke("check", "--ignore", "schema", ".", cwd=vault)[0] == 0
    assert invoke("check", "--select", "title,schema", ".", cwd=vault)[0] == 1


def test_unknown_rule_is_a_usage_error(vault: Path) -> None:
    code, _, err = invoke("check", "--select", "nope", ".", cwd=vault)
    assert code == 2
    assert err.startswith("vaultlint: error: unknown rule 'nope' (known rules: file, limit,")


def test_bad_config_key_names_the_file_and_key(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text('shema = "x.json"\n', encoding="utf-8")
    code, _, err = invoke("check", ".", cwd=vault)
    assert code == 2
    assert err.startswith(f"vaultlint: error: {vault / '.vaultlint.toml'}: unknown key 'shema'")


def test_broken_schema_extension_names_the_schema_and_the_bad_key(vault: Path) -> None:
    schema = json.loads((PROJECT / "schemas" / "recipe.schema.json").read_text(encoding="utf-8"))
    schema["x-vaultlint"]["tags"]["count"]["min"] = "six"
    (vault / "bad.json").write_text(json.dumps(schema), encoding="utf-8")
    (vault / "a.md").write_bytes(clean_note())
    code, _, err = invoke("check", "--schema", "bad.json", ".", cwd=vault)
    assert code == 2
    assert "bad.json: bad x-vaultlint extension at /x-vaultlint/tags/count/min:" in err


def test_extension_naming_an_undeclared_field_is_refused(vault: Path) -> None:
    schema = json.loads((PROJECT / "schemas" / "recipe.schema.json").read_text(encoding="utf-8"))
    schema["x-vaultlint"]["time"]["total"] = "temps_totl"
    (vault / "bad.json").write_text(json.dumps(schema), encoding="utf-8")
    (vault / "a.md").write_bytes(clean_note())
    code, _, err = invoke("check", "--schema", "bad.json", ".", cwd=vault)
    assert code == 2
    assert "names the field 'temps_totl', which the schema's properties do not declare" in err


def test_remote_ref_is_never_fetched(vault: Path) -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}}
    (vault / "remote.json").write_text(json.dumps(schema), encoding="utf-8")
    (vault / "a.md").write_bytes(b"---\na: 1\n---\n# A\n")
    code, _, err = invoke("check", "--schema", "remote.json", ".", cwd=vault)
    assert code == 2
    assert "never reads schemas over the network" in err


def test_config_in_pyproject_and_its_folder_is_the_vault_root(vault: Path) -> None:
    (vault / "pyproject.toml").write_text(
        '[tool.vaultlint]\nexclude = ["Archive/"]\nignore = ["schema"]\n', encoding="utf-8"
    )
    (vault / "Archive").mkdir()
    (vault / "Archive" / "old.md").write_bytes(b"no frontmatter\n")
    (vault / "a.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    code, out, _ = invoke("check", ".", cwd=vault)
    assert (code, out) == (0, "All checks passed! (1 note checked)\n")


def test_vaultlint_toml_wins_over_pyproject_in_one_folder(vault: Path) -> None:
    (vault / "pyproject.toml").write_text('[tool.vaultlint]\nignore = ["schema"]\n', "utf-8")
    (vault / ".vaultlint.toml").write_text("ignore = []\n", encoding="utf-8")
    (vault / "a.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    assert invoke("check", ".", cwd=vault)[0] == 1


def test_dot_folders_are_skipped_but_a_named_file_is_checked(vault: Path) -> None:
    (vault / ".trash").mkdir()
    (vault / ".trash" / "old.md").write_bytes(b"no frontmatter\n")
    assert invoke("check", ".", cwd=vault)[1] == "All checks passed! (0 notes checked)\n"
    code, out, _ = invoke("check", ".trash/old.md", cwd=vault)
    assert code == 1
    assert out.startswith(".trash/old.md:1:1: error frontmatter-missing")
    assert invoke("check", "--force-exclude", ".trash/old.md", cwd=vault)[0] == 0


def test_paths_that_are_not_notes_get_one_clear_diagnostic_each(vault: Path) -> None:
    (vault / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (vault / "broken.md").symlink_to(vault / "missing-target.md")
    (vault / "real-folder").mkdir()
    (vault / "folder.md").symlink_to(vault / "real-folder")
    os.mkfifo(vault / "pipe.md")
    code, out, err = invoke("check", ".", cwd=vault)
    assert code == 1
    assert "Traceback" not in out + err
    assert out.splitlines()[:4] == [
        "binary.md:3:1: error encoding the note contains NUL bytes: it is a binary file, not text",
        "broken.md:1:1: error file cannot read the note: broken symbolic link "
        "(its target does not exist)",
        "folder.md:1:1: error file cannot read the note: it is a folder, not a regular file",
        "pipe.md:1:1: error file cannot read the note: it is a FIFO (named pipe), "
        "not a regular file",
    ]


def test_rules_lists_every_rule_and_explains_one(vault: Path) -> None:
    code, out, _ = invoke("rules", cwd=vault)
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "SEVERITY", "FIX", "SUMMARY"]
    assert any(line.startswith("time-sum ") and " sometimes " in line for line in out.splitlines())
    code, out, _ = invoke("rules", "heading-alias", cwd=vault)
    assert code == 0
    assert out.startswith("heading-alias (error, fix: always)\n\nA section heading written with")
    assert invoke("rules", "nope", cwd=vault)[0] == 2


def test_a_real_process_checks_and_fixes(vault: Path) -> None:
    note = vault / "seed.md"
    shutil.copy(SEED, note)
    note.chmod(0o644)

    def vaultlint(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "vaultlint", *args]
        return subprocess.run(command, cwd=vault, capture_output=True, text=True, check=False)

    checked = vaultlint("check", ".")
    assert checked.returncode == 1
    assert checked.stdout.startswith("seed.md:2:1: error mojibake")
    assert checked.stderr == ""
    fixed = vaultlint("fix", ".")
    assert fixed.returncode == 1
    assert note.read_bytes() == clean_note()
    again = vaultlint("check", ".")
    assert (again.returncode, again.stdout) == (0, "All checks passed! (1 note checked)\n")


def test_the_readme_rules_table_lists_every_rule_with_its_severity_and_fix() -> None:
    from vaultlint.rules import RULES

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].strip("`") in RULES:
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    expected = {
        rule_id: (rule.DEFAULT_SEVERITY.value, rule.FIX.value) for rule_id, rule in RULES.items()
    }
    assert rows == expected


def test_the_readme_sample_output_is_the_real_output_of_check_on_the_seeds(tmp_path: Path) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    prompt = "```console\n$ vaultlint check seeds/\n"
    shown = readme.split(prompt, 1)[1].split("```", 1)[0]
    # The README's command, on a copy of the seeds: run in the checkout, `check` would leave its
    # cache (.vaultlint_cache/) in the source tree, which tests only read.
    shutil.copytree(PROJECT / "seeds", tmp_path / "seeds")
    code, out, _ = invoke("check", "seeds/", cwd=tmp_path)
    assert code == 1
    assert out == shown


def test_the_real_seed_note_is_byte_for_byte_the_shared_one() -> None:
    # The sample vault's one real note must never be rewritten (issue #12 §1).
    shared = shared_path("seeds", "000_628cb582f48b4147.txt")
    assert SEED.read_bytes() == shared.read_bytes()


def test_the_progress_bar_passes_every_note_through_and_stays_off_a_terminal(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaultlint.commands.check import PROGRESS_THRESHOLD, progress_bar

    items = list(range(PROGRESS_THRESHOLD + 3))
    assert list(progress_bar(iter(items), len(items))) == items
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: click draws nothing
    (vault / "a.md").write_bytes(clean_note())
    assert invoke("check", ".", cwd=vault)[2] == ""


def test_an_unknown_rule_option_is_an_error_naming_the_config_and_the_known_ones(
    vault: Path,
) -> None:
    (vault / ".vaultlint.toml").write_text("[rules.tag-missing]\nrecomended = true\n", "utf-8")
    (vault / "a.md").write_bytes(clean_note())
    code, _, err = invoke("check", "--no-cache", "a.md", cwd=vault)
    assert code == 2
    assert err == (
        f"vaultlint: error: {vault / '.vaultlint.toml'}: unknown option 'recomended' for rule "
        "tag-missing (known: recommended)\n"
    )


def test_a_rule_option_of_the_wrong_type_is_an_error(vault: Path) -> None:
    (vault / ".vaultlint.toml").write_text('[rules.tag-missing]\nrecommended = "yes"\n', "utf-8")
    (vault / "a.md").write_bytes(clean_note())
    code, _, err = invoke("check", "--no-cache", "a.md", cwd=vault)
    assert code == 2
    assert "option 'recommended' of rule tag-missing must be true or false, not str" in err
