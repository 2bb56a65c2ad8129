"""Shared test helpers: where the project and the shared corpus live, and in-process linting."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from vaultlint.diagnostic import Applicability
from vaultlint.engine import LintResult, RuleSelection, lint
from vaultlint.fixer import FixOutcome, fix_note
from vaultlint.note import Note
from vaultlint.schema.loader import CompiledSchema, bundled_schema, load_schema

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
RECIPE_SCHEMA = bundled_schema("recipe.schema.json")


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test saying why when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared corpus, which is not here")
    return path


def select(*rules: str, options: Mapping[str, Mapping[str, Any]] | None = None) -> RuleSelection:
    return RuleSelection.build(rules or None, (), {}, options or {})


def recipe_schema() -> CompiledSchema:
    return load_schema(RECIPE_SCHEMA)


def lint_bytes(
    raw: bytes,
    *rules: str,
    schema: CompiledSchema | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> LintResult:
    return lint(Note.from_bytes(raw), schema or recipe_schema(), select(*rules, options=options))


def fix_bytes(
    raw: bytes,
    *rules: str,
    schema: CompiledSchema | None = None,
    unsafe: bool = False,
) -> FixOutcome:
    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    # As `vaultlint fix --select` does: the fix must introduce no finding of any rule.
    return fix_note(
        Note.from_bytes(raw), schema or recipe_schema(), select(*rules), minimum, guard=select()
    )


def generated_vault(folder: Path, *, notes: int, seed: int, bad_fraction: float) -> Path:
    """A vault from ../shared/bench/make_vault.py at `folder/vault` (its manifest beside it),
    or skip the test saying why when the generator is absent."""
    import subprocess
    import sys

    generator = shared_path("bench", "make_vault.py")
    vault = folder / "vault"
    arguments = ["--notes", str(notes), "--seed", str(seed), "--bad-fraction", str(bad_fraction)]
    command = [sys.executable, str(generator), str(vault), *arguments]
    subprocess.run(command, check=True, capture_output=True)
    return vault


def write_vault(folder: Path, *, notes: int, seed: int, bad_fraction: float) -> Path:
    """A vault from ../shared/bench/make_vault.py at `folder`, aged a day as a vault is (see
    `benchmarks.vaults.age`), or skip the test saying why when the generator is absent."""
    from benchmarks.vaults import generate

    generator = shared_path("bench", "make_vault.py")
    generate(generator, folder, notes=notes, seed=seed, bad_fraction=bad_fraction)
    return folder
