"""The benchmark's vaults: written once by the shared generator, aged, copied fresh when written to.

A vault is reused when its manifest exists (the generator writes it last), so that a second run
with the same `--workdir` skips the minutes a 100,000-note vault takes to write.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SEED = 42
BAD_FRACTION = 0.2


class GeneratorError(Exception):
    """make_vault.py exited with an error; its message is kept."""


@dataclass(frozen=True, slots=True)
class Vault:
    root: Path
    manifest: Path


def generate(
    make_vault: Path,
    folder: Path,
    *,
    notes: int,
    seed: int = SEED,
    bad_fraction: float = BAD_FRACTION,
    realistic: bool = False,
) -> Vault:
    """The shared generator's vault at `folder` (manifest beside it), written unless present."""
    manifest = folder.with_name(folder.name + ".manifest.json")
    if manifest.is_file() and folder.is_dir():
        return Vault(folder, manifest)
    shutil.rmtree(folder, ignore_errors=True)  # an interrupted run left half a vault
    arguments = ["--notes", str(notes), "--seed", str(seed), "--bad-fraction", str(bad_fraction)]
    command = [sys.executable, str(make_vault), str(folder), *arguments]
    if realistic:
        command.append("--realistic")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GeneratorError(f"{' '.join(command)} failed:\n{done.stderr.strip()}")
    age(folder)
    return Vault(folder, manifest)


def age(folder: Path, seconds: float = 86_400.0) -> None:
    """Set every file's mtime `seconds` in the past: a vault is rarely edited this second, and
    the cache does not store a note modified in the last two seconds (`RACY_WINDOW_NS`)."""
    stamp = int((os.path.getmtime(folder) - seconds) * 1e9)
    for current, _, files in os.walk(folder):
        for name in files:
            os.utime(os.path.join(current, name), ns=(stamp, stamp))


def fresh_copy(template: Path, destination: Path) -> None:
    """A copy with the template's mtimes (copy2), replacing the last one: `fix` writes to it."""
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(template, destination, symlinks=True)


def first_clean_note(vault: Vault) -> str:
    """The path (relative to the vault) of the first note without an injected problem."""
    manifest = json.loads(vault.manifest.read_text(encoding="utf-8"))
    for entry in manifest["notes"]:
        if entry["problem"] is None:
            return str(entry["path"])
    raise GeneratorError(f"{vault.manifest} lists no clean note to check alone")
