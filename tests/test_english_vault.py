"""An English recipe vault checked through the real command line: the rules follow the schema.

`tests/schemas/english.schema.json` renames every field (`total_time`, `course`...), writes tags
without `#` as Obsidian's own docs write YAML tags (`tags: [cuisine/thai, course/main]`), buckets
time as `time/quick`..., and calls the sections Ingredients / Instructions (alias Method). The
same notes checked with the bundled French schema get other findings: nothing is hard-coded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultlint.cli import main

ENGLISH_SCHEMA = Path(__file__).parent / "schemas" / "english.schema.json"

PAD_THAI = """\
---
cuisine: thai
course: main
prep_time: 20
cook_time: 15
total_time: 35
servings: 4
source: Hot Thai Kitchen
tags: [cuisine/thai, course/main, time/medium, method/stovetop]
---

# Pad Thai

## Ingredients

- 200 g rice noodles
- 2 eggs

## Instructions

1. Soak the noodles in warm water.
2. Stir-fry everything in a hot wok.
"""

GREEN_CURRY = """\
---
cuisine: thai
course: main
prep_time: 15
cook_time: 20
total_time: 30
servings: 4
source: Hot Thai Kitchen
tags:
  - course/main
  - "#cuisine/thai"
  - time/short
  - method/stovetop
---

# Green Curry

## Ingredients

- 400 ml coconut milk
- 2 tbsp green curry paste

## Method

1. Fry the curry paste in the coconut cream.
2. Add the chicken and simmer.
"""

TOM_YUM = """\
---
cuisine: thai
course: soup
prep_time: 5
cook_time: 10
total_time: 15
servings: 2
tags: [course/soup, time/quick]
---

# Tom Yum

## Ingredients

- 1 l chicken stock
- 3 kaffir lime leaves

## Instructions

1. Simmer the aromatics for 10 minutes.
"""

MASSAMAN = """\
---
cuisine: thai
course: main
prep_time: 30
cook_time: 90
total_time: 120
servings: 6
tags:
  - course/main
  - time/long
  - method/stovetop
---

# Massaman Curry

## Ingredients

- 1 kg beef shin

## Instructions

1. Braise the beef for an hour and a half.
"""

NOTES = {
    "green-curry.md": GREEN_CURRY,
    "massaman.md": MASSAMAN,
    "pad-thai.md": PAD_THAI,
    "tom-yum.md": TOM_YUM,
}


def _finding(
    path: str, start: tuple[int, int], end: tuple[int, int], rule: str, message: str
) -> dict[str, Any]:
    return {
        "path": f"vault/{path}",
        "line": start[0],
        "column": start[1],
        "end_line": end[0],
        "end_column": end[1],
        "rule": rule,
        "severity": "error",
        "message": message,
        "fixable": True,
    }


EXPECTED = [
    _finding(
        "green-curry.md",
        (6, 13),
        (6, 15),
        "time-sum",
        "total_time (30) is less than prep_time + cook_time (35)",
    ),
    _finding(
        "green-curry.md",
        (11, 5),
        (11, 20),
        "tag-format",
        'tag "#cuisine/thai" should be "cuisine/thai"',
    ),
    _finding(
        "green-curry.md",
        (23, 1),
        (23, 10),
        "heading-alias",
        '"Method" is an alias of the section "Instructions"',
    ),
    _finding(
        "massaman.md", (8, 1), (8, 5), "tag-missing", 'missing tag "cuisine/thai" (cuisine: thai)'
    ),
    _finding(
        "tom-yum.md", (8, 1), (8, 5), "tag-missing", 'missing tag "cuisine/thai" (cuisine: thai)'
    ),
]

# After `fix`: the total adds up, the bucket follows the new total (`time/short` -> `time/medium`,
# on the next pass), tags gain no `#` and keep their list's style, the alias is renamed.
FIXED = {
    "green-curry.md": GREEN_CURRY.replace("total_time: 30", "total_time: 35")
    .replace('"#cuisine/thai"', '"cuisine/thai"')
    .replace("time/short", "time/medium")
    .replace("## Method", "## Instructions"),
    "massaman.md": MASSAMAN.replace(
        "  - method/stovetop\n", "  - method/stovetop\n  - cuisine/thai\n"
    ),
    "pad-thai.md": PAD_THAI,
    "tom-yum.md": TOM_YUM.replace(
        "tags: [course/soup, time/quick]", "tags: [course/soup, time/quick, cuisine/thai]"
    ),
}


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An Obsidian vault at tmp_path/vault (with an empty config: the bundled schema applies)."""
    folder = tmp_path / "vault"
    (folder / ".obsidian").mkdir(parents=True)
    (folder / ".vaultlint.toml").write_bytes(b"")
    for name, text in NOTES.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    return folder


