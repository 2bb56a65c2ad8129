"""Fixtures of the vault rules: each case is a small vault, `tests/cases/<rule>/<case>/`.

Beside the folder:
- `<case>.expected.json`: that rule's findings in the whole vault, each with its note's path;
- `<case>.fixed/` (and `<case>.fixed-unsafe/`): the files `vaultlint fix --select <rule>`
  (with `--unsafe-fixes`) changes, as they must read after it; every other file stays as it was.
A file named `dot-NAME` is the vault's `.NAME` (a `.gitignore` would act on this repository).
The vault is copied to a temporary folder and checked through the command line, from its root.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import invoke
from vaultlint.rules import VAULT_RULES

CASES = Path(__file__).parent / "cases"
VAULT_CASES = sorted(
    path
    for rule in VAULT_RULES
    for path in (CASES / rule).glob("*")
    if path.is_dir() and not path.name.endswith((".fixed", ".fixed-unsafe"))
)


def copy_vault(case: Path, destination: Path) -> Path:
    vault = destination / "vault"
    shutil.copytree(case, vault)
    for dotted in list(vault.rglob("dot-*")):
        dotted.rename(dotted.with_name("." + dotted.name.removeprefix("dot-")))
    return vault


def found(vault: Path, rule: str) -> list[dict[str, Any]]:
    code, out, err = invoke(
        "check", "--select", rule, "--no-cache", "--output-format", "json", ".", cwd=vault
    )
    assert code in (0, 1), err
    return [
        {k: v for k, v in finding.items() if k not in ("rule", "fixable", "fix", "url")}
        for finding in json.loads(out)["diagnostics"]
    ]


def snapshot(vault: Path) -> dict[str, bytes]:
    return {
        path.relative_to(vault).as_posix(): path.read_bytes()
        for path in sorted(vault.rglob("*"))
        if path.is_file() and ".vaultlint_cache" not in path.parts
    }


@pytest.mark.parametrize("case", VAULT_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vault_case_reports_exactly_what_it_declares(case: Path, tmp_path: Path) -> None:
    expected_file = case.with_name(case.name + ".expected.json")
    assert expected_file.exists(), f"{case.name} must declare what it expects"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert found(copy_vault(case, tmp_path), case.parent.name) == expected


FIX_CASES = [
    (case, fixed, unsafe)
    for case in VAULT_CASES
    for fixed, unsafe in (
        (case.with_name(case.name + ".fixed"), False),
        (case.with_name(case.name + ".fixed-unsafe"), True),
    )
    if fixed.exists()
]


@pytest.mark.parametrize(
    ("case", "fixed", "unsafe"),
    FIX_CASES,
    ids=lambda v: f"{v.parent.name}/{v.name}" if isinstance(v, Path) else ("unsafe" if v else ""),
)
def test_vault_fix_changes_exactly_the_declared_files_once(
    case: Path, fixed: Path, unsafe: bool, tmp_path: Path
) -> None:
    vault = copy_vault(case, tmp_path)
    before = snapshot(vault)
    arguments = ["fix", "--select", case.parent.name, *(["--unsafe-fixes"] if unsafe else []), "."]
    invoke(*arguments, cwd=vault)
    after = snapshot(vault)
    expected = dict(before)
    expected.update(snapshot(fixed))
    assert after == expected
    invoke(*arguments, cwd=vault)
    assert snapshot(vault) == after, "fixing twice must change nothing more"


def test_every_vault_rule_has_a_vault_case_and_every_fixable_one_a_fixed_vault() -> None:
    from vaultlint.rules.base import Fixability

    assert {case.parent.name for case in VAULT_CASES} == set(VAULT_RULES)
    fixable = {rule for rule, module in VAULT_RULES.items() if module.FIX is not Fixability.NEVER}
    assert fixable <= {case.parent.name for case, _, _ in FIX_CASES}
