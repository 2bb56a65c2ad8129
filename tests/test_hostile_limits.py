"""Hostile files end in bounded time and memory, with one clear diagnostic, and the run goes on.

The documented limits are tested at the limit and just past it: the note size
(`rules/limit.py` MAX_NOTE_BYTES), the nesting depth and the alias expansion of a frontmatter
(`frontmatter.py` MAX_DEPTH, MAX_VALUES) and the length of a plain number (MAX_NUMBER_LENGTH).
A note beyond a limit gets one `limit` diagnostic; a path that is not a note (a FIFO, a device,
a symlink loop) gets one `file` diagnostic. Big files are generated in `tmp_path`; the time
bounds are generous for a noisy 2-core CI machine, tens of times what is measured.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest

from tests.fuzz.pipeline import check_note, every_rule, fix_note_checked, recipe_schema
from tests.test_cli import clean_note, invoke
from vaultlint.diagnostic import Diagnostic
from vaultlint.engine import LintResult, lint
from vaultlint.frontmatter import MAX_DEPTH, MAX_NUMBER_LENGTH, MAX_VALUES
from vaultlint.note import Note
from vaultlint.positions import LineIndex
from vaultlint.reading import NoteReadError, read_note
from vaultlint.results import RunReport
from vaultlint.rules.limit import MAX_NOTE_BYTES
from vaultlint.runner import Runner, RunOptions

T = TypeVar("T")

CLEAN = clean_note()
FRONTMATTER, BODY = CLEAN.split(b"\n---\n", 1)


def bounded(action: Callable[[], T], seconds: float) -> T:
    """Run `action` in a thread; fail (instead of hanging the suite) if it takes too long."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(action())
        except BaseException as error:  # re-raised below, in the test's thread
            failure.append(error)

    thread = threading.Thread(target=target, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if failure:
        raise failure[0]
    assert time.monotonic() - started <= seconds
    return outcome[0]


def with_property(line: bytes) -> bytes:
    """The clean recipe note with one more frontmatter line."""
    return FRONTMATTER + b"\n" + line + b"\n---\n" + BODY


def frontmatter_diagnostics(result: LintResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.rule in ("limit", "frontmatter-syntax")]


def assert_one_limit(result: LintResult, message: str) -> None:
    """The note (clean but for the limit) gets exactly one diagnostic: that limit."""
    assert [(d.rule, d.message) for d in result.diagnostics] == [("limit", message)]


def assert_reads(result: LintResult) -> None:
    assert frontmatter_diagnostics(result) == []
    assert result.note.frontmatter is not None
    assert result.note.frontmatter.data is not None


def run_vault(folder: Path) -> RunReport:
    return Runner(RunOptions(cache=False, jobs=1), cwd=folder).run([folder])


# --- frontmatter limits: at the limit and just past it --------------------------------------------

DEPTH_MESSAGE = f"the frontmatter is nested more than {MAX_DEPTH} levels deep"
VALUES_MESSAGE = f"the frontmatter expands to more than {MAX_VALUES:,} values (an alias bomb?)"


def nested(depth: int, opening: str = "[", closing: str = "]") -> bytes:
    return f"deep: {opening * depth}x{closing * depth}".encode()


def test_lists_nested_max_depth_deep_read() -> None:
    assert_reads(check_note(with_property(nested(MAX_DEPTH))))


def test_lists_nested_one_past_max_depth_are_one_limit() -> None:
    assert_one_limit(check_note(with_property(nested(MAX_DEPTH + 1))), DEPTH_MESSAGE)


def test_mappings_nested_one_past_max_depth_are_one_limit() -> None:
    deep = b"deep: " + b"{a: " * (MAX_DEPTH + 1) + b"x" + b"}" * (MAX_DEPTH + 1)
    assert_one_limit(check_note(with_property(deep)), DEPTH_MESSAGE)


@pytest.mark.parametrize("depth", [999, 1_000, 100_000])
def test_flow_nesting_up_to_and_past_the_parser_limit_is_one_limit(depth: int) -> None:
    # libyaml refuses 1,000 levels itself (a scanner error, reported as the limit it is).
    for line in (nested(depth), nested(depth, "{a: ", "}")):
        result = bounded(partial(check_note, with_property(line)), 10)
        assert_one_limit(result, DEPTH_MESSAGE)


@pytest.mark.parametrize("depth", [1_000, 100_000, 5_000_000])
def test_unclosed_flow_nesting_past_the_parser_limit_is_one_limit(depth: int) -> None:
    # 100,000 unclosed `[` were the risk of a recursion crash in the composer.
    line = b"deep: " + b"[" * depth
    assert_one_limit(bounded(lambda: check_note(with_property(line)), 10), DEPTH_MESSAGE)


def test_block_nesting_past_the_parser_limit_is_one_limit() -> None:
    line = b"deep:\n" + b"- " * 5_000 + b"x"
    assert_one_limit(check_note(with_property(line)), DEPTH_MESSAGE)


def test_recursive_alias_is_one_limit() -> None:
    for line in (b"loop: &a [*a]", b"loop: &a {again: *a}"):
        assert_one_limit(check_note(with_property(line)), DEPTH_MESSAGE)


def flow_list(items: int) -> bytes:
    """A property whose value counts `items` + 1 values (the list and its items)."""
    return b"many: [" + b"0," * (items - 1) + b"0]"


def test_max_values_in_all_read() -> None:
    # The other properties count too: leave them room.
    others = len(Note.from_bytes(CLEAN).frontmatter.data or {}) + 8  # type: ignore[union-attr]
    assert_reads(check_note(with_property(flow_list(MAX_VALUES - others - 1))))


def test_one_value_past_max_values_is_one_limit() -> None:
    assert_one_limit(check_note(with_property(flow_list(MAX_VALUES))), VALUES_MESSAGE)


def billion_laughs(levels: int = 9) -> bytes:
    lines = [b'lol0: &l0 "lol"']
    for level in range(1, levels + 1):
        aliases = b", ".join([b"*l%d" % (level - 1)] * 9)
        lines.append(b"lol%d: &l%d [%s]" % (level, level, aliases))
    return b"\n".join(lines)


def test_billion_laughs_is_one_limit_in_bounded_time_and_memory() -> None:
    tracemalloc.start()
    try:
        result = bounded(lambda: check_note(with_property(billion_laughs())), 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_one_limit(result, VALUES_MESSAGE)
    assert peak < 100 * 1024 * 1024


@pytest.mark.parametrize("prefix", ["", "-", "0x", "0o"])
def test_number_of_max_length_reads_and_one_digit_more_is_one_limit(prefix: str) -> None:
    digit = "7"
    at_limit = f"number: {prefix}{digit * MAX_NUMBER_LENGTH}".encode()
    past = f"number: {prefix}{digit * (MAX_NUMBER_LENGTH + 1)}".encode()
    assert_reads(check_note(with_property(at_limit)))
    message = f"a number of {MAX_NUMBER_LENGTH + 1:,} digits: longer than the limit of 1,000"
    assert_one_limit(check_note(with_property(past)), message)


def test_huge_integer_in_a_checked_field_is_a_limit_not_a_crash() -> None:
    # Python refuses to turn a 5,000-digit text into an int: this used to raise ValueError.
    raw = CLEAN.replace(b"temps_total: 230", b"temps_total: " + b"9" * 5_000)
    result = check_note(raw)
    assert [d.rule for d in result.diagnostics] == ["limit"]
    fix_note_checked(raw)


# --- note size: at the limit, just past it, and far past it ---------------------------------------


def padded_note(size: int) -> bytes:
    """The clean note, with one long body line, `size` bytes in all."""
    line = b"\n" + b"a" * (size - len(CLEAN) - 2) + b"\n"
    raw = CLEAN + line
    assert len(raw) == size
    return raw


def test_note_of_exactly_max_bytes_is_read_and_checked(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_bytes(padded_note(MAX_NOTE_BYTES))
    report = bounded(lambda: run_vault(tmp_path), 60)
    assert [f.rule for f in report.findings] == []


def test_note_one_byte_over_max_bytes_is_one_limit_and_not_read(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_bytes(padded_note(MAX_NOTE_BYTES + 1))
    report = bounded(lambda: run_vault(tmp_path), 10)
    assert [(f.rule, f.line, f.column) for f in report.findings] == [("limit", 1, 1)]
    assert f"{MAX_NOTE_BYTES + 1:,} bytes" in report.findings[0].message


def test_50_mb_single_line_note_is_one_limit_at_once(tmp_path: Path) -> None:
    with open(tmp_path / "huge.md", "wb") as handle:
        handle.write(b"---\ntitle: ")
        for _ in range(50):
            handle.write(b"a" * (1024 * 1024))
    (tmp_path / "ok.md").write_bytes(CLEAN)
    report = bounded(lambda: run_vault(tmp_path), 5)  # it is never read: stat says too large
    assert [(f.path, f.rule) for f in report.findings] == [("huge.md", "limit")]


def test_note_that_grows_past_the_limit_after_stat_is_one_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that grows between stat and read, or lies about its size (/proc), is still bounded.
    note = tmp_path / "growing.md"
    note.write_bytes(padded_note(MAX_NOTE_BYTES + 10))
    small = tmp_path / "small.md"
    small.write_bytes(CLEAN)
    real_stat, real_lstat = os.stat, os.lstat

    def lying_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return real_stat(small if Path(str(path)) == note else path)  # type: ignore[arg-type]

    def lying_lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return real_lstat(small if Path(str(path)) == note else path)  # type: ignore[arg-type]

    # whichever call the reader takes the size from (lstat for a plain regular file)
    monkeypatch.setattr(os, "stat", lying_stat)
    monkeypatch.setattr(os, "lstat", lying_lstat)
    with pytest.raises(NoteReadError) as raised:
        read_note(note)
    assert raised.value.too_large == MAX_NOTE_BYTES + 1


def test_million_short_lines_under_the_size_limit_finish_in_bounded_time() -> None:
    raw = CLEAN + b"mot\n" * 1_000_000
    assert len(raw) < MAX_NOTE_BYTES
    result = bounded(lambda: check_note(raw), 30)  # measured about 1.2 s
    assert [d.rule for d in result.diagnostics] == []


def test_million_lines_of_headings_and_fences_finish_in_bounded_time() -> None:
    body = b"```\n# not a heading\n```\n%%\n# hidden\n%%\n~~~~\n" * 150_000
    raw = CLEAN + body
    assert len(raw) < MAX_NOTE_BYTES
    result = bounded(lambda: check_note(raw), 30)
    assert [d.rule for d in result.diagnostics] == []


def test_million_lines_of_comments_math_and_setext_underlines_finish_in_bounded_time() -> None:
    # Each construct that hides or makes a heading, repeated: the scan must stay one pass.
    body = b"<!--\n# a\n-->\n$$\n# b\n$$\n- item\n---\ntexte\n\n---\n" * 90_000
    raw = CLEAN + body
    assert len(raw) < MAX_NOTE_BYTES
    result = bounded(lambda: check_note(raw), 30)
    assert [d.rule for d in result.diagnostics] == []


def test_a_paragraph_of_a_million_lines_under_an_underline_is_linear() -> None:
    raw = CLEAN + b"\n" + b"mot\n" * 1_000_000 + b"===\n"
    result = bounded(lambda: check_note(raw), 30)
    assert [d.rule for d in result.diagnostics] == ["title"]  # a second title: the paragraph


def test_long_heading_line_of_spaces_and_tabs_is_linear() -> None:
    # The heading regex backtracked quadratically here: 200 KB took about 5 minutes.
    line = b"# x" + b" \t" * 100_000 + b"y"
    for raw in (CLEAN + line + b"\n", CLEAN.replace(b"# Pork", line + b"\n# Pork")):
        bounded(partial(check_note, raw), 5)


def test_many_values_on_one_long_non_ascii_line_are_placed_in_linear_time() -> None:
    # Converting each node's offset from the start of its line made this quadratic. (Findings
    # are not built here: see the xfail test below about their line_text.)
    tags = b"tags: [" + '"#saveur/amère", '.encode() * 20_000 + b'"#x"]'
    raw = CLEAN.replace(b"tags:\n", tags + b"\nold_tags:\n")
    note = Note.from_bytes(raw)
    result = bounded(lambda: lint(note, recipe_schema(), every_rule()), 20)  # measured 1.3 s
    unknown = [d for d in result.diagnostics if d.rule == "tag-unknown"]
    # 20,001 unknown tags (and "#x", which has no namespace): the engine keeps the first
    # MAX_PER_RULE and counts the rest in one more diagnostic.
    from vaultlint.engine import MAX_PER_RULE

    assert len(unknown) == MAX_PER_RULE + 1
    assert raw[unknown[-2].start : unknown[-2].end] == '"#saveur/amère"'.encode()


def test_many_columns_on_one_long_line_are_computed_in_linear_time() -> None:
    raw = ("é" * 2_000_000).encode()
    lines = LineIndex(raw)
    offsets = range(0, len(raw), 20)
    columns = bounded(lambda: [lines.line_col(offset)[1] for offset in offsets], 10)
    assert columns[:3] == [1, 11, 21]
    assert columns[-1] == offsets[-1] // 2 + 1


def test_findings_on_one_long_line_do_not_copy_the_line_each_time() -> None:
    tags = b"tags: [" + b'"#x/y", ' * 2_000 + b'"#x"]'
    raw = CLEAN.replace(b"tags:\n", tags + b"\nold_tags:\n")
    findings = check_note(raw).findings("note.md")
    assert len(findings) > 1_000
    assert sum(len(f.line_text) for f in findings) < 100 * len(raw)


FIX_MANY_LINES = """
import sys
from tests.fuzz.pipeline import fix_note_checked
from tests.test_cli import clean_note
raw = clean_note().replace(b"temps_total: 230", b"temps_total: 200") + b"\\n" * 20_000
assert fix_note_checked(raw).changed
"""


def test_fix_of_a_note_with_many_blank_lines_finishes_in_bounded_time() -> None:
    from tests.fuzz.pipeline import fixer_module

    if fixer_module() is None:
        pytest.skip("vaultlint.fixer does not exist yet")
    project = Path(__file__).resolve().parent.parent
    # A child process, killed at the time limit: a thread would run on, slowing the other tests.
    subprocess.run(
        [sys.executable, "-c", FIX_MANY_LINES],
        cwd=project,
        check=True,
        timeout=5,  # measured: 25 s
    )


# --- paths that are not notes ---------------------------------------------------------------------


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    """A vault holding one clean note and every kind of path that is not a readable note."""
    vault = tmp_path / "vault"
    outside = tmp_path / "outside"
    vault.mkdir()
    outside.mkdir()
    (vault / "ok.md").write_bytes(CLEAN)
    (outside / "elsewhere.md").write_bytes(CLEAN.replace(b"temps_total: 230", b"temps_total: 20"))
    os.mkfifo(vault / "fifo.md")
    (vault / "device.md").symlink_to("/dev/null")
    (vault / "loop-a.md").symlink_to("loop-b.md")
    (vault / "loop-b.md").symlink_to("loop-a.md")
    (vault / "self.md").symlink_to("self.md")
    (vault / "broken.md").symlink_to("no-such-note.md")
    (vault / "folder-link.md").symlink_to(outside)
    (vault / "loop-folder").symlink_to(".")  # a walk that entered it would never end
    (vault / "outside.md").symlink_to(outside / "elsewhere.md")
    png_header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    (vault / "binary.md").write_bytes(png_header + bytes(range(256)) * 8)
    return vault


EXPECTED_RULES = {
    "binary.md": ["encoding"],
    "broken.md": ["file"],
    "device.md": ["file"],
    "fifo.md": ["file"],
    "folder-link.md": ["file"],
    "loop-a.md": ["file"],
    "loop-b.md": ["file"],
    "ok.md": [],
    "self.md": ["file"],
}


def test_every_path_that_is_not_a_note_gets_one_diagnostic_and_the_run_goes_on(
    hostile_vault: Path,
) -> None:
    report = bounded(lambda: run_vault(hostile_vault), 10)  # a FIFO opened would block forever
    rules = {file.path: [f.rule for f in file.findings] for file in report.files}
    outside = rules.pop("outside.md")  # a link leaving the vault is not followed for reading
    assert rules == EXPECTED_RULES
    assert outside == ["file"]
    messages = {file.path: file.findings[0].message for file in report.files if file.findings}
    assert "FIFO" in messages["fifo.md"]
    assert "character device" in messages["device.md"]
    assert "symbolic link loop" in messages["self.md"]
    assert "broken symbolic link" in messages["broken.md"]
    assert "folder" in messages["folder-link.md"]
    assert "binary" in messages["binary.md"]


def test_check_command_over_the_hostile_vault_prints_no_traceback(hostile_vault: Path) -> None:
    code, out, err = bounded(lambda: invoke("check", ".", cwd=hostile_vault), 20)
    assert code == 1
    assert "Traceback" not in out + err
    assert "internal error" not in err
    for name, rules in EXPECTED_RULES.items():
        assert (name in out) == bool(rules), name


def test_fix_writes_nothing_through_a_symlink_leaving_the_vault(hostile_vault: Path) -> None:
    from tests.fuzz.pipeline import fixer_module

    if fixer_module() is None:
        pytest.skip("vaultlint.fixer does not exist yet")
    target = hostile_vault.parent / "outside" / "elsewhere.md"
    before = target.read_bytes()
    code, out, err = bounded(lambda: invoke("fix", ".", cwd=hostile_vault), 20)
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert code == 1
    assert target.read_bytes() == before
    assert "outside.md:1:1: error file not checked: a symbolic link to" in out  # nor fixed
    assert not list(hostile_vault.parent.rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_note_is_one_file_diagnostic(tmp_path: Path) -> None:
    note = tmp_path / "secret.md"
    note.write_bytes(CLEAN)
    note.chmod(0)
    try:
        report = run_vault(tmp_path)
    finally:
        note.chmod(0o644)
    assert [(f.rule, f.message) for f in report.findings] == [
        ("file", "cannot read the note: permission denied")
    ]


def test_a_symlink_to_a_note_outside_the_vault_gets_one_file_diagnostic(tmp_path: Path) -> None:
    from tests.test_cli import invoke

    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / ".obsidian").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_bytes(b"no frontmatter here\n")
    (vault / "link.md").symlink_to(outside / "secret.md")
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert out.splitlines()[0] == (
        f"link.md:1:1: error file not checked: a symbolic link to {outside / 'secret.md'}, "
        f"outside the vault ({vault})"
    )


def test_findings_of_one_rule_in_one_note_are_bounded() -> None:
    from vaultlint.engine import MAX_PER_RULE

    raw = CLEAN + b"# titre\n" * (MAX_PER_RULE + 50)
    titles = [f for f in check_note(raw).findings("note.md") if f.rule == "title"]
    assert len(titles) == MAX_PER_RULE + 1
    assert titles[-1].message.startswith("and 50 more title problems in this note")
