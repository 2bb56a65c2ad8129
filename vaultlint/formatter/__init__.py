"""`vaultlint format`: every note of a vault in one style, without losing a byte of meaning.

`format_note` is pure (bytes in, bytes out, no I/O); `vaultlint.commands.format` walks the notes
and writes them with the same safe writer as `fix`. See settings.py for what is normalised.

The names are loaded on first use, so that config.py can read `FormatSettings` without loading
the YAML and Markdown machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultlint.formatter.core import format_note
    from vaultlint.formatter.outcome import FormatOutcome, Notice, NoticeKind
    from vaultlint.formatter.settings import FormatSettings, LineEndings, Quote, TagsStyle

_HOMES = {
    "format_note": "core",
    "FormatOutcome": "outcome",
    "Notice": "outcome",
    "NoticeKind": "outcome",
    "FormatSettings": "settings",
    "LineEndings": "settings",
    "Quote": "settings",
    "TagsStyle": "settings",
}

__all__ = [
    "FormatOutcome",
    "FormatSettings",
    "LineEndings",
    "Notice",
    "NoticeKind",
    "Quote",
    "TagsStyle",
    "format_note",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
