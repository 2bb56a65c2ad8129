"""`vaultlint format` on a vault folder, through `run_format`: exit codes, output, what is written.

The command line itself (`vaultlint format [PATHS] [--check] [--diff]`) is tested at the end,
once cli.py has it.
"""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pytest

from vaultlint.commands import format as format_command
from vaultlint.commands.format import FormatRequest, format_settings_for, run_format
from vaultlint.config import Settings
from vaultlint.errors import ConfigError
from vaultlint.formatter import (
    FormatOutcome,
    FormatSettings,
    LineEndings,
    Notice,
    NoticeKind,
    Quote,
    TagsStyle,
)
from vaultlint.runner import RunOptions

IN_STYLE = (
    '---\ncuisine: thaï\ntype: soupe\ntags:\n  - "#cuisine/thaï"\n---\n\n# Tom yum\n'
).encode()
MESSY = "---\ntype: soupe\ncuisine:   thaï\ntags: ['#cuisine/thaï']\n---\n# Tom kha\n".encode()
MESSY_FORMATTED = (
    '---\ncuisine: thaï\ntype: soupe\ntags:\n  - "#cuisine/thaï"\n---\n\n# Tom kha\n'
).encode()
UNTERMINATED = b"---\ntype: soupe\n# no closing fence\n"
OLD_TIME_NS = 1_600_000_000_000_000_000


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".obsidian").mkdir()
    for name, content in (
        ("in-style.md", IN_STYLE),
        ("messy.md", MESSY),
        ("unterminated.md", UNTERMINATED),
    ):
        note = tmp_path / name
        note.write_bytes(content)
        os.utime(note, ns=(OLD_TIME_NS, OLD_TIME_NS))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*, check: bool = False, diff: bool = False, **request: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    format_request = FormatRequest([Path()], check=check, diff=diff, **request)  # type: ignore[arg-type]
    code = run_format(RunOptions(), format_request, out, err)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.glob("*.md")}


UNTERMINATED_NOTICE = (
    "vaultlint: unterminated.md: not formatted: the frontmatter has no closing ---\n"
)


def test_check_lists_the_notes_that_would_change_exits_1_and_writes_nothing(vault: Path) -> None:
    before = snapshot(vault)
    code, out, err = run(check=True)
    assert code == 1
    assert out == (
        "Would reformat: messy.md\n"
        "1 note would be reformatted, 1 already formatted, 1 not formatted (see above).\n"
    )
    assert err == UNTERMINATED_NOTICE
    assert snapshot(vault) == before


def test_check_exits_1_when_one_note_cannot_be_formatted_and_the_rest_is_in_style(
    vault: Path,
) -> None:
    (vault / "messy.md").write_bytes(MESSY_FORMATTED)
    code, out, _ = run(check=True)
    assert code == 1  # the note that could not be formatted is a failure (issue #12)
    assert (
        out == "0 notes would be reformatted, 2 already formatted, 1 not formatted (see above).\n"
    )


def test_diff_prints_a_patch_on_stdout_the_summary_on_stderr_and_writes_nothing(
    vault: Path,
) -> None:
    before = snapshot(vault)
    code, out, err = run(diff=True)
    assert code == 1
    assert out == (
        "--- a/messy.md\n"
        "+++ b/messy.md\n"
        "@@ -1,6 +1,8 @@\n"
        " ---\n"
        "+cuisine: thaï\n"
        " type: soupe\n"
        "-cuisine:   thaï\n"
        "-tags: ['#cuisine/thaï']\n"
        "+tags:\n"
        '+  - "#cuisine/thaï"\n'
        " ---\n"
        "+\n"
        " # Tom kha\n"
    )
    assert err == (
        UNTERMINATED_NOTICE
        + "1 note would be reformatted, 1 already formatted, 1 not formatted (see above).\n"
    )
    assert snapshot(vault) == before


def test_format_writes_changed_notes_only_and_a_second_run_changes_nothing(vault: Path) -> None:
    before = snapshot(vault)
    code, out, err = run()
    assert code == 1
    assert out == "1 note reformatted, 1 left unchanged, 1 not formatted (see above).\n"
    assert err == UNTERMINATED_NOTICE
    after = snapshot(vault)
    assert after["messy.md"][0] == MESSY_FORMATTED
    assert after["in-style.md"] == before["in-style.md"]  # not written: same bytes, same mtime
    assert after["unterminated.md"] == before["unterminated.md"]

    code, out, _ = run()
    assert code == 1  # the unterminated note still cannot be formatted
    assert out == "0 notes reformatted, 2 left unchanged, 1 not formatted (see above).\n"
    assert snapshot(vault) == after


def test_written_note_keeps_its_mode(vault: Path) -> None:
    (vault / "messy.md").chmod(0o640)
    assert run()[0] == 1
    assert (vault / "messy.md").stat().st_mode & 0o777 == 0o640


def test_read_only_note_is_reported_and_exits_1(vault: Path) -> None:
    (vault / "messy.md").chmod(0o444)
    code, _, err = run()
    assert code == 1
    assert "vaultlint: messy.md: not written: the note is read-only (-r--r--r--)\n" in err
    assert (vault / "messy.md").read_bytes() == MESSY


