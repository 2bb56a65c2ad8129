"""A run of a few notes (`check ONE.md`) finds their entries in the cache file's text without
parsing the others (issue #17), and finds exactly what parsing the whole file finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaultlint import __version__, cache
from vaultlint.cache import CACHE_DIR, Identity, ResultCache

# Names JSON escapes or that look like its syntax: quotes, commas, colons, braces, backslashes,
# accents (escaped as \u), a byte of a name that is not UTF-8 (a surrogate escape), a newline.
NAMES = [
    "plain.md",
    'quote "inside".md',
    "comma, colon: brace {x}.md",
    '",\\"trap\\":[1].md',
    "back\\slash.md",
    "Crème brûlée.md",
    "bad byte \udcff.md",
    "line\nbreak.md",
    "Dossier/Sous-dossier/note.md",
    ",plain.md",  # a name that ends another as a suffix after a comma
]
ROW = (3, 1, 3, 9, "tag-format", "error", 'a message, with "quotes": {} [] ,"plain.md":', 2, "x")


def _filled(root: Path) -> ResultCache:
    stored = ResultCache(root, "k" * 32, "mtime")
    for number, name in enumerate(NAMES):
        rows = (ROW,) if number % 2 else ()
        stored.store(name, Identity(number, number + 1, number + 2, number + 3, ""), "s", rows)
    stored.save()
    return stored


def test_a_lazy_load_finds_each_entry_as_a_full_parse_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = _filled(tmp_path)
    lazy = ResultCache(tmp_path, "k" * 32, "mtime")

    def parsed(data: bytes, key: str) -> object:
        raise AssertionError("a lazy load parsed every entry")

    monkeypatch.setattr(cache, "_decode", parsed)
    lazy.load(lazy=True)
    for name in NAMES:
        assert lazy.entry(name) == full.entries[name], name
    assert lazy.entry("absent.md") is None
    assert lazy.entry("plain") is None  # a prefix of a name is not the name


def test_a_lazy_load_parses_the_whole_file_when_a_note_is_stored(tmp_path: Path) -> None:
    _filled(tmp_path)
    lazy = ResultCache(tmp_path, "k" * 32, "mtime")
    lazy.load(lazy=True)
    lazy.store("new.md", Identity(1, 2, 3, 4, ""), "s", ())
    lazy.save()
    reread = ResultCache(tmp_path, "k" * 32, "mtime")
    reread.load()
    assert set(reread.entries) == {*NAMES, "new.md"}


def test_a_file_in_another_shape_is_parsed_whole_and_the_last_duplicate_wins(
    tmp_path: Path,
) -> None:
    _filled(tmp_path)
    path = tmp_path / CACHE_DIR / __version__ / ("k" * 32)
    document = json.loads(path.read_bytes())
    path.write_text(json.dumps(document, indent=1), encoding="ascii")  # valid, with spaces
    lazy = ResultCache(tmp_path, "k" * 32, "mtime")
    lazy.load(lazy=True)
    assert lazy.problem is None
    assert lazy.entry("plain.md") == document[4]["plain.md"]
    # two entries under one name (a stranger's file): json.loads keeps the last, and so do we
    text = json.dumps(document, separators=(",", ":"))
    first = (
        json.dumps("plain.md") + ":" + json.dumps(document[4]["plain.md"], separators=(",", ":"))
    )
    doubled = text[:-2] + "," + first.replace("[0,1,2,3", "[9,9,9,9") + "}]"
    path.write_text(doubled, encoding="ascii")
    lazy = ResultCache(tmp_path, "k" * 32, "mtime")
    lazy.load(lazy=True)
    assert lazy.entry("plain.md") == json.loads(doubled)[4]["plain.md"]
    assert lazy.entry("plain.md")[:4] == [9, 9, 9, 9]  # type: ignore[index]
