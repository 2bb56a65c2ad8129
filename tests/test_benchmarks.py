"""The benchmark keeps working: every row of issue #17 prints, and a missing piece says why."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.processes import Case, Sample, measure
from benchmarks.pyspy import shares
from benchmarks.report import outcome
from benchmarks.rows import NOT_BUILT, Kind, Row, Setup, build_rows
from benchmarks.shared import REPO
from benchmarks.vaults import Vault
from tests.conftest import shared_path

# One title fragment per row of the issue's table, in its order.
ISSUE_ROWS = [
    "`check --no-cache --jobs 1` against `stages.py check_fast`",
    "`check` warm against `stages.py floor`",
    "`check ONE.md",  # warm, without the vault rules
    "`check ONE.md",  # the same, cold
    "`check ONE.md` warm with the vault rules",
    "phase 2",
    "`fix` against `check --no-cache`",
    "`format --check` against `check --no-cache`",
    "peak memory of `check --jobs 1 --no-cache`",
]


def benchmark(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_small_run_prints_every_row_with_a_figure_or_the_reason_it_has_none(
    tmp_path: Path,
) -> None:
    shared_path("bench", "make_vault.py")
    # What is tested is that every row prints, not its figure: 50 notes give every row its
    # vaults and commands as 200 did, in less time (most of it is the commands' start-up).
    done = benchmark("--notes", "50", "--runs", "1", "--workdir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = [
        line for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line
    ]
    assert len(rows) == len(ISSUE_ROWS) + 1  # and the header
    for line, fragment in zip(rows[1:], ISSUE_ROWS, strict=True):
        assert line.startswith(f"| {fragment}")
        figure = line.split(" | ")[2]
        assert figure.endswith(("×", "%", "MiB")) or figure.startswith(("n/a", "skipped")), line
    assert "Machine: " in done.stdout
    assert "nproc " in done.stdout


def test_an_absent_shared_folder_is_named_without_a_traceback(tmp_path: Path) -> None:
    done = benchmark("--notes", "10", "--runs", "1", "--shared", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert f"{tmp_path / 'nowhere' / 'bench' / 'make_vault.py'} is absent" in done.stderr
    assert "Traceback" not in done.stderr


def _case(wall: float, cpu: float = 1.0, rss_kib: int = 1024) -> Case:
    return Case("a command", ("true",), Path(), samples=[Sample(wall, cpu, rss_kib)])


@pytest.mark.parametrize(
    ("kind", "walls", "limit", "figure", "met"),
    [
        (Kind.RATIO, (2.6, 2.0), 1.3, "1.30×", True),
        (Kind.RATIO, (2.62, 2.0), 1.3, "1.31×", False),
        (Kind.SHARE, (1.0, 0.9), 0.10, "10.0%", True),
        (Kind.SHARE, (1.0, 0.8), 0.10, "20.0%", False),
    ],
)
def test_a_row_is_met_when_its_ratio_of_medians_is_within_the_target(
    kind: Kind, walls: tuple[float, float], limit: float, figure: str, met: bool
) -> None:
    row = Row("row", kind, limit, _case(walls[0]), _case(walls[1]))
    result = outcome(row)
    assert (result.figure, result.met) == (figure, met)


def test_the_memory_row_compares_the_peak_with_its_limit_in_mib() -> None:
    row = Row("memory", Kind.MEMORY, 64, _case(1.0, rss_kib=133 * 1024))
    assert (outcome(row).figure, outcome(row).met) == ("133.0 MiB", False)


def _setup(tmp_path: Path, rules: frozenset[str]) -> Setup:
    manifest = tmp_path / "vault.manifest.json"
    notes = [{"path": "bad.md", "problem": {}}, {"path": "A/clean.md", "problem": None}]
    manifest.write_text(json.dumps({"notes": notes}), encoding="utf-8")
    vault = Vault(tmp_path / "vault", manifest)
    return Setup(("vaultlint",), ("stages.py",), vault, tmp_path, rules, realistic=vault)


def test_without_the_vault_rules_their_rows_say_not_built_yet(tmp_path: Path) -> None:
    rows = build_rows(_setup(tmp_path, frozenset({"schema", "time-sum"})))
    missing = [row.title for row in rows if row.missing == NOT_BUILT]
    assert missing == [rows[4].title, rows[5].title]
    assert rows[2].measured is not None
    assert rows[2].measured.argv == ("vaultlint", "check", "-q", "A/clean.md")


def test_once_the_vault_rules_exist_their_rows_are_measured_and_the_others_ignore_them(
    tmp_path: Path,
) -> None:
    rows = build_rows(_setup(tmp_path, frozenset({"schema", "link-broken", "duplicate-note"})))
    assert all(row.missing != NOT_BUILT for row in rows)
    ignore = ("--ignore", "link-broken,duplicate-note")
    assert rows[2].measured is not None
    assert rows[2].measured.argv == ("vaultlint", "check", "-q", *ignore, "A/clean.md")
    assert rows[4].measured is not None
    assert rows[4].measured.argv == ("vaultlint", "check", "-q", "A/clean.md")
    assert rows[5].baseline is not None
    assert rows[5].baseline.argv == ("vaultlint", "check", "-q", "--no-cache", *ignore, ".")


def test_the_profile_sums_samples_by_function_without_line_numbers() -> None:
    raw = (
        "main (vaultlint/cli.py:3);lint (vaultlint/engine.py:10);compose (yaml/__init__.py:5) 6\n"
        "main (vaultlint/cli.py:3);lint (vaultlint/engine.py:12) 3\n"
        "main (vaultlint/cli.py:4) 1\n"
    )
    own, inclusive, total = shares(raw)
    assert total == 10
    assert own == {
        "yaml/__init__.py: compose": 6,
        "vaultlint/engine.py: lint": 3,
        "vaultlint/cli.py: main": 1,
    }
    assert inclusive == {"vaultlint/cli.py: main": 10, "vaultlint/engine.py: lint": 9}


def test_a_command_that_writes_much_to_stderr_is_measured_without_blocking(
    tmp_path: Path,
) -> None:
    """`format --check` on 10,000 notes writes more than a pipe holds to stderr."""
    chatty = (sys.executable, "-c", "import sys; sys.stderr.write('x' * 500_000); sys.exit(1)")
    done: list[Sample] = []
    worker = threading.Thread(target=lambda: done.append(measure(chatty, tmp_path, {})))
    worker.daemon = True
    worker.start()
    worker.join(timeout=30)
    assert done, "the measured command blocked on a full stderr pipe"


def test_options_follow_every_vaultlint_command_name(tmp_path: Path) -> None:
    setup = replace(_setup(tmp_path, frozenset({"schema"})), options=("--schema", "s"))
    rows = build_rows(setup)
    commands = [case.argv for row in rows for case in (row.measured, row.baseline) if case]
    vaultlint = [argv for argv in commands if argv[0] == "vaultlint"]
    assert vaultlint
    assert all(argv[2:4] == ("--schema", "s") for argv in vaultlint), vaultlint
