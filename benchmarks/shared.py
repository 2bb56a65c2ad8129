"""Where the shared benchmark tools live: `../shared/bench/` beside the repository.

The vaults and the stand-in stages are not copied into the project (issue #17): the figures
must come from the same generator the other measurements use, so a missing folder is an error
that names the path, not a fallback to an easier vault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"


class MissingSharedToolsError(Exception):
    """../shared/bench/ (or one of its scripts) is not where the benchmark looks for it."""


@dataclass(frozen=True, slots=True)
class SharedTools:
    make_vault: Path  # writes the vaults (seed, bad fraction, --realistic) and their manifest
    stages: Path  # `floor` and `check_fast`: what vaultlint is compared with


def find_shared_tools(shared: Path = DEFAULT_SHARED) -> SharedTools:
    bench = shared / "bench"
    tools = SharedTools(make_vault=bench / "make_vault.py", stages=bench / "stages.py")
    for script in (tools.make_vault, tools.stages):
        if not script.is_file():
            raise MissingSharedToolsError(
                f"{script} is absent: the benchmark needs the shared generator and stages "
                f"in {bench} (pass --shared DIR if the shared folder is elsewhere)"
            )
    return tools
