"""Where the report's note links lead: the file (`file://`), or the note in Obsidian.

`obsidian://open?vault=NAME&file=PATH` opens the note in the Obsidian app, in the vault whose
folder is NAME (Obsidian names a vault after its folder), at PATH relative to that folder
(https://help.obsidian.md/Extending+Obsidian/Obsidian+URI). A note is linked this way only when
a folder above it holds `.obsidian/` (the vault Obsidian knows); any other note keeps its
`file://` link. `vaultlint report --links file` links every note to its file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

LINK_STYLES = ("obsidian", "file")
Links = Callable[[Path], str]


def file_link(path: Path) -> str:
    return path.as_uri()


def obsidian_uri(vault: Path, note: Path) -> str:
    relative = note.relative_to(vault).as_posix()
    return f"obsidian://open?vault={quote(vault.name, safe='')}&file={quote(relative, safe='')}"


class ObsidianLinks:
    """A link per absolute note path: into Obsidian when the note is in an Obsidian vault."""

    def __init__(self) -> None:
        self._vaults: dict[Path, Path | None] = {}

    def __call__(self, path: Path) -> str:
        vault = self._vault_of(path.parent)
        return obsidian_uri(vault, path) if vault is not None else file_link(path)

    def _vault_of(self, folder: Path) -> Path | None:
        if folder not in self._vaults:
            if (folder / ".obsidian").is_dir():
                self._vaults[folder] = folder
            elif folder.parent == folder:
                self._vaults[folder] = None
            else:
                self._vaults[folder] = self._vault_of(folder.parent)
        return self._vaults[folder]


def links_for(style: str) -> Links:
    """The link maker for `--links`: `file`, or `obsidian` (into Obsidian where it can)."""
    return file_link if style == "file" else ObsidianLinks()