def _in_process(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def _real_process(*args: str, cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("VAULTLINT_OUTPUT_FORMAT", None)
    probe = subprocess.run(
        [sys.executable, "-m", "vaultlint", "--version"],
        capture_output=True,
        check=False,
        env=env,
    )
    if probe.returncode == 0:
        command = [sys.executable, "-m", "vaultlint"]
    else:  # no `python -m vaultlint`: the console script of the same environment
        script = shutil.which("vaultlint", path=str(Path(sys.executable).parent))
        assert script is not None, "neither `python -m vaultlint` nor the vaultlint script runs"
        command = [script]
    completed = subprocess.run(
        [*command, *args], capture_output=True, check=False, cwd=cwd, env=env, text=True
    )
    assert completed.stderr == "", completed.stderr
    return completed.returncode, completed.stdout


def _diagnostics(output: str) -> list[dict[str, Any]]:
    document: dict[str, Any] = json.loads(output)
    assert document["version"] == 1
    # What the rules found; each fix's edits and the rule's link: tests/test_json_fixes.py
    diagnostics: list[dict[str, Any]] = [
        {key: value for key, value in d.items() if key not in ("fix", "url")}
        for d in document["diagnostics"]
    ]
    return diagnostics


def _english_check(*paths: str) -> tuple[str, ...]:
    return ("check", "--schema", str(ENGLISH_SCHEMA), *paths, "--output-format", "json")


@pytest.mark.usefixtures("vault")
def test_english_schema_drives_every_rule_in_process() -> None:
    code, out = _in_process(*_english_check("vault"))
    assert code == 1
    assert _diagnostics(out) == EXPECTED
    assert json.loads(out)["files"] == 4


def test_english_schema_drives_every_rule_in_a_real_process(vault: Path) -> None:
    code, out = _real_process(*_english_check("vault"), cwd=vault.parent)
    assert code == 1
    assert _diagnostics(out) == EXPECTED


def test_clean_english_note_passes_both_ways(vault: Path) -> None:
    assert _in_process(*_english_check("vault/pad-thai.md")) == (0, _empty_report())
    assert _real_process(*_english_check("vault/pad-thai.md"), cwd=vault.parent) == (
        0,
        _empty_report(),
    )


def _empty_report() -> str:
    return json.dumps({"version": 1, "files": 1, "diagnostics": []}, indent=2) + "\n"


def test_fix_adds_tags_without_prefix_in_the_lists_own_style(vault: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["fix", "--schema", str(ENGLISH_SCHEMA), "vault", "--output-format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1  # notes changed
    assert _diagnostics(result.stdout) == []
    for name, text in FIXED.items():
        assert (vault / name).read_bytes() == text.encode("utf-8"), name
    assert _real_process(*_english_check("vault"), cwd=vault.parent) == (
        0,
        json.dumps({"version": 1, "files": 4, "diagnostics": []}, indent=2) + "\n",
    )


@pytest.mark.usefixtures("vault")
def test_french_schema_finds_other_problems_in_the_same_notes() -> None:
    code, out = _in_process("check", "vault", "--output-format", "json")
    assert code == 1
    french = _diagnostics(out)
    english = {(d["path"], d["rule"], d["line"], d["message"]) for d in EXPECTED}
    seen = {(d["path"], d["rule"], d["line"], d["message"]) for d in french}
    assert not english & seen, "the French vault's rules must not say what the English ones say"
    # What only the French conventions call problems, in the clean English note:
    pad_thai = {(d["rule"], d["line"], d["message"]) for d in french if "pad-thai" in d["path"]}
    assert ("schema", 1, "missing required field 'temps_total'") in pad_thai
    assert ("tag-format", 9, 'tag "cuisine/thai" should be "#cuisine/thai"') in pad_thai
    # Both vaults call a section Ingredients; the French one has Steps where this one has
    # Instructions.
    assert ("heading-missing", 12, 'missing section "Steps" (## Steps)') in pad_thai
    assert not [d for d in pad_thai if d[0] == "heading-alias"]
    # ... and what the French schema cannot see: the English time fields mean nothing to it.
    assert not [d for d in french if d["rule"] == "time-sum"]
