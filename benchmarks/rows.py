"""The rows of issue #17's table: which two commands each compares, and its target.

Every row is a ratio of two medians measured in the same run (or a share, or a peak), so that a
busy machine slows both sides alike. A row whose feature is not built yet (the vault rules
`link-broken`, `link-anchor`, `duplicate-note` and their phase 2) is kept, marked "not built
yet", and detected from the rules the CLI lists: nothing here needs editing when they land.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import Case, measure
from benchmarks.vaults import Vault, first_clean_note, fresh_copy

# The vault rules the one-note rows turn off (`file-name`, the fourth, stays on there)
VAULT_RULES = ("link-broken", "link-anchor", "duplicate-note")
# Phase 2 is skipped only when every vault rule is off: its share is measured against that
PHASE_TWO_RULES = (*VAULT_RULES, "file-name")
NOT_BUILT = "n/a: not built yet"


class Kind(enum.Enum):
    RATIO = "ratio"  # median wall of `measured` / median wall of `baseline`
    SHARE = "share"  # 1 - baseline / measured: the part of `measured` that `baseline` skips
    MEMORY = "memory"  # peak RSS of `measured`, run once


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    kind: Kind
    limit: float  # ratio, share (0.10 for 10 %) or MiB
    measured: Case | None = None
    baseline: Case | None = None
    missing: str = ""  # why the row has no figure ("n/a: not built yet", "skipped: ...")

    @property
    def target(self) -> str:
        if self.kind is Kind.RATIO:
            return f"≤ {self.limit:g}×"
        if self.kind is Kind.SHARE:
            return f"≤ {self.limit:.0%}"
        return f"≤ {self.limit:g} MiB"


@dataclass(frozen=True, slots=True)
class Setup:
    """What the rows are built from; `realistic` and `memory` are None when not wanted."""

    vaultlint: tuple[str, ...]  # e.g. (python, "-m", "vaultlint")
    stages: tuple[str, ...]  # (python, ../shared/bench/stages.py)
    vault: Vault  # seed 42, 20 % bad, default kinds
    work: Path  # where fresh copies go
    rules: frozenset[str]  # the rule IDs `vaultlint rules` lists
    realistic: Vault | None = None  # --realistic, for phase 2
    memory: Vault | None = None  # behind --memory
    memory_notes: int = 100_000
    options: tuple[str, ...] = ()  # after every vaultlint command's name, e.g. --schema FILE

    def command(self, name: str, *arguments: str) -> tuple[str, ...]:
        return (*self.vaultlint, name, *self.options, *arguments)


def vault_rules(rules: frozenset[str]) -> tuple[str, ...]:
    return tuple(rule for rule in VAULT_RULES if rule in rules)


def build_rows(setup: Setup) -> list[Row]:
    cases = _Cases(setup)
    return [
        Row(
            "`check --no-cache --jobs 1` against `stages.py check_fast`",
            Kind.RATIO,
            1.3,
            cases.cold_check,
            cases.check_fast,
        ),
        Row("`check` warm against `stages.py floor`", Kind.RATIO, 1.2, cases.warm, cases.floor),
        *_one_note_rows(setup, cases),
        _phase_two_row(setup),
        Row(
            "`fix` against `check --no-cache` (fresh copies)",
            Kind.RATIO,
            1.2,
            cases.fix,
            cases.check_copy,
        ),
        Row(
            "`format --check` against `check --no-cache`",
            Kind.RATIO,
            1.5,
            cases.format_check,
            cases.check_copy,
        ),
        _memory_row(setup),
    ]


class _Cases:
    """The commands, each built once so that rows comparing against the same one share it."""

    def __init__(self, setup: Setup) -> None:
        root = setup.vault.root
        check = setup.command("check", "-q")
        self.setup = setup
        self.python_pass = Case("`python -c pass`", (sys.executable, "-c", "pass"), root)
        self.floor = Case("`stages.py floor`", (*setup.stages, "floor", "."), root)
        self.check_fast = Case("`stages.py check_fast`", (*setup.stages, "check_fast", "."), root)
        self.cold_check = Case(
            "`check --no-cache --jobs 1`", (*check, "--no-cache", "--jobs", "1", "."), root
        )
        self.warm = self.warmed(Case("`check` warm", (*check, "."), root))
        copy, template = setup.work / "copy-fix", root
        self.fix = Case(
            "`fix` (fresh copy)",
            setup.command("fix", "-q", "."),
            copy,
            lambda _: fresh_copy(template, copy),
        )
        check_copy = setup.work / "copy-check"
        self.check_copy = Case(
            "`check --no-cache` (fresh copy)",
            (*check, "--no-cache", "."),
            check_copy,
            lambda _: fresh_copy(template, check_copy),
        )
        self.format_check = Case("`format --check`", setup.command("format", "--check", "."), root)

    def warmed(self, case: Case) -> Case:
        """Before each run, the same command once, untimed: it fills the cache if anything
        (a source edit, a schema) made it stale, and costs a warm run otherwise."""

        def fill(env: dict[str, str]) -> None:
            measure(case.argv, case.cwd, env)

        case.prepare = fill
        return case

    def one_note(self, *, ignore: tuple[str, ...], warm: bool) -> Case:
        root = self.setup.vault.root
        note = first_clean_note(self.setup.vault)
        options = ("--ignore", ",".join(ignore)) if ignore else ()
        cache = () if warm else ("--no-cache",)
        argv = self.setup.command("check", "-q", *options, *cache, note)
        shown = " ".join(("`check ONE.md", *options, *cache)) + "`"
        case = Case(f"{shown}{' warm' if warm else ''}", argv, root)
        # Cold needs no preparation: --no-cache neither reads nor writes the cache, so the warm
        # rows' cache can stay (dropping it made every round fill it again).
        return self.warmed(case) if warm else case


def _one_note_rows(setup: Setup, cases: _Cases) -> list[Row]:
    present = vault_rules(setup.rules)
    warm = cases.one_note(ignore=present, warm=True)
    cold = cases.one_note(ignore=present, warm=False)
    rows = [
        Row(f"{warm.label} against `python -c pass`", Kind.RATIO, 4, warm, cases.python_pass),
        Row(f"{cold.label} against `python -c pass`", Kind.RATIO, 8, cold, cases.python_pass),
    ]
    title = "`check ONE.md` warm with the vault rules against `python -c pass`"
    if not present:
        rows.append(Row(title, Kind.RATIO, 6, missing=NOT_BUILT))
    else:
        with_rules = cases.one_note(ignore=(), warm=True)
        rows.append(Row(title, Kind.RATIO, 6, with_rules, cases.python_pass))
    return rows


def _phase_two_row(setup: Setup) -> Row:
    title = "phase 2 (the vault rules), `--realistic` vault: share of `check --no-cache`"
    present = vault_rules(setup.rules)
    if not present:
        return Row(title, Kind.SHARE, 0.10, missing=NOT_BUILT)
    if setup.realistic is None:
        return Row(title, Kind.SHARE, 0.10, missing="skipped: no realistic vault was made")
    root = setup.realistic.root
    check = setup.command("check", "-q", "--no-cache")
    full = Case("`check --no-cache` (realistic)", (*check, "."), root)
    ignore = ("--ignore", ",".join(rule for rule in PHASE_TWO_RULES if rule in setup.rules))
    without = Case(f"`check --no-cache {' '.join(ignore)}`", (*check, *ignore, "."), root)
    return Row(title, Kind.SHARE, 0.10, full, without)


def _memory_row(setup: Setup) -> Row:
    title = f"peak memory of `check --jobs 1 --no-cache`, {setup.memory_notes:,} notes"
    if setup.memory is None:
        return Row(title, Kind.MEMORY, 64, missing="skipped: pass --memory (it takes minutes)")
    argv = setup.command("check", "-q", "--jobs", "1", "--no-cache", ".")
    case = Case("`check --jobs 1 --no-cache`", argv, setup.memory.root)
    return Row(title, Kind.MEMORY, 64, case)
