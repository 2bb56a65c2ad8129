"""Start-up: a command imports only what it uses (issue #17).

A warm `check` of one note reads its findings from the cache: it must not import the engine,
the rules, the YAML loader or jsonschema-rs, which are most of a cold start's import time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from vaultlint.cache import RACY_WINDOW_NS

NOTE = "---\ncuisine: française\n---\n# Soupe\n"

# Modules a warm run has no use for; each costs milliseconds to import.
HEAVY = ("vaultlint.engine", "vaultlint.rules", "yaml", "jsonschema_rs", "vaultlint.fixer")

PROBE = """
import json, sys
from vaultlint.cli import run
try:
    run(sys.argv[1:])
finally:
    sys.stdout.flush()
    sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def _modules_imported(tmp_path: Path, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


VAULT_RULES_OFF = ("--ignore", "link-broken,link-anchor,duplicate-note,file-name")


def test_a_warm_check_imports_neither_the_engine_nor_the_parsers(tmp_path: Path) -> None:
    # Without the vault rules (issue #17's row "check ONE.md --ignore link-broken,..."): with
    # them, phase 2 builds the rule selection, which loads the engine (not measured here).
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    cold = _modules_imported(tmp_path, "check", *VAULT_RULES_OFF, "note.md")
    assert "vaultlint.engine" in cold  # the probe sees what a run imports
    warm = _modules_imported(tmp_path, "check", *VAULT_RULES_OFF, "note.md")
    assert not [name for name in HEAVY if name in warm]


def test_a_warm_check_with_only_the_rules_of_names_imports_no_rule(tmp_path: Path) -> None:
    # Issue #17's one-note row: `--ignore link-broken,link-anchor,duplicate-note` leaves
    # file-name on, whose checks phase 2 runs from graph/names.py, on the given note alone.
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    ignore = ("--ignore", "link-broken,link-anchor,duplicate-note")
    _modules_imported(tmp_path, "check", *ignore, "note.md")
    warm = _modules_imported(tmp_path, "check", *ignore, "note.md")
    assert "vaultlint.graph.names" in warm  # phase 2 ran
    assert not [name for name in HEAVY if name in warm]


def test_the_rule_ids_known_without_the_rules_are_the_registry_s() -> None:
    from vaultlint.rule_ids import RULE_IDS, VAULT_RULE_IDS
    from vaultlint.rules import RULES, VAULT_RULES

    assert tuple(RULES) == RULE_IDS
    assert set(VAULT_RULES) == VAULT_RULE_IDS


# Modules that only some commands or setups use: writing a note, reading a config file, diffs,
# the formatter's Markdown parser, the language server.
UNUSED_BY_CHECK = ("tempfile", "tomllib", "difflib", "markdown_it", "ftfy", "pygls")


def test_a_cold_check_without_a_config_file_imports_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    cold = _modules_imported(tmp_path, "check", "--no-cache", "note.md")
    assert "vaultlint.engine" in cold
    assert not [name for name in UNUSED_BY_CHECK if name in cold]


def _settled_vault_of_two_notes(vault: Path) -> None:
    """A vault of two notes, one linking to the other, older than the racy window: phase 2
    does not store its findings while a note may still change in the same clock tick (its
    ctime, which no program can set back, must be older too: hence the wait)."""
    (vault / ".obsidian").mkdir()
    (vault / "note.md").write_text(NOTE + "[[other]]\n", encoding="utf-8")
    (vault / "other.md").write_text(NOTE, encoding="utf-8")
    time.sleep(RACY_WINDOW_NS / 1e9 + 0.1)


# What a warm one-note run once imported and does not use: the pool, the facts of the notes
# (read from the cache only when the vault changed), the schema extension (schemas are compiled
# only when their files changed).
NOT_WARM = (
    "multiprocessing",
    "vaultlint.graph.facts",
    "vaultlint.markdown",
    "vaultlint.note",
    "vaultlint.schema.extension",
    "vaultlint.commands.stdin",  # only when a path is `-` or --stdin-filename is given
    "vaultlint.statistics",  # only with --statistics
    "vaultlint.reporters.fingerprints",  # only with a baseline
    "vaultlint.graph.placing",  # only when phase 2 runs its rules
)


def test_a_warm_check_with_the_vault_rules_imports_neither_the_rules_nor_the_facts(
    tmp_path: Path,
) -> None:
    # Phase 2 tells which vault rules run from the rule IDs (`rule_ids.choose_rules`), and an
    # unchanged vault gives its findings from the facts cache: no rule is needed for either.
    _settled_vault_of_two_notes(tmp_path)
    _modules_imported(tmp_path, "check", "note.md")  # fills both caches
    warm = _modules_imported(tmp_path, "check", "note.md")
    assert not [name for name in (*HEAVY, *NOT_WARM) if name in warm]
