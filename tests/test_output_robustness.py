"""Output that does not break (issue #12, §4): a closed pipe, an output encoding that lacks a
character, a note that cannot be formatted, and statistics for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli import clean_note, invoke


def _vault(tmp_path: Path, notes: int) -> Path:
    for index in range(notes):
        wrong = clean_note(**{"temps_total: 230": f"temps_total: {index}"})
        (tmp_path / f"note {index:03}.md").write_bytes(wrong)
    return tmp_path


def _vaultlint(*args: str, cwd: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vaultlint", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )


def test_writing_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    vault = _vault(tmp_path, 40)
    process = _vaultlint("check", "--no-cache", ".", cwd=vault)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 1
    assert err == ""


def test_a_character_the_output_encoding_lacks_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(clean_note(**{"cuisine: américaine": "cuisine: 🍜"}))
    process = _vaultlint(
        "check",
        "--no-cache",
        "--select",
        "value-unknown",
        "a.md",
        cwd=tmp_path,
        PYTHONIOENCODING="cp1252",
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err  # a warning alone
    assert 'cuisine "\\U0001f35c" is not a known value' in out.decode("cp1252")
    assert err == b""


def test_format_exits_1_when_a_note_cannot_be_formatted(tmp_path: Path) -> None:
    code, _, err = invoke("format", "nope.md", cwd=tmp_path)
    assert code == 1
    assert err.startswith("vaultlint: nope.md: not formatted: ")


def test_statistics_as_json_hold_the_rows(tmp_path: Path) -> None:
    _vault(tmp_path, 3)
    code, out, _ = invoke(
        "check",
        "--no-cache",
        "--select",
        "time-sum",
        "--statistics",
        "--output-format",
        "json",
        ".",
        cwd=tmp_path,
    )
    assert code == 1
    document = json.loads(out)
    assert document == {
        "version": 1,
        "files": 3,
        "errors": 3,
        "warnings": 0,
        "statistics": [
            {
                "rule": "time-sum",
                "count": 3,
                "severity": "error",
                "safe_fixes": 3,
                "unsafe_fixes": 0,
            }
        ],
    }


def test_statistics_refuse_a_format_they_cannot_fill(tmp_path: Path) -> None:
    code, _, err = invoke("check", "--statistics", "--output-format", "sarif", ".", cwd=tmp_path)
    assert code == 2
    assert "--statistics prints a table or JSON" in err


def test_a_report_into_a_device_or_fifo_writes_into_it_and_leaves_it_there(tmp_path: Path) -> None:
    # `-o /dev/null` once replaced the device by a plain file (an atomic rename, as root): a
    # FIFO shows the same without touching the machine's /dev.
    import stat
    import threading

    _vault(tmp_path, 2)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = invoke("check", "--no-cache", "-o", str(fifo), ".", cwd=tmp_path)
    reader.join(timeout=30)
    assert code == 1, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received
    assert b"time-sum" in received[0]
