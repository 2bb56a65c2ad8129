"""The rules a note gets, worked out from the rule IDs alone (`rule_ids.choose_rules`), are the
ones the engine's selection runs: a warm run decides from the first what the second would do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaultlint.config import Settings
from vaultlint.runner import Runner, RunOptions

SETTINGS = [
    Settings(root=Path("/vault")),
    Settings(root=Path("/vault"), select=frozenset({"time-sum", "file-name", "link-broken"})),
    Settings(root=Path("/vault"), ignore=frozenset({"duplicate-note", "title"})),
    Settings(root=Path("/vault"), severity={"file-name": "error", "title": "off"}),
    Settings(root=Path("/vault"), pages=("docs/**",)),
    Settings(root=Path("/vault"), pages=("docs/**",), select=frozenset({"file", "time-sum"})),
    Settings(
        root=Path("/vault"),
        per_file_ignores=(("Archives/**", frozenset({"link-broken", "schema"})),),
    ),
]
OPTIONS = [
    RunOptions(),
    RunOptions(select=("link-broken", "link-anchor", "schema", "file")),
    RunOptions(ignore=("link-broken", "link-anchor", "duplicate-note")),
    RunOptions(extend_ignore=("file-name", "time-sum")),
]
RELATIVES = ["note.md", "docs/index.md", "Archives/old.md"]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("options", OPTIONS)
def test_the_choice_from_rule_ids_is_the_engine_s_selection(
    settings: Settings, options: RunOptions
) -> None:
    runner = Runner(options, cwd=Path("/vault"))
    for relative in RELATIVES:
        for narrowed in (True, False):
            choice = runner.choice_for(settings, relative, narrowed=narrowed)
            selection = runner.selection_for(settings, relative, narrowed=narrowed)
            assert choice.enabled == selection.enabled
            assert dict(choice.severities) == dict(selection.severities)


def test_an_unknown_rule_in_a_config_is_named_with_its_config_by_both(tmp_path: Path) -> None:
    from vaultlint.errors import UsageError

    config = tmp_path / ".vaultlint.toml"
    settings = Settings(root=tmp_path, config_path=config, ignore=frozenset({"no-such-rule"}))
    for ask in (Runner(RunOptions()).choice_for, Runner(RunOptions()).selection_for):
        with pytest.raises(UsageError, match=f"^{re.escape(str(config))}: unknown rule"):
            ask(settings, "note.md")
