"""Start-up: a command imports only what it uses (issue #17).

A warm `check` of one note reads its findings from the cache: it must not import the engine,
the rules, the YAML loader or jsonschema-rs, which are most of a cold start's import time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
