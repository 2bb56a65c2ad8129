"""The results cache never changes a result: cold, warm, after edits, renames and deletions.

Notes are aged (mtime a day back) as a real vault's are: a note modified in the last seconds is
checked but not stored (see `RACY_WINDOW_NS`), which these tests also cover.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from benchmarks.vaults import age
from tests.conftest import write_vault
from vaultlint import __version__, cache, runner
from vaultlint.cache import CACHE_DIR, CACHEDIR_TAG
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions
from vaultlint.schema.loader import load_schema


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    write_vault(folder, notes=40, seed=7, bad_fraction=0.5)
    age(folder)
    return folder.resolve()


def check(
    folder: Path,
    *,
    use_cache: bool = True,
    strategy: str = "mtime",
    warnings: list[str] | None = None,
    cwd: Path | None = None,
    **options: object,
) -> RunReport:
    run_options = RunOptions(cache=use_cache, cache_strategy=strategy, jobs=1, **options)  # type: ignore[arg-type]
    sink = warnings if warnings is not None else []
    checker = Runner(run_options, cwd=cwd or folder, warn=sink.append)
    return checker.run([folder])


def data_file(folder: Path) -> Path:
    """The one results file of the vault's cache (one configuration was used)."""
    # (the vault rules' cache is beside it, `<key>.facts` and `<key>.vault`: graph/store.py)
    files = (folder / CACHE_DIR).glob(f"{__version__}/*")
    (found,) = (path for path in files if path.suffix not in (".facts", ".vault"))
    return found


def stored_entries(folder: Path) -> dict[str, cache.Entry]:
    stored = cache.ResultCache(folder, data_file(folder).name, "mtime")
    stored.load()
    assert stored.problem is None
    return stored.entries


