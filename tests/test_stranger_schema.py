"""A stranger's config cannot make a schema path hang a run, eat memory or leak a file (#15).

The config of a cloned vault names the schema. It may name `/dev/zero`, a FIFO, or a file of
yours outside the repository; the schema may `$ref` the same. A schema is read only when it is a
regular file under the size cap, and an error names the file and the problem, never its values.

The /dev/zero and FIFO cases run vaultlint in a subprocess with a memory limit and a timeout, so
that a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RECIPE_SCHEMA

SECRET = "hunter2-not-for-your-eyes"
CLEAN_NOTE = b"---\ntitre: x\n---\n# X\n"


def run_vaultlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    def limit_memory() -> None:  # 1 GiB of address space: an unbounded read fails fast
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "vaultlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limit_memory,
        check=False,
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A cloned vault (the repository) beside a folder of the user's own files."""
    vault = tmp_path / "clone"
    vault.mkdir()
    (vault / "note.md").write_bytes(CLEAN_NOTE)
    return vault


def configure(vault: Path, schema: str) -> None:
    (vault / ".vaultlint.toml").write_text(f"schema = {json.dumps(schema)}\n", encoding="utf-8")


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("vaultlint: error: "), result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_dev_zero_as_the_schema_is_refused_at_once(repository: Path) -> None:
    configure(repository, "/dev/zero")
    assert_refused(run_vaultlint("check", ".", cwd=repository), "/dev/zero", "not a regular file")


def test_a_fifo_as_the_schema_does_not_hang(repository: Path) -> None:
    os.mkfifo(repository / "schema.json")
    configure(repository, "schema.json")
    result = run_vaultlint("check", ".", cwd=repository)
    assert_refused(result, "schema.json", "not a regular file")


def test_a_ref_to_dev_zero_is_refused_at_once(repository: Path) -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "file:///dev/zero"}}}
    (repository / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    configure(repository, "schema.json")
    assert_refused(run_vaultlint("check", ".", cwd=repository), "/dev/zero", "outside")


def test_a_ref_to_a_fifo_beside_the_schema_does_not_hang(repository: Path) -> None:
    os.mkfifo(repository / "pipe.json")
    schema = {"type": "object", "properties": {"a": {"$ref": "pipe.json"}}}
    (repository / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    configure(repository, "schema.json")
    result = run_vaultlint("check", ".", cwd=repository)
    assert_refused(result, "pipe.json", "not a regular file")


def test_a_schema_over_the_size_cap_is_not_read(repository: Path) -> None:
    from vaultlint.schema.loader import MAX_SCHEMA_BYTES

    with open(repository / "schema.json", "wb") as handle:
        handle.truncate(MAX_SCHEMA_BYTES + 1)
    configure(repository, "schema.json")
    assert_refused(run_vaultlint("check", ".", cwd=repository), "schema.json", "too large")


@pytest.mark.parametrize(
    "secret_document",
    [
        {"type": SECRET},
        {"properties": SECRET},
        {"x-vaultlint": {SECRET: 1}},
        {"required": [SECRET, SECRET]},
        {"properties": {"a": {"pattern": f"({SECRET}"}}},
    ],
    ids=["type", "properties", "extension", "required", "pattern"],
)
def test_a_file_outside_the_repository_is_named_but_its_values_never_shown(
    repository: Path, secret_document: dict[str, object]
) -> None:
    secret = repository.parent / "secret.json"
    secret.write_text(json.dumps(secret_document), encoding="utf-8")
    configure(repository, "../secret.json")
    result = run_vaultlint("check", ".", cwd=repository)
    assert_refused(result, "secret.json")
    assert SECRET not in result.stderr + result.stdout


def test_a_ref_outside_the_schema_folder_is_refused_without_its_values(tmp_path: Path) -> None:
    folder = tmp_path / "clone"
    (folder / "schemas").mkdir(parents=True)
    (folder / "note.md").write_bytes(b"---\na: 1\n---\n# A\n")
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"enum": [SECRET]}), encoding="utf-8")
    schema = {"type": "object", "properties": {"a": {"$ref": secret.as_uri()}}}
    (folder / "schemas" / "note.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    configure(folder, "schemas/note.schema.json")
    result = run_vaultlint("check", ".", cwd=folder)
    assert_refused(result, "secret.json", "outside")
    assert SECRET not in result.stderr + result.stdout


def test_a_users_own_schema_folder_outside_the_vault_still_works(tmp_path: Path) -> None:
    """A config may name a schema outside the repository: its references beside it resolve."""
    own = tmp_path / "my-schemas"
    own.mkdir()
    document = json.loads(RECIPE_SCHEMA.read_text(encoding="utf-8"))
    del document["$id"]  # relative references then resolve beside the file
    minutes = document["$defs"]["minutes"]
    (own / "minutes.json").write_text(json.dumps(minutes), encoding="utf-8")
    for name in ("temps_prep", "temps_cuisson", "temps_total"):
        document["properties"][name] = {"$ref": "minutes.json"}
    (own / "recipe.json").write_text(json.dumps(document), encoding="utf-8")
    vault = tmp_path / "vault"
    vault.mkdir()
    seed = RECIPE_SCHEMA.parent.parent / "seeds" / "Tiramisu.md"
    (vault / "Tiramisu.md").write_bytes(seed.read_bytes())
    configure(vault, str(own / "recipe.json"))
    result = run_vaultlint("check", "--no-cache", ".", cwd=vault)
    assert result.returncode == 1, result.stderr
    assert "tag-conflict" in result.stdout
