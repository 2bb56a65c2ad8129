"""Measure issue #17's table: every row a ratio of medians of interleaved whole-process runs.

    python -m benchmarks.run [--notes 10000] [--runs 5] [--quick] [--memory]
                             [--workdir DIR] [--shared DIR] [--schema FILE] [--write FILE]

Vaults come from `../shared/bench/make_vault.py` (seed 42, `--bad-fraction 0.2`, default kinds;
`--realistic` for the phase-2 row), and the stand-ins from `../shared/bench/stages.py`. Each
round runs every command once, in row order (A B A B ...), so that a busy machine slows both
sides of a ratio alike; a row gives the median of `--runs` rounds. `--quick` is 1,000 notes and
2 rounds. `--memory` adds the peak memory of a one-process check of 100,000 notes, run once.
Rows whose feature is not built yet print "n/a: not built yet". Exit 2 with a message when the
shared tools are absent or a command crashes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import Case, CommandFailedError
from benchmarks.report import load_average, machine, table
from benchmarks.rows import Kind, Row, Setup, build_rows, vault_rules
from benchmarks.shared import DEFAULT_SHARED, REPO, MissingSharedToolsError, find_shared_tools
from benchmarks.vaults import GeneratorError, generate

QUICK_NOTES, QUICK_RUNS = 1_000, 2


@dataclass(frozen=True, slots=True)
class Options:
    notes: int
    runs: int
    memory_notes: int | None  # None: no memory row
    work: Path
    shared: Path
    schema: Path | None  # given to every vaultlint command with --schema


def environment() -> dict[str, str]:
    """The checkout's vaultlint first on the path, whatever is installed."""
    paths = [str(REPO), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}


def compile_sources() -> None:
    """An installed wheel has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE
    would compile every module at every start-up. Compile once, as pip does."""
    sources = [str(REPO / "vaultlint"), str(REPO / "benchmarks")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *sources], check=True, stdout=subprocess.DEVNULL
    )


def registered_rules(env: dict[str, str]) -> frozenset[str]:
    """The rule IDs `vaultlint rules` lists: the first word of each line below the header."""
    listing = subprocess.run(
        [sys.executable, "-m", "vaultlint", "rules"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if listing.returncode != 0:
        raise CommandFailedError(f"vaultlint rules exited {listing.returncode}:\n{listing.stderr}")
    return frozenset(line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip())


def prepare(options: Options, env: dict[str, str]) -> list[Row]:
    tools = find_shared_tools(options.shared)
    rules = registered_rules(env)
    work = options.work
    vault = generate(tools.make_vault, work / f"vault-{options.notes}", notes=options.notes)
    realistic = None
    if vault_rules(rules):  # phase 2 exists: it needs the realistic vault's links and copies
        folder = work / f"realistic-{options.notes}"
        realistic = generate(tools.make_vault, folder, notes=options.notes, realistic=True)
    memory = None
    if options.memory_notes:
        folder = work / f"vault-{options.memory_notes}"
        memory = generate(tools.make_vault, folder, notes=options.memory_notes)
    setup = Setup(
        vaultlint=(sys.executable, "-m", "vaultlint"),
        stages=(sys.executable, str(tools.stages)),
        vault=vault,
        work=work,
        rules=rules,
        realistic=realistic,
        memory=memory,
        memory_notes=options.memory_notes or 100_000,
        options=("--schema", str(options.schema)) if options.schema else (),
    )
    return build_rows(setup)


def cases_of(rows: list[Row], *, kinds: tuple[Kind, ...]) -> list[Case]:
    """Each case once, in row order (a case two rows compare against runs once a round)."""
    found: list[Case] = []
    for row in rows:
        if row.kind in kinds:
            found += [case for case in (row.measured, row.baseline) if case and case not in found]
    return found


def measure_rows(rows: list[Row], runs: int, env: dict[str, str]) -> None:
    interleaved = cases_of(rows, kinds=(Kind.RATIO, Kind.SHARE))
    for number in range(runs):
        print(f"round {number + 1}/{runs}: {len(interleaved)} commands", file=sys.stderr)
        for case in interleaved:
            case.run_once(env)
            print(f"  {case.label}: {case.samples[-1].wall:.3f} s", file=sys.stderr)
    for case in cases_of(rows, kinds=(Kind.MEMORY,)):
        print(f"memory: {' '.join(case.argv)}", file=sys.stderr)
        case.run_once(env)


def render(rows: list[Row], options: Options, load_before: str) -> str:
    return "\n".join(
        [
            f"## {options.notes:,} notes, medians of {options.runs} interleaved runs"
            + (f", `--schema {options.schema}`" if options.schema else ""),
            "",
            table(rows),
            "",
            f"Machine: {machine()}. Load average before the runs: {load_before}, "
            f"after: {load_average()}.",
            "",
        ]
    )


def parse(argv: list[str] | None) -> tuple[Options, Path | None, bool]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000, help="vault size (default 10,000)")
    parser.add_argument("--runs", type=int, default=5, help="rounds to take medians of (5)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_NOTES:,} notes, {QUICK_RUNS} runs"
    )
    parser.add_argument(
        "--memory", type=int, nargs="?", const=100_000, default=None, metavar="NOTES",
        help="add the peak-memory row (default 100,000 notes; takes minutes)",
    )  # fmt: skip
    parser.add_argument("--workdir", type=Path, help="keep the vaults here (default: a temp dir)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    parser.add_argument("--schema", type=Path, help="pass --schema FILE to every vaultlint command")
    parser.add_argument("--write", type=Path, help="also write the table to this Markdown file")
    arguments = parser.parse_args(argv)
    if arguments.notes < 1 or arguments.runs < 1:
        parser.error("--notes and --runs must be at least 1")
    notes, runs = arguments.notes, arguments.runs
    if arguments.quick:
        notes, runs = QUICK_NOTES, QUICK_RUNS
    keep = arguments.workdir is not None
    work = arguments.workdir or Path(tempfile.mkdtemp(prefix="vaultlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    schema = arguments.schema.resolve() if arguments.schema else None
    options = Options(notes, runs, arguments.memory, work.resolve(), arguments.shared, schema)
    return options, arguments.write, keep


def main(argv: list[str] | None = None) -> int:
    options, write, keep = parse(argv)
    env = environment()
    try:
        compile_sources()
        rows = prepare(options, env)
        load_before = load_average()
        measure_rows(rows, options.runs, env)
    except (MissingSharedToolsError, GeneratorError, CommandFailedError) as error:
        print(f"benchmarks: error: {error}", file=sys.stderr)
        return 2
    finally:
        if not keep:
            shutil.rmtree(options.work, ignore_errors=True)
    text = render(rows, options, load_before)
    sys.stdout.write(text)
    if write:
        write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
