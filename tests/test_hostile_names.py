"""File names a vault you did not write may hold: not UTF-8, a newline, a tab, an escape sequence.

Every output format must get through them without a traceback, every note found. A name's
control characters should not reach the terminal raw (an escape sequence in a file name can
rewrite what the user sees) nor split a one-line-per-finding format.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_cli import invoke

UTF8_NAMES = (b"new\nline.md", b"tab\there.md", b"escape \x1b[31mred\x1b[0m.md", b"sub/inner.md")
NOT_UTF8_NAMES = (b"caf\xe9.md", b"dir\xff/inner.md")  # Latin-1 bytes: the name is not UTF-8
FORMATS = ("concise", "full", "json", "json-lines", "github", "gitlab", "sarif", "junit")


def vault_with(folder: Path, names: tuple[bytes, ...]) -> Path:
    for name in names:
        path = os.path.join(os.fsencode(folder), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"# A note without frontmatter\n")
    return folder


@pytest.mark.parametrize("output_format", FORMATS)
def test_names_with_control_characters_get_through_every_format(
    tmp_path: Path, output_format: str
) -> None:
    vault = vault_with(tmp_path, UTF8_NAMES)
    code, out, err = invoke("check", "--output-format", output_format, ".", cwd=vault)
    assert code == 1
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert "inner.md" in out


@pytest.mark.parametrize("output_format", ["concise", "json"])
def test_names_that_are_not_utf8_get_through_every_format(
    tmp_path: Path, output_format: str
) -> None:
    vault = vault_with(tmp_path, NOT_UTF8_NAMES)
    code, out, err = invoke("check", "--output-format", output_format, ".", cwd=vault)
    assert "internal error" not in err
    assert code == 1
    assert "Traceback" not in out + err
    assert "inner.md" in out


def test_control_characters_in_names_do_not_reach_the_terminal(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, UTF8_NAMES)
    _, out, _ = invoke("check", "--output-format", "concise", ".", cwd=vault)
    assert "\x1b" not in out
    findings = [line for line in out.splitlines() if " error " in line]
    assert len(findings) >= 3
    assert all(":1:1: " in line for line in findings)  # a newline in a name splits no line
