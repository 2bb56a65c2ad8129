"""Coverage-guided fuzz target: the note parser, every rule, the fixer and the fix writer.

Each input is one note, in one of three shapes chosen by its first byte (so that mutations
reach deep into YAML as well as into the note around it): the bytes as they are, the bytes as
a note's whole frontmatter, or the bytes under a property of a recipe note with fixable
problems. For each, `tests/fuzz/pipeline.py` checks the invariants: no exception escapes, every
diagnostic sits inside the note, and a fix the fixer would write is UTF-8 whose frontmatter
still reads; when the fix changes the note, the bytes go through the real writer into a
temporary folder and must read back exactly.

Run it (atheris is a libFuzzer engine for Python: `pip install atheris`), from the project root:

    python -m tests.fuzz.fuzz_note -max_total_time=600 \
        -artifact_prefix=tests/fuzz/crashers/ /tmp/vaultlint-fuzz-corpus tests/fuzz/seeds

The first folder collects the inputs that reached new code (create it; it may be reused across
runs); `tests/fuzz/seeds` holds a few starting notes. A crash is saved as
`tests/fuzz/crashers/crash-<sha1>`: rename it `<what-it-is>.bin`, fix the bug, and
`tests/test_hostile_regressions.py` replays it from then on. Without atheris the same target
runs under hypothesis (`VAULTLINT_HOSTILE_SCALE=50 pytest tests/test_hostile_properties.py`).
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path
from typing import Any


def note_from_input(data: bytes) -> bytes:
    """The note an input stands for (the first byte picks the shape, see the module docstring)."""
    from tests.test_yaml_suite import as_frontmatter, under_a_property

    if not data:
        return data
    shape, payload = data[0] % 3, data[1:]
    if shape == 1:
        return as_frontmatter(payload)
    if shape == 2:
        return under_a_property(payload)
    return payload


def check_input(data: bytes, folder: Path) -> None:
    from tests.fuzz.pipeline import check_note, fix_note_checked
    from vaultlint.note import Note
    from vaultlint.writer import WriteStatus, write_note

    raw = note_from_input(data)
    check_note(raw)
    fixed = fix_note_checked(raw)
    if fixed is None or not fixed.changed:
        return
    note = folder / "note.md"
    note.write_bytes(raw)
    outcome = write_note(note, raw, fixed.fixed, roots=[folder])
    assert outcome.status is WriteStatus.WRITTEN, outcome.message
    assert note.read_bytes() == fixed.fixed
    assert Note.from_bytes(note.read_bytes()).text is not None


def main(argv: list[str]) -> None:
    atheris: Any = importlib.import_module("atheris")  # not a dependency: the fuzzer's own
    with atheris.instrument_imports():
        # Instrumented for coverage: vaultlint and all it imports, through these.
        importlib.import_module("tests.fuzz.pipeline")
        importlib.import_module("tests.test_yaml_suite")
        importlib.import_module("vaultlint.writer")
    folder = Path(tempfile.mkdtemp(prefix="vaultlint-fuzz-"))

    def test_one_input(data: bytes) -> None:
        check_input(data, folder)

    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
