"""What formatting one note gave: its new bytes, and what was left as it was, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class NoticeKind(enum.Enum):
    # The note cannot be formatted at all (not UTF-8, frontmatter unterminated or unreadable):
    # `vaultlint check` reports why. Not an error of `format`.
    SKIPPED = "skipped"
    # One normalisation was left out on purpose (an alias would precede its anchor, a comment
    # sits inside the tags list); the rest of the note is formatted.
    KEPT = "kept"
    # The formatted note failed its own verification (data or rendering changed): the note is
    # not written. This is a bug in vaultlint.
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    message: str


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    original: bytes
    formatted: bytes  # equals `original` when skipped or refused
    notices: tuple[Notice, ...] = ()

    @property
    def changed(self) -> bool:
        return self.formatted != self.original

    @property
    def skipped(self) -> bool:
        return any(notice.kind is NoticeKind.SKIPPED for notice in self.notices)

    @property
    def refused(self) -> bool:
        return any(notice.kind is NoticeKind.REFUSED for notice in self.notices)
