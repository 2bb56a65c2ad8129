"""vaultlint: lint and safely fix an Obsidian vault's notes against a JSON Schema."""

from __future__ import annotations

__version__ = "0.1.0"
