"""What every rule module provides, checked by mypy through the registry in `rules/__init__.py`."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from vaultlint.diagnostic import Diagnostic, Severity
    from vaultlint.graph.index import VaultDiagnostic, VaultIndex
    from vaultlint.note import Note
    from vaultlint.schema.extension import Extension
    from vaultlint.schema.loader import CompiledSchema


class Fixability(enum.Enum):
    NEVER = "never"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may read besides the note: the schema that applies and its own options."""

    schema: CompiledSchema | None
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def extension(self) -> Extension | None:
        return self.schema.extension if self.schema is not None else None


def nothing(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The per-note check of a rule that finds nothing in one note (a vault rule, or one the
    engine applies itself): the engine leaves it out of its plan rather than call it."""
    return iter(())


class Rule(Protocol):
    """A rule module: its docstring is the user documentation (`vaultlint rules ID`)."""

    @property
    def ID(self) -> str: ...  # noqa: N802 - module constants, read-only

    @property
    def DEFAULT_SEVERITY(self) -> Severity: ...  # noqa: N802

    @property
    def FIX(self) -> Fixability: ...  # noqa: N802

    @property
    def SUMMARY(self) -> str: ...  # noqa: N802

    @property
    def __doc__(self) -> str | None: ...  # type: ignore[override]

    def check(self, note: Note, ctx: RuleContext) -> Iterator[Diagnostic]: ...


class VaultRule(Rule, Protocol):
    """A rule about the vault as a whole (links, duplicates, names): its per-note `check` finds
    nothing; `check_vault` reads the index built from every note's facts (phase 2)."""

    def check_vault(self, index: VaultIndex) -> Iterator[VaultDiagnostic]: ...
