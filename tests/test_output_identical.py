"""The report is the same byte for byte however it was made: without the cache or from it, cold
or warm, in one process or in a pool (issue #17: a speed change may change no output byte).

On the shared generator's realistic vault, which has every kind of finding, the vault rules'
included; aged a day, as a vault is, so that the cache stores every note.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.vaults import age
from tests.conftest import shared_path
from tests.test_cli import invoke


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generator = shared_path("bench", "make_vault.py")
    vault = tmp_path_factory.mktemp("identical") / "vault"
    arguments = ["--notes", "240", "--seed", "11", "--bad-fraction", "0.3", "--realistic"]
    subprocess.run([sys.executable, str(generator), str(vault), *arguments], check=True)
    first = sorted(vault.rglob("*.md"))[0]
    # names the file-name rule reports, which the generator does not write
    (first.parent / "Quiche: la vraie.md").write_bytes(first.read_bytes())
    (first.parent / first.name.upper()).write_bytes(first.read_bytes())
    age(vault)
    return vault


@pytest.mark.parametrize("output_format", ["concise", "json"])
def test_cold_warm_and_any_number_of_jobs_print_the_same_bytes(
    realistic: Path, output_format: str
) -> None:
    def check(*options: str) -> tuple[int, str, str]:
        return invoke("check", "--output-format", output_format, *options, ".", cwd=realistic)

    cold = check("--no-cache", "--jobs", "1")
    assert cold[0] == 1
    assert cold[1].count("\n") > 50  # every kind of finding, the vault rules' too
    for rule in ("link-broken", "link-anchor", "duplicate-note", "file-name"):
        assert rule in cold[1]
    runs = {
        "cold, 2 jobs": check("--no-cache", "--jobs", "2"),
        "filling the cache, 1 job": check("--jobs", "1"),
        "warm, 1 job": check("--jobs", "1"),
        "warm, 2 jobs": check("--jobs", "2"),
    }
    for name, run in runs.items():
        assert run == cold, name


def test_one_note_warm_prints_what_it_prints_cold(realistic: Path) -> None:
    notes = sorted(path.relative_to(realistic).as_posix() for path in realistic.rglob("*.md"))
    chosen = [path for path in notes if not path.startswith(".")][::60]
    for note in chosen:
        cold = invoke("check", "--no-cache", note, cwd=realistic)
        invoke("check", note, cwd=realistic)  # fills the cache if this run did not yet
        warm = invoke("check", note, cwd=realistic)
        assert warm == cold, note
