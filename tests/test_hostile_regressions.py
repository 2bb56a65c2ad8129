"""Every input that once crashed or hung vaultlint, replayed as the fuzz target runs it.

Each file in `tests/fuzz/crashers/` is one fuzz input (its first byte picks how the rest is made
a note: see `tests/fuzz/fuzz_note.py`), named after what it is. Found by the fuzz target, the
hypothesis properties, or by hand; each must now pass the target's invariants quickly.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fuzz.fuzz_note import check_input, note_from_input
from tests.fuzz.pipeline import check_note

CRASHERS = sorted((Path(__file__).parent / "fuzz" / "crashers").iterdir())


@pytest.mark.parametrize("crasher", CRASHERS, ids=lambda path: path.name)
def test_crasher_passes_the_fuzz_target_in_bounded_time(crasher: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    check_input(crasher.read_bytes(), tmp_path)
    assert time.monotonic() - started < 10  # each took seconds to minutes, or crashed at once


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("integer-of-5000-digits.bin", "limit"),
        ("hex-integer-of-5000-digits.bin", "limit"),
        ("flow-nesting-past-libyaml-limit.bin", "limit"),
    ],
)
def test_crasher_beyond_a_limit_is_reported_as_the_limit(name: str, rule: str) -> None:
    note = note_from_input((Path(__file__).parent / "fuzz" / "crashers" / name).read_bytes())
    rules = [d.rule for d in check_note(note).diagnostics]
    assert rules.count(rule) == 1
    assert "frontmatter-syntax" not in rules
