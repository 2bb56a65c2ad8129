"""A generated vault of 5,000 notes whose clean notes vary in style on purpose (block and flow
tags, indents, quotes, comments, moved keys, CRLF, BOM, no final newline) and a tenth of which
carry a problem (duplicate keys, no closing `---`, invalid UTF-8, mojibake, empty files...).

`format`, then `format --check`, exits 0, and every note's frontmatter reads to the same data.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import shared_path
from vaultlint.commands.format import FormatRequest, run_format
from vaultlint.note import Note
from vaultlint.runner import RunOptions

NOTES = 5_000
# The injected problems that leave a note unreadable as YAML or text: such notes are skipped.
UNREADABLE = ("duplicate-key", "unterminated-frontmatter", "invalid-utf8")


def data_by_note(vault: Path) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for path in vault.rglob("*.md"):
        parsed = Note.from_bytes(path.read_bytes()).frontmatter
        data = parsed.data if parsed is not None else None
        found[path.relative_to(vault).as_posix()] = json.dumps(data, sort_keys=True)
    return found


def test_generated_vault_is_formatted_once_and_then_in_style(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault = shared_path("bench", "make_vault.py")
    vault = tmp_path / "vault"
    command = [sys.executable, str(make_vault), str(vault), "--notes", str(NOTES), "--seed", "9"]
    subprocess.run(command, check=True, capture_output=True)
    before = data_by_note(vault)
    monkeypatch.chdir(vault)
    # What is measured is formatting, not this disk's fsync latency (from 1 to 6 ms a note here;
    # the writer's own tests cover durability).
    monkeypatch.setattr(os, "fsync", lambda fd: None)

    started = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    assert run_format(RunOptions(), FormatRequest([Path()]), out, err) == 1, err.getvalue()
    formatted = time.perf_counter() - started
    assert "internal error" not in err.getvalue()
    counts = json.loads(vault.with_name("vault.manifest.json").read_text("utf-8"))["counts"]
    unreadable = sum(counts[kind] for kind in UNREADABLE)
    summary = re.fullmatch(
        r"(\d+) notes reformatted, (\d+) left unchanged, (\d+) not formatted \(see above\)\.\n",
        out.getvalue(),
    )
    assert summary is not None, out.getvalue()
    reformatted, unchanged, skipped = map(int, summary.groups())
    assert (reformatted + unchanged + skipped, skipped) == (NOTES, unreadable)
    assert reformatted > NOTES // 2

    started = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    code = run_format(RunOptions(), FormatRequest([Path()], check=True), out, err)
    checked = time.perf_counter() - started
    assert code == (1 if unreadable else 0), out.getvalue()  # an unformattable note fails
    assert out.getvalue().startswith("0 notes would be reformatted, ")

    assert data_by_note(vault) == before
    print(f"\n{NOTES} notes: format {formatted:.1f} s, format --check {checked:.1f} s")
