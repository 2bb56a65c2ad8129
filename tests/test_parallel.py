"""Checking in a pool of processes gives byte-identical reports, in the same order."""

from __future__ import annotations

import io
from multiprocessing import get_context
from pathlib import Path

import pytest

from benchmarks.vaults import age
from tests.conftest import write_vault
from vaultlint import discovery, parallel, runner
from vaultlint.errors import UsageError
from vaultlint.reporters import ReportContext, reporter
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions
from vaultlint.schema.loader import load_schema


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parallel") / "vault"
    write_vault(folder, notes=120, seed=11, bad_fraction=0.3)
    age(folder)
    return folder.resolve()


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool even for a small vault (the real threshold keeps small runs in-process)."""
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 20)


def rendered(report: RunReport, output_format: str) -> str:
    out = io.StringIO()
    reporter(output_format).render(report, out, ReportContext(color=False, show_summary=True))
    return out.getvalue()


def run(folder: Path, jobs: int, *, use_cache: bool = False) -> RunReport:
    return Runner(RunOptions(jobs=jobs, cache=use_cache), cwd=folder).run([folder])


@pytest.mark.usefixtures("low_threshold")
@pytest.mark.parametrize("output_format", ["concise", "json", "sarif"])
def test_jobs_1_and_jobs_3_print_the_same_bytes(vault: Path, output_format: str) -> None:
    one = run(vault, 1)
    three = run(vault, 3)
    assert one.findings, "the vault has problems to report"
    assert rendered(three, output_format) == rendered(one, output_format)


@pytest.mark.usefixtures("low_threshold")
def test_pool_cold_and_warm_cache_match_one_process_without_cache(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    write_vault(folder, notes=60, seed=5, bad_fraction=0.4)
    age(folder)
    expected = rendered(run(folder, 1), "concise")
    assert rendered(run(folder, 2, use_cache=True), "concise") == expected  # cold, in the pool
    assert rendered(run(folder, 2, use_cache=True), "concise") == expected  # warm
    assert rendered(run(folder, 1, use_cache=True), "concise") == expected


def test_spawned_workers_give_the_same_results(vault: Path) -> None:
    """What is sent to a worker pickles: the pool also works where fork is not available."""
    checker = Runner(RunOptions(jobs=1, cache=False), cwd=vault)
    targets = checker.targets([vault])[:40]
    expected = [checker.check_for_cache(target, None, 0).rows for target in targets]
    results = runner.check_in_pool(
        checker, targets, 2, strategy=None, not_after_ns=0, context=get_context("spawn")
    )
    assert [checked.rows for _, checked in results] == expected


def test_small_runs_stay_in_one_process(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_: object, **__: object) -> None:
        raise AssertionError("a pool was started for a small run")

    monkeypatch.setattr(runner, "check_in_pool", no_pool)
    few = sorted(vault.glob("Inbox/*.md"))[:10]
    Runner(RunOptions(jobs=4, cache=False), cwd=vault).run(few)


def test_the_schema_is_compiled_once_per_process(vault: Path) -> None:
    load_schema.cache_clear()
    run(vault, 1)
    assert load_schema.cache_info().misses == 1


@pytest.mark.usefixtures("low_threshold")
def test_a_broken_schema_in_a_pooled_run_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    write_vault(folder, notes=40, seed=2, bad_fraction=0.0)
    (folder / "broken.schema.json").write_text('{"type": 12}', encoding="utf-8")
    (folder / ".vaultlint.toml").write_text('schema = "broken.schema.json"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"broken\.schema\.json"):
        run(folder, 2)


def test_chunks_stay_within_bounds() -> None:
    assert parallel.chunk_size(10, 4) == parallel.MIN_CHUNK
    assert parallel.chunk_size(1_000_000, 2) == parallel.MAX_CHUNK
    assert parallel.MIN_CHUNK <= parallel.chunk_size(5_000, 8) <= parallel.MAX_CHUNK


def test_negative_jobs_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--jobs"):
        Runner(RunOptions(jobs=-1))


def _reference_targets(checker: Runner, paths: list[Path]) -> list[tuple[object, ...]]:
    """What `Runner.targets` found before it walked folders itself: `discovery.expand`."""
    found: dict[str, tuple[object, ...]] = {}
    for path in paths:
        checker.settings_for(path)
    for path, explicit in discovery.expand(paths):
        settings = checker.settings_for(path)
        relative = discovery.relative_to_root(path, settings.root, checker.cwd)
        if (not explicit or checker.options.force_exclude) and checker._skipped(settings, relative):
            continue
        display = discovery.display_path(path, checker.cwd).as_posix()
        found.setdefault(display, (path, display, relative, settings))
    return [found[key] for key in sorted(found)]


@pytest.mark.parametrize("force_exclude", [False, True])
def test_targets_are_what_discovery_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force_exclude: bool
) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, notes=30, seed=4, bad_fraction=0.0)
    (vault / ".vaultlint.toml").write_text('exclude = ["Inbox/**"]\n', encoding="utf-8")
    nested = vault / "Recettes" / "Autre vault"
    nested.mkdir(parents=True)
    (nested / ".vaultlint.toml").write_text("", encoding="utf-8")
    (nested / "note.md").write_text("---\n---\n", encoding="utf-8")
    (vault / ".hidden").mkdir()
    (vault / ".hidden" / "secret.md").write_text("x", encoding="utf-8")
    (vault / "Recettes" / ".draft.md").write_text("x", encoding="utf-8")
    (vault / "linked").symlink_to(vault / "Archives", target_is_directory=True)
    (vault / "lien.md").symlink_to(next(vault.glob("Archives/**/*.md")))
    (vault / "notes.txt").write_text("not a note", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    inbox_note = next(vault.glob("Inbox/*.md"))
    paths = [
        Path("vault/lien.md"),
        inbox_note.relative_to(tmp_path),
        Path("vault"),
        Path("./vault/Recettes"),
        (vault / "Archives").resolve(),
        Path("vault/.hidden/secret.md"),
        Path("vault/linked"),
    ]
    checker = Runner(RunOptions(force_exclude=force_exclude), cwd=tmp_path.resolve())
    found = [(t.path, t.display, t.relative, t.settings) for t in checker.targets(paths)]
    assert found == _reference_targets(checker, paths)
    assert len(found) > 20


def test_the_walk_lists_what_the_vault_index_lists(tmp_path: Path) -> None:
    """Phase 2 takes the vault's files and folders from the walk `targets` made: the same as
    `list_vault`, links, dot-entries, other files and a folder that cannot be listed (unless
    the tests run as root) included."""
    from vaultlint.graph.index import list_vault

    vault = tmp_path / "vault"
    write_vault(vault, notes=12, seed=4, bad_fraction=0.0)
    (vault / "linked").symlink_to(vault / "Archives", target_is_directory=True)
    (vault / "lien.md").symlink_to(next(vault.glob("Archives/**/*.md")))
    (vault / "image.png").write_bytes(b"png")
    (vault / ".hidden").mkdir()
    (vault / ".hidden" / "secret.md").write_text("x", encoding="utf-8")
    (vault / ".draft.md.tmp").write_text("x", encoding="utf-8")
    locked = vault / "Locked"
    (locked / "Deeper").mkdir(parents=True)
    (locked / "Deeper" / "note.md").write_text("x", encoding="utf-8")
    locked.chmod(0o000)
    try:
        checker = Runner(RunOptions(), cwd=tmp_path.resolve())
        checker.targets([vault])
        assert checker.listings[vault] == list_vault(vault)
        assert "image.png" in checker.listings[vault][0]
    finally:
        locked.chmod(0o755)


def test_a_subfolder_marked_as_a_vault_has_its_own_settings_in_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk gives a folder its parent's settings unless it holds a config, `.obsidian` or
    `.git` (what the settings are looked up by): each of these still makes its own vault."""
    vault = tmp_path / "vault"
    write_vault(vault, notes=12, seed=4, bad_fraction=0.0)
    for marker, deep in ((".obsidian", "A/B"), (".git", "C"), ("PyProject.toml", "D/E")):
        folder = vault / deep
        folder.mkdir(parents=True)
        (folder / marker).mkdir() if marker.startswith(".") else (folder / marker).touch()
        (folder / "Sub").mkdir()
        for where in (folder, folder / "Sub"):
            (where / "note.md").write_text("---\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    checker = Runner(RunOptions(), cwd=tmp_path.resolve())
    found = [(t.path, t.display, t.relative, t.settings) for t in checker.targets([Path("vault")])]
    assert found == _reference_targets(checker, [Path("vault")])
    roots = {t.display: t.settings.root for t in checker.targets([Path("vault")])}
    assert roots["vault/A/B/Sub/note.md"] == (vault / "A" / "B").resolve()
    assert roots["vault/C/note.md"] == vault.resolve()  # `.obsidian` above wins over `.git`


@pytest.mark.usefixtures("low_threshold")
def test_notes_fixed_in_the_workers_are_fixed_as_in_one_process(vault: Path) -> None:
    """`fix` lints and fixes each note where it checks it: in the pool, the same bytes, the
    same fixes and the same remaining findings as in one process."""
    from vaultlint.diagnostic import Applicability

    pooled_runner = Runner(RunOptions(jobs=2, cache=False), cwd=vault)
    single_runner = Runner(RunOptions(jobs=1, cache=False), cwd=vault)
    targets = pooled_runner.targets([vault])
    pooled = list(pooled_runner.fixes(targets, Applicability.SAFE))
    single = list(single_runner.fixes(single_runner.targets([vault]), Applicability.SAFE))
    assert pooled == single
    fixed = [note for _, note in pooled if note is not None]
    assert any(note.fixed != note.original for note in fixed)
    for (report, note), target in zip(pooled, targets, strict=True):
        if note is None:
            assert report == pooled_runner.check(target)[0]  # what check reports


def test_the_pool_knows_nothing_of_the_runner() -> None:
    """`parallel` maps a function over items; importing it imports no runner (no circle)."""
    import subprocess
    import sys

    code = "import sys, vaultlint.parallel; print('vaultlint.runner' in sys.modules)"
    command = [sys.executable, "-c", code]
    completed = subprocess.run(command, check=False, capture_output=True, text=True)
    assert completed.stdout.strip() == "False", completed.stderr
    assert "vaultlint." not in Path(parallel.__file__).read_text(encoding="utf-8").split('"""')[2]


@pytest.mark.usefixtures("low_threshold")
def test_report_and_infer_read_their_notes_in_the_pool_as_in_one_process(vault: Path) -> None:
    from vaultlint.commands.infer import read_sample
    from vaultlint.commands.report import note_data

    pooled = Runner(RunOptions(jobs=2, cache=False), cwd=vault)
    single = Runner(RunOptions(jobs=1, cache=False), cwd=vault)
    targets = pooled.targets([vault])
    assert pooled._pool_size(len(targets)) > 1  # the pool is used
    for function in (note_data, read_sample):
        in_pool = list(pooled.map_notes(targets, function))
        in_one = list(single.map_notes(single.targets([vault]), function))
        assert in_pool == in_one
        assert len(in_pool) == len(targets)


@pytest.mark.usefixtures("low_threshold")
@pytest.mark.parametrize("mode", [(), ("--check",), ("--diff",)])
def test_format_in_the_pool_prints_and_writes_what_one_process_does(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: tuple[str, ...]
) -> None:
    """`format` formats each note in the pool's workers and writes in this process: the same
    messages, diffs, exit code and written bytes, in the same order, as with `--jobs 1`."""
    import shutil

    from tests.test_cli import invoke

    pooled: list[int] = []
    in_pool = parallel.map_in_pool

    def counted(*args: object, **kwargs: object) -> object:
        pooled.append(1)
        return in_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "map_in_pool", counted)
    results = []
    for jobs in ("1", "3"):
        copy = tmp_path / f"jobs-{jobs}"
        shutil.copytree(vault, copy, symlinks=True)
        code, out, err = invoke("format", "--jobs", jobs, *mode, ".", cwd=copy)
        notes = {path.relative_to(copy): path.read_bytes() for path in copy.rglob("*.md")}
        results.append((code, out, err, notes))
    assert pooled == [1]  # --jobs 3 used the pool, --jobs 1 did not
    assert results[1] == results[0]
    code, out, err, notes = results[0]
    assert code == 1
    assert "not formatted" in err  # some notes cannot be formatted: named on stderr
    before = {path.relative_to(vault): path.read_bytes() for path in vault.rglob("*.md")}
    changed = sum(notes[name] != content for name, content in before.items())
    if mode:  # --check, --diff: nothing written
        assert changed == 0
    else:
        assert out.startswith(f"{changed} notes reformatted, ")
        assert changed > 50