@pytest.fixture
def lint_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes actually linted (not read from the cache)."""
    calls: list[str] = []
    original = Runner.check_for_cache

    def counting(
        self: Runner, target: runner.Target, strategy: str | None, not_after_ns: int
    ) -> runner.Checked:
        calls.append(target.relative)
        return original(self, target, strategy, not_after_ns)

    monkeypatch.setattr(Runner, "check_for_cache", counting)
    return calls


def test_warm_run_reads_every_note_from_the_cache_and_reports_the_same(
    vault: Path, lint_calls: list[str]
) -> None:
    fresh = check(vault, use_cache=False)
    assert fresh.findings, "the vault has problems to report"
    lint_calls.clear()
    cold = check(vault)
    assert len(lint_calls) == 40
    lint_calls.clear()
    warm = check(vault)
    assert lint_calls == []
    assert cold == fresh
    assert warm == fresh


def test_edited_renamed_and_deleted_notes_give_the_results_of_a_run_without_cache(
    vault: Path, lint_calls: list[str]
) -> None:
    check(vault)
    notes = sorted(vault.rglob("*.md"))
    notes = [note for note in notes if ".trash" not in note.parts]
    edited, renamed, deleted = notes[0], notes[1], notes[2]
    text = edited.read_bytes()
    edited.write_bytes(text.replace(b"temps_total:", b"temps_total: 1\nx_total:", 1))
    renamed.rename(renamed.with_name("Renommée.md"))
    deleted.unlink()
    lint_calls.clear()
    after = check(vault)
    assert sorted(lint_calls) == sorted(
        [
            edited.relative_to(vault).as_posix(),
            renamed.with_name("Renommée.md").relative_to(vault).as_posix(),
        ]
    )
    assert after == check(vault, use_cache=False)
    assert all(report.path != deleted.relative_to(vault).as_posix() for report in after.files)


def test_a_note_modified_just_now_is_stored_with_its_hash_until_it_is_older(
    vault: Path, lint_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    note = next(vault.glob("Recettes/**/*.md"))
    relative = note.relative_to(vault).as_posix()
    os.utime(note)  # now: an edit in the same clock tick could go unseen, so its hash is stored
    check(vault)
    assert stored_entries(vault)[relative][4] != ""
    lint_calls.clear()
    warm = check(vault)
    assert lint_calls == [], "the same stat and the same hash: reused"
    assert warm == check(vault, use_cache=False)
    lint_calls.clear()
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # as if the note were now seconds old
    check(vault)
    assert lint_calls == []
    assert stored_entries(vault)[relative][4] == "", "settled: the stat alone suffices now"


def test_content_strategy_sees_an_edit_that_keeps_size_and_mtime(
    vault: Path, lint_calls: list[str]
) -> None:
    note = next(vault.glob("Recettes/**/*.md"))
    before = note.stat()
    check(vault, strategy="content")
    original = note.read_bytes()
    changed = original.replace(b"temps_prep: ", b"temps_prep:\t", 1)
    assert len(changed) == len(original)
    assert changed != original
    note.write_bytes(changed)
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a CI checkout would
    lint_calls.clear()
    result = check(vault, strategy="content")
    assert lint_calls == [note.relative_to(vault).as_posix()]
    assert result == check(vault, use_cache=False)


def test_cache_folder_is_tagged_and_ignored_by_git(vault: Path) -> None:
    check(vault)
    folder = vault / CACHE_DIR
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8") == CACHEDIR_TAG
    assert CACHEDIR_TAG.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert not list(folder.rglob("*.part")), "no temporary file is left behind"


def test_no_cache_writes_nothing(vault: Path) -> None:
    check(vault, use_cache=False)
    assert not (vault / CACHE_DIR).exists()


def test_deleted_notes_are_pruned_from_the_cache_file(vault: Path) -> None:
    check(vault)
    deleted = sorted(vault.glob("Recettes/**/*.md"))[:10]
    for note in deleted:
        note.unlink()
    check(vault)
    entries = stored_entries(vault)
    assert len(entries) == 30
    assert not {note.relative_to(vault).as_posix() for note in deleted} & set(entries)


def test_checking_one_folder_keeps_the_entries_of_the_others(vault: Path) -> None:
    check(vault)
    for note in vault.glob("Recettes/**/*.md"):
        note.unlink()  # outside the folder checked next: its entries stay until a run covers it
    Runner(RunOptions(jobs=1), cwd=vault).run([vault / "Inbox"])
    assert len(stored_entries(vault)) == 40


def test_corrupt_cache_is_ignored_with_one_warning_and_rebuilt(vault: Path) -> None:
    fresh = check(vault, use_cache=False)
    check(vault)
    data_file(vault).write_bytes(b"\x00garbage" * 100)
    warnings: list[str] = []
    assert check(vault, warnings=warnings) == fresh
    assert len(warnings) == 1
    assert "corrupt" in warnings[0]
    assert "continuing without the results cache" in warnings[0]
    warnings.clear()
    assert check(vault, warnings=warnings) == fresh
    assert warnings == []


def test_entries_of_the_wrong_shape_are_treated_as_corruption(vault: Path) -> None:
    fresh = check(vault, use_cache=False)
    check(vault)
    stored = cache.ResultCache(vault, data_file(vault).name, "mtime")
    stored.load()
    relative = next(iter(stored.entries))
    stored.entries[relative][6] = [["not", "a", "row"]]
    stored._dirty = True
    stored.save()
    warnings: list[str] = []
    assert check(vault, warnings=warnings) == fresh
    assert len(warnings) == 1


def test_unwritable_cache_folder_warns_once_and_the_run_goes_on(vault: Path) -> None:
    fresh = check(vault, use_cache=False)
    (vault / CACHE_DIR).write_text("not a folder", encoding="utf-8")  # read-only even for root
    warnings: list[str] = []
    assert check(vault, warnings=warnings) == fresh
    assert len(warnings) == 1
    assert "the cache" in warnings[0]
    assert "continuing without the results cache" in warnings[0]


def test_warning_goes_to_stderr_by_default(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (vault / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    Runner(RunOptions(jobs=1), cwd=vault).run([vault])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("vaultlint: warning: cannot read the cache ")
    assert captured.err.count("\n") == 1


def test_settings_and_rules_are_part_of_the_key(vault: Path, lint_calls: list[str]) -> None:
    every_rule = check(vault)
    lint_calls.clear()
    only_time = check(vault, select=("time-sum",))
    assert len(lint_calls) == 40, "another selection is another cache file"
    assert only_time == check(vault, use_cache=False, select=("time-sum",))
    assert only_time != every_rule
    config = vault / ".vaultlint.toml"
    config.write_text('[severity]\ntime-sum = "warning"\n', encoding="utf-8")
    lint_calls.clear()
    downgraded = check(vault)
    assert len(lint_calls) == 40
    assert downgraded == check(vault, use_cache=False)
    assert downgraded != every_rule


def test_an_edited_schema_invalidates_the_entries_checked_against_it(
    vault: Path, lint_calls: list[str]
) -> None:
    from tests.conftest import RECIPE_SCHEMA

    schema = vault / "recipe.schema.json"
    shutil.copy(RECIPE_SCHEMA, schema)
    (vault / ".vaultlint.toml").write_text('schema = "recipe.schema.json"\n', encoding="utf-8")
    first = check(vault)
    lint_calls.clear()
    assert check(vault) == first
    assert lint_calls == []
    schema.write_text(
        schema.read_text(encoding="utf-8").replace('"minimum": 1', '"minimum": 3'),
        encoding="utf-8",
    )
    age(vault)
    load_schema.cache_clear()  # one process compiles a schema once; a new run is a new process
    changed = check(vault)
    assert len(lint_calls) == 40
    assert changed == check(vault, use_cache=False)
    assert changed != first


def test_results_do_not_depend_on_the_folder_the_run_starts_from(vault: Path) -> None:
    check(vault)
    from_parent = check(vault, cwd=vault.parent)
    assert from_parent == check(vault, use_cache=False, cwd=vault.parent)
    assert all(report.path.startswith("vault/") for report in from_parent.files)


def _run_in_process(folder: str) -> str:
    report = Runner(RunOptions(jobs=1), cwd=Path(folder), warn=lambda _: None).run([Path(folder)])
    return repr(report)


def test_racing_runs_all_finish_with_the_same_results_and_leave_a_valid_cache(
    vault: Path,
) -> None:
    expected = repr(check(vault, use_cache=False))
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.map(_run_in_process, [str(vault)] * 8)
    assert results == [expected] * 8
    warnings: list[str] = []
    assert repr(check(vault, warnings=warnings)) == expected
    assert warnings == []


def test_bad_cache_strategy_is_a_usage_error() -> None:
    from vaultlint.errors import UsageError

    with pytest.raises(UsageError, match="cache strategy"):
        Runner(RunOptions(cache_strategy="inode"))


def test_rows_round_trip_every_finding_field(vault: Path) -> None:
    report = check(vault, use_cache=False)
    for finding in report.findings:
        row = cache.finding_row(finding)
        (back,) = cache.findings_from_rows(finding.path, [row])
        assert back == finding


def test_content_hashing_stops_where_notes_stop() -> None:
    from vaultlint.rules.limit import MAX_NOTE_BYTES

    assert cache.READ_LIMIT == MAX_NOTE_BYTES
