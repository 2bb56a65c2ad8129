"""A stranger's vault cannot turn the results cache against you (issue #15, items 1, 4 and 5).

A cloned vault can commit `.vaultlint_cache/` with anything in it: symbolic links to folders
elsewhere, crafted cache files, stale entries. The cache must never write or delete outside its
own folder, never serve results for bytes it did not check, and reject a crafted file quickly.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import write_vault
from vaultlint import __version__, cache
from vaultlint.cache import CACHE_DIR
from vaultlint.results import RunReport
from vaultlint.runner import Runner, RunOptions


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    write_vault(folder, notes=20, seed=11, bad_fraction=0.5)
    return folder.resolve()


def check(folder: Path, *, use_cache: bool = True, warnings: list[str] | None = None) -> RunReport:
    sink = warnings if warnings is not None else []
    runner = Runner(RunOptions(cache=use_cache, jobs=1), cwd=folder, warn=sink.append)
    return runner.run([folder])


def outside_folder(tmp_path: Path, files: int = 15) -> Path:
    """A folder outside the vault with `files` files of various ages, as a home folder has."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for index in range(files):
        path = folder / f"precious-{index:02}.txt"
        path.write_bytes(f"precious data {index}\n".encode())
        stamp = 1_600_000_000_000_000_000 + index * 1_000_000_000
        os.utime(path, ns=(stamp, stamp))
    return folder


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every path under `folder` with its bytes (or its link target), without following links."""
    found: dict[str, bytes | str] = {}
    for current, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(current, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif path.is_file():
                found[relative] = path.read_bytes()
            else:
                found[relative] = "folder"
    return found


# --------------------------------------------------------------- 1. symbolic links


def test_a_version_folder_linked_outside_the_vault_deletes_and_writes_nothing_there(
    vault: Path, tmp_path: Path
) -> None:
    elsewhere = outside_folder(tmp_path)
    before = snapshot(elsewhere)
    (vault / CACHE_DIR).mkdir()
    (vault / CACHE_DIR / __version__).symlink_to(elsewhere, target_is_directory=True)
    warnings: list[str] = []
    report = check(vault, warnings=warnings)
    assert report == check(vault, use_cache=False)
    assert report.errors, "the vault has problems: the run must report them"
    assert snapshot(elsewhere) == before, "every file outside the vault is there, byte for byte"
    assert len(warnings) == 1
    assert "symbolic link" in warnings[0]
    check(vault, warnings=warnings)  # and again, with nothing new
    assert snapshot(elsewhere) == before


def test_a_cache_folder_linked_to_another_repository_gets_no_gitignore_and_no_tag(
    vault: Path, tmp_path: Path
) -> None:
    repository = outside_folder(tmp_path)
    (repository / ".git").mkdir()
    (repository / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = snapshot(repository)
    (vault / CACHE_DIR).symlink_to(repository, target_is_directory=True)
    warnings: list[str] = []
    assert check(vault, warnings=warnings) == check(vault, use_cache=False)
    assert snapshot(repository) == before
    assert not (repository / ".gitignore").exists()
    assert not (repository / "CACHEDIR.TAG").exists()
    assert len(warnings) == 1


def test_a_cache_file_linked_outside_is_neither_read_nor_written_through(
    vault: Path, tmp_path: Path
) -> None:
    check(vault)
    (data,) = (vault / CACHE_DIR / __version__).iterdir()
    elsewhere = outside_folder(tmp_path, files=1)
    target = elsewhere / "precious-00.txt"
    before = snapshot(elsewhere)
    data.unlink()
    data.symlink_to(target)
    (vault / "Inbox" / "Nouvelle.md").write_text("---\ntitre: x\n---\n# Nouvelle\n", "utf-8")
    warnings: list[str] = []
    assert check(vault, warnings=warnings) == check(vault, use_cache=False)
    assert snapshot(elsewhere) == before
    assert data.is_symlink(), "the link is left alone, not replaced"
    assert len(warnings) == 1


def test_markers_linked_outside_are_not_written_through(vault: Path, tmp_path: Path) -> None:
    elsewhere = outside_folder(tmp_path, files=0)
    before = snapshot(elsewhere)
    (vault / CACHE_DIR).mkdir()
    (vault / CACHE_DIR / ".gitignore").symlink_to(elsewhere / "dangling-gitignore")
    (vault / CACHE_DIR / "CACHEDIR.TAG").symlink_to(elsewhere / "dangling-tag")
    check(vault)
    assert snapshot(elsewhere) == before


def test_the_clean_up_deletes_only_cache_files_of_its_own_naming(vault: Path) -> None:
    version_folder = vault / CACHE_DIR / __version__
    version_folder.mkdir(parents=True)
    planted = {f"notes-{index}.txt": f"keep {index}".encode() for index in range(12)}
    for name, data in planted.items():
        (version_folder / name).write_bytes(data)
        os.utime(version_folder / name, ns=(0, 0))  # older than any cache file
    for selection in ("time-sum", "tag-missing", "title", "schema", "mojibake"):
        Runner(RunOptions(jobs=1, select=(selection,)), cwd=vault, warn=lambda _: None).run([vault])
    for name, data in planted.items():
        assert (version_folder / name).read_bytes() == data


# ------------------------------------------------------------------ 4. stale results


def test_an_edit_of_the_same_size_with_the_mtime_set_back_is_seen(vault: Path) -> None:
    fresh = check(vault, use_cache=False)
    clean = next(
        vault / report.path
        for report in fresh.files
        if not report.findings and b"temps_total: " in (vault / report.path).read_bytes()
    )
    check(vault)  # stores the clean note
    before = clean.stat()
    original = clean.read_bytes()
    start = original.index(b"temps_total: ") + len(b"temps_total: ")
    end = original.index(b"\n", start)
    value = original[start:end].strip(b"\r")
    edited = original[:start] + b"9" * len(value) + original[start + len(value) :]
    assert len(edited) == len(original)
    assert edited != original
    clean.write_bytes(edited)
    os.utime(clean, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert clean.stat().st_size == before.st_size
    assert clean.stat().st_mtime_ns == before.st_mtime_ns
    after = check(vault)
    assert after == check(vault, use_cache=False)
    assert any(report.findings for report in after.files if vault / report.path == clean)


def test_a_note_changed_in_the_last_seconds_is_hashed_when_looked_up(tmp_path: Path) -> None:
    stored = cache.ResultCache(tmp_path, "k" * 32, "mtime")
    now = cache.Identity(10, 5, 6, 7, "")
    racy = cache.Identity(10, 5, 6, 7, "aa")
    stored.store("note.md", racy, "schema", ())
    assert stored.lookup("note.md", now, "schema", lambda: "aa") == ()
    assert stored.lookup("note.md", now, "schema", lambda: "bb") is None
    assert stored.lookup("note.md", now, "schema", lambda: None) is None


def test_the_key_holds_ctime_and_inode(tmp_path: Path) -> None:
    stored = cache.ResultCache(tmp_path, "k" * 32, "mtime")
    stored.store("note.md", cache.Identity(10, 5, 6, 7, ""), "schema", ())
    assert stored.lookup("note.md", cache.Identity(10, 5, 6, 7, ""), "schema", lambda: "") == ()
    assert stored.lookup("note.md", cache.Identity(10, 5, 9, 7, ""), "schema", lambda: "") is None
    assert stored.lookup("note.md", cache.Identity(10, 5, 6, 8, ""), "schema", lambda: "") is None


# ----------------------------------------------------------- 5. bounded cache reading


@pytest.mark.parametrize(
    "crafted",
    [b"(\xff\xff\xff\x7f", b"[\xff\xff\xff\x7f", b'{"a": ' * 100_000, b"[" * 1_000_000],
    ids=["marshal-tuple", "marshal-list", "deep-json-object", "deep-json-list"],
)
def test_a_crafted_cache_file_is_rejected_at_once(vault: Path, crafted: bytes) -> None:
    fresh = check(vault, use_cache=False)
    check(vault)
    (data,) = (vault / CACHE_DIR / __version__).iterdir()
    data.write_bytes(crafted)
    warnings: list[str] = []
    started = time.perf_counter()
    assert check(vault, warnings=warnings) == fresh
    assert time.perf_counter() - started < 2.0
    assert len(warnings) == 1


def test_a_cache_file_over_the_size_cap_is_not_read(vault: Path) -> None:
    fresh = check(vault, use_cache=False)
    check(vault)
    (data,) = (vault / CACHE_DIR / __version__).iterdir()
    with open(data, "r+b") as handle:
        handle.truncate(cache.MAX_CACHE_BYTES + 1)  # sparse: costs no disk
    warnings: list[str] = []
    started = time.perf_counter()
    assert check(vault, warnings=warnings) == fresh
    assert time.perf_counter() - started < 2.0
    assert len(warnings) == 1
    assert "too large" in warnings[0]


def test_schema_sources_named_by_a_cache_file_are_read_within_bounds(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.perf_counter()
    assert not cache.SchemaSources("x", ("/dev/zero",)).still_valid()
    assert not cache.SchemaSources("x", (str(fifo),)).still_valid()
    assert time.perf_counter() - started < 1.0
