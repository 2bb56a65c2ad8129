"""The vault rules' cache (`<key>.facts`, `<key>.vault`) obeys the results cache's rules for a
vault from a stranger (issue #15): no link followed, nothing written outside, bounded reads."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_cli import clean_note, invoke
from vaultlint import __version__
from vaultlint.cache import CACHE_DIR


def _vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Tarte.md").write_bytes(clean_note())
    (vault / "Menus.md").write_bytes(
        clean_note(**{"DQDuWQZAaoP": "DQDuWQZMenus"}) + b"\n[[Tarte]] [[Absente]]\n"
    )
    return vault


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_facts_are_never_written_through_a_linked_version_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vaultlint.graph.gather.racy_window", lambda: -(10**18))
    vault = _vault(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(outside)
    (vault / CACHE_DIR).mkdir()
    (vault / CACHE_DIR / __version__).symlink_to(outside)
    code, out, err = invoke("check", ".", cwd=vault)
    assert code == 1
    assert 'no note or file named "Absente"' in out
    assert "not used" in err or "symbolic link" in err
    assert _snapshot(outside) == before


def test_a_crafted_facts_file_is_ignored_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vaultlint.graph.gather.racy_window", lambda: -(10**18))
    vault = _vault(tmp_path)
    cold = invoke("check", ".", cwd=vault)[1]
    (facts,) = (vault / CACHE_DIR).rglob("*.facts")
    # marshal, the old format, allocated gigabytes from such bytes; JSON is linear
    facts.write_bytes(b"(\xff\xff\xff\x7f" + b"[" * 100_000)
    for vault_file in (vault / CACHE_DIR).rglob("*.vault"):
        vault_file.write_bytes(b"[" * 1_000_000)
    started = time.perf_counter()
    assert invoke("check", ".", cwd=vault)[1] == cold
    assert time.perf_counter() - started < 10
