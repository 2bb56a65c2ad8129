"""A schema is data: a hostile one cannot hang the run.

Patterns run on jsonschema-rs's linear-time regex engine (`RegexOptions()` in
`vaultlint/schema/loader.py`): catastrophic backtracking patterns such as `^(a+)+$` against a
long `aaaa…b` value, which would take hours with a backtracking engine, finish at once. Patterns
that only a backtracking engine can run (backreferences, lookaround) and absurd ones are refused
when the schema is loaded, with a usage error, not a traceback. The time bounds are generous for
a noisy 2-core machine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.pipeline import check_note
from tests.test_cli import clean_note, invoke
from vaultlint.errors import SchemaError
from vaultlint.schema.loader import CompiledSchema, bundled_schema, load_schema

CLEAN = clean_note()
LONG_VALUE = "a" * 1_000_000 + "b"  # a 1 MB property: the note stays under the size limit


def schema_with(tmp_path: Path, change: Any) -> Path:
    document = json.loads(bundled_schema("recipe.schema.json").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "hostile.schema.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path.resolve()


def source_pattern(pattern: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["properties"]["source"]["pattern"] = pattern

    return change


def timed_check(raw: bytes, schema: CompiledSchema, seconds: float = 5) -> list[str]:
    started = time.monotonic()
    result = check_note(raw, schema)
    assert time.monotonic() - started < seconds
    return [d.message for d in result.diagnostics if d.rule == "schema"]


CATASTROPHIC = ["^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^(a*)*$", "^([a-z]+)*[0-9]$", "(x+x+)+y"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_pattern_against_a_long_value_finishes_at_once(
    tmp_path: Path, pattern: str
) -> None:
    schema = load_schema(schema_with(tmp_path, source_pattern(pattern)))
    raw = CLEAN.replace(b"source: Instagram", f"source: {LONG_VALUE}".encode())
    messages = timed_check(raw, schema)
    assert len(messages) == 1
    assert messages[0].startswith('source "aaaa')
    assert messages[0].endswith(f"does not match the pattern {pattern}")


def test_catastrophic_property_name_pattern_against_a_long_key_finishes_at_once(
    tmp_path: Path,
) -> None:
    def change(document: dict[str, Any]) -> None:
        document["patternProperties"] = {"^(a+)+$": {"type": "integer"}}
        document["propertyNames"] = {"pattern": "^(a|aa)+$|^[^a]"}

    schema = load_schema(schema_with(tmp_path, change))
    # An explicit key (`? key`): YAML limits implicit keys to 1,024 characters.
    raw = CLEAN.replace(b"portions: 6", f"portions: 6\n? {LONG_VALUE}\n: 1".encode())
    messages = timed_check(raw, schema)
    assert len(messages) == 1
    assert messages[0].endswith('does not match "^(a|aa)+$|^[^a]"')


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param("^(a+)\\1$", id="backreference"),
        pytest.param("^(?=(a+)+$)a", id="lookahead"),
        pytest.param("^(?<!b)(a+)+$", id="lookbehind"),
        pytest.param("a{10000}{10000}", id="absurd-repetition"),
    ],
)
def test_pattern_the_linear_engine_cannot_run_is_refused_when_loading(
    tmp_path: Path, pattern: str
) -> None:
    path = schema_with(tmp_path, source_pattern(pattern))
    with pytest.raises(SchemaError, match="cannot compile the schema"):
        load_schema(path)
    (tmp_path / "note.md").write_bytes(CLEAN)
    code, out, err = invoke("check", "--schema", str(path), "note.md", cwd=tmp_path)
    assert code == 2
    assert out == ""
    assert err.startswith("vaultlint: error: ")
    assert "Traceback" not in err
    assert "internal error" not in err


def test_huge_pattern_is_refused_in_bounded_time(tmp_path: Path) -> None:
    path = schema_with(tmp_path, source_pattern("(a|b)" * 200_000))  # a 1 MB pattern
    started = time.monotonic()
    with pytest.raises(SchemaError):
        load_schema(path)
    assert time.monotonic() - started < 10


def test_huge_pattern_error_message_stays_readable(tmp_path: Path) -> None:
    path = schema_with(tmp_path, source_pattern("(a|b)" * 200_000))
    with pytest.raises(SchemaError) as raised:
        load_schema(path)
    assert len(str(raised.value)) < 1_000