def test_refused_note_is_not_written_and_exits_2(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(note: object, schema: object, settings: object) -> FormatOutcome:
        raw: bytes = note.raw  # type: ignore[attr-defined]
        notice = Notice(NoticeKind.REFUSED, "not formatted: the frontmatter data changed (x)")
        return FormatOutcome(raw, raw, (notice,))

    monkeypatch.setattr(format_command, "format_note", refuse)
    before = snapshot(vault)
    code, out, err = run()
    assert code == 2
    assert "vaultlint: messy.md: internal error: not formatted: the frontmatter data" in err
    assert out.endswith("3 refused (see above).\n")
    assert snapshot(vault) == before


def test_request_settings_override_the_config(vault: Path) -> None:
    flow = FormatSettings(tags_style=TagsStyle.FLOW, tags_quote=Quote.SINGLE)
    code, _, _ = run(settings=flow)
    assert code == 1
    assert (vault / "in-style.md").read_bytes() == IN_STYLE.replace(
        b'tags:\n  - "#cuisine/tha\xc3\xaf"', b"tags: ['#cuisine/tha\xc3\xaf']"
    )


def test_crlf_note_stays_crlf(vault: Path) -> None:
    (vault / "messy.md").write_bytes(MESSY.replace(b"\n", b"\r\n"))
    assert run()[0] == 1
    assert (vault / "messy.md").read_bytes() == MESSY_FORMATTED.replace(b"\n", b"\r\n")


def test_line_endings_setting_converts(vault: Path) -> None:
    (vault / "messy.md").write_bytes(MESSY.replace(b"\n", b"\r\n"))
    assert run(settings=FormatSettings(line_endings=LineEndings.LF))[0] == 1
    assert (vault / "messy.md").read_bytes() == MESSY_FORMATTED


def test_without_a_format_table_the_defaults_apply(tmp_path: Path) -> None:
    assert format_settings_for(Settings(root=tmp_path)) == FormatSettings()


# ------------------------------------------------------------------------------ settings


def test_settings_from_a_table() -> None:
    table = {
        "sort_keys": False,
        "key_order": ["title", "tags"],
        "tags_key": "keywords",
        "tags_style": "flow",
        "tags_quote": "plain",
        "tags_indent": 4,
        "string_quote": "single",
        "space_after_colon": False,
        "trailing_whitespace": False,
        "blank_line_after_frontmatter": False,
        "blank_lines_around_headings": False,
        "final_newline": False,
        "line_endings": "crlf",
    }
    assert FormatSettings.from_table(table) == FormatSettings(
        sort_keys=False,
        key_order=("title", "tags"),
        tags_key="keywords",
        tags_style=TagsStyle.FLOW,
        tags_quote=Quote.PLAIN,
        tags_indent=4,
        string_quote=Quote.SINGLE,
        space_after_colon=False,
        trailing_whitespace=False,
        blank_line_after_frontmatter=False,
        blank_lines_around_headings=False,
        final_newline=False,
        line_endings=LineEndings.CRLF,
    )
    assert FormatSettings.from_table({}) == FormatSettings()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"tag_style": "flow"}, "format: unknown key 'tag_style' (known keys: blank_line_after"),
        ({"tags_style": "inline"}, "format.tags_style must be one of block, flow, keep"),
        ({"tags_quote": '"'}, "format.tags_quote must be one of double, single, plain, keep"),
        ({"tags_indent": 9}, "format.tags_indent must be a number of spaces from 0 to 8"),
        ({"tags_indent": True}, "format.tags_indent must be a number of spaces from 0 to 8"),
        ({"final_newline": "yes"}, "format.final_newline must be true or false"),
        ({"key_order": "schema"}, "format.key_order must be a list of key names"),
        ({"key_order": ["a", "a"]}, "format.key_order must be a list of key names, each once"),
        ({"line_endings": "cr"}, "format.line_endings must be one of keep, lf, crlf"),
        ({"tags_key": 1}, "format.tags_key must be a string"),
    ],
)
def test_bad_setting_names_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        FormatSettings.from_table(table)
    assert str(raised.value).startswith(message)


# ------------------------------------------------------------- once cli.py and config.py have it


def _config_reads_format() -> bool:
    return "format" in {item.name for item in dataclasses.fields(Settings)}


def test_config_format_table_applies(vault: Path) -> None:
    if not _config_reads_format():
        pytest.skip("config.py does not read the [format] table yet")
    (vault / ".vaultlint.toml").write_text('[format]\ntags_style = "flow"\n', encoding="utf-8")
    assert run(check=True)[1].startswith("Would reformat: in-style.md\nWould reformat: messy.md\n")


def test_command_line_check_and_diff(vault: Path) -> None:
    from click.testing import CliRunner

    from vaultlint.cli import main

    if "format" not in main.commands:
        pytest.skip("cli.py has no format command yet")
    runner = CliRunner()
    checked = runner.invoke(main, ["format", "--check", "."], catch_exceptions=False)
    assert (checked.exit_code, checked.stdout) == (
        1,
        "Would reformat: messy.md\n"
        "1 note would be reformatted, 1 already formatted, 1 not formatted (see above).\n",
    )
    diffed = runner.invoke(main, ["format", "--diff", "messy.md"], catch_exceptions=False)
    assert diffed.exit_code == 1
    assert diffed.stdout.startswith("--- a/messy.md\n+++ b/messy.md\n")
    assert (vault / "messy.md").read_bytes() == MESSY
    written = runner.invoke(main, ["format", "."], catch_exceptions=False)
    assert written.exit_code == 1
    assert (vault / "messy.md").read_bytes() == MESSY_FORMATTED
    again = runner.invoke(main, ["format", "--check", "messy.md"], catch_exceptions=False)
    assert again.exit_code == 0
    unformattable = runner.invoke(main, ["format", "--check", "."], catch_exceptions=False)
    assert unformattable.exit_code == 1  # unterminated.md cannot be formatted
    bad = runner.invoke(main, ["format", "--config", "missing.toml", "."])
    assert bad.exit_code == 2
